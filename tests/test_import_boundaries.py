"""The product (`pipeline`) never imports the evaluation harness (`newsdigest_eval`): the
harness imports the product and adds `newsdigest eval` through an entry point."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HARNESS = "newsdigest_eval"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_product_module_imports_the_harness():
    offenders = {str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path)
                                                      if m.split(".")[0] == HARNESS)
                 for path in sorted((ROOT / "pipeline").rglob("*.py"))}
    assert not {k: v for k, v in offenders.items() if v}


def test_running_the_product_loads_no_harness_module():
    """Import the CLI and the stages and build its parser: the entry point names the
    harness's small CLI module, but nothing else of the harness (its metrics, suites,
    sacrebleu, matplotlib) loads until `newsdigest eval` runs."""
    code = ("import sys, pipeline.cli, pipeline.run, pipeline.batch.runner\n"
            "pipeline.cli._parser()\n"
            f"loaded = sorted(m for m in sys.modules if m.startswith('{HARNESS}') "
            f"and m not in ('{HARNESS}', '{HARNESS}.cli'))\n"
            "heavy = sorted(m for m in ('sacrebleu', 'matplotlib') if m in sys.modules)\n"
            "print(loaded, heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[] []", out


def test_eval_is_a_subcommand_the_harness_adds():
    from pipeline.cli import _parser

    parser = _parser()
    args = parser.parse_args(["eval", "--digest", "out/digest.json"])
    assert args.plugin.__name__ == f"{HARNESS}.cli"
