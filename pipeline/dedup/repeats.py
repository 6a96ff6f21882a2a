"""Sentences repeated inside one document (a scraper glitch, a pull quote, a body pasted twice).

A repeat points at its first occurrence, so it can never become a second summary sentence.
"""

from __future__ import annotations

from pipeline.dedup.text import normalise_text
from pipeline.model import Document


def mark_repeated_segments(doc: Document) -> int:
    """Point each repeated content sentence at its first occurrence; return how many."""
    first_seen: dict[str, int] = {}
    repeats = 0
    for index, seg in enumerate(doc.segments):
        if seg.role not in ("title", "body"):
            continue
        key = normalise_text(seg.text)
        if not key:
            continue
        if key in first_seen:
            seg.duplicate_of = first_seen[key]
            repeats += 1
        else:
            first_seen[key] = index
    return repeats
