"""Paragraph and sentence segmentation on the seeds' real layouts."""

from __future__ import annotations

from pipeline.model import Document
from pipeline.segment import paragraphs, segment_document, sentences


def _texts(doc: Document) -> list[str]:
    return [s.text for s in doc.segments]


def test_offsets_point_into_the_original(seed_docs):
    for doc in seed_docs.values():
        for seg in doc.segments:
            original = " ".join(doc.text[seg.start : seg.end].split())
            assert seg.text.split()[0] in original, (doc.id, seg.text)
            assert seg.text.split()[-1] in original, (doc.id, seg.text)


def test_transcript_bullets_join_into_sentences(seed_docs):
    texts = _texts(seed_docs["000"])
    joined = (
        "Since returning to the White House, President Trump has made securing supply chains "
        "for these minerals a top priority."
    )
    assert joined in texts
    assert not any(t.startswith("•") for t in texts)


def test_inline_bullet_list_splits_into_items(seed_docs):
    texts = _texts(seed_docs["003"])
    assert "Group 2: U.S. Strategies and Challenges" in texts
    assert any(t.startswith("The Trump administration sought to diversify") for t in texts)
    assert any(t.startswith("The U.S. military heavily relies") for t in texts)


def test_headline_list_joined_by_double_spaces_splits(seed_docs):
    texts = _texts(seed_docs["000"])
    assert "Learn more about your ad choices." in texts
    assert "Trump Says He Discussed Trade, Rare Earths in Call With China’s Xi" in texts


def test_japanese_sentences_split_on_full_stop(seed_docs):
    texts = _texts(seed_docs["004"])
    assert "中国の希少金属輸出制限への懸念が高まる中、供給チェーンの安定化を目指す。" in texts


def test_english_abbreviations_do_not_split():
    assert len(sentences("The U.S. is scrambling. Mr. Smith said 3.5 billion.")) == 2


def test_each_line_is_a_paragraph_unless_it_continues():
    text = "First line is a sentence.\nSecond line starts\ncontinued here.\n\n• a bullet\n\n• goes on."
    paras = paragraphs(text)
    assert len(paras) == 3
    doc = Document(id="x", text=text, source="x")
    segment_document(doc)
    assert [s.text for s in doc.segments][-1] == "a bullet goes on."


def test_markdown_heading_marks_are_markup():
    doc = Document(id="m", text="# US launches minerals plan\n\nBody sentence here.", source="m")
    segment_document(doc)
    assert doc.segments[0].text == "US launches minerals plan"
