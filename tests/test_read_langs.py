"""`--read zh,ja`: a reader who reads a source language sees its words beside the translation."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def read_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("read")
    assert main(["run", str(SEEDS), "--out", str(out), "--read", "zh,ja", "--quiet",
                 "--translator", "gloss"]) == 0
    return json.loads((out / "digest.json").read_text("utf-8")), out


def _sentences(digest):
    for event in digest["events"]:
        for sents in event["summary"].values():
            yield from sents
        yield from event["title_detail"].values()


def _read_kept(digest):
    """English lines read from the Chinese or Japanese the reader reads: glosses, machine
    translations and fact lines (which keep their original for every reader)."""
    return [s for s in _sentences(digest) if s["lang"] == "en" and s["tier"] != "original"
            and s["sources"][0]["lang"] in ("zh", "ja")]


def test_translated_zh_text_keeps_its_original(read_run):
    digest, _ = read_run
    kept = _read_kept(digest)
    assert all("original" in s for s in kept)
    assert kept, "a zh sentence or title translated into English keeps its source words"
    for sent in kept:
        assert sent["tier"] != "original" and sent["original"]["lang"] in ("zh", "ja")
        # the kept words are the cited source's own words (a title may join several segments)
        cited = "".join(src["text"] for src in sent["sources"])
        assert all(part in sent["original"]["text"] or part in cited
                   for part in sent["original"]["text"].split())
    # the 003 Chinese headline keeps its published form beside its fact title
    facts = [s for s in _sentences(digest) if s["tier"] == "facts" and s["lang"] == "en"]
    assert any("稀土" in s["original"]["text"] for s in facts)


def test_languages_the_reader_does_not_read_get_no_original(read_run):
    digest, _ = read_run
    # en sentences translated into Chinese: the reader did not list en, so no original kept
    en_to_zh = [s for e in digest["events"] for s in e["summary"]["zh"]
                if s["tier"] not in ("original", "facts")]
    assert en_to_zh and all("original" not in s for s in en_to_zh)


def test_markdown_and_html_show_the_original(read_run):
    digest, out = read_run
    kept = _read_kept(digest)[0]
    md = (out / "digest.md").read_text("utf-8")
    html = (out / "digest.html").read_text("utf-8")
    assert f"— *zh:* {kept['original']['text'][:10]}" in md
    assert '<span lang="zh" class="orig">' in html


def test_unknown_read_language_is_refused(tmp_path, capsys):
    assert main(["run", str(SEEDS), "--out", str(tmp_path), "--read", "xx", "--quiet"]) == 1
    assert "xx" in capsys.readouterr().err
