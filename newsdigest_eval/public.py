"""Suites on public test sets: translation (FLORES-200, NTREX-128), event clustering (ECB+),
cross-lingual linking (NTREX-128) and document dedup (synthetic copies of ECB+ articles).

Each suite takes `limit` (how much of the set to use; None = all) and a `progress` callback
`(label, done, total)`, and returns a SuiteResult. The data is read from `evaldata_dir()`;
a missing folder raises FileNotFoundError naming it. The suites live in `public_*.py`.
"""

from __future__ import annotations

from newsdigest_eval.public_data import Progress
from newsdigest_eval.public_dedup import build_dedup_set, dedup_suite
from newsdigest_eval.public_events import clustering_suite, linking_suite
from newsdigest_eval.public_translation import translation_suite

__all__ = [
    "Progress",
    "build_dedup_set",
    "clustering_suite",
    "dedup_suite",
    "linking_suite",
    "translation_suite",
]
