"""What every evaluation suite returns: named figures plus per-item rows for the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SuiteResult:
    """One suite's outcome.

    `figures` are the headline numbers (flat names such as `translation.flores.zh-en.chrf`
    → value), compared against eval/baseline.json; `rows` are per-item details (one dict per
    event, language pair, document...) that the report tabulates; `notes` say what was
    skipped or approximated, in words.
    """

    name: str
    figures: dict[str, float] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
