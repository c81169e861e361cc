#!/usr/bin/env python3
"""Time from saving one article to the live-reload event of `bantin serve`.

Usage: python3 bench/serve_latency.py CORPUS_DIR [--runs 10] [--bantin target/release/bantin]

CORPUS_DIR is a site (bantin.yaml + content/), e.g. made by
`python3 ../shared/bench/gen_corpus.py --articles 10000 --seed 1 --photos --out DIR`
with a bantin.yaml and themes/ beside content/ (bench/run.sh prepares one).
Each run edits the body of one article (write to a temporary file, then rename, as editors
do), and waits for `event: reload` on /__bantin/events. Prints each time and the median.
"""

import argparse
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(port: int, deadline: float) -> None:
    """Waits until the first build is served (the port opens before it is done)."""
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=600) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("bantin serve did not start")


def open_events(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /__bantin/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    sock.settimeout(60)
    return sock


def wait_event(sock: socket.socket, buffer: bytearray, name: bytes) -> float:
    marker = b"event: " + name
    while marker not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("event stream closed")
        buffer.extend(chunk)
    at = time.perf_counter()
    del buffer[: buffer.index(marker) + len(marker)]
    return at


def main() -> None:
    # A `timeout` or Ctrl-C still restores the edited article (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--bantin", default="target/release/bantin")
    args = parser.parse_args()
    site = pathlib.Path(args.site)
    articles = sorted(site.glob("content/thoi-su/2024/*/*.md"))
    if not articles:
        articles = sorted(p for p in site.glob("content/**/*.md") if p.name != "_index.md")
    article = articles[len(articles) // 2]
    original = article.read_bytes()
    port = free_port()
    server = subprocess.Popen(
        [args.bantin, "serve", "--root", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_server(port, time.time() + 300)
        sock = open_events(port)
        buffer = bytearray()
        time.sleep(1)
        times = []
        for run in range(args.runs):
            text = original.decode() + f"\nĐoạn thêm lần {run}.\n"
            temporary = article.with_name("." + article.name + ".tmp")
            temporary.write_text(text, encoding="utf-8")
            saved = time.perf_counter()
            os.replace(temporary, article)
            reloaded = wait_event(sock, buffer, b"reload")
            times.append((reloaded - saved) * 1000)
            time.sleep(0.5)
            buffer.clear()
        print("article:", article.relative_to(site))
        print("save → reload (ms):", " ".join(f"{t:.0f}" for t in times))
        print(f"median: {statistics.median(times):.0f} ms over {len(times)} saves")
    finally:
        article.write_bytes(original)
        server.terminate()
        output, _ = server.communicate(timeout=30)
        lines = output.decode(errors="replace").splitlines()
        print("serve said:", *lines[-4:], sep="\n  ")


if __name__ == "__main__":
    main()
