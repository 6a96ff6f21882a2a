"""The dedup suite: a seeded set of copies, padded, trimmed, reprinted, restyled and translated
articles, scored per kind, with same-event articles and other NTREX articles kept apart."""

from __future__ import annotations

import random

import pytest

from newsdigest_eval.public_dedup import KINDS, KNOWN, UNKNOWN, _fill
from pipeline.model import Document
from tests.conftest import EVALDATA

LIMIT = 40  # 20 ECB+ bases + 20 variants, 4 NTREX articles × 5 versions: about ten seconds
BODY = ("The harbour authority said on Tuesday that the new pier will open next spring.",
        "Work on the pier started two years ago and has cost more than it was meant to.",
        "Local fishermen said they welcome the extra berths but worry about the fees.")


def _need(*folders: str) -> None:
    missing = [f for f in folders if not (EVALDATA / f).is_dir()]
    if missing:
        pytest.skip(f"evaldata not present: {', '.join(missing)}")


@pytest.fixture(scope="module")
def dedup_set():
    _need("ecbplus-event-clusters", "ntrex128")
    from newsdigest_eval.public_dedup import build_set

    return build_set(LIMIT)


@pytest.fixture(scope="module")
def suite():
    _need("ecbplus-event-clusters", "ntrex128")
    from newsdigest_eval.public import dedup_suite

    return dedup_suite(LIMIT)


def _padded_roles(block: list[str]) -> list[str]:
    """Roles the cleaner gives a block of site lines at the foot of a short article."""
    from pipeline.run import process_document

    text = "\n".join(["Pier to open next spring, harbour authority says", *BODY, *block])
    doc = Document(id="padded", text=text, source="test")
    process_document(doc)
    return [seg.role for seg in doc.segments if not any(seg.text in line for line in BODY)
            and seg.role != "title"]


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_lines_are_cleaned_and_unknown_lines_are_not(name):
    rng = random.Random(0)
    for block in KNOWN[name]:
        roles = _padded_roles(_fill(block, "Lakeside Ledger", "2013", rng))
        assert roles and all(r in ("boilerplate", "related") for r in roles), (block, roles)
    for block in UNKNOWN[name]:
        roles = _padded_roles(_fill(block, "Lakeside Ledger", "2013", rng))
        assert roles and all(r == "body" for r in roles), (block, roles)


def test_dedup_set_is_seeded_and_has_every_kind(dedup_set):
    from newsdigest_eval.public import build_dedup_set

    docs, variants, _ = build_dedup_set(LIMIT)
    again, _, _ = build_dedup_set(LIMIT)
    assert [d.id for d in docs] == [d.id for d in again]  # seeded: same set every run
    assert [d.text for d in docs] == [d.text for d in again]
    assert [d.id for d in docs] == [d.id for d in dedup_set.docs]
    assert {kind for kind, _ in variants.values()} == set(KINDS)
    ecb = [d for d in docs if not d.source.startswith("ntrex128:")]
    assert len(ecb) == LIMIT and sum("~" in d.id for d in ecb) == LIMIT // 2
    assert dedup_set.ntrex_articles == 4
    translations = {v: b for v, (k, b) in variants.items() if k == "translation"}
    assert len(translations) == 4 * 4 and all(b.endswith(".en") for b in translations.values())
    assert {v.rsplit(".", 1)[1] for v in translations} == {"zh", "zh-TW", "ja", "ko"}
    assert [d.id for d in docs] != sorted(d.id for d in docs)  # shuffled


def test_variants_are_built_as_described(dedup_set):
    by_id = {d.id: d for d in dedup_set.docs}
    padding = set()
    for variant, (kind, base) in dedup_set.variants.items():
        v, b = by_id[variant].text.split("\n"), by_id[base].text.split("\n")
        if kind == "exact":
            assert v == b and by_id[variant].outlet == by_id[base].outlet
        elif kind == "trimmed":
            assert v == b[: len(v)] and len(b) - 1 <= 2 * len(v) < 2 * len(b)
        elif kind == "reprint":
            assert by_id[variant].outlet != by_id[base].outlet
            # another headline, maybe a dateline on the lead: every other line as it was
            assert v != b and len(set(b) - set(v)) <= 2 and len(set(v) - set(b)) <= 2
        elif kind == "boilerplate":
            assert set(b) < set(v)  # every line of the article is still there
            padding.add(dedup_set.details[variant].split()[0])
    assert padding == {"known", "unknown"}


def test_dedup_suite_finds_copies_and_keeps_other_articles_apart(suite):
    figures = suite.figures
    for kind in KINDS:
        for metric in ("precision", "recall", "f1"):
            assert 0.0 <= figures[f"dedup.{kind}.{metric}"] <= 1.0
    assert figures["dedup.exact.recall"] == 1.0
    assert figures["dedup.reprint.recall"] == 1.0
    assert figures["dedup.boilerplate.recall"] >= 0.75
    assert figures["dedup.translation.recall"] >= 0.75  # most NTREX versions are linked
    # hard negatives: other articles on the same event, versions of other NTREX articles
    assert figures["dedup.ecbplus.same_event.kept_apart_share"] == 1.0
    assert figures["dedup.ntrex.other_article.kept_apart_share"] == 1.0
    assert figures["dedup.pair_precision"] == 1.0
    assert len(suite.rows) == LIMIT // 2 + 4 * 4
    assert {row["kind"] for row in suite.rows} == set(KINDS)
    found = [row for row in suite.rows if row["found"] and row["kind"] == "exact"]
    assert found and all(row["duplicate_kind"] == "exact" for row in found)
    confusion = [n for n in suite.notes if n.startswith("confusion ")]
    assert len(confusion) == len(KINDS)
    assert any(n.startswith("confusion translation") and "translation" in n.split(":", 1)[1]
               for n in confusion)


def test_number_variant_restyles_one_number_and_keeps_its_value():
    from newsdigest_eval.public_dedup import _NUMBER, _number, _reformat_number

    text = "At 4:59 a 33-year-old, 5% off, 20,000 people, 2.6 points, 3 men, 12345 votes in 2013"
    found = [(m.group(), _reformat_number(m.group())) for m in _NUMBER.finditer(text)]
    assert found == [("20,000", "20000"), ("2.6", "2.60"), ("3", "three"), ("12345", "12,345")]
    assert _reformat_number("33") == "thirty-three"
    lines = ["Headline 7", "Tara Reid, 33, entered rehab on May 2, 2013."]
    variants = {_number(lines, random.Random(seed))[1] for seed in range(20)}
    assert variants == {"Tara Reid, thirty-three, entered rehab on May 2, 2013.",
                        "Tara Reid, 33, entered rehab on 2 May 2013."}
    # a dateline label is never restyled; a number opening a sentence is spelled capitalised
    lines = ["Headline 7", "22 Jul 2013", "12 people were hurt."]
    assert {tuple(_number(lines, random.Random(seed))) for seed in range(5)} == {
        ("Headline 7", "22 Jul 2013", "Twelve people were hurt.")}
