"""The article store: one SQLite file (`DIR/articles.sqlite`, WAL) that `newsdigest fetch`
fills and `run --store`, `batch --store` and `daily` read.

Safe to interrupt anywhere: each article is committed with every URL it is known by in one
transaction, and a feed's ETag/Last-Modified are saved only after all its entries are, so a
killed fetch loses nothing it stored and the rerun refetches nothing it has (a feed whose
entries were not all read is asked for in full again, not conditionally).

One article, one row: the URLs it is reached by (feed link, the page after redirects, its
canonical URL, the feed's guid) all point to it (`urls`), and a text already stored under
another URL (same content hash) is recorded as that article's alias, not stored twice.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.cache import text_key
from pipeline.dedup.text import normalise_text

STORE_FILE = "articles.sqlite"
MAX_PAGE_TRIES = 3  # runs in a row a page that fails for a passing reason is tried
EXPORT_FIELDS = ("id", "title", "text", "date", "url", "outlet", "lang", "canonical_url",
                 "feed", "published", "first_seen", "fetched_at", "author", "content_hash",
                 "status")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of first storing: `daily` reads new ones
    id TEXT UNIQUE NOT NULL,                -- the document id (host + URL hash)
    url TEXT NOT NULL,                      -- the feed's link
    canonical_url TEXT,                     -- the page's canonical URL, when it names one
    outlet TEXT, feed TEXT,
    first_seen TEXT NOT NULL, fetched_at TEXT NOT NULL,  -- UTC, ISO 8601
    published TEXT,                         -- the outlet's time, with its offset
    entry_updated TEXT,                     -- the feed entry's updated time
    day TEXT NOT NULL,                      -- the date digests use (published, else first seen)
    day_from TEXT NOT NULL,                 -- feed | page | fetched
    lang_hint TEXT, title TEXT, author TEXT, text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL,                   -- page | feed | teaser (the page failed)
    note TEXT,                              -- why a teaser is only a teaser
    retry INTEGER NOT NULL DEFAULT 0,       -- 1: its page is tried again next run
    page_tries INTEGER NOT NULL DEFAULT 0,  -- runs whose page fetch failed in a row
    etag TEXT, last_modified TEXT           -- the page's, for a conditional refetch
);
CREATE INDEX IF NOT EXISTS articles_day ON articles(day);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS urls (key TEXT PRIMARY KEY, article TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (      -- entries with no text of their own whose page failed
    key TEXT PRIMARY KEY, url TEXT, feed TEXT, reason TEXT, retry INTEGER, tries INTEGER,
    last_try TEXT, entry TEXT);             -- entry: the feed entry, JSON, to retry it
CREATE INDEX IF NOT EXISTS articles_retry ON articles(feed, retry);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, outlet TEXT, etag TEXT, last_modified TEXT, last_fetch TEXT,
    status TEXT, error TEXT);
CREATE TABLE IF NOT EXISTS feed_log (
    run INTEGER, feed TEXT, outlet TEXT, started TEXT, finished TEXT, status TEXT,
    http_status INTEGER, error TEXT, entries INTEGER, new INTEGER, updated INTEGER,
    seen INTEGER, failed INTEGER);
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT,
    finished TEXT, summary TEXT);
"""


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def content_hash(text: str) -> str:
    """What "the same text" means across URLs: the copy detector's normal form
    (`dedup.text.normalise_text`: case, width, punctuation, Chinese script folded)."""
    return text_key(normalise_text(text))


def is_store(path: Path) -> bool:
    return (Path(path) / STORE_FILE).is_file()


@dataclass(frozen=True)
class StoreSelection:
    """Which stored articles a run reads: those whose day is in [since, until] (None: open)."""

    path: Path
    since: dt.date | None = None
    until: dt.date | None = None


