#!/usr/bin/env python3
"""Search benchmark: bantin's search beside Pagefind 1.6 on the shared corpus, and what the
index adds to a build.

    python3 bench/search.py                  # 10,000 articles, 3 build runs each way
    python3 bench/search.py --articles 1000 --runs 1 --out /tmp/S.md

1. Build cost: the corpus is built with the index (`search: true`, the default) and without
   (`search: false`), alternating, each run into an output folder of its own (none removed
   before the end: see `Outputs` in bench/run.py), each after `sync`; medians of wall time,
   CPU time and peak memory, on disk (bench/.cache/out) and in memory (/dev/shm).
2. Quality: ../shared/search-eval/ builds the ground truth from the corpus, runs
   bench/search/bantin-adapter.js and Pagefind's own adapter in headless Chromium
   (evaluate.mjs) and scores both runs together (score.py). Pagefind 1.6 (npm) indexes the
   article pages of the Hugo build of the same corpus (the theme in ../shared/bench/), the
   way the search-eval README shows.
Node packages (playwright-core, pagefind 1.6) are installed into bench/.cache/node. Results
go to SEARCH.md (or --out).
"""

import argparse
import json
import pathlib
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py: corpora, Hugo, measured runs)

REPO = bench.REPO
EVAL = bench.SHARED / "search-eval"
ARTICLE_PAGES = "{thoi-su,chinh-tri,kinh-te,xa-hoi,van-hoa,giao-duc,the-thao,dan-toc}/*/*/*/index.html"


def node_modules(cache: pathlib.Path) -> pathlib.Path:
    folder = cache / "node"
    modules = folder / "node_modules"
    if not (modules / "playwright-core").is_dir() or not (modules / "pagefind").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(folder),
                        "playwright-core", "pagefind@1.6"], check=True)
    return modules


def without_search(site: pathlib.Path) -> pathlib.Path:
    """The same site with `search: false`: its own bantin.yaml, the corpus's files linked."""
    folder = site.parent / f"{site.name}-no-search"
    folder.mkdir(exist_ok=True)
    for name in ("content", "themes"):
        link = folder / name
        if not link.is_symlink():
            link.symlink_to((site / name).resolve())
    config = (site / "bantin.yaml").read_text(encoding="utf-8")
    (folder / "bantin.yaml").write_text(config + "search: false\n", encoding="utf-8")
    return folder


def build_cost(args, site: pathlib.Path, outputs: bench.Outputs) -> tuple[dict, pathlib.Path]:
    """Medians of the builds with and without the index, and the last output with it on disk."""
    variants = {"with": site, "without": without_search(site)}
    results = {}
    memory = pathlib.Path("/dev/shm/bantin-search-bench")
    for place in ("disk", "memory"):
        runs = {name: [] for name in variants}
        for run in range(args.runs):
            # Which goes first alternates: on disk a build right after another one can be
            # slower (see `Outputs`), and neither should always pay for that.
            order = list(variants.items())
            if run % 2:
                order.reverse()
            for name, root in order:
                if place == "disk":
                    out = outputs.new(f"search-{name}")
                else:
                    # Memory has no such slowdown after a removal (see `Outputs`), and is scarce.
                    out = memory / name
                    shutil.rmtree(out, ignore_errors=True)
                runs[name].append(bench.run_measured(
                    [args.bantin, "build", "--root", str(root), "--output", str(out)]))
                if name == "with" and place == "disk":
                    built = out
        results[place] = {name: bench.median_of(r) for name, r in runs.items()}
    shutil.rmtree(memory, ignore_errors=True)
    index = built / "tim-kiem" / "chi-muc"
    results["index"] = bench.tree_stats(index) + (sum(1 for f in index.rglob("*") if f.is_file()),)
    return results, built


