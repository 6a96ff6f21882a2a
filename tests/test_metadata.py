"""Publication dates from the page: header labels, else the title and lead, never history."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.model import Document
from pipeline.run import process_document


def _ecbplus(evaldata, doc_id: str) -> Document:
    from newsdigest_eval.public_data import read_ecbplus

    if not (evaldata / "ecbplus-event-clusters").exists():
        pytest.skip("evaldata not present")
    record = next(r for r in read_ecbplus(None) if r["id"] == doc_id)
    doc = Document(id=doc_id, text=record["text"], source="ecbplus")
    process_document(doc)
    return doc


def test_a_date_in_the_story_is_not_the_publication_date(evaldata):
    """Mark Felt's obituary (2008) recalls 'On Tuesday, Oct. 10, 1972, Washington awoke to
    this startling news' in its fourth sentence: that is history, not the day it ran."""
    doc = _ecbplus(evaldata, "28_1ecb")
    assert "Oct. 10, 1972" in doc.text
    assert doc.date is None


def test_a_date_in_the_title_line_is_taken(evaldata):
    doc = _ecbplus(evaldata, "14_1ecbplus")  # "21 July 2013 Last updated at 11:11 GMT"
    assert doc.date == dt.date(2013, 7, 21)


def test_a_dateline_in_the_lead_is_taken():
    doc = Document(id="lead", source="t", text=(
        "Quake shakes Sonoma County\n"
        "SANTA ROSA, Calif., March 14, 2013 - A magnitude 4.6 earthquake struck early Thursday.\n"
        "No damage was reported.\n"))
    process_document(doc)
    assert doc.date == dt.date(2013, 3, 14)
