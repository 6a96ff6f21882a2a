"""Markdown/HTML views and atomic file writing, from a hand-built `newsdigest/digest@1` dict.

The dict is written by hand (not via the dataclasses) because the renderers must work from
the JSON contract alone, e.g. on a digest.json from an earlier run.
"""

from __future__ import annotations

import json
import os
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from pipeline.render import event_views, render_html, render_markdown, write_digest
from pipeline.render.files import DIGEST_FILES
from pipeline.render.markdown import md_escape

XSS_TITLE = "Quake <script>alert(1)</script> hits Kyushu & Shikoku"
GLOSS_SOURCE = "食品价格下降，能源价格上涨。"
GLOSS_TEXT = "food price fall, energy price rise."


def seg(text: str, lang: str, start: int, role: str = "body", **extra: Any) -> dict[str, Any]:
    end = start + len(text)
    out = {"text": text, "lang": lang, "role": role, "boilerplate": role == "boilerplate"}
    return out | {"paragraph": extra.pop("paragraph", 1), "start": start, "end": end} | extra


EN_CPI = "China's consumer prices rose 0.3% in May from a year earlier, official data showed."
EN_FOOD = "Food prices fell while energy costs climbed."
ZH_CPI = "国家统计局周一公布的数据显示，五月份消费者价格同比上涨0.3%。"
EN_QUAKE = "A magnitude 6.1 earthquake struck off Kyushu on Tuesday; no tsunami warning was issued."
JA_QUAKE = "気象庁によると、この地震による津波の心配はありません。"
GLOSS = {"en": {"text": "state statistics bureau Monday publish data show", "tier": "gloss"}}

# document id -> (title, date, outlet, lang, segments, extra document keys)
DOCS: dict[str, tuple[str, str, str, str, list[dict[str, Any]], dict[str, Any]]] = {}
_CPI = [seg("China consumer prices rise 0.3% in May", "en", 0, "title", paragraph=0)]
_CPI += [seg(EN_CPI, "en", 40), seg(EN_FOOD, "en", 120)]
DOCS["xinhua-cpi"] = ("五月消费者价格同比上涨0.3%", "2024-06-10", "新华社", "zh", [
    seg("五月消费者价格同比上涨0.3%", "zh", 0, "title", paragraph=0),
    seg(ZH_CPI, "zh", 15, translations={"en": GLOSS["en"] | {"backend": "cedict"}}),
    seg(GLOSS_SOURCE, "zh", 47),
    seg("关注我们的微信公众号 <b>", "zh", 62, "boilerplate", paragraph=2, rule="cta:follow"),
], {})  # fmt: skip
DOCS["reuters-cpi"] = (_CPI[0]["text"], "2024-06-10", "Reuters", "en", _CPI, {})
DOCS["reuters-cpi-copy"] = (_CPI[0]["text"], "2024-06-10", "Yahoo News", "en", _CPI,
                            {"duplicate_of": "reuters-cpi"})  # fmt: skip
DOCS["kyodo-quake"] = (XSS_TITLE, "2024-06-11", "Kyodo", "en", [
    seg(XSS_TITLE, "en", 0, "title", paragraph=0), seg(EN_QUAKE, "en", 60),
], {"warnings": ["charset guessed: cp932 -> utf-8"]})  # fmt: skip
DOCS["nhk-quake"] = ("九州で地震 | 速報", "2024-06-11", "NHK", "ja", [
    seg("九州で地震 | 速報", "ja", 0, "title", paragraph=0), seg(JA_QUAKE, "ja", 12),
], {})  # fmt: skip


def src(doc_id: str, segment: int) -> dict[str, Any]:
    """A citation carrying the cited segment's original language and text, as the JSON does."""
    cited = DOCS[doc_id][4][segment]
    return {"document": doc_id, "segment": segment, "lang": cited["lang"], "text": cited["text"]}


def sent(text: str, lang: str, tier: str, *sources: dict[str, Any], **extra: Any):
    return {"text": text, "lang": lang, "tier": tier, "sources": list(sources)} | extra


def event(event_id: str, date: str, titles: dict, summary: dict) -> dict[str, Any]:
    sentences = [*titles.values(), *(s for sents in summary.values() for s in sents)]
    members = sorted({c["document"] for s in sentences for c in s["sources"]})
    title = {lang: s["text"] for lang, s in titles.items()}
    return {"id": event_id, "date": date, "title": title, "title_detail": titles,
            "documents": members, "summary": summary}  # fmt: skip


