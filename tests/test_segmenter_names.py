"""Segmenter names as a document stage: found once per CJK sentence when the document is
processed, kept on its segments (and in a batch checkpoint), and read by an event worker
instead of segmenting the sentence again."""

from __future__ import annotations

import copy

import pytest

from pipeline.framing import actors
from pipeline.model import Document
from pipeline.run import process_document

_ZH = ("国家主席习近平在北京会见了来访的法国总统马克龙。\n"
       "双方讨论了气候变化和贸易问题，外交部发言人毛宁随后介绍了会谈情况。")
_JA = ("岸田文雄首相は東京で記者会見を開いた。\n"
       "松野博一官房長官も同席し、トヨタ自動車の新工場について説明した。")
_KO = ("윤석열 대통령은 서울에서 기자회견을 열었다.\n"
       "한덕수 국무총리도 참석해 삼성전자의 투자 계획을 설명했다.")


@pytest.fixture(scope="module")
def processed() -> list[Document]:
    docs = [Document(id=f"names-{n}", text=text, source=f"names-{n}")
            for n, text in enumerate((_ZH, _JA, _KO))]
    for doc in docs:
        process_document(doc)
    return docs


def test_the_document_stage_keeps_each_cjk_sentence_s_names(processed):
    found = set()
    for doc in processed:
        for _, seg in doc.content_segments:
            assert seg.names is not None, (doc.id, seg.text)
            assert seg.names == actors._segment_names(seg.text, seg.lang)
            found |= {a.surface for a in seg.names}
    assert {"习近平", "岸田文雄", "松野博一", "윤석열", "한덕수"} <= found


def test_an_event_worker_reads_the_kept_names_without_segmenting(processed, monkeypatch):
    """After a checkpoint round trip (pickled, as a task is) the kept names answer: the
    segmenters are not called, and the spans are the ones a fresh pass gives."""
    from pipeline.batch.state import _pack, _unpack

    docs = [_unpack(_pack(copy.deepcopy(d))) for d in processed]
    expected = {(seg.text, seg.lang): actors._segment_names(seg.text, seg.lang)
                for d in docs for _, seg in d.content_segments}
    monkeypatch.setattr(actors, "_KNOWN_NAMES", type(actors._KNOWN_NAMES)())

    def no_segmenter(text: str, lang: str):
        raise AssertionError(f"segmented again: {text}")

    monkeypatch.setattr(actors, "_segment_names", no_segmenter)
    actors.remember_segment_names(docs)
    named = set()
    for (text, lang), names in expected.items():
        assert actors.segmenter_names(text, lang) == names
        named |= {a.surface for a in actors.actor_spans(text, lang) if a.key.startswith("name:")}
    assert {"岸田文雄", "윤석열"} <= named  # the spans the framing reads, from kept names


def test_a_sentence_no_stage_has_seen_is_segmented_and_remembered(monkeypatch):
    monkeypatch.setattr(actors, "_KNOWN_NAMES", type(actors._KNOWN_NAMES)())
    calls = []
    real = actors._segment_names

    def counted(text: str, lang: str):
        calls.append(text)
        return real(text, lang)

    monkeypatch.setattr(actors, "_segment_names", counted)
    text = "李强总理在上海会见了德国总理朔尔茨。"
    first = actors.segmenter_names(text, "zh")
    assert actors.segmenter_names(text, "zh") == first and calls == [text]
    assert "李强" in {a.surface for a in first}
