"""Property-based tests (hypothesis): whatever the input, no exception escapes decoding,
segmentation, language ID, dedup or the JSON writer; segments cover the text; the JSON
always reads back as written. Derandomised, so CI runs are reproducible."""

from __future__ import annotations

import copy
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.dedup import mark_copies, normalise_text, shingles
from pipeline.ingest.encoding import UndecodableError, decode_bytes
from pipeline.langid import identify
from pipeline.model import Document
from pipeline.render.files import digest_json, write_atomic
from pipeline.segment import segment_document

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# news-like text: the scripts the pipeline reads, punctuation of each, spaces and newlines,
# plus the odd characters hostile input carries (zero-width, bidi controls, emoji, NUL)
ALPHABET = st.sampled_from(
    list("abcdefgXYZ ,.!?;:-'\"()\n\t0123456789") + list("新闻港务局。，！？「」") +
    list("ロッテルダムはがの、") + list("로테르담항만청은다.") +
    ["\u200b", "\u200d", "\u202e", "\ufeff", "\u3000", "\x00", "\U0001f600", "\u00ad", "\r"])
TEXT = st.text(ALPHABET, max_size=400)
ANY_TEXT = st.text(max_size=300)  # every code point Hypothesis draws (no surrogates)


@SETTINGS
@given(st.binary(max_size=600))
def test_decoding_any_bytes_gives_text_or_a_clear_refusal(data):
    try:
        decoded = decode_bytes(data)
    except UndecodableError as refusal:
        assert str(refusal)
        return
    assert isinstance(decoded.text, str) and "\x00" not in decoded.text
    assert "\r" not in decoded.text
    decoded.text.encode("utf-8")  # always writable


@SETTINGS
@given(st.text(ALPHABET, max_size=300), st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "shift_jis", "euc_kr"]))
def test_text_in_a_supported_encoding_comes_back(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # the encoding cannot carry these characters
    visible = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or not visible.strip():
        return  # NULs in a short text mean binary, by design (test above: a clear refusal)
    decoded = decode_bytes(data)  # legacy codecs are detected, not declared: must not fail
    if encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        return
    assert decoded.text.lstrip("\ufeff") == visible.lstrip("\ufeff") or decoded.warnings


def _covered(text: str, doc: Document) -> None:
    covered = bytearray(len(text))
    last = 0
    for seg in doc.segments:
        assert last <= seg.start < seg.end <= len(text)  # in order, never overlapping
        last = seg.end
        covered[seg.start:seg.end] = b"\x01" * (seg.end - seg.start)
    left = [i for i, c in enumerate(covered) if not c]
    assert all(_markup_or_space(text, i) for i in left), [text[i] for i in left]


_MARKUP = "•·●▪◦‣∙・*-#"  # bullets and heading marks the segmenter strips on purpose


def _markup_or_space(text: str, i: int) -> bool:
    ch = text[i]
    if ch.isspace() or not ch.isprintable() or ch in _MARKUP + "\u200b\ufeff\u00ad":
        return True
    line = text[text.rfind("\n", 0, i) + 1 : i + 1]  # a numbered bullet: "1." or "12)"
    return re.fullmatch(r"[^\S\n]*[#*•·-]*[^\S\n]*\d{1,2}[.)]?", line) is not None


@SETTINGS
@given(TEXT)
def test_segments_cover_the_text_in_order(text):
    doc = Document(id="p", text=text, source="p")
    segment_document(doc)
    _covered(text, doc)
    for seg in doc.segments:
        assert seg.text.strip() and seg.text == " ".join(seg.text.split())


@SETTINGS
@given(ANY_TEXT)
def test_any_text_segments_and_gets_a_language(text):
    doc = Document(id="p", text=text, source="p")
    segment_document(doc)
    _covered(text, doc)
    guess = identify(text)
    assert guess.lang in ("en", "zh", "ja", "ko", "und") and 0.0 <= guess.confidence <= 1.0
    assert identify(text) == guess  # deterministic


@SETTINGS
@given(st.text("ロッテルダムはがのア", min_size=1, max_size=50),
       st.text("로테르담항만청은다", min_size=1, max_size=50))
def test_kana_is_japanese_and_hangul_korean_whatever_else(kana, hangul):
    assert identify(kana).lang == "ja"
    assert identify(hangul).lang == "ko"


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_dedup_marks_only_later_copies_in_any_order(texts, rng):
    assert all(normalise_text(normalise_text(t)) == normalise_text(t) for t in texts)
    assert all(shingles(t) == shingles(t) for t in texts)
    docs = [Document(id=f"d{i}", text=t, source="p") for i, t in enumerate(texts)]
    docs += [Document(id=f"e{i}", text=t, source="p") for i, t in enumerate(texts)]
    for doc in docs:
        segment_document(doc)
        for seg in doc.segments:
            seg.role, seg.lang = "body", "en"
    shuffled = copy.deepcopy(docs)
    rng.shuffle(shuffled)
    mark_copies(docs)
    mark_copies(shuffled)
    first = {d.id: (d.duplicate_of, d.duplicate_kind) for d in docs}
    assert first == {d.id: (d.duplicate_of, d.duplicate_kind) for d in shuffled}
    for doc in docs:
        assert doc.duplicate_of != doc.id
        if doc.duplicate_of is not None:  # copies point at a kept document
            assert first[doc.duplicate_of][0] is None


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=20)


@SETTINGS
@given(st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=6))
def test_the_json_writer_round_trips(tmp_path_factory, data):
    text = digest_json(data)
    assert json.loads(text) == data
    path = tmp_path_factory.mktemp("json") / "digest.json"
    write_atomic(path, text)
    assert json.loads(path.read_text("utf-8")) == data
    assert [p.name for p in path.parent.iterdir()] == ["digest.json"]  # no temporary left


def test_the_json_writer_writes_strict_json():
    """A non-finite float (no stage produces one) becomes null, which every JSON reader
    accepts, where the json module would write the non-standard Infinity or NaN."""
    assert json.loads(digest_json({"a": float("inf"), "b": float("nan")})) == \
        {"a": None, "b": None}
