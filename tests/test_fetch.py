"""`newsdigest fetch` against a local news site on 127.0.0.1 (tests/feed_server.py): four
outlets in four languages and encodings, and every failure a fetcher meets."""

from __future__ import annotations

import sqlite3

import pytest
from feed_server import FeedServer, Site

from pipeline.cli import main
from pipeline.fetch.fetcher import fetch
from pipeline.fetch.sources import load_sources
from pipeline.fetch.store import ArticleStore

OUTLET_FEEDS = ["harbor", "dongfang", "kitahama", "hanbit"]
TROUBLE_FEEDS = [("/harbor/world.xml", "Harbor Daily"), "/trouble/rss.xml",
                 "/broken/rss.xml", "/down/rss.xml"]
FAST = {"per_host_interval": 0.0, "per_host_concurrency": 4, "timeout": 1.0,
        "max_bytes": 200_000, "retries": 1, "backoff": 0.1}


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """Every feed fetched twice into one store: (server, first summary, second summary,
    the requests of the second fetch, store folder)."""
    folder = tmp_path_factory.mktemp("fetch")
    with FeedServer(Site(stall_seconds=2.5)) as server:
        sources = load_sources(server.sources_toml(folder, OUTLET_FEEDS + TROUBLE_FEEDS, **FAST))
        store = ArticleStore(folder / "store")
        first = fetch(sources, store)
        n = len(server.site.requests)
        second = fetch(sources, store)
        store.close()
        yield server, first, second, server.site.requests[n:], folder / "store"


def _articles(folder) -> dict[str, sqlite3.Row]:
    db = sqlite3.connect(folder / "articles.sqlite")
    db.row_factory = sqlite3.Row
    return {row["url"].split("/", 3)[-1] if "://" in row["url"] else row["url"]: row
            for row in db.execute("SELECT * FROM articles")}


def _line(summary, needle: str) -> str:
    (line,) = [p for p in summary.problems if needle in p]
    assert "\n" not in line
    return line


def test_every_outlet_article_is_stored_from_its_page_in_its_language(fetched):
    _, first, _, _, folder = fetched
    articles = _articles(folder)
    for path, lang, words in [("harbor/1-ferry.html", "en", "Namhae Line"),
                              ("dongfang/1-ferry.html?utm_source=atom", "zh", "釜山"),
                              ("kitahama/1-ferry.html", "ja", "釜山"),
                              ("hanbit/1-ferry.html", "ko", "부산"),
                              ("kitahama/1-visa.html", "ja", "ワーキングホリデー")]:
        row = articles[path]
        assert row["status"] == "page" and row["lang_hint"] == lang
        assert words in row["text"], path
        # the page's furniture is not the article's text
        assert "Most read" not in row["text"] and "All rights reserved" not in row["text"]
        assert row["day"] == "2026-12-07" and row["published"].startswith("2026-12-07T")
        assert row["canonical_url"].endswith(path.split("?")[0])
    # titles come from the feeds: the EUC-KR RSS feed and the JSON Feed decode right
    assert articles["hanbit/1-ferry.html"]["title"].startswith("부산∼후쿠오카 여객선")
    assert articles["kitahama/1-ferry.html"]["title"].startswith("釜山発博多行きフェリー")
    # the Shift_JIS page whose header says Latin-1 is read as Japanese, not mojibake
    assert "日韓" in articles["kitahama/1-visa.html"]["text"]
    assert first.feeds_failed == 2 and first.pages >= 8


