"""The feed commands: `sources check`, `fetch`, `store export|status` and `daily`."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

COMMANDS = ("sources", "fetch", "store", "daily")

CRON = """\
cron (every morning at 6:15):
  15 6 * * *  cd ~/news && newsdigest daily sources.toml --store store/ --out digests/ --quiet
"""


def _policy_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--concurrency", type=int, metavar="N",
                        help="requests in flight over all hosts (default 16, or [fetch])")
    parser.add_argument("--per-host-interval", type=float, metavar="S",
                        help="seconds between requests to one host (default 1.0)")
    parser.add_argument("--timeout", type=float, metavar="S",
                        help="seconds for one response, connect to last byte (default 30)")
    parser.add_argument("--quiet", action="store_true", help="no progress or summary lines")


def add_fetch_parsers(sub: argparse._SubParsersAction) -> None:
    sources = sub.add_parser("sources", help="check a sources file (TOML or OPML)",
                             description="Feeds are listed in a TOML file ([[feed]] tables: "
                             "url, outlet, lang, full_page; an optional [fetch] policy) or an "
                             "OPML export of any feed reader (docs/fetch.md).")
    sources_sub = sources.add_subparsers(dest="sources_command", required=True)
    check = sources_sub.add_parser("check", help="validate a sources file")
    check.add_argument("file", type=Path, metavar="FILE")

    fetch = sub.add_parser(
        "fetch", help="fetch feeds and article pages into an article store",
        description="Read every feed of SOURCES (RSS, Atom, JSON Feed), fetch the article "
        "pages of feeds that carry only teasers, and store each article once in "
        "DIR/articles.sqlite. Polite: robots.txt, a pace per host, conditional requests. "
        "Safe to interrupt: rerun to go on.")
    fetch.add_argument("sources", type=Path, metavar="SOURCES", help="TOML or OPML file")
    fetch.add_argument("--store", required=True, type=Path, metavar="DIR")
    _policy_flags(fetch)

    store = sub.add_parser("store", help="look into or export an article store")
    store_sub = store.add_subparsers(dest="store_command", required=True)
    export = store_sub.add_parser("export", help="every article to a Parquet file")
    export.add_argument("store", type=Path, metavar="DIR")
    export.add_argument("--parquet", required=True, type=Path, metavar="FILE")
    status = store_sub.add_parser("status", help="articles, feeds and their last fetch")
    status.add_argument("store", type=Path, metavar="DIR")

    daily = sub.add_parser(
        "daily", help="fetch, then the digest of what is new since the last one",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Fetch SOURCES into the store, then write OUT/YYYY-MM-DD/digest.* with "
        "the events that have an article new since the previous digest in OUT (found "
        "there automatically and used as --previous: NEW / UPDATED marks).\n\n" + CRON)
    daily.add_argument("sources", type=Path, metavar="SOURCES", help="TOML or OPML file")
    daily.add_argument("--store", required=True, type=Path, metavar="DIR")
    daily.add_argument("--out", required=True, type=Path, metavar="DIR")
    daily.add_argument("--langs", default=None, metavar="L1,L2")
    daily.add_argument("--config", type=Path, metavar="FILE")
    daily.add_argument("--today", metavar="YYYY-MM-DD",
                       help="the day the digest is filed under (default: today)")
    _policy_flags(daily)


def run_fetch_command(args: argparse.Namespace) -> int:
    from pipeline.fetch.sources import SourcesError

    try:
        if args.command == "sources":
            return _check(args.file)
        if args.command == "store":
            return _store(args)
        sources = _sources(args)
        if args.command == "fetch":
            return _fetch(args, sources)
        return _daily(args, sources)
    except (SourcesError, ValueError, OSError) as exc:
        print(f"newsdigest {args.command}: {exc}", file=sys.stderr)
        return 1


def _check(path: Path) -> int:
    from pipeline.fetch.sources import load_sources

    sources = load_sources(path)
    for line in sources.problems:
        print(line, file=sys.stderr)
    print(f"{path}: {len(sources.feeds)} feeds ok, {len(sources.problems)} problems")
    return 1 if sources.problems else 0


def _sources(args: argparse.Namespace):
    from pipeline.fetch.sources import load_sources

    sources = load_sources(args.sources)
    changes = {"concurrency": args.concurrency, "per_host_interval": args.per_host_interval,
               "timeout": args.timeout}
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes:
        sources.policy = dataclasses.replace(sources.policy, **changes)
    if not args.quiet:
        for line in sources.problems:
            print(f"newsdigest: {line}", file=sys.stderr)
    if not sources.feeds:
        raise ValueError(f"{args.sources}: no usable feed")
    return sources


def _report(summary, quiet: bool) -> None:
    for line in summary.problems:
        print(f"newsdigest: {line}", file=sys.stderr)
    if not quiet:
        for line in summary.lines():
            print(line, file=sys.stderr)


def _fetch(args: argparse.Namespace, sources) -> int:
    from pipeline.fetch.fetcher import fetch
    from pipeline.fetch.store import ArticleStore
    from pipeline.progress import ProgressBar

    store = ArticleStore(args.store)
    try:
        with ProgressBar(not args.quiet and sys.stderr.isatty()) as progress:
            summary = fetch(sources, store, progress)
    finally:
        store.close()
    _report(summary, args.quiet)
    if summary.feeds_failed == summary.feeds:
        return 1
    return 2 if summary.feeds_failed or summary.problems else 0


def _store(args: argparse.Namespace) -> int:
    from pipeline.fetch.store import ArticleStore

    store = ArticleStore(args.store, create=False)
    try:
        if args.store_command == "export":
            rows = store.export_parquet(args.parquet)
            print(f"{rows} articles -> {args.parquet}", file=sys.stderr)
            return 0
        for line in store.status_lines():
            print(line)
        return 0
    finally:
        store.close()


def _daily(args: argparse.Namespace, sources) -> int:
    from pipeline.config import Config
    from pipeline.daily import parse_day
    from pipeline.fetch.digests import daily_digest
    from pipeline.progress import ProgressBar

    config = Config.from_toml(args.config) if args.config else Config()
    if args.langs:
        config = config.with_overrides(langs=tuple(x.strip() for x in args.langs.split(",")))
    today = parse_day(args.today) if args.today else dt.date.today()
    show = not args.quiet and sys.stderr.isatty()
    with ProgressBar(show) as progress:
        result = daily_digest(sources, args.store, args.out, config, today, progress,
                              show_progress=show)
    _report(result.fetched, args.quiet)
    run = result.run
    for problem in run.problems:
        print(f"newsdigest: {problem}", file=sys.stderr)
    if not args.quiet:
        window = run.digest.window or {}
        counts = window.get("status_counts") or {}
        marks = ", ".join(f"{n} {s}" for s, n in counts.items()) if counts else "first digest"
        print(f"{result.new_documents} new articles, {len(run.digest.events)} events ({marks})"
              f" -> {result.folder}", file=sys.stderr)
    if result.fetched.feeds_failed == result.fetched.feeds:
        return 1
    return 2 if result.fetched.feeds_failed or result.fetched.problems else run.exit_code
