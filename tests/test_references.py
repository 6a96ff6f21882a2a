"""The hand-written seed references are complete and point at real text.

They are the yardstick for digest quality, so a quote that no longer matches its seed or a
line left unlabelled would silently skew every score: these checks fail loudly instead.
"""

from __future__ import annotations

import re

import pytest

from newsdigest_eval.references import (
    LANGS,
    ROLES,
    SeedReferences,
    content_lines,
    line_of_span,
    line_spans,
    load_references,
    locate_quote,
    seed_text,
)
from tests.conftest import SEEDS

SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
HAN = re.compile(r"[\u4e00-\u9fff]")
# names Chinese text keeps in Latin script (the zh reference summaries write them so)
LATIN_ONLY = {"F-35", "Cove Capital"}


@pytest.fixture(scope="module")
def refs() -> SeedReferences:
    return load_references()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {doc_id: seed_text(doc_id) for doc_id in SEED_IDS}


def test_events_cover_known_documents(refs: SeedReferences) -> None:
    assert len(refs.events) == 4
    members = [d for ev in refs.events for d in ev.documents]
    assert sorted(members) == SEED_IDS  # each seed in exactly one event
    for ev in refs.events:
        assert ev.why


def test_summaries_present(refs: SeedReferences) -> None:
    for ev in refs.events:
        assert ev.summary["en"] == ev.summary.en and ev.summary["zh"] == ev.summary.zh
        assert ev.summary.en.strip() and ev.summary.zh.strip(), ev.name
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", ev.summary.en.strip())
        assert 3 <= len(sentences) <= 6, (ev.name, len(sentences))
        assert HAN.search(ev.summary.zh), ev.name
        assert "\n" not in ev.summary.en + ev.summary.zh
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", ev.summary.zh), ev.name


def test_facts_are_well_formed(refs: SeedReferences) -> None:
    ids = [f.id for ev in refs.events for f in ev.facts]
    assert len(ids) == len(set(ids))
    for ev in refs.events:
        assert len(ev.facts) >= 5, ev.name
        for fact in ev.facts:
            assert fact.text and fact.entities and fact.sources, fact.id
            assert 2 <= len(fact.keywords) <= 4, fact.id
            assert all(k == k.lower() for k in fact.keywords), fact.id
            # every entity and keyword carries a Chinese alias, so zh summaries can be scored
            for item in fact.entities + fact.keywords:
                assert HAN.search(item) or item in LATIN_ONLY, (fact.id, item)
            assert {s.document for s in fact.sources} <= set(ev.documents), fact.id


def test_quotes_are_found_on_content_lines(refs: SeedReferences, texts: dict[str, str]) -> None:
    for ev in refs.events:
        for fact in ev.facts:
            for src in fact.sources:
                text = texts[src.document]
                span = locate_quote(text, src.quote)
                assert span is not None, (fact.id, src.quote)
                assert " ".join(text[span[0] : span[1]].split()) == " ".join(src.quote.split())
                number = line_of_span(line_spans(text), *span)
                label = refs.documents[src.document].label(number)
                assert label is not None and label.role in ("title", "body"), (fact.id, number)


def test_numbers_appear_in_a_quote(refs: SeedReferences) -> None:
    for ev in refs.events:
        for fact in ev.facts:
            quotes = " ".join(" ".join(s.quote.split()) for s in fact.sources)
            for number in fact.numbers:
                assert number in quotes, (fact.id, number)


def test_every_nonempty_line_labelled_once(refs: SeedReferences, texts: dict[str, str]) -> None:
    assert sorted(refs.documents) == SEED_IDS
    for doc_id, text in texts.items():
        lines = content_lines(text)
        labelled = [lab.number for lab in refs.documents[doc_id].lines]
        assert len(labelled) == len(set(labelled)), doc_id
        assert set(labelled) == set(lines), (doc_id, set(labelled) ^ set(lines))
        for lab in refs.documents[doc_id].lines:
            assert lab.lang in LANGS and lab.role in ROLES, (doc_id, lab)
            assert lines[lab.number].startswith(lab.starts), (doc_id, lab.number)
            has_letters = any(ch.isalpha() for ch in lines[lab.number])
            assert (lab.lang == "und") != has_letters, (doc_id, lab.number)


def test_duplicates_and_dates_match_text(refs: SeedReferences, texts: dict[str, str]) -> None:
    assert refs.duplicates_within["001_b85f593ae8e40eb1"]
    for doc_id, pairs in refs.duplicates_within.items():
        assert tuple(pairs) == refs.documents[doc_id].duplicates_within
        lines = content_lines(texts[doc_id])
        for line, earlier in pairs:
            assert earlier < line and lines[line] == lines[earlier], (doc_id, line)
    assert refs.dates == {
        "000_4594a57c56833382": "2025-06-08",
        "003_82d14f98d0ce453e": "2025-06-09",
    }
    for doc_id, iso in refs.dates.items():
        assert iso in content_lines(texts[doc_id])[refs.date_lines[doc_id]], doc_id


def test_locate_quote_normalises_whitespace() -> None:
    text = "One\u00a0two\n\n  three four."
    assert locate_quote(text, "two three") == (4, 16)
    assert locate_quote(text, " One two ") == (0, 7)
    assert locate_quote(text, "absent") is None
    assert locate_quote(text, "  ") is None


def test_line_spans_match_nl_numbering() -> None:
    text = "a\n\nbb\r\nccc\n"
    spans = line_spans(text)
    assert spans == {1: (0, 1), 2: (2, 2), 3: (3, 5), 4: (7, 10)}
    assert content_lines(text) == {1: "a", 3: "bb", 4: "ccc"}
    assert line_of_span(spans, 8, 10) == 4
    assert line_of_span(spans, 40, 41) is None