@pytest.fixture()
def digest() -> dict[str, Any]:
    cpi = event("evt-2024-06-10-cpi", "2024-06-10", {
        "en": sent(_CPI[0]["text"], "en", "original", src("reuters-cpi", 0)),
        "zh": sent(DOCS["xinhua-cpi"][0], "zh", "original", src("xinhua-cpi", 0)),
    }, {
        "en": [
            sent(EN_CPI, "en", "original", src("reuters-cpi", 1), src("xinhua-cpi", 1)),
            sent(GLOSS_TEXT, "en", "gloss", src("xinhua-cpi", 2), backend="cedict"),
        ],
        "zh": [
            sent(ZH_CPI, "zh", "original", src("xinhua-cpi", 1)),
            sent("食品价格下跌，而能源成本上升。", "zh", "nmt", src("reuters-cpi", 2),
                 backend="opus-mt-en-zh"),
        ],
    })  # fmt: skip
    quake = event("evt-2024-06-11-quake", "2024-06-11", {
        "en": sent(XSS_TITLE, "en", "original", src("kyodo-quake", 0)),
        "zh": sent(XSS_TITLE, "en", "original", src("kyodo-quake", 0), untranslated=True),
    }, {
        "en": [
            sent(EN_QUAKE, "en", "original", src("kyodo-quake", 1)),
            sent("The Japan Meteorological Agency said there is no tsunami risk.", "en", "nmt",
                 src("nhk-quake", 1), backend="opus-mt-ja-en"),
        ],
        "zh": [
            sent("九州附近海域周二发生6.1级地震，未发布海啸预警。", "zh", "llm",
                 src("kyodo-quake", 1), backend="qwen2.5-7b"),
            sent(JA_QUAKE, "ja", "original", src("nhk-quake", 1), untranslated=True),
        ],
    })  # fmt: skip
    documents = [
        {"id": doc_id, "title": title, "date": date, "outlet": outlet,
         "url": f"https://example.com/{doc_id}?a=1&b=2", "source": f"corpus/{doc_id}.html",
         "encoding": "utf-8", "lang": lang, "duplicate_of": extra.get("duplicate_of"),
         "warnings": extra.get("warnings", []), "segments": segments}
        for doc_id, (title, date, outlet, lang, segments, extra) in DOCS.items()
    ]  # fmt: skip
    return {
        "schema": "newsdigest/digest@1",
        "langs": ["en", "zh"],
        "backends": {"translate": "gloss:cedict, nmt:opus-mt", "summarize": "extractive"},
        "errors": ["feeds/bad.jsonl:3: could not decode line <invalid UTF-8>"],
        "documents": documents,
        "events": [cpi, quake],
    }