class ArticleStore:
    def __init__(self, folder: str | Path, create: bool = True) -> None:
        self.folder = Path(folder)
        path = self.folder / STORE_FILE
        if not create and not path.is_file():
            raise FileNotFoundError(f"{self.folder}: no article store ({STORE_FILE}) here")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process loses nothing
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ lookups

    def find(self, keys: list[str]) -> sqlite3.Row | None:
        """The article any of these URL keys points to."""
        for key in keys:
            row = self.db.execute("SELECT a.* FROM urls u JOIN articles a ON a.id = u.article "
                                  "WHERE u.key = ?", (key,)).fetchone()
            if row is not None:
                return row
        return None

    def failure(self, key: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM failures WHERE key = ?", (key,)).fetchone()

    def feed_validators(self, url: str) -> dict[str, str]:
        """Conditional request headers from the feed's last complete fetch."""
        row = self.db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?",
                              (url,)).fetchone()
        headers = {}
        if row and row["etag"]:
            headers["If-None-Match"] = row["etag"]
        if row and row["last_modified"]:
            headers["If-Modified-Since"] = row["last_modified"]
        return headers

    # ------------------------------------------------------------------ writes

    def save(self, article: dict[str, Any], keys: list[str]) -> tuple[str, str]:
        """Store one article under its URL keys; returns (outcome, article id), outcome one
        of new, updated (a known article whose text changed), seen (known, same text) or
        duplicate (its text is already stored under another URL)."""
        keys = list(dict.fromkeys(k for k in keys if k))
        article = {**article, "content_hash": content_hash(article["text"])}
        with self.db:
            known = self.find(keys)
            if known is None:  # the same text from the same outlet under another URL
                same = self.db.execute("SELECT id FROM articles WHERE content_hash = ? AND "
                                       "outlet IS ? ORDER BY seq LIMIT 1",
                                       (article["content_hash"], article["outlet"])).fetchone()
                if same is not None:
                    self._alias(same["id"], keys)
                    return "duplicate", same["id"]
                columns = ", ".join(article)
                marks = ", ".join("?" for _ in article)
                self.db.execute(f"INSERT INTO articles ({columns}) VALUES ({marks})",
                                tuple(article.values()))
                self._alias(article["id"], keys)
                self.db.executemany("DELETE FROM failures WHERE key = ?", [(k,) for k in keys])
                return "new", article["id"]
            self._alias(known["id"], keys)
            changed = (known["content_hash"] != article["content_hash"]
                       and not (article["status"] == "teaser" and known["status"] != "teaser"))
            keep = ("id", "first_seen", "seq")
            if changed:
                update = {k: v for k, v in article.items() if k not in keep}
            else:  # same text: only what says how and when it was last read
                update = {k: article[k] for k in ("fetched_at", "retry", "note", "etag",
                                                  "last_modified", "page_tries")
                          if k in article}
            sets = ", ".join(f"{k} = ?" for k in update)
            self.db.execute(f"UPDATE articles SET {sets} WHERE id = ?",
                            (*update.values(), known["id"]))
            return ("updated" if changed else "seen"), known["id"]

    def _alias(self, article_id: str, keys: list[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO urls (key, article) VALUES (?, ?)",
                            [(k, article_id) for k in keys])

    def record_failure(self, key: str, url: str, feed: str, reason: str, retry: bool,
                       entry: dict[str, Any]) -> int:
        """Remember an entry that could not be stored; returns how many runs in a row it
        failed. A passing failure is retried until MAX_PAGE_TRIES, a 404 never."""
        with self.db:
            self.db.execute(
                "INSERT INTO failures (key, url, feed, reason, retry, tries, last_try, entry) "
                "VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT(key) DO UPDATE SET reason = "
                "excluded.reason, retry = excluded.retry AND tries + 1 < ?, "
                "tries = tries + 1, last_try = excluded.last_try",
                (key, url, feed, reason, int(retry), utc_now(),
                 json.dumps(entry, ensure_ascii=False), MAX_PAGE_TRIES))
        return int(self.db.execute("SELECT tries FROM failures WHERE key = ?",
                                   (key,)).fetchone()[0])

    def pending(self, feed: str) -> tuple[list[sqlite3.Row], list[dict[str, Any]]]:
        """What a feed left to retry: teaser articles whose page failed for a passing
        reason, and the entries of failures with no text of their own."""
        articles = self.db.execute("SELECT * FROM articles WHERE feed = ? AND retry = 1 "
                                   "ORDER BY id", (feed,)).fetchall()
        entries = [json.loads(r[0]) for r in self.db.execute(
            "SELECT entry FROM failures WHERE feed = ? AND retry = 1 AND entry IS NOT NULL "
            "ORDER BY key", (feed,))]
        return articles, entries

    def feed_done(self, run: int, url: str, outlet: str, started: str, log: dict[str, Any],
                  validators: dict[str, str] | None) -> None:
        """Log one feed's fetch; its validators are saved only now, after its entries."""
        with self.db:
            self.db.execute(
                "INSERT INTO feed_log (run, feed, outlet, started, finished, status, "
                "http_status, error, entries, new, updated, seen, failed) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run, url, outlet, started, utc_now(), log["status"], log.get("http_status"),
                 log.get("error"), log.get("entries", 0), log.get("new", 0),
                 log.get("updated", 0), log.get("seen", 0), log.get("failed", 0)))
            if validators is not None:
                self.db.execute(
                    "INSERT INTO feeds (url, outlet, etag, last_modified, last_fetch, status, "
                    "error) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                    "outlet = excluded.outlet, etag = excluded.etag, last_modified = "
                    "excluded.last_modified, last_fetch = excluded.last_fetch, status = "
                    "excluded.status, error = excluded.error",
                    (url, outlet, validators.get("etag"), validators.get("last-modified"),
                     utc_now(), log["status"], log.get("error")))
            else:
                self.db.execute(
                    "INSERT INTO feeds (url, outlet, last_fetch, status, error) VALUES "
                    "(?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET last_fetch = "
                    "excluded.last_fetch, status = excluded.status, error = excluded.error",
                    (url, outlet, utc_now(), log["status"], log.get("error")))

    def start_run(self) -> int:
        with self.db:
            cur = self.db.execute("INSERT INTO runs (started) VALUES (?)", (utc_now(),))
        return int(cur.lastrowid)

    def finish_run(self, run: int, summary: dict[str, Any]) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
                            (utc_now(), json.dumps(summary, sort_keys=True), run))

    # ------------------------------------------------------------------ reads

    def last_seq(self) -> int:
        row = self.db.execute("SELECT MAX(seq) FROM articles").fetchone()
        return int(row[0] or 0)

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def ids_after(self, seq: int, since: dt.date) -> set[str]:
        """Ids of the articles first stored after `seq` and dated `since` or later (what
        `daily` calls new: an old article first seen today is archive, not news)."""
        return {r[0] for r in self.db.execute("SELECT id FROM articles WHERE seq > ? AND "
                                              "day >= ?", (seq, since.isoformat()))}

    def ids_in_days(self, start: dt.date, end: dt.date) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM articles WHERE day BETWEEN ? "
                                              "AND ?", (start.isoformat(), end.isoformat()))}

    def first_day(self, ids: set[str]) -> dt.date | None:
        """The earliest day among these articles."""
        days = [r[0] for r in self.db.execute("SELECT day FROM articles WHERE id IN "
                                              "(SELECT value FROM json_each(?))",
                                              (json.dumps(sorted(ids)),))]
        return dt.date.fromisoformat(min(days)) if days else None

    def records(self, since: dt.date | None = None, until: dt.date | None = None
                ) -> Iterator[dict[str, Any]]:
        """Articles as input records (the JSONL fields and the store's own), in an order
        that does not depend on fetch order: by day, then id (a killed and rerun fetch
        gives the same digest as an uninterrupted one)."""
        where, args = [], []
        if since is not None:
            where.append("day >= ?")
            args.append(since.isoformat())
        if until is not None:
            where.append("day <= ?")
            args.append(until.isoformat())
        sql = "SELECT * FROM articles" + (f" WHERE {' AND '.join(where)}" if where else "")
        for row in self.db.execute(sql + " ORDER BY day, id", args):
            yield {
                "id": row["id"], "title": row["title"], "text": row["text"],
                "date": row["day"], "url": row["canonical_url"] or row["url"],
                "outlet": row["outlet"], "lang": row["lang_hint"],
                "canonical_url": row["canonical_url"], "feed": row["feed"],
                "published": row["published"], "first_seen": row["first_seen"],
                "fetched_at": row["fetched_at"], "author": row["author"],
                "content_hash": row["content_hash"], "status": row["status"],
                "note": row["note"], "day_from": row["day_from"],
            }

    def status_lines(self) -> list[str]:
        """`newsdigest store status`: what the store holds and how each feed last went."""
        by_status = dict(self.db.execute("SELECT status, COUNT(*) FROM articles GROUP BY status"
                                         ).fetchall())
        days = self.db.execute("SELECT MIN(day), MAX(day) FROM articles").fetchone()
        lines = [f"{self.folder}: {self.count()} articles ("
                 + ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
                 + (f"), {days[0]} to {days[1]}" if days[0] else ")")]
        for row in self.db.execute("SELECT url, outlet, last_fetch, status, error FROM feeds "
                                   "ORDER BY outlet, url"):
            error = f": {row['error']}" if row["error"] else ""
            lines.append(f"  {row['outlet']} {row['url']}: {row['status']} at "
                         f"{row['last_fetch']}{error}")
        return lines

    def export_parquet(self, path: str | Path) -> int:
        """Every article to one Parquet file with the input fields (`run` and `batch` read
        it back) and the store's own columns; returns the row count."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = list(self.records())
        table = pa.table({name: pa.array([r[name] for r in rows], pa.string())
                          for name in EXPORT_FIELDS})
        pq.write_table(table, str(path))
        return len(rows)
