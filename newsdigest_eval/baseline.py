"""Regression guard: figures must not drop below the recorded baseline minus a tolerance.

`eval/baseline.json` records, per suite and limit, the figures measured when the baseline was
last accepted. A figure may fall by at most its tolerance (shares 0.02, chrF/BLEU points 1.0,
unless the file says otherwise); figures where lower is better (`lower_is_better`) may not
rise by more. `newsdigest eval --update-baseline` rewrites the entries it ran.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from newsdigest_eval.base import SuiteResult
from pipeline.paths import project_root

SHARE_TOLERANCE = 0.02
SCORE_TOLERANCE = 1.0
LOWER_IS_BETTER = ("untranslated_share", "seconds")


@dataclass(frozen=True)
class Regression:
    figure: str
    baseline: float
    value: float | None
    tolerance: float

    def __str__(self) -> str:
        now = "missing" if self.value is None else f"{self.value:.4f}"
        return (f"{self.figure}: {now} vs baseline {self.baseline:.4f} "
                f"(tolerance {self.tolerance})")


def default_tolerance(value: float) -> float:
    return SHARE_TOLERANCE if 0 <= value <= 1 else SCORE_TOLERANCE


def baseline_path() -> Path:
    return project_root() / "eval" / "baseline.json"


def load_baseline(path: Path | None = None) -> dict:
    path = path or baseline_path()
    if not path.exists():
        return {"schema": "newsdigest/baseline@1", "runs": []}
    return json.loads(path.read_text(encoding="utf-8"))


def entry_for(baseline: dict, suite: str, limit: int | None) -> dict | None:
    return next((r for r in baseline["runs"] if r["suite"] == suite and r["limit"] == limit),
                None)


def regressions(result: SuiteResult, entry: dict) -> list[Regression]:
    found = []
    tolerances = entry.get("tolerance", {})
    for name, base in entry["figures"].items():
        tol = tolerances.get(name, default_tolerance(base))
        value = result.figures.get(name)
        lower = name.endswith(LOWER_IS_BETTER)
        if value is None or (value > base + tol if lower else value < base - tol):
            found.append(Regression(name, base, value, tol))
    return found


def update_baseline(results: list[SuiteResult], limit: int | None,
                    path: Path | None = None) -> None:
    path = path or baseline_path()
    baseline = load_baseline(path)
    for result in results:
        old = entry_for(baseline, result.name, limit)
        if old is not None:
            baseline["runs"].remove(old)
        baseline["runs"].append({
            "suite": result.name,
            "limit": limit,
            "figures": {k: round(v, 4) for k, v in result.figures.items()},
        })
    baseline["runs"].sort(key=lambda r: (r["suite"], r["limit"] or 0))
    path.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