def all_sentences(d: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for event in d["events"]:
        out += list(event["title_detail"].values())
        for sents in event["summary"].values():
            out += sents
    return out


# --------------------------------------------------------------------------- HTML structure


class Checker(HTMLParser):
    """Checks structural tags balance and records the `lang` in force for each text chunk."""

    STRUCTURAL = frozenset(
        {
            "html",
            "head",
            "body",
            "main",
            "header",
            "nav",
            "section",
            "article",
            "details",
            "summary",
            "ol",
            "ul",
            "li",
            "dl",
            "dt",
            "dd",
            "h1",
            "h2",
            "h3",
            "p",
            "sup",
            "a",
            "span",
            "div",
            "blockquote",
            "style",
            "title",
        }
    )
    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.errors: list[str] = []
        self.texts: list[tuple[str, str | None]] = []  # (text, nearest lang)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.append(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag not in self.VOID:
            self.stack.append((tag, a.get("lang")))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.STRUCTURAL:
            if not self.stack or self.stack[-1][0] != tag:
                self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
                return
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            lang = next((lang for _, lang in reversed(self.stack) if lang), None)
            self.texts.append((data, lang))


def parse(page: str) -> Checker:
    checker = Checker()
    checker.feed(page)
    checker.close()
    return checker


# --------------------------------------------------------------------------- tests


def test_every_sentence_in_both_views(digest: dict[str, Any]) -> None:
    md, page = render_markdown(digest), render_html(digest)
    for s in all_sentences(digest):
        assert md_escape(s["text"]) in md, s["text"]
        assert escape(s["text"]) in page, s["text"]
    assert "Summary: English (en)" in md and "Summary: Chinese 中文 (zh)" in md


def test_markdown_citations_resolve(digest: dict[str, Any]) -> None:
    md = render_markdown(digest)
    targets = re.findall(r"\[\[(\d+)\]\]\(#([\w-]+)\)", md)
    assert len(targets) >= 12
    for number, anchor in targets:
        line = next(x for x in md.splitlines() if f'<a id="{anchor}"></a>' in x)
        assert line.startswith(f"{number}. "), line  # list number == marker number
    # the gloss sentence's source shows the Chinese original, right after its source line
    gloss_line = next(x for x in md.splitlines() if x.startswith(f"- {md_escape(GLOSS_TEXT)}"))
    (anchor,) = re.findall(r"\(#([\w-]+)\)", gloss_line)
    lines = md.splitlines()
    i = next(i for i, x in enumerate(lines) if f'<a id="{anchor}"></a>' in x)
    assert "xinhua-cpi" in lines[i] and "segment 2" in lines[i] and "(zh)" in lines[i]
    assert lines[i + 1].strip() == f"- original text: {GLOSS_SOURCE}"


def test_sources_numbered_once_per_event(digest: dict[str, Any]) -> None:
    views = event_views(digest)
    first = views[0]
    keys = [(s.document, s.segment) for s in first.sources]
    assert len(keys) == len(set(keys)) == 6
    assert [s.number for s in first.sources] == [1, 2, 3, 4, 5, 6]
    by_key = {(s.document, s.segment): s for s in first.sources}
    assert by_key[("xinhua-cpi", 2)].translated  # cited by the gloss sentence
    assert not by_key[("xinhua-cpi", 0)].translated  # only cited verbatim
    assert all(s.found and not s.boilerplate for v in views for s in v.sources)


def test_html_citations_resolve_and_originals_in_details(digest: dict[str, Any]) -> None:
    page = render_html(digest)
    checker = parse(page)
    ids = set(checker.ids)
    assert len(ids) == len(checker.ids), "duplicate ids"
    internal = [h[1:] for h in checker.hrefs if h.startswith("#")]
    assert internal and set(internal) <= ids
    assert re.search(r'<sup class="cite"><a href="#event-1-src-\d+">\[\d+\]</a></sup>', page)
    assert re.search(
        r"<details><summary>Original text \(zh\)</summary>"
        rf'<blockquote lang="zh">{GLOSS_SOURCE}</blockquote></details>',
        page,
    )


def test_escaping(digest: dict[str, Any]) -> None:
    page = render_html(digest)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Kyushu &amp; Shikoku" in page
    assert "&lt;invalid UTF-8&gt;" in page and "&lt;b&gt;" in page
    assert "https://example.com/xinhua-cpi?a=1&amp;b=2" in page
    assert "script" not in parse(page).tags
    md = render_markdown(digest)
    assert "<script" not in md.lower() and "&lt;script>" in md
    # a `|` in a title must not add a table cell
    rows = [x for x in md.splitlines() if x.startswith("| ") and "nhk-quake" in x]
    assert len(rows) == 1 and len(re.split(r"(?<!\\)\|", rows[0])) == 11


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("# not a heading", "\\# not a heading"),
        ("a | b", "a \\| b"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("<b>bold</b>", "&lt;b>bold&lt;/b>"),
        ("> not a quote", "\\> not a quote"),
        ("AT&T", "AT&T"),
        ("&amp;", "&amp;amp;"),
        ("*x* _y_ [z](u)", "\\*x\\* \\_y\\_ \\[z\\](u)"),
        ("line one\nline two", "line one line two"),
        ("日本語\u3000テキスト", "日本語\u3000テキスト"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_html_structure_and_lang(digest: dict[str, Any]) -> None:
    page = render_html(digest)
    checker = parse(page)
    assert not checker.errors, checker.errors
    assert not checker.stack, checker.stack
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert " src=" not in page and "<link" not in page and "@import" not in page
    for s in all_sentences(digest):
        assert f'<span lang="{s["lang"]}" class="s s-{s["tier"]}">{escape(s["text"])}' in page
    cjk = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
    for text, lang in checker.texts:
        if cjk.search(text):
            assert lang in ("zh", "ja", "ko"), (text, lang)
    assert ":lang(ja)" in page and '"Noto Sans CJK SC"' in page


def test_tier_badges_and_untranslated(digest: dict[str, Any]) -> None:
    md, page = render_markdown(digest), render_html(digest)
    for tier in ("gloss", "nmt", "llm"):
        assert f"`[{tier}]`" in md
        assert f'class="tier tier-{tier}"' in page
    gloss_line = next(x for x in md.splitlines() if md_escape(GLOSS_TEXT) in x)
    assert "`[gloss]`" in gloss_line
    assert "`[untranslated: ja]`" in md and "`[untranslated: en]`" in md
    assert "untranslated: ja</span>" in page
    assert "word-by-word" in md and "word-by-word" in page  # legend
    assert "backend: cedict" in page
    # original text carries no badge
    cpi_line = next(x for x in md.splitlines() if x.startswith(f"- {md_escape(EN_CPI)}"))
    assert "`[" not in cpi_line


def test_header_documents_and_errors(digest: dict[str, Any]) -> None:
    md, page = render_markdown(digest), render_html(digest)
    assert "**Dates:** 2024-06-10 to 2024-06-11" in md
    assert "**Documents:** 5 (1 duplicate skipped)" in md and "**Events:** 2" in md
    assert "translate: gloss:cedict, nmt:opus-mt" in md
    row = next(x for x in md.splitlines() if "reuters-cpi-copy" in x and x.startswith("| "))
    assert "[reuters-cpi](#doc-2)" in row
    xinhua = next(x for x in md.splitlines() if "xinhua-cpi" in x and x.startswith("| "))
    assert xinhua.rstrip(" |").endswith("| 4 | 1")  # 4 segments, 1 boilerplate
    assert "## Errors" in md and "charset guessed" in md
    assert '<li id="doc-1-seg-3" class="seg role-boilerplate grey">' in page
    assert "rule: cta:follow" in page
    assert '<section id="errors" class="errors">' in page
    assert '<div class="tr"><span lang="en"' in page  # segment translation shown in appendix


def test_markdown_layout_survives_a_commonmark_renderer(digest: dict[str, Any]) -> None:
    """Render with markdown-it (a dependency of rich) to check layout, not just strings."""
    markdown_it = pytest.importorskip("markdown_it")
    page = markdown_it.MarkdownIt("commonmark").enable("table").render(render_markdown(digest))
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    rows = re.findall(r"<tr>.*?</tr>", page, re.DOTALL)
    assert len(rows) == 1 + len(digest["documents"])
    assert all(row.count("<td") == 9 for row in rows[1:])
    assert "九州で地震 | 速報" in page
    assert page.count("<h2>") == 5  # events list, two events, documents, errors
    assert '<code>[gloss]</code> <a href="#event-1-src-5">[5]</a>' in page


def test_partial_dict_and_bad_citations_render() -> None:
    assert "_No events._" in render_markdown({})
    bad = {"text": "x", "lang": "en", "tier": "llm", "sources": [src("nhk-quake", 1)]}
    d = {"langs": ["en"], "events": [{"id": "e", "summary": {"en": [bad], "ko": []}}]}
    page = render_html(d)
    assert parse(page).stack == [] and "(not found in documents)" in page
    assert "(not found in documents)" in render_markdown(d)


def test_write_digest_atomic(digest: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out" / "nested"
    paths = write_digest(digest, out)
    assert [p.name for p in paths] == list(DIGEST_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(DIGEST_FILES)
    text = (out / "digest.json").read_text("utf-8")
    assert json.loads(text) == digest
    assert "新华社" in text and list(json.loads(text)) == list(digest)
    assert (out / "digest.html").read_text("utf-8") == render_html(digest)
    assert (out / "digest.md").read_text("utf-8") == render_markdown(digest)
    assert (out / "digest.json").stat().st_mode & 0o777 == 0o644
    write_digest(digest, out)  # overwrite in place
    assert sorted(p.name for p in out.iterdir()) == sorted(DIGEST_FILES)


def test_write_digest_failure_keeps_old_file(
    digest: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_digest(digest, tmp_path)
    before = (tmp_path / "digest.json").read_bytes()

    def boom(src: Any, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    changed = dict(digest, errors=["new"])
    with pytest.raises(OSError, match="disk full"):
        write_digest(changed, tmp_path)
    assert (tmp_path / "digest.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DIGEST_FILES)


def test_digest_json_is_what_the_json_module_writes(seed_run) -> None:
    """digest.json is written by orjson for speed (an archive day is ~8 MB of JSON); on the
    seed digest, with its CJK text, floats and nested framing, the bytes are those of
    `json.dumps(ensure_ascii=False, indent=2)`."""
    from pipeline.render.files import digest_json

    _, out = seed_run
    written = (out / "digest.json").read_text("utf-8")
    data = json.loads(written)
    assert digest_json(data) == written
    assert written == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