def test_each_failure_gets_its_outcome_and_one_line(fetched):
    server, first, _, _, folder = fetched
    articles = _articles(folder)
    expected = {  # path: (status, retried next run, words of its one line)
        "trouble/missing": ("teaser", 0, "HTTP 404"),
        "trouble/broken": ("teaser", 1, "HTTP 500 after 2 tries"),
        "trouble/later": ("teaser", 1, "retry after 3600 s"),
        "trouble/stall": ("teaser", 1, "timeout"),
        "trouble/huge": ("teaser", 0, "over max_bytes"),
        "private/secret": ("teaser", 0, "disallowed by robots.txt"),
    }
    for path, (status, retry, words) in expected.items():
        row = articles[path]
        assert (row["status"], row["retry"]) == (status, retry), path
        assert words in _line(first, path)
    # 429 with Retry-After: 1 is waited for, then read; the redirect chain is followed
    assert articles["trouble/busy"]["status"] == "page" and server.site.busy_hits >= 2
    landed = articles["trouble/hop1"]
    assert landed["status"] == "page" and "redirect chain ended" in landed["text"]
    # a non-http link is never fetched; a page robots.txt refuses is never requested
    assert "scheme 'ftp'" in _line(first, "ftp://")
    assert not any("ferry.txt" in url for url in articles)
    assert not any(path.startswith("/private/") for path, _ in server.site.requests)
    # feeds that fail: one line naming the feed and why
    assert "not a readable feed" in _line(first, "/broken/rss.xml")
    assert "HTTP 500" in _line(first, "/down/rss.xml") or "timeout" in _line(first, "/down/")
    # another outlet's reprint is stored (the pipeline marks it a copy); the same outlet's
    # text under a section URL and a tracking-parameter URL are not stored twice
    assert articles["trouble/copy"]["status"] == "page"
    assert first.duplicates == 1 and not any("world/" in url for url in articles)


def test_a_second_fetch_stores_nothing_new_and_asks_conditionally(fetched):
    _, first, second, requests, folder = fetched
    assert first.new == 17 and second.new == 0 and second.updated == 0
    feeds = {path: headers for path, headers in requests if path.endswith((".xml", ".json"))}
    for path in ("/harbor/rss.xml", "/dongfang/atom.xml", "/kitahama/feed.json",
                 "/hanbit/rss.xml", "/trouble/rss.xml", "/harbor/world.xml"):
        assert feeds[path].get("if-none-match"), path
    assert second.not_modified == 6
    # only the pages left for a retry are asked for again; none of the stored ones
    pages = {path.split("?")[0] for path, _ in requests if not path.endswith(
        (".xml", ".json", "robots.txt"))}
    assert pages == {"/trouble/broken", "/trouble/later", "/trouble/stall"}
    store = ArticleStore(folder, create=False)
    assert store.db.execute("SELECT COUNT(*) FROM feed_log WHERE status = 'not-modified'"
                            ).fetchone()[0] == 6
    store.close()


def test_gzip_and_charsets(fetched):
    server, _, _, _, _ = fetched
    asked = [h.get("accept-encoding", "") for p, h in server.site.requests if "harbor" in p]
    assert asked and all("gzip" in a for a in asked)


def test_sources_check_reads_toml_and_opml(tmp_path, capsys):
    with FeedServer() as server:
        opml = tmp_path / "list.opml"
        opml.write_bytes(server.site.opml())
        sources = load_sources(opml)
    assert [f.outlet for f in sources.feeds] == ["Harbor Daily", "东方晨报", "北浜新聞", "한빛일보"]
    assert [f.lang for f in sources.feeds] == ["en", "zh", "ja", "ko"]
    assert main(["sources", "check", str(opml)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nurl = "ftp://x.example/feed"\n[[feed]]\noutlet = "No URL"\n'
                   '[[feed]]\nurl = "https://a.example/rss?utm_source=x"\nlang = "fr"\n'
                   'colour = "red"\n[[feed]]\nurl = "https://a.example/rss"\n'
                   "[fetch]\ntimeout = -1\n", "utf-8")
    assert main(["sources", "check", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any("scheme 'ftp'" in line for line in err)
    assert any("feed 2: no url" in line for line in err)
    assert any("lang 'fr'" in line for line in err)
    assert any("unknown keys colour" in line for line in err)
    assert any("listed twice" in line for line in err)
    assert any("timeout must be positive" in line for line in err)
