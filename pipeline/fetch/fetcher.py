"""`newsdigest fetch`: every feed of a sources file into the article store.

Feeds are read concurrently, and each feed's pages too, within the client's politeness
limits (`pipeline.fetch.http`): network waits overlap, while text extraction (trafilatura)
runs on a process pool beside the event loop. Each article is committed as soon as it is
read (`ArticleStore.save`), so stopping at any point loses nothing already stored.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.fetch.feeds import Entry, is_teaser, parse_feed, parse_time
from pipeline.fetch.http import PoliteClient, Response
from pipeline.fetch.sources import Source, Sources
from pipeline.fetch.store import MAX_PAGE_TRIES, ArticleStore, utc_now
from pipeline.fetch.urls import article_id, normalise_url, scheme_problem
from pipeline.ingest.readers import FileResult, Page, extract_page
from pipeline.machine import available_cores

Progress = Callable[[str, int, int | None], None]


@dataclass
class FetchSummary:
    feeds: int = 0
    feeds_ok: int = 0
    not_modified: int = 0
    feeds_failed: int = 0
    new: int = 0
    updated: int = 0
    seen: int = 0
    duplicates: int = 0  # the same text under another URL
    skipped: int = 0  # entries not stored (no usable link or text, failed before)
    pages: int = 0  # article pages fetched
    pages_failed: int = 0
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)  # one line per failing feed or page

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "problems"}

    def lines(self) -> list[str]:
        feeds = (f"feeds: {self.feeds_ok} ok ({self.not_modified} not modified), "
                 f"{self.feeds_failed} failed, of {self.feeds}")
        articles = (f"articles: {self.new} new, {self.updated} updated, {self.seen} seen, "
                    f"{self.duplicates} same text at another URL, {self.skipped} skipped")
        pages = (f"pages: {self.pages} fetched, {self.pages_failed} failed; "
                 f"{self.requests} requests, {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s")
        return [feeds, articles, pages]


def _extract(body: bytes, url: str, charset: str | None) -> tuple[Page | None, list[str]]:
    """A page's text and metadata (in a pool worker): trafilatura, with the HTTP charset
    trusted before the page's meta, each only if the bytes decode with it."""
    result = FileResult()
    page = extract_page(body, url, result, declared=(charset,))
    return page, [p.message for p in result.problems]


