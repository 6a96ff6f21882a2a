"""read_inputs end to end: seeds, a directory of broken inputs, HTML, Markdown and JSONL."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from pipeline.ingest import IngestResult, Problem, read_inputs
from tests.conftest import SEEDS

ZH_TITLE = "中国手握稀土“王牌”,美扛不住了?特朗普放低姿态,拨通中方电话"

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>US launches critical minerals initiative to counter China | Daily Ledger</title>
  <meta property="og:title" content="US launches critical minerals initiative to counter China">
  <meta property="og:site_name" content="Daily Ledger">
  <meta property="og:url" content="https://ledger.example.com/world/critical-minerals">
  <meta property="article:published_time" content="2025-06-09T08:45:00Z">
  <script>window.dataLayer = [{"page": "article"}];</script>
</head>
<body>
  <header>
    <nav class="main-nav">
      <ul>
        <li><a href="/">Home</a></li><li><a href="/world">World</a></li>
        <li><a href="/business">Business</a></li><li><a href="/subscribe">Subscribe now</a></li>
      </ul>
    </nav>
  </header>
  <div id="cookie-banner" class="cookie-consent">
    <p>This website uses cookies to improve your experience.
       <a href="/privacy">Privacy policy</a> <button>Accept all cookies</button></p>
  </div>
  <main>
    <article>
      <h1>US launches critical minerals initiative to counter China</h1>
      <p class="byline">By Staff Reporter · June 9, 2025</p>
      <p>The US State Department hosted the first Critical Minerals Ministerial on Wednesday,
         attended by representatives from over 50 countries and organizations, aiming to break
         China's dominance in critical minerals vital for smartphones, weapons, and electric
         vehicle batteries.</p>
      <p>In remarks, Vice President JD Vance avoided naming China directly, instead addressing
         how foreign supplies flood global markets, hindering financing for other mineral-rich
         countries. He said the US plans to use tariffs to prevent critical mineral prices from
         dropping too low.</p>
      <p>Vance described the plan as the "Forum on Resource Geostrategic Engagement," or Forge,
         which would set "reference prices" at each production stage to ensure pricing that
         "reflects real-world fair market value."</p>
    </article>
    <aside class="related"><h3>Related</h3><ul><li><a href="/a">Rare earth prices</a></li></ul>
    </aside>
  </main>
  <footer>
    <p>© 2025 Daily Ledger. All rights reserved.</p>
    <a href="/terms">Terms of use</a> | <a href="/contact">Contact us</a>
  </footer>
</body>
</html>
"""


def _messages(result: IngestResult) -> list[str]:
    return [str(p) for p in result.problems]


def test_seeds_give_five_documents_named_by_stem() -> None:
    result = read_inputs([SEEDS])
    stems = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert [d.id for d in result.documents] == stems
    assert len(result.documents) == 5
    assert result.problems == []
    for doc in result.documents:
        original = (SEEDS / f"{doc.id}.txt").read_text(encoding="utf-8")
        assert doc.text == original.replace("\r\n", "\n")  # offsets must match the file
        assert doc.encoding == "utf-8"
        assert doc.source.endswith(f"{doc.id}.txt")
    by_id = {d.id: d for d in result.documents}
    assert by_id["003_82d14f98d0ce453e"].date == dt.date(2025, 6, 9)  # "Sou Hu Cai Jing·..."
    assert by_id["000_4594a57c56833382"].date == dt.date(2025, 6, 8)


