"""Limits against hostile input: file and record size, segments per document, documents per
event. Each is a Config field and says, where it bites, what was cut and which limit did it."""

from __future__ import annotations

import copy
import json

import pytest

from pipeline.config import Config
from pipeline.framing import frame_event
from pipeline.ingest import read_inputs
from pipeline.ingest.stream import iter_inputs
from pipeline.run import process_document, processing_warnings
from pipeline.summarize import LIMIT_NOTE, summarize_event
from pipeline.translate import TranslationRouter


def test_limits_must_be_positive():
    for name in ("max_file_mb", "max_segments", "max_event_documents"):
        with pytest.raises(ValueError, match=name):
            Config(**{name: 0})


def test_a_file_over_the_size_limit_is_skipped_before_it_is_read(tmp_path):
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text("Tokyo stocks rose. " * 60_000, "utf-8")  # 1.1 MB
    small.write_text("Tokyo stocks rose on Monday.", "utf-8")
    result = read_inputs([tmp_path], max_mb=1)
    assert [d.id for d in result.documents] == ["small"]
    [problem] = result.problems
    assert problem.fatal and problem.path.endswith("big.txt")
    assert "file too large (1.1 MB; limit max_file_mb = 1), skipped" in str(problem)


def test_the_size_limit_applies_to_each_record_of_an_archive(tmp_path):
    archive = tmp_path / "feed.jsonl"
    rows = [{"id": "a", "text": "Short news."}, {"id": "b", "text": "x " * 600_000},
            {"id": "c", "text": "More news."}]
    archive.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    whole = read_inputs([archive], max_mb=1)
    streamed = list(iter_inputs([archive], max_mb=1))
    for docs, problems in (
        (whole.documents, whole.problems),
        ([i.document for i in streamed if i.document], [p for i in streamed for p in i.problems]),
    ):
        assert [d.id for d in docs] == ["a", "c"]
        [problem] = problems
        assert problem.line == 2 and problem.fatal
        assert "too large (1.2 MB; limit max_file_mb = 1)" in problem.message
        assert problem.message.endswith("line skipped")


def test_a_million_character_line_keeps_its_first_segments_and_says_so(seed_docs):
    doc = copy.deepcopy(seed_docs["002"])
    doc.text = " ".join([doc.text.replace("\n", " ")] * 400)  # one line, ~1M characters
    doc.warnings = []
    process_document(doc, Config(max_segments=300))
    assert len(doc.segments) == 300
    [line] = processing_warnings(doc)
    assert line.startswith("limit max_segments: more than 300 segments, kept the first 300")
    assert f"of {len(doc.text)} not read" in line


def test_a_huge_event_is_summarised_and_framed_from_its_centre(seed_run):
    result, _ = seed_run
    by_id = {d.id: d for d in result.digest.documents}
    event = copy.deepcopy(max(result.digest.events, key=lambda e: len(e.documents)))
    assert len(event.documents) >= 2
    event.notes, event.summary, event.title = [], {}, {}
    config = Config(max_event_documents=1)
    summarize_event(event, by_id, config, TranslationRouter(["gloss"]))
    central = event.documents[0]
    [note] = [n for n in event.notes if n.startswith(LIMIT_NOTE)]
    assert f"{len(event.documents)} documents" in note and "1 most central" in note
    cited = {s.document for sent in event.summary["en"] for s in sent.sources}
    assert cited == {central}
    framing = frame_event(event, by_id, config)
    assert framing["compared"] <= 1
