"""Suites by name; `all` runs every one. Adding a suite touches one line in `SUITES`."""

from __future__ import annotations

import time
from collections.abc import Callable

from newsdigest_eval.base import SuiteResult

Progress = Callable[[str, int, int], None] | None


def _seeds(limit: int | None, progress: Progress) -> SuiteResult:
    from newsdigest_eval.seed_suite import seed_suite

    return seed_suite(progress=progress)


def _translation(limit: int | None, progress: Progress) -> SuiteResult:
    from newsdigest_eval.public import translation_suite

    return translation_suite(limit, progress)


def _clustering(limit: int | None, progress: Progress) -> SuiteResult:
    from newsdigest_eval.public import clustering_suite

    return clustering_suite(limit, progress)


def _linking(limit: int | None, progress: Progress) -> SuiteResult:
    from newsdigest_eval.public import linking_suite

    return linking_suite(limit, progress)


def _dedup(limit: int | None, progress: Progress) -> SuiteResult:
    from newsdigest_eval.public import dedup_suite

    return dedup_suite(limit, progress)


SUITES: dict[str, Callable[[int | None, Progress], SuiteResult]] = {
    "seeds": _seeds,
    "translation": _translation,
    "clustering": _clustering,
    "linking": _linking,
    "dedup": _dedup,
}


def run_suites(names: list[str], limit: int | None, progress: Progress = None) -> list[SuiteResult]:
    if names == ["all"]:
        names = list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise ValueError(f"unknown suite {unknown[0]!r}; known: all, {', '.join(SUITES)}")
    results = []
    for name in names:
        start = time.perf_counter()
        try:
            result = SUITES[name](limit, progress)
        except FileNotFoundError as exc:  # evaldata absent: say so, run the other suites
            result = SuiteResult(name=name, notes=[f"skipped: {exc}"])
        result.seconds = round(time.perf_counter() - start, 2)
        results.append(result)
    return results