def test_broken_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad = Path("bad")
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    rng = random.Random(3)
    (bad / "blob.txt").write_bytes(bytes(rng.randrange(256) for _ in range(3000)) + b"\0" * 8)
    gbk_text = f"{ZH_TITLE}\n\n美国能否在关键矿产竞赛中迎头赶上?\n"
    (bad / "gbk.txt").write_bytes(gbk_text.encode("gbk"))
    cut = ("Rare earths: " + ZH_TITLE + "\n").encode() * 20 + "稀土".encode()
    (bad / "cut.txt").write_bytes(cut[:-2])  # 稀土 cut after its first byte
    records = [
        json.dumps({"id": "feed-a", "title": "First", "text": "Body one."}),
        '{"id": "feed-b", "text": "missing comma" "here"}',
        json.dumps({"text": "Body three.", "lang": "en"}),
    ]
    (bad / "feed.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")

    result = read_inputs([bad])

    assert [d.id for d in result.documents] == ["cut", "feed-a", "feed-3", "gbk"]
    docs = {d.id: d for d in result.documents}
    assert docs["gbk"].text.startswith(ZH_TITLE)
    assert docs["gbk"].encoding == "gb18030"
    assert docs["cut"].text.endswith("稀")
    cut_warning = f"truncated UTF-8 sequence at byte {len(cut) - 3} (last 1 byte dropped)"
    assert docs["cut"].warnings == [cut_warning]
    assert docs["feed-a"].source == "bad/feed.jsonl:1"
    assert docs["feed-3"].source == "bad/feed.jsonl:3"
    assert _messages(result) == [
        "bad/blob.txt: binary file, skipped",
        f"bad/cut.txt: {cut_warning}",
        "bad/empty.txt: empty file, skipped",
        "bad/feed.jsonl:2: invalid JSON (Expecting ',' delimiter), line skipped",
    ]
    assert [p.fatal for p in result.problems] == [True, False, True, True]


def test_html_main_text_without_nav_cookies_or_footer(tmp_path: Path) -> None:
    page = tmp_path / "ledger-minerals.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    (doc,) = read_inputs([page]).documents
    assert doc.id == "ledger-minerals"
    assert doc.title == "US launches critical minerals initiative to counter China"
    assert doc.outlet == "Daily Ledger"
    assert doc.url == "https://ledger.example.com/world/critical-minerals"
    assert doc.date == dt.date(2025, 6, 9)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == doc.title
    assert paragraphs[1].startswith("The US State Department hosted the first")
    assert any(p.startswith("Vance described the plan") for p in paragraphs)
    for junk in ("Subscribe now", "cookies", "All rights reserved", "Terms of use", "dataLayer"):
        assert junk not in doc.text
    assert doc.warnings == []


def test_html_in_gbk_uses_meta_charset(tmp_path: Path) -> None:
    body = "".join(f"<p>{ZH_TITLE}。美国能否在关键矿产竞赛中迎头赶上?</p>" for _ in range(4))
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"<title>{ZH_TITLE}</title></head><body><article>{body}</article></body></html>"
    )
    page = tmp_path / "sohu.htm"
    page.write_bytes(html.encode("gbk"))
    (doc,) = read_inputs([page]).documents
    assert doc.encoding == "gb18030"
    assert ZH_TITLE in doc.text


def test_html_without_main_text_falls_back_to_body(tmp_path: Path) -> None:
    page = tmp_path / "stub.html"
    page.write_text("<html><body><div>Rare earths</div><script>x()</script></body></html>")
    result = read_inputs([page])
    (doc,) = result.documents
    assert doc.text == "Rare earths"
    assert doc.warnings == ["no main text found by trafilatura; used all text of <body>"]
    assert _messages(result) == [f"{page}: {doc.warnings[0]}"]


def test_markdown_heading_becomes_title_text_unchanged(tmp_path: Path) -> None:
    text = "# 米国、重要鉱物で同盟構想\n\n米国は4日、日本と欧州諸国と協力すると発表した。\n"
    (tmp_path / "note.md").write_text(text, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("# not a title in .txt\n", encoding="utf-8")
    docs = read_inputs([tmp_path]).documents
    assert [(d.id, d.title) for d in docs] == [
        ("note", "米国、重要鉱物で同盟構想"),
        ("plain", None),
    ]
    assert docs[0].text == text


def test_jsonl_fields_title_and_per_line_problems(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "scmp-1",
                "title": "US courts rare earth suppliers",
                "text": "The US is engaging countries with rare earth deposits.",
                "date": "2025-11-11",
                "url": "https://example.com/scmp-1",
                "outlet": "SCMP",
                "lang": "en-US",
            }
        ),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text", "title": "Only a title"}),
        json.dumps({"text": "본 콘텐츠는 뉴스픽 파트너스에서 공유됩니다.", "date": "soon"}),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines), encoding="utf-8")
    result = read_inputs([feed])
    first, last = result.documents
    assert first.id == "scmp-1"
    assert first.title == "US courts rare earth suppliers"
    assert first.text == f"{first.title}\n\nThe US is engaging countries with rare earth deposits."
    assert (first.date, first.url, first.outlet, first.declared_lang) == (
        dt.date(2025, 11, 11),
        "https://example.com/scmp-1",
        "SCMP",
        "en",
    )
    assert first.source == f"{feed}:1"
    assert last.id == "feed-5" and last.title is None and last.date is None
    assert _messages(result) == [
        f"{feed}:3: not a JSON object (list), line skipped",
        f'{feed}:4: missing or empty "text" field, line skipped',
        f"{feed}:5: unrecognised date 'soon' ignored",
    ]