def evaluate(args, cache: pathlib.Path, site: pathlib.Path, built: pathlib.Path,
             outputs: bench.Outputs) -> tuple[str, dict]:
    modules = node_modules(cache)
    runs = cache / "search-eval"
    runs.mkdir(exist_ok=True)
    truth = runs / f"truth-{args.articles}.json"
    subprocess.run([sys.executable, str(EVAL / "build_truth.py"), str(site / "content"),
                    str(EVAL / "queries.tsv"), str(truth), "--check-site", str(built)], check=True)
    env = {**__import__("os").environ, "NODE_PATH": str(modules)}
    bantin_run = runs / f"bantin-{args.articles}.json"
    subprocess.run(["node", str(EVAL / "evaluate.mjs"), "--site", str(built),
                    "--adapter", str(REPO / "bench" / "search" / "bantin-adapter.js"),
                    "--queries", str(EVAL / "queries.tsv"), "--out", str(bantin_run),
                    "--index-dir", str(built / "tim-kiem")], check=True, env=env)
    hugo_site = bench.corpus(cache, args.articles, "hugo")
    hugo_out = outputs.new(f"hugo-{args.articles}")
    subprocess.run([bench.hugo_binary(cache), "--quiet", "--source", str(hugo_site),
                    "--themesDir", str(bench.HUGO_THEMES), "--theme", "hugo-theme",
                    "--destination", str(hugo_out / "public"), "--cacheDir", str(hugo_out / "cache")],
                   check=True)
    pagefind_out = runs / f"pagefind-{args.articles}"
    subprocess.run([sys.executable, str(EVAL / "index_pagefind.py"),
                    str(modules / ".bin" / "pagefind"), str(hugo_out / "public"), str(pagefind_out),
                    "--glob", ARTICLE_PAGES], check=True, stdout=subprocess.DEVNULL)
    pagefind_run = runs / f"pagefind-{args.articles}.json"
    subprocess.run(["node", str(EVAL / "evaluate.mjs"), "--site", str(hugo_out / "public"),
                    "--mount", f"/pagefind/={pagefind_out / 'pagefind'}",
                    "--adapter", str(EVAL / "adapters" / "pagefind.js"),
                    "--queries", str(EVAL / "queries.tsv"), "--out", str(pagefind_run),
                    "--index-dir", str(pagefind_out / "pagefind")], check=True, env=env)
    report = runs / f"report-{args.articles}.md"
    subprocess.run([sys.executable, str(EVAL / "score.py"), str(truth), str(bantin_run),
                    str(pagefind_run), "--md", str(report)], check=True, stdout=subprocess.DEVNULL)
    stats = json.loads((pagefind_out / "index-stats.json").read_text(encoding="utf-8"))
    return report.read_text(encoding="utf-8"), stats


def script_sizes() -> str:
    rows = []
    for name in ("engine.js", "ui.js"):
        data = (REPO / "themes" / "default" / "static" / "tim-kiem" / name).read_bytes()
        gz = len(__import__("gzip").compress(data, 9))
        rows.append(f"`{name}` {len(data) / 1024:.1f} KB ({gz / 1024:.1f} KB gzip)")
    return ", ".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bantin", default=str(REPO / "target" / "release" / "bantin"))
    parser.add_argument("--cache", default=str(REPO / "bench" / ".cache"))
    parser.add_argument("--out", default=str(REPO / "SEARCH.md"))
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    cache = pathlib.Path(args.cache)
    site = bench.corpus(cache, args.articles, "bantin")
    outputs = bench.Outputs(cache)
    cost, built = build_cost(args, site, outputs)
    quality, pagefind = evaluate(args, cache, site, built, outputs)
    outputs.remove()
    write(pathlib.Path(args.out), args, cost, quality, pagefind)
    print(pathlib.Path(args.out).read_text(encoding="utf-8"))


def write(path: pathlib.Path, args, cost: dict, quality: str, pagefind: dict) -> None:
    lines = [
        "# Search: bantin beside Pagefind",
        "",
        f"Corpus: `../shared/bench/gen_corpus.py --articles {args.articles} --seed 1`, the queries,"
        " ground truth and evaluator of `../shared/search-eval/` (headless Chromium, a fresh"
        " browser context per query for the cold figures). Machine: " + bench.machine() + ".",
        "",
        "## Quality and bytes",
        "",
        "bantin: the engine of the default theme's search page (`/tim-kiem/engine.js`), index"
        " written by `bantin build`. Pagefind 1.6.0 (npm), out of the box, indexing the article"
        " pages of the Hugo build of the same corpus. Cold KB counts every byte the browser"
        " fetched: script, index files and the data of the 10 results.",
        "",
        quality.split("\n", 1)[1].strip() if quality.startswith("#") else quality.strip(),
        "",
        "## What the index costs",
        "",
        "| build of the corpus | wall | CPU | peak memory |",
        "|---|---|---|---|",
    ]
    for place in ("disk", "memory"):
        for name in ("without", "with"):
            m = cost[place][name]
            lines.append(f"| {place}, {name} the index | {m['wall']:.2f} s | {m['cpu']:.2f} s | {m['rss']:.0f} MiB |")
    disk, memory = cost["disk"], cost["memory"]
    pages, size, files = cost["index"]
    lines += [
        "",
        f"The index adds {100 * (disk['with']['wall'] / disk['without']['wall'] - 1):+.0f}% wall time"
        f" on disk and {100 * (memory['with']['wall'] / memory['without']['wall'] - 1):+.0f}% in memory"
        f" (/dev/shm), {memory['with']['rss'] - memory['without']['rss']:.0f} MiB of memory; medians"
        f" of {args.runs} runs each way. Index: {files} files, {size / 2**20:.1f} MiB."
        f" Pagefind, indexing the built pages: {pagefind['wall_s']:.1f} s,"
        f" {pagefind['peak_rss_mib']:.0f} MiB peak, {pagefind['bundle_bytes'] / 2**20:.1f} MiB"
        f" in {pagefind['bundle_files']} files.",
        "",
        "Scripts of the search page: " + script_sizes() + ".",
        "",
        "Reproduce:",
        "",
        "```",
        "cargo build --release",
        f"python3 bench/search.py --articles {args.articles} --runs {args.runs}",
        "```",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
