"""`newsdigest fetch` on a local news network: 2,000 article pages from 50 feeds.

Ten HTTP servers on 127.0.0.1 (ten hosts, each with its own pace and slots) serve five
feeds each (RSS 2.0 with teasers only, so every page is fetched) of 40 pages each. Pages are
the test site's articles (tests/feedsite: en, zh, ja, ko, with navigation, a sidebar, an
AI-summary box and a footer) in their outlets' encodings (UTF-8, GBK, Shift_JIS, EUC-KR),
each made unique by one sentence. Every response waits `--latency` seconds before it is
sent, as a distant server would: the fetcher must overlap those waits (concurrency), not
wait for one page at a time.

The fetch runs in a fresh subprocess (its peak RSS, with its extraction workers, is its
own); the servers run in this process. Prints pages per second, requests, MB, peak RSS,
and a second fetch (all feeds answer 304).

usage: python benchmarks/fetch.py [--feeds 50] [--pages 40] [--hosts 10] [--latency 0.05]
                                  [--concurrency 32] [--per-host 4]
"""

from __future__ import annotations

import argparse
import html
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from feed_server import OUTLETS, load_articles, page_html


class _Network:
    """Pages and feeds of every host, made once (the servers only look them up)."""

    def __init__(self, feeds: int, pages: int, hosts: int) -> None:
        self.articles = load_articles()
        self.feeds, self.pages, self.hosts = feeds, pages, hosts
        self.bodies: list[dict[str, tuple[bytes, str]]] = [{} for _ in range(hosts)]

    def build(self, bases: list[str]) -> None:
        outlets = list(OUTLETS)
        for feed in range(self.feeds):
            host = feed % self.hosts
            base = bases[host]
            outlet = outlets[feed % len(outlets)]
            encoding = OUTLETS[outlet][2]
            own = [a for a in self.articles if a.outlet == outlet]
            items = []
            for n in range(self.pages):
                article = own[n % len(own)]
                path = f"/feed{feed}/page{n}.html"
                unique = f"Page {feed}-{n}."  # one text per page: no content-hash repeats
                copy = type(article)(**{**article.__dict__,
                                        "paragraphs": [*article.paragraphs, unique]})
                body = page_html(copy, base, encoding).replace(article.path, path)
                self.bodies[host][path] = (body.encode(encoding, "replace"),
                                           f"text/html; charset={encoding}")
                items.append(f"<item><title>{html.escape(article.title)} ({n})</title>"
                             f"<link>{base}{path}</link><pubDate>Mon, 07 Dec 2026 "
                             f"{n % 24:02d}:00:00 +0900</pubDate><description>"
                             f"{html.escape(article.teaser)}</description></item>")
            feed_xml = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                        f"<title>{outlet} {feed}</title><link>{base}/</link>"
                        f"{''.join(items)}</channel></rss>")
            self.bodies[host][f"/feed{feed}.xml"] = (feed_xml.encode(), "application/rss+xml")

    def sources(self, bases: list[str], folder: Path, args: argparse.Namespace) -> Path:
        lines = [f'[[feed]]\nurl = "{bases[f % self.hosts]}/feed{f}.xml"\n'
                 f'outlet = "Outlet {f}"\n' for f in range(self.feeds)]
        lines.append(f"[fetch]\nconcurrency = {args.concurrency}\n"
                     f"per_host_concurrency = {args.per_host}\nper_host_interval = 0.0\n"
                     f"max_entries = {self.pages}\n")
        path = folder / "sources.toml"
        path.write_text("\n".join(lines), "utf-8")
        return path


def _server(bodies: dict[str, tuple[bytes, str]], latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(latency)
            found = bodies.get(self.path)
            if self.path == "/robots.txt" or found is None:
                body, kind, status = b"", "text/plain", 404
            else:
                (body, kind), status = found, 200
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    return server


def _fetch(sources: Path, store: Path) -> tuple[float, int, str]:
    """One `newsdigest fetch` in a fresh process: seconds, peak RSS (KB), its summary."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "fetch", str(sources),
                           "--store", str(store)], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"fetch failed (exit {done.returncode})")
    return seconds, max(peak, before), done.stderr.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--per-host", type=int, default=4)
    args = parser.parse_args()
    network = _Network(args.feeds, args.pages, args.hosts)
    # each server looks its paths up in its host's dict, filled once the ports are known
    servers = [_server(bodies, args.latency) for bodies in network.bodies]
    bases = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    network.build(bases)
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = args.feeds * args.pages
    with tempfile.TemporaryDirectory() as tmp:
        sources = network.sources(bases, Path(tmp), args)
        seconds, peak, summary = _fetch(sources, Path(tmp) / "store")
        again, _, summary_again = _fetch(sources, Path(tmp) / "store")
    for server in servers:
        server.shutdown()
    result = {"feeds": args.feeds, "pages": pages, "hosts": args.hosts,
              "latency_s": args.latency, "concurrency": args.concurrency,
              "per_host": args.per_host, "seconds": round(seconds, 1),
              "pages_per_s": round(pages / seconds, 1),
              "one_at_a_time_s": round(pages * args.latency, 1),
              "peak_rss_mb": round(peak / 1024), "second_fetch_s": round(again, 1)}
    print(summary)
    print(summary_again.splitlines()[0] if summary_again else "")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
