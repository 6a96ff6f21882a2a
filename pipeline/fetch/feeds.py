"""Feed documents to entries: RSS 0.9x/1.0/2.0 and Atom through feedparser (which handles
their encodings, namespaces and date formats), JSON Feed 1.0/1.1 read here (feedparser 6
does not read it; the format is a small JSON schema).

A feed that is malformed but still yields entries (feedparser's "bozo" flag) is used, with
a warning; one that yields nothing is an error line.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from pipeline.ingest.readers import block_paragraphs
from pipeline.lang.scripts import CJK_CHAR

_JSON_TYPES = ("application/feed+json", "application/json")
_TEASER_CHARS = {"cjk": 160, "other": 500}  # below this a feed's text is a teaser


@dataclass
class Entry:
    """One feed item as the fetcher needs it; `text` is the feed's own text (a teaser or,
    in full-content feeds, the whole article), as paragraphs joined by blank lines."""

    url: str | None
    guid: str | None
    title: str | None
    published: dt.datetime | None  # timezone-aware when the feed says the offset
    updated: dt.datetime | None
    text: str
    author: str | None = None


@dataclass
class ParsedFeed:
    title: str | None = None
    lang: str | None = None
    entries: list[Entry] = field(default_factory=list)
    warning: str | None = None  # the feed was malformed but gave entries
    error: str | None = None  # no entries could be read


def is_teaser(text: str) -> bool:
    """A feed text too short to be the article (a summary or a first paragraph): the page
    is fetched. Han, kana and hangul carry about three Latin characters' worth each."""
    cjk = len(CJK_CHAR.findall(text))
    budget = _TEASER_CHARS["cjk"] if cjk > len(text) / 3 else _TEASER_CHARS["other"]
    return len(text.strip()) < budget


def parse_feed(body: bytes, content_type: str = "", url: str = "") -> ParsedFeed:
    """Entries of a feed document, newest first as the feed lists them."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _JSON_TYPES or body.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{":
        return _json_feed(body)
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-type": content_type or "",
                                                      "content-location": url})
    feed = ParsedFeed(title=parsed.feed.get("title") or None,
                      lang=parsed.feed.get("language") or None)
    with warnings.catch_warnings():  # feedparser warns when asked for an absent `updated`
        warnings.simplefilter("ignore", DeprecationWarning)
        feed.entries.extend(_xml_entry(item) for item in parsed.entries)
    if parsed.get("bozo"):
        reason = _bozo_reason(parsed.get("bozo_exception"))
        if not feed.entries:
            feed.error = f"not a readable feed ({reason})"
        else:
            feed.warning = f"malformed feed read anyway ({reason})"
    elif not parsed.get("version") and not feed.entries:
        feed.error = "not a feed (no RSS, Atom or JSON Feed document found)"
    return feed


def _bozo_reason(exc: Any) -> str:
    text = str(exc) if exc else "unknown error"
    return " ".join(text.split())[:160]


def _xml_entry(item: Any) -> Entry:
    contents = [c.get("value", "") for c in item.get("content", []) if c.get("value")]
    html = max(contents, key=len) if contents else item.get("summary", "")
    return Entry(
        url=item.get("link") or None,
        guid=item.get("id") or None,
        title=_plain(item.get("title")),
        published=_when(item.get("published"), item.get("published_parsed")),
        updated=_when(item.get("updated"), item.get("updated_parsed")),
        text=html_text(html),
        author=_plain(item.get("author")),
    )


def html_text(html: str | None) -> str:
    """A feed's HTML (or plain) text as paragraphs joined by blank lines."""
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", html) if p.strip())
    return "\n\n".join(block_paragraphs(f"<html><body>{html}</body></html>"))


def _plain(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = html_text(value) if "<" in value else value
    return " ".join(text.split()) or None


def _when(raw: Any, parsed: Any) -> dt.datetime | None:
    """The feed's own time string keeps the outlet's offset (its local day is the day it
    means); feedparser's parsed tuple, in UTC, is the fallback for odd formats."""
    if isinstance(raw, str) and raw.strip():
        found = parse_time(raw)
        if found is not None:
            return found
    if parsed:
        try:
            return dt.datetime(*parsed[:6], tzinfo=dt.UTC)
        except (TypeError, ValueError):
            return None
    return None


def parse_time(raw: str) -> dt.datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, JSON Feed) to a datetime; None when neither."""
    raw = raw.strip()
    try:
        return dt.datetime.fromisoformat(raw)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None


def _json_feed(body: bytes) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ParsedFeed(error=f"not a readable JSON Feed ({exc})")
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return ParsedFeed(error="not a JSON Feed (no items list)")
    feed = ParsedFeed(title=_plain(data.get("title")), lang=_str(data.get("language")))
    skipped = 0
    for item in data["items"]:
        if not isinstance(item, dict):
            skipped += 1
            continue
        html = _str(item.get("content_html"))
        text = html_text(html) if html else (_str(item.get("content_text")) or "")
        if not text:
            text = _str(item.get("summary")) or ""
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
        feed.entries.append(Entry(
            url=_str(item.get("url")) or _str(item.get("external_url")),
            guid=_str(item.get("id")) if item.get("id") is not None else None,
            title=_plain(item.get("title")),
            published=_when(item.get("date_published"), None),
            updated=_when(item.get("date_modified"), None),
            text=text,
            author=", ".join(names) or None,
        ))
    if skipped:
        feed.warning = f"{skipped} item(s) that are not JSON objects skipped"
    return feed


def _str(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() or None if isinstance(value, str) else None