class Fetcher:
    def __init__(self, sources: Sources, store: ArticleStore,
                 progress: Progress | None = None, transport: Any = None) -> None:
        self.sources, self.store, self.policy = sources, store, sources.policy
        self.progress = progress or (lambda label, done, total: None)
        self.transport = transport
        self.summary = FetchSummary(feeds=len(sources.feeds))
        self.run_id = 0
        self._pool: concurrent.futures.Executor | None = None
        self._handled: set[str] = set()  # URL keys read in this run
        self._pages_done = 0
        self._pages_total = 0

    def run(self) -> FetchSummary:
        started = time.monotonic()
        self.run_id = self.store.start_run()
        workers = max(1, available_cores())
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            # the workers are forked now, before the event loop starts its resolver threads
            # (a fork beside running threads can copy a lock some thread holds)
            for started_worker in [pool.submit(int) for _ in range(workers)]:
                started_worker.result()
            self._pool = pool
            asyncio.run(self._all())
        self.summary.seconds = round(time.monotonic() - started, 2)
        self.store.finish_run(self.run_id, self.summary.as_dict())
        return self.summary

    async def _all(self) -> None:
        async with PoliteClient(self.policy, self.transport) as client:
            await asyncio.gather(*(self._feed(client, s) for s in self.sources.feeds))
            self.summary.requests, self.summary.bytes = client.requests, client.bytes

    # ------------------------------------------------------------------ one feed

    async def _feed(self, client: PoliteClient, source: Source) -> None:
        started = utc_now()
        name = f"feed {source.url} ({source.outlet})"
        resp = await client.get(source.url, self.store.feed_validators(source.url))
        log: dict[str, Any] = {"http_status": resp.status}
        if resp.not_modified:
            self.summary.not_modified += 1
            counts = await self._retry_pending(client, source)
            self._count(counts)
            self.summary.feeds_ok += 1
            self.store.feed_done(self.run_id, source.url, source.outlet, started,
                                 {**log, "status": "not-modified", **_log_counts(counts)},
                                 None)
            return
        if not resp.ok:
            self._feed_failed(source, started, log, name, resp.error or f"HTTP {resp.status}")
            return
        feed = parse_feed(resp.body, resp.headers.get("content-type", ""), resp.final_url)
        if feed.error:
            self._feed_failed(source, started, log, name, feed.error)
            return
        if feed.warning:
            self.summary.problems.append(f"{name}: {feed.warning}")
        entries = feed.entries[: self.policy.max_entries]
        label = source.outlet if len(source.outlet) <= 30 else source.outlet[:29] + "…"
        self.progress(label, 0, len(entries))
        counts: dict[str, int] = {}

        async def one(entry: Entry) -> None:
            outcome = await self._entry(client, source, feed.lang, entry)
            counts[outcome] = counts.get(outcome, 0) + 1
            self.progress(label, sum(counts.values()), len(entries))

        await asyncio.gather(*(one(e) for e in entries))
        for outcome, n in (await self._retry_pending(client, source)).items():
            counts[outcome] = counts.get(outcome, 0) + n
        self._count(counts)
        self.summary.feeds_ok += 1
        log.update(status="ok", entries=len(entries), **_log_counts(counts))
        validators = {k: resp.headers[k] for k in ("etag", "last-modified") if k in resp.headers}
        self.store.feed_done(self.run_id, source.url, source.outlet, started, log, validators)

    def _count(self, counts: dict[str, int]) -> None:
        for outcome in ("new", "updated", "seen", "skipped"):
            setattr(self.summary, outcome, getattr(self.summary, outcome) + counts.get(outcome, 0))
        self.summary.duplicates += counts.get("duplicate", 0)
        self.summary.skipped += counts.get("failed", 0)

    def _feed_failed(self, source: Source, started: str, log: dict[str, Any], name: str,
                     error: str) -> None:
        self.summary.feeds_failed += 1
        self.summary.problems.append(f"{name}: {error}")
        self.store.feed_done(self.run_id, source.url, source.outlet, started,
                             {**log, "status": "failed", "error": error}, None)

    # ------------------------------------------------------------------ one entry

    async def _entry(self, client: PoliteClient, source: Source, feed_lang: str | None,
                     entry: Entry, retrying: bool = False) -> str:
        """Store one entry; returns new, updated, seen, duplicate, skipped or failed."""
        where = f"{source.outlet}: {entry.url or entry.guid or entry.title or 'an entry'}"
        bad = scheme_problem(entry.url) if entry.url else "no link"
        key = normalise_url(entry.url) if not bad else None
        guid_key = f"guid:{entry.guid}" if entry.guid else None
        keys = [k for k in (key, guid_key) if k]
        if keys and keys[0] in self._handled:
            return "seen"  # listed twice in one feed, or in two feeds read this run
        self._handled.update(keys)
        known = self.store.find(keys) if keys else None
        if known is not None and not self._read_again(known, entry):
            return "seen"
        if key and known is None and not retrying:
            failed = self.store.failure(key)
            if failed is not None and not failed["retry"]:
                return "skipped"  # a 404 or a refusal in an earlier run: not asked again
        wants_page = source.full_page or (source.full_page is None and is_teaser(entry.text))
        article = self._article(source, feed_lang, entry, key or guid_key or "")
        if wants_page and bad:
            if is_teaser(entry.text):
                self.summary.problems.append(f"{where}: link not fetched ({bad}); skipped")
                return "skipped"
            self.summary.problems.append(f"{where}: link not fetched ({bad}); stored the "
                                         "feed's text")
            wants_page = False
        if wants_page:
            page = await self._page(client, entry.url, known)
            if isinstance(page, Response):
                return self._page_failed(source, entry, article, keys, known, page, where)
            if page is not None:
                self._from_page(article, *page, keys)
            elif known is not None:  # 304: the stored page stands
                article.update(text=known["text"], status=known["status"])
        elif not article["text"].strip():
            self.summary.problems.append(f"{where}: no text in the feed and no page read; "
                                         "skipped")
            return "skipped"
        outcome, _ = self.store.save(article, keys)
        return outcome

    def _page_failed(self, source: Source, entry: Entry, article: dict[str, Any],
                     keys: list[str], known: Any, page: Response, where: str) -> str:
        """Keep the feed's teaser when there is one; a passing failure (5xx, 429, timeout)
        is tried again in the next runs, up to MAX_PAGE_TRIES."""
        reason = page.error or f"HTTP {page.status}"
        if not entry.text.strip():
            tries = self.store.record_failure(keys[0], entry.url or "", source.url, reason,
                                              page.retry_later, _entry_json(entry))
            again = page.retry_later and tries < MAX_PAGE_TRIES
            self.summary.problems.append(f"{where}: page {reason}; skipped"
                                         + ("; tried again next run" if again else ""))
            return "failed"
        tries = (known["page_tries"] if known is not None else 0) + 1
        again = page.retry_later and tries < MAX_PAGE_TRIES
        self.summary.problems.append(f"{where}: page {reason}; kept the feed's teaser"
                                     + ("; page tried again next run" if again else ""))
        article.update(status="teaser", note=f"page: {reason}", retry=int(again),
                       page_tries=tries)
        if known is not None and known["status"] != "teaser":
            article.update(text=known["text"], status=known["status"], note=known["note"])
        outcome, _ = self.store.save(article, keys)
        return outcome if outcome != "seen" else "failed"

    async def _retry_pending(self, client: PoliteClient, source: Source) -> dict[str, int]:
        """Pages this feed left for a later run, tried again whether or not the feed
        changed (a 304 feed lists nothing, yet its teasers still wait for their pages)."""
        articles, entries = self.store.pending(source.url)
        todo = [_row_entry(row) for row in articles] + [_json_entry(e) for e in entries]
        todo = [e for e in todo if normalise_url(e.url or "") not in self._handled]
        counts: dict[str, int] = {}
        for outcome in await asyncio.gather(*(self._entry(client, source, None, e, True)
                                              for e in todo)):
            counts[outcome] = counts.get(outcome, 0) + 1
        return counts

    def _read_again(self, known: Any, entry: Entry) -> bool:
        """A stored article is read again when its page failed for a passing reason, or
        when the feed says the entry changed since it was stored."""
        if known["retry"]:
            return True
        if known["status"] == "teaser":
            return False  # its page failed for good (a 404, robots.txt): not asked again
        if entry.updated is None:
            return False
        stored = known["entry_updated"]
        return stored is None or entry.updated.isoformat() > stored

    async def _page(self, client: PoliteClient, url: str, known: Any
                    ) -> tuple[Page, Response] | Response | None:
        """The page's extracted text and its response, the failed Response, or None when
        the page has not changed since it was stored (304)."""
        headers = {}
        if known is not None and known["status"] == "page":
            if known["etag"]:
                headers["If-None-Match"] = known["etag"]
            if known["last_modified"]:
                headers["If-Modified-Since"] = known["last_modified"]
        self._pages_total += 1
        resp = await client.get(url, headers, page=True)
        self._pages_done += 1
        self.progress("pages", self._pages_done, self._pages_total)
        if resp.not_modified:
            return None
        if not resp.ok:
            self.summary.pages_failed += 1
            return resp
        self.summary.pages += 1
        loop = asyncio.get_running_loop()
        page, problems = await loop.run_in_executor(self._pool, _extract, resp.body,
                                                    resp.final_url, resp.charset)
        if page is None:
            self.summary.pages_failed += 1
            resp.error = "; ".join(problems) or "no text found"
            return resp
        return page, resp

    def _article(self, source: Source, feed_lang: str | None, entry: Entry, key: str
                 ) -> dict[str, Any]:
        now = utc_now()
        published = entry.published or entry.updated
        return {
            "id": article_id(key or entry.title or now),
            "url": entry.url or key,
            "canonical_url": None,
            "outlet": source.outlet,
            "feed": source.url,
            "first_seen": now,
            "fetched_at": now,
            "published": published.isoformat() if published else None,
            "entry_updated": entry.updated.isoformat() if entry.updated else None,
            "day": published.date().isoformat() if published else now[:10],
            "day_from": "feed" if published else "fetched",
            "lang_hint": source.lang or _primary(feed_lang),
            "title": entry.title,
            "author": entry.author,
            "text": entry.text,
            "status": "feed",
            "note": None,
            "retry": 0,
            "etag": None,
            "last_modified": None,
        }

    def _from_page(self, article: dict[str, Any], page: Page, resp: Response,
                   keys: list[str]) -> None:
        """The page's text and metadata into the article; its final and canonical URLs
        become keys, and a canonical URL names the article (whichever feed came first)."""
        body = page.paragraphs
        if page.title and body and body[0] == page.title and article["title"]:
            body = body[1:]  # the feed's headline is the title; the page's is not text
        article.update(text="\n\n".join(body), status="page",
                       title=article["title"] or page.title,
                       author=article["author"] or page.author,
                       etag=resp.headers.get("etag"),
                       last_modified=resp.headers.get("last-modified"))
        if article["day_from"] == "fetched" and page.date:
            article.update(day=page.date.isoformat(), day_from="page")
        for url in (resp.final_url, page.url):
            normal = normalise_url(url) if url else None
            if normal and normal not in keys:
                keys.append(normal)
        canonical = normalise_url(page.url) if page.url else None
        if canonical:
            article.update(canonical_url=page.url, id=article_id(canonical))


