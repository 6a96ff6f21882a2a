"""URLs as the store keys them: one article reached through two feeds, a tracking
parameter or a fragment is one key (courlan does the normalising)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https")
_SLUG = re.compile(r"[^a-z0-9.]+")


def scheme_problem(url: str) -> str | None:
    """Why a URL is never fetched (a `file:`, `ftp:` or `javascript:` link), else None."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"not a URL ({exc})"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        shown = parts.scheme or "none"
        return f"scheme {shown!r} is not fetched (only http and https)"
    if not parts.hostname:
        return "no host in the URL"
    return None


def normalise_url(url: str) -> str | None:
    """The store's key for a URL: courlan's normal form (host lower-cased, default port and
    tracking parameters dropped, parameters sorted) without the fragment; None when the URL
    is not an http(s) URL."""
    from courlan import normalize_url

    if scheme_problem(url):
        return None
    try:
        normal = normalize_url(url.strip())
    except (ValueError, TypeError):
        return None
    return normal.split("#", 1)[0]


def article_id(key_url: str) -> str:
    """A readable, stable document id: the host and a hash of the article's URL key
    (`example.com-3f2a9c1b0d`); the same URL gives the same id in every run."""
    host = (urlsplit(key_url).hostname or "article").removeprefix("www.")
    slug = _SLUG.sub("-", host.lower()).strip("-.") or "article"
    digest = hashlib.sha1(key_url.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}"
