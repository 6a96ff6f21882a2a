"""`newsdigest eval`: the harness's subcommand, added to the product's CLI through the
entry-point group `newsdigest.commands` (pyproject.toml), so the product never imports the
harness. This module stays light; the metrics and their dependencies (the `eval` extra)
load when the command runs."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXTRA = ("sacrebleu", "matplotlib")  # what the `eval` extra brings: MT metrics, report charts
EVAL_HELP = """\
Score output against references.
  newsdigest eval --digest out/digest.json       the seed digest vs eval/references/
  newsdigest eval --suite all --limit 200        every suite on public test sets
Suites: seeds (run the pipeline on seeds/ and score it), translation (chrF/BLEU on FLORES-200
and NTREX-128, zh/ja/ko -> en), clustering (ECB+ events), linking (NTREX articles across
en/zh/ja/ko end in one event), dedup (exact/near copies built from ECB+).
Writes a table to the terminal, OUT/report.md with PNG charts and OUT/report.json.
exit codes: 0 done; 1 bad option or missing data; 3 a figure fell below the baseline.
"""


def run(args: argparse.Namespace) -> int:
    """`newsdigest eval`: score, report, and guard the baseline."""
    from importlib.util import find_spec

    missing = [name for name in EXTRA if find_spec(name) is None]
    if missing:
        print(f"newsdigest eval: {', '.join(missing)} missing; install the harness's extra: "
              "pip install 'newsdigest[eval]'", file=sys.stderr)
        return 1
    from newsdigest_eval.baseline import entry_for, load_baseline, regressions, update_baseline
    from newsdigest_eval.report import print_table, write_report
    from newsdigest_eval.suites import run_suites
    from pipeline.progress import ProgressBar

    if not args.digest and not args.suite:
        print("newsdigest eval: give --digest PATH or --suite NAME", file=sys.stderr)
        return 1
    names = [n.strip() for s in (args.suite or []) for n in s.split(",") if n.strip()]
    try:
        with ProgressBar(sys.stderr.isatty()) as progress:
            results = run_suites(names, args.limit, progress) if names else []
            if args.digest:
                from newsdigest_eval.seed_suite import seed_suite

                start = time.perf_counter()
                scored = seed_suite(digest_path=args.digest, progress=progress)
                scored.seconds = round(time.perf_counter() - start, 2)
                results.insert(0, scored)
    except (ValueError, FileNotFoundError) as exc:
        print(f"newsdigest eval: {exc}", file=sys.stderr)
        return 1
    print_table(results)
    paths = write_report(results, args.report, args.json,
                         meta={"limit": args.limit, "digest": str(args.digest or "")})
    print("report: " + ", ".join(str(p) for p in paths[:2]), file=sys.stderr)
    if args.update_baseline:
        update_baseline(results, args.limit)
    if args.check_baseline:
        baseline = load_baseline()
        found = [r for res in results
                 if (entry := entry_for(baseline, res.name, args.limit))
                 for r in regressions(res, entry)]
        for regression in found:
            print(f"regression: {regression}", file=sys.stderr)
        if found:
            return 3
    return 0


def add_parser(sub) -> None:
    """The `eval` subcommand and its options, on the product's subparsers."""
    ev = sub.add_parser("eval", help="score a digest or the pipeline's stages",
                        description=EVAL_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("--digest", type=Path, metavar="JSON",
                    help="score this digest.json against the seed references")
    ev.add_argument("--suite", action="append", metavar="NAME",
                    help="seeds, translation, clustering, linking, dedup or all (repeatable)")
    ev.add_argument("--limit", type=int, metavar="N", help="items per public suite")
    ev.add_argument("--json", type=Path, metavar="PATH", help="write every figure here")
    ev.add_argument("--report", type=Path, default=Path("out/eval"), metavar="DIR",
                    help="folder for report.md and charts (default: out/eval/)")
    ev.add_argument("--check-baseline", action="store_true",
                    help="exit 3 when a figure falls below eval/baseline.json minus tolerance")
    ev.add_argument("--update-baseline", action="store_true",
                    help="record these figures as the new baseline for this --limit")