def _log_counts(counts: dict[str, int]) -> dict[str, int]:
    return {"new": counts.get("new", 0), "updated": counts.get("updated", 0),
            "seen": counts.get("seen", 0) + counts.get("duplicate", 0),
            "failed": counts.get("failed", 0) + counts.get("skipped", 0)}


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {"url": entry.url, "guid": entry.guid, "title": entry.title, "text": entry.text,
            "author": entry.author,
            "published": entry.published.isoformat() if entry.published else None,
            "updated": entry.updated.isoformat() if entry.updated else None}


def _json_entry(data: dict[str, Any]) -> Entry:
    return Entry(data.get("url"), data.get("guid"), data.get("title"),
                 parse_time(data["published"]) if data.get("published") else None,
                 parse_time(data["updated"]) if data.get("updated") else None,
                 data.get("text") or "", data.get("author"))


def _row_entry(row: Any) -> Entry:
    """A stored teaser as the entry it came from (to fetch its page again)."""
    return Entry(row["url"], None, row["title"],
                 parse_time(row["published"]) if row["published"] else None,
                 parse_time(row["entry_updated"]) if row["entry_updated"] else None,
                 row["text"], row["author"])


def _primary(lang: str | None) -> str | None:
    from pipeline.model import SUPPORTED_LANGS

    code = (lang or "").replace("_", "-").split("-")[0].lower()
    return code if code in SUPPORTED_LANGS else None


def fetch(sources: Sources, store: ArticleStore, progress: Progress | None = None,
          transport: Any = None) -> FetchSummary:
    """Fetch every feed into the store; see the module docstring."""
    return Fetcher(sources, store, progress, transport).run()
