"""Evaluation output: a terminal table, a Markdown report with PNG charts, a JSON of figures.

The JSON (`newsdigest/eval@1`) holds every figure and row; Markdown and charts are views of it,
as with the digest. Charts are drawn with matplotlib's Agg backend (no display needed).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from newsdigest_eval.base import SuiteResult

SCHEMA = "newsdigest/eval@1"
MAX_ROWS = 40
MAX_TABLE_ROWS = 12


def results_to_dict(results: list[SuiteResult], meta: dict[str, Any] | None = None) -> dict:
    figures = {k: v for r in results for k, v in r.figures.items()}
    return {"schema": SCHEMA, "meta": meta or {}, "figures": figures,
            "suites": [asdict(r) for r in results]}


def print_table(results: list[SuiteResult], console=None) -> None:
    import sys

    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=None if sys.stdout.isatty() else 160)
    for result in results:
        table = Table(title=f"{result.name} ({result.seconds:.1f} s)", title_justify="left")
        table.add_column("figure")
        table.add_column("value", justify="right")
        for name, value in result.figures.items():
            table.add_row(name, _fmt(value))
        console.print(table)
        rows = [r for r in result.rows if r.keys() == result.rows[0].keys()][:MAX_TABLE_ROWS]
        if rows:
            detail = Table(title=f"{result.name}: per item", title_justify="left")
            for key in rows[0]:
                detail.add_column(key, justify="right" if isinstance(rows[0][key], float)
                                  else "left")
            for row in rows:
                detail.add_row(*(_fmt(v) for v in row.values()))
            console.print(detail)
        for note in result.notes:
            console.print(f"  note: {note}")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) <= 1 else f"{value:.2f}"
    return str(value)


def _scale_groups(figures: dict[str, float]) -> list[tuple[str, dict[str, float]]]:
    """Shares (0–1) and scores (chrF/BLEU, 0–100) go on separate charts."""
    shares = {k: v for k, v in figures.items()
              if 0 <= v <= 1 and not k.endswith((".chrf", ".bleu"))}
    scores = {k: v for k, v in figures.items() if k not in shares}
    return [(label, group) for label, group in (("share", shares), ("score", scores)) if group]


def draw_charts(result: SuiteResult, out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    for label, group in _scale_groups(result.figures):
        names = list(group)
        height = max(2.0, 0.32 * len(names) + 1)
        fig, ax = plt.subplots(figsize=(8, height))
        ax.barh(range(len(names)), [group[n] for n in names], color="#4c72b0")
        ax.set_yticks(range(len(names)), labels=names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1 if label == "share" else max(100.0, max(group.values())))
        ax.set_title(f"{result.name}: {label}s")
        for i, name in enumerate(names):
            ax.text(group[name], i, f" {_fmt(group[name])}", va="center", fontsize=7)
        fig.tight_layout()
        path = out_dir / f"chart-{result.name}-{label}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def render_markdown(results: list[SuiteResult], charts: dict[str, list[Path]]) -> str:
    lines = ["# newsdigest evaluation", ""]
    for result in results:
        lines += [f"## {result.name}", "", f"{result.seconds:.1f} s", "",
                  "| figure | value |", "|---|---:|"]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in result.figures.items()]
        lines.append("")
        lines += [f"![{p.stem}]({p.name})" for p in charts.get(result.name, [])]
        if result.rows:
            keys = list(dict.fromkeys(k for row in result.rows[:MAX_ROWS] for k in row))
            lines += ["", "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
            for row in result.rows[:MAX_ROWS]:
                cells = [_fmt(row.get(k, "")).replace("|", "\\|").replace("\n", " ")
                         for k in keys]
                lines.append("| " + " | ".join(cells) + " |")
            if len(result.rows) > MAX_ROWS:
                lines.append(f"\n({len(result.rows) - MAX_ROWS} more rows in report.json)")
        if result.notes:
            lines += [""] + [f"- {n}" for n in result.notes]
        lines.append("")
    return "\n".join(lines)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_report(results: list[SuiteResult], out_dir: Path, json_path: Path | None = None,
                 meta: dict[str, Any] | None = None) -> list[Path]:
    """report.md + chart PNGs + report.json (or `json_path`) into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = {r.name: draw_charts(r, out_dir) for r in results}
    json_path = json_path or out_dir / "report.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(json_path, json.dumps(results_to_dict(results, meta), ensure_ascii=False,
                                        indent=2) + "\n")
    md = out_dir / "report.md"
    _atomic_write(md, render_markdown(results, charts))
    return [md, json_path, *(p for paths in charts.values() for p in paths)]
