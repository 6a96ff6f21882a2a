"""Which house published a document: an outlet and its editions in other languages are one.

Yonhap's English service, 연합뉴스 and 聯合ニュース are one house; so are Focus Taiwan and
中央社. A translation is expected within a house, or from an agency the translating outlet
credits; two houses with unrelated pages that say the same thing sentence by sentence wrote
from one set of facts (a press release, a briefing) and are two sources.

A document's house keys come from its outlet name and its URL's host, through the table in
`pipeline/data/outlets.toml` where it knows the house; otherwise the host's name part (the
label before the public suffix: `hani` for english.hani.co.kr) and the folded outlet name
are keys of their own. A document with neither has no keys and is nobody's stranger.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

from pipeline.dedup.text import normalise_text
from pipeline.model import Document

# labels of public suffixes and of the .example hosts of written test pages: never a name
_SUFFIX_LABELS = frozenset((
    "com", "net", "org", "edu", "gov", "co", "or", "ne", "go", "ac", "info", "biz", "news", "tv",
    "kr", "jp", "cn", "tw", "hk", "sg", "uk", "us", "de", "fr", "au", "in", "example", "test"))
# host labels that name a service, not a house (english.news.cn, m.news.example)
_GENERIC_LABELS = frozenset(("news", "www", "m", "mobile", "en", "english", "world", "global"))
_LATIN = re.compile(r"^[a-z0-9 ]+$")


@cache
def _table() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(folded name → house id, domain name part → house id, agencies' house keys)."""
    text = resources.files("pipeline.data").joinpath("outlets.toml").read_text("utf-8")
    names: dict[str, str] = {}
    hosts: dict[str, str] = {}
    outlets = tomllib.loads(text)["outlet"]
    for outlet in outlets:
        for name in outlet["names"]:
            names[normalise_text(name)] = outlet["id"]
        for domain in outlet.get("domains", ()):
            hosts[domain] = outlet["id"]
            name = host_name(domain)
            if name:
                hosts.setdefault(name, outlet["id"])
    agencies = frozenset(f"house:{o['id']}" for o in outlets if o.get("agency"))
    return names, hosts, agencies


def host_name(host: str) -> str | None:
    """The name part of a host: its last label that is not a public-suffix label
    (english.hani.co.kr → hani, www.cna.com.tw → cna); None where that is a service word
    (news.cn → news)."""
    labels = [label for label in host.lower().split(".") if label]
    while labels and labels[-1] in _SUFFIX_LABELS:
        labels.pop()
    return labels[-1] if labels and labels[-1] not in _GENERIC_LABELS else None


def _contains(text: str, name: str) -> bool:
    """`name` in folded `text`, on word boundaries where the name is in Latin letters."""
    if _LATIN.match(name):
        return f" {name} " in f" {text} "
    return name in text


@cache
def house_of_name(outlet: str) -> str | None:
    """The table's house for an outlet name: the longest listed name it contains."""
    folded = normalise_text(outlet)
    names = _table()[0]
    if folded in names:
        return names[folded]
    found = [(len(name), house) for name, house in names.items()
             if len(name) >= 2 and _contains(folded, name)]
    return max(found)[1] if found else None


def house_of_host(host: str) -> str | None:
    """The table's house for a host: a listed domain it ends in, or one's name part."""
    host = host.lower()
    hosts = _table()[1]
    for domain, house in hosts.items():
        if "." in domain and (host == domain or host.endswith("." + domain)):
            return house
    name = host_name(host)
    return hosts.get(name) if name else None


def outlet_key(outlet: str) -> str:
    """One key per house for an outlet name: its editions' names share it (counting
    independent sources: Focus Taiwan and 中央社 are one newsroom)."""
    house = house_of_name(outlet)
    return f"house:{house}" if house else f"name:{normalise_text(outlet)}"


def house_keys(doc: Document) -> frozenset[str]:
    """Every key naming the document's house (empty: nothing says who published it)."""
    return _house_keys(doc.outlet, doc.url)


@lru_cache(maxsize=65536)
def _house_keys(outlet: str | None, url: str | None) -> frozenset[str]:
    keys: set[str] = set()
    if outlet and outlet.strip():
        keys.add(outlet_key(outlet))
    host = urlsplit(url).hostname if url else None
    if host:
        house = house_of_host(host)
        name = host_name(host)
        if house:
            keys.add(f"house:{house}")
        elif name:
            keys.add(f"host:{name}")
    return frozenset(keys)


def is_wire(doc: Document) -> bool:
    """Published by a news agency: the version other outlets reprint."""
    return bool(house_keys(doc) & _table()[2])


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """`normalise_text` of a page, kept: one page meets several candidates."""
    return normalise_text(text)


@lru_cache(maxsize=4096)
def credited_houses(text: str) -> frozenset[str]:
    """Houses of the table whose names the text states (an agency credit, a `据路透社`)."""
    folded = _folded(text)
    return frozenset(f"house:{house}" for name, house in _table()[0].items()
                     if len(name) >= 3 and _contains(folded, name))


def _page_text(doc: Document) -> str:
    """Title and whole text, credit lines and datelines included."""
    return f"{doc.title or ''}\n{doc.text}"


def strangers(a: Document, b: Document) -> bool:
    """Are the two documents known to come from different houses, neither naming the
    other's?"""
    keys_a, keys_b = house_keys(a), house_keys(b)
    if not keys_a or not keys_b or keys_a & keys_b:
        return False
    text_a, text_b = _page_text(a), _page_text(b)
    named_a = {k for k in keys_a if k.startswith("house:")}
    named_b = {k for k in keys_b if k.startswith("house:")}
    if named_b & credited_houses(text_a) or named_a & credited_houses(text_b):
        return False
    plain_a = {k.split(":", 1)[1] for k in keys_a if k.startswith("name:")}
    plain_b = {k.split(":", 1)[1] for k in keys_b if k.startswith("name:")}
    folded_a, folded_b = _folded(text_a), _folded(text_b)
    return not (any(_contains(folded_a, n) for n in plain_b)
                or any(_contains(folded_b, n) for n in plain_a))
