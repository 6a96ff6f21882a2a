"""The feeds a user follows: a TOML file of feeds (with an optional `[fetch]` policy table)
or an OPML export from any feed reader. `newsdigest sources check` runs `load_sources`.

Every problem is collected, one line each naming the feed, so a user fixes a file in one
pass instead of one error per run.
"""

from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from pipeline.fetch.policy import FetchPolicy
from pipeline.fetch.urls import normalise_url, scheme_problem
from pipeline.model import SUPPORTED_LANGS

_FEED_KEYS = {"url", "outlet", "lang", "full_page"}


@dataclass(frozen=True)
class Source:
    """One feed: where it is, whose it is, and how its articles are read.

    `full_page`: True always fetches the article page, False never does (the feed carries
    whole articles), None fetches it when the feed gives only a teaser (`is_teaser`)."""

    url: str
    outlet: str
    lang: str | None = None  # a hint: language ID still reads every paragraph
    full_page: bool | None = None


@dataclass
class Sources:
    feeds: list[Source] = field(default_factory=list)
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    problems: list[str] = field(default_factory=list)  # one line each; empty when valid


class SourcesError(ValueError):
    """The sources file cannot be used at all (missing, not TOML/OPML, no feeds)."""


def load_sources(path: str | Path) -> Sources:
    """Read a TOML or OPML sources file; bad feeds become lines in `problems` (and are left
    out), a file that is unusable as a whole raises `SourcesError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    head = data.lstrip()[:200].lower()
    if path.suffix.lower() in (".opml", ".xml") or head.startswith((b"<?xml", b"<opml")):
        sources = _from_opml(data, str(path))
    else:
        sources = _from_toml(data, str(path))
    _drop_repeats(sources, str(path))
    if not sources.feeds and not sources.problems:
        raise SourcesError(f"{path}: no feeds listed")
    return sources


def _lang_hint(value: Any, where: str, problems: list[str]) -> str | None:
    if value in (None, ""):
        return None
    primary = str(value).replace("_", "-").split("-")[0].lower()
    if primary not in SUPPORTED_LANGS:
        problems.append(f"{where}: lang {value!r} is not one of {', '.join(SUPPORTED_LANGS)}; "
                        "the hint is ignored (language ID still runs)")
        return None
    return primary


def _feed(raw: dict[str, Any], where: str, problems: list[str]) -> Source | None:
    unknown = sorted(set(raw) - _FEED_KEYS)
    if unknown:
        problems.append(f"{where}: unknown keys {', '.join(unknown)} "
                        f"(known: {', '.join(sorted(_FEED_KEYS))})")
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        problems.append(f"{where}: no url")
        return None
    bad = scheme_problem(url.strip())
    if bad:
        problems.append(f"{where}: {url}: {bad}")
        return None
    outlet = raw.get("outlet")
    if outlet is not None and (not isinstance(outlet, str) or not outlet.strip()):
        problems.append(f"{where}: outlet must be a non-empty string")
        outlet = None
    full_page = raw.get("full_page")
    if full_page is not None and not isinstance(full_page, bool):
        problems.append(f"{where}: full_page must be true or false, got {full_page!r}")
        full_page = None
    return Source(url.strip(), (outlet or "").strip() or _host_of(url),
                  _lang_hint(raw.get("lang"), where, problems), full_page)


def _host_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url


def _from_toml(data: bytes, display: str) -> Sources:
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourcesError(f"{display}: neither OPML nor valid TOML ({exc})") from None
    sources = Sources()
    unknown = sorted(set(parsed) - {"feed", "fetch"})
    if unknown:
        sources.problems.append(f"{display}: unknown tables {', '.join(unknown)} "
                                "(expected [[feed]] and [fetch])")
    feeds = parsed.get("feed", [])
    if not isinstance(feeds, list):
        raise SourcesError(f"{display}: `feed` must be an array of tables ([[feed]])")
    for i, raw in enumerate(feeds, 1):
        where = f"{display}: feed {i}"
        if not isinstance(raw, dict):
            sources.problems.append(f"{where}: not a table")
            continue
        feed = _feed(raw, where, sources.problems)
        if feed:
            sources.feeds.append(feed)
    sources.policy = _policy(parsed.get("fetch", {}), display, sources.problems)
    return sources


def _policy(raw: Any, display: str, problems: list[str]) -> FetchPolicy:
    if not isinstance(raw, dict):
        problems.append(f"{display}: [fetch] must be a table")
        return FetchPolicy()
    known = {f.name: f for f in fields(FetchPolicy)}
    good = {}
    for key, value in raw.items():
        if key not in known:
            problems.append(f"{display}: [fetch] unknown key {key!r} "
                            f"(known: {', '.join(sorted(known))})")
            continue
        default = getattr(FetchPolicy(), key)
        if isinstance(default, bool) != isinstance(value, bool) or not isinstance(
                value, type(default) if not isinstance(default, float) else (int, float)):
            problems.append(f"{display}: [fetch] {key} must be {type(default).__name__}, "
                            f"got {value!r}")
            continue
        try:  # each value on its own: every bad one is a line, the good ones are kept
            FetchPolicy(**{key: value})
        except ValueError as exc:
            problems.append(f"{display}: [fetch] {exc}")
            continue
        good[key] = value
    return FetchPolicy(**good)


def _from_opml(data: bytes, display: str) -> Sources:
    """Every outline with an `xmlUrl`, however deeply nested in folders (feed readers export
    categories as nested outlines); `text` or `title` names the outlet."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SourcesError(f"{display}: not valid OPML/XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise SourcesError(f"{display}: XML but not OPML (root <{root.tag}>)")
    sources = Sources()
    for i, outline in enumerate(root.iter("outline"), 1):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url is None:
            continue  # a folder
        raw = {"url": url, "outlet": outline.get("text") or outline.get("title"),
               "lang": outline.get("language")}
        feed = _feed({k: v for k, v in raw.items() if v is not None},
                     f"{display}: outline {i}", sources.problems)
        if feed:
            sources.feeds.append(feed)
    return sources


def _drop_repeats(sources: Sources, display: str) -> None:
    """One feed listed twice (perhaps with tracking parameters) is fetched once."""
    seen: dict[str, Source] = {}
    kept = []
    for feed in sources.feeds:
        key = normalise_url(feed.url) or feed.url
        if key in seen:
            sources.problems.append(f"{display}: {feed.url} is listed twice "
                                    f"(also as {seen[key].url}); read once")
            continue
        seen[key] = feed
        kept.append(feed)
    sources.feeds = kept