def test_duplicate_ids_get_a_suffix_and_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text("First copy.", encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text("Second copy.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "story", "text": "Third."}) + "\n")
    result = read_inputs([tmp_path])
    assert [d.id for d in result.documents] == ["story", "story~2", "story~3"]
    assert result.documents[1].warnings == [
        f"duplicate id 'story' (also in {tmp_path / 'a' / 'story.txt'}), renamed 'story~2'"
    ]
    assert [(p.line, p.fatal) for p in result.problems] == [(None, False), (1, False)]


def test_directory_walk_is_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    for rel in ("z.txt", "sub/b.md", "sub/a.txt", ".hidden.txt", ".git/x.txt", "notes.pdf"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"text of {rel}", encoding="utf-8")
    result = read_inputs([tmp_path])
    assert [d.id for d in result.documents] == ["a", "b", "z"]
    assert result.problems == []


def test_explicit_unknown_missing_and_repeated_inputs(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    story = tmp_path / "story.txt"
    story.write_text("Rare earths.", encoding="utf-8")
    result = read_inputs([pdf, tmp_path / "gone.txt", story, tmp_path])
    assert [d.id for d in result.documents] == ["story"]  # read once despite being named twice
    expected = ".txt, .md, .markdown, .html, .htm, .jsonl, .jsonl.gz, .csv, .csv.gz, .parquet"
    assert _messages(result) == [
        f"{pdf}: unsupported file type '.pdf' (expected {expected}), skipped",
        f"{tmp_path / 'gone.txt'}: no such file or directory",
    ]


def test_a_single_path_string_is_accepted() -> None:
    assert len(read_inputs(str(SEEDS)).documents) == 5  # type: ignore[arg-type]


def test_problem_str_formats() -> None:
    assert str(Problem("bad/empty.txt", None, "empty file, skipped", True)) == (
        "bad/empty.txt: empty file, skipped"
    )
    assert str(Problem("bad/feed.jsonl", 3, "invalid JSON (x), line skipped", True)) == (
        "bad/feed.jsonl:3: invalid JSON (x), line skipped"
    )


def test_run_reads_the_archive_formats_batch_reads(tmp_path: Path) -> None:
    """One input layer: `read_inputs` (newsdigest run) gathers the stream `batch` reads, so
    CSV, gzipped JSONL and Parquet archives and globs work in a run too, with the same ids,
    dates and problems."""
    import gzip
    import json

    from pipeline.ingest.stream import iter_inputs

    rows = [{"id": "a1", "title": "Port strike ends", "text": "Dock workers returned.",
             "date": "2025-06-08", "outlet": "Wire"},
            {"id": "a2", "title": "Rates held", "text": "The bank kept rates at 3%.",
             "date": "2025-06-09"}]
    (tmp_path / "feed.csv").write_text(
        "id,title,text,date,outlet\n" + "".join(
            f'{r["id"]},{r["title"]},{r["text"]},{r["date"]},{r.get("outlet", "")}\n'
            for r in rows), encoding="utf-8")
    with gzip.open(tmp_path / "more.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(dict(rows[0], id="b1")) + "\n")
    result = read_inputs([tmp_path / "feed.csv", str(tmp_path / "*.jsonl.gz")])
    assert [d.id for d in result.documents] == ["a1", "a2", "b1"]
    assert [str(d.date) for d in result.documents] == ["2025-06-08", "2025-06-09", "2025-06-08"]
    streamed = [i.document.id for i in iter_inputs([tmp_path / "feed.csv",
                                                    str(tmp_path / "*.jsonl.gz")])]
    assert streamed == [d.id for d in result.documents]
