"""A local news site for the fetch tests, on 127.0.0.1 (a thread; started and stopped by
the tests): four outlets' feeds (RSS 2.0, Atom, JSON Feed, an RSS feed in EUC-KR) and an
OPML list, article pages with real-page furniture (navigation, a most-read sidebar, an AI
summary box, a footer) in UTF-8, GBK, Shift_JIS and EUC-KR, and a "trouble" outlet whose
links hit every failure a fetcher meets: 404, 500, 429 with Retry-After (short and long),
a stalled response, a page over the size cap, a robots.txt refusal, a redirect chain, a
non-http link, a copy of another outlet's article under its own URL, a malformed feed.

The articles are tests/feedsite/articles/*.toml (written for the tests from fact sheets);
`day` selects which are published: day 1, then day 2 adds the rest.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
import time
import tomllib
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

ARTICLES = Path(__file__).parent / "feedsite" / "articles"

OUTLETS = {  # key: (name, language, page encoding, feed path, feed format)
    "harbor": ("Harbor Daily", "en", "utf-8", "/harbor/rss.xml", "rss"),
    "dongfang": ("东方晨报", "zh", "gbk", "/dongfang/atom.xml", "atom"),
    "kitahama": ("北浜新聞", "ja", "shift_jis", "/kitahama/feed.json", "json"),
    "hanbit": ("한빛일보", "ko", "euc-kr", "/hanbit/rss.xml", "rss-euc-kr"),
}
# this page's Content-Type says Latin-1, though it is Shift_JIS (and its meta says nothing)
WRONGLY_DECLARED = "/kitahama/1-visa.html"
TROUBLE_TEXT = ("Port officials in Busan said on Monday that cargo checks on the Korea "
                "Strait ferry routes would be tightened after the fire.")


@dataclass
class Article:
    key: str  # day-event
    outlet: str
    lang: str
    day: int
    published: str
    title: str
    author: str
    teaser: str
    paragraphs: list[str]

    @property
    def path(self) -> str:
        return f"/{self.outlet}/{self.key}.html"


def load_articles() -> list[Article]:
    out = []
    for path in sorted(ARTICLES.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        out.append(Article(f"{data['day']}-{data['event']}", data["outlet"], data["lang"],
                           data["day"], data["published"], data["title"], data["author"],
                           data["teaser"], data["paragraphs"]))
    return out


def page_html(article: Article, base: str, charset: str | None) -> str:
    """An article page as outlets build them: the text between navigation, a sidebar of
    other headlines, an AI-summary box and a footer."""
    esc = html.escape
    meta = f'<meta charset="{charset}">' if charset else ""
    name = OUTLETS[article.outlet][0]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{article.lang}"><head>{meta}
<title>{esc(article.title)} | {esc(name)}</title>
<link rel="canonical" href="{base}{article.path}">
<meta property="og:site_name" content="{esc(name)}">
<meta property="article:published_time" content="{article.published}">
<meta name="author" content="{esc(article.author)}">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/login">Sign in</a></li></ul></nav></header>
<main><article>
<h1>{esc(article.title)}</h1>
<div class="byline">{esc(article.author)} | {article.published}</div>
<aside class="ai-summary"><h2>AI summary</h2><ul><li>{esc(article.teaser)}</li></ul></aside>
{body}
</article></main>
<aside class="most-read"><h2>Most read</h2><ol>
<li><a href="/x/1">Markets close higher as exporters rally</a></li>
<li><a href="/x/2">Weekend weather: snow expected in the north</a></li>
<li><a href="/x/3">Five recipes for winter evenings</a></li></ol></aside>
<footer><p>Copyright 2026 {esc(name)}. All rights reserved. Reproduction prohibited.</p></footer>
</body></html>"""


@dataclass
class Site:
    day: int = 1
    articles: list[Article] = field(default_factory=load_articles)
    stall_seconds: float = 3.0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    busy_hits: int = 0
    base: str = ""

    def published(self) -> list[Article]:
        return sorted((a for a in self.articles if a.day <= self.day),
                      key=lambda a: a.published, reverse=True)

    def feed(self, outlet: str) -> tuple[bytes, str]:
        name, lang, _, path, kind = OUTLETS[outlet]
        items = [a for a in self.published() if a.outlet == outlet]
        if kind == "json":
            doc = {"version": "https://jsonfeed.org/version/1.1", "title": name,
                   "language": lang, "home_page_url": f"{self.base}/{outlet}/",
                   "feed_url": f"{self.base}{path}",
                   "items": [{"id": f"{self.base}{a.path}", "url": f"{self.base}{a.path}",
                              "title": a.title, "summary": a.teaser,
                              "date_published": a.published,
                              "authors": [{"name": a.author}]} for a in items]}
            return json.dumps(doc, ensure_ascii=False).encode(), "application/feed+json"
        if kind == "atom":
            entries = "".join(
                f"<entry><id>{self.base}{a.path}</id><title>{html.escape(a.title)}</title>"
                f'<link rel="alternate" href="{self.base}{a.path}?utm_source=atom"/>'
                f"<published>{a.published}</published><updated>{a.published}</updated>"
                f"<author><name>{html.escape(a.author)}</name></author>"
                f"<summary>{html.escape(a.teaser)}</summary></entry>" for a in items)
            xml = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/'
                   f'Atom" xml:lang="{lang}"><title>{name}</title><id>{self.base}/{outlet}/</id>'
                   f"<updated>{items[0].published if items else '2026-12-01T00:00:00Z'}</updated>"
                   f"{entries}</feed>")
            return xml.encode(), "application/atom+xml"
        encoding = "euc-kr" if kind == "rss-euc-kr" else "utf-8"
        entries = "".join(
            f"<item><title>{html.escape(a.title)}</title><link>{self.base}{a.path}</link>"
            f'<guid isPermaLink="true">{self.base}{a.path}</guid>'
            f"<pubDate>{_rfc822(a.published)}</pubDate>"
            f"<description>{html.escape(a.teaser)}</description></item>" for a in items)
        xml = (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
               f"<title>{name}</title><link>{self.base}/{outlet}/</link>"
               f"<language>{lang}</language>{entries}</channel></rss>")
        return xml.encode(encoding), f"application/rss+xml; charset={encoding}"

    def trouble_feed(self) -> bytes:
        links = ["/trouble/missing", "/trouble/broken", "/trouble/busy", "/trouble/later",
                 "/trouble/stall", "/trouble/huge", "/private/secret", "/trouble/hop1",
                 "/trouble/copy", "ftp://files.example.org/ferry.txt"]
        items = "".join(
            f"<item><title>Trouble {i}: {html.escape(link.rsplit('/', 1)[-1])}</title>"
            f"<link>{link if link.startswith('ftp') else self.base + link}</link>"
            f"<pubDate>Mon, 07 Dec 2026 0{i}:00:00 +0900</pubDate>"
            f"<description>{html.escape(TROUBLE_TEXT)} (item {i})</description></item>"
            for i, link in enumerate(links))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Trouble Times</title><link>{self.base}/trouble/</link>"
                f"<language>en</language>{items}</channel></rss>").encode()

    def world_feed(self) -> bytes:
        """Harbor Daily's world section: its articles again, one with a tracking parameter
        (the same URL once normalised), one under a section path (the same text)."""
        ferry = f"{self.base}/harbor/world/1-ferry.html"
        visa = f"{self.base}/harbor/1-visa.html?utm_source=world&utm_medium=rss"
        items = "".join(f"<item><title>World {i}</title><link>{html.escape(link)}</link>"
                        f"<description>Section teaser {i}.</description></item>"
                        for i, link in enumerate((ferry, visa)))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Harbor Daily World</title><link>{self.base}/harbor/</link>"
                f"{items}</channel></rss>").encode()

    def opml(self) -> bytes:
        outlines = "".join(
            f'<outline type="rss" text="{name}" xmlUrl="{self.base}{path}" language="{lang}"/>'
            for name, lang, _, path, _ in OUTLETS.values())
        return (f'<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><head><title>'
                f"news</title></head><body><outline text=\"Asia\">{outlines}</outline>"
                f"</body></opml>").encode()


def _rfc822(iso: str) -> str:
    import datetime as dt

    return format_datetime(dt.datetime.fromisoformat(iso))


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


class _Handler(BaseHTTPRequestHandler):
    site: Site  # set on the subclass made per server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        site = self.site
        path = self.path.split("?", 1)[0]
        site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        by_path = {a.path: a for a in site.published()}
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/sources.opml":
            return self._send(200, site.opml(), "text/x-opml")
        for outlet, (_, _, _, feed_path, _) in OUTLETS.items():
            if path == feed_path:
                body, kind = site.feed(outlet)
                return self._send(200, body, kind, conditional=True,
                                  gzip_ok=outlet == "harbor")
        if path in by_path:
            return self._page(by_path[path])
        if path == "/harbor/world.xml":
            return self._send(200, site.world_feed(), "application/rss+xml", conditional=True)
        if path.startswith("/harbor/world/") and path.replace("/world", "") in by_path:
            # the same article under a section URL, with no canonical link: one text, two URLs
            article = by_path[path.replace("/world", "")]
            page = page_html(article, site.base, "utf-8")
            page = page.replace(f'<link rel="canonical" href="{site.base}{article.path}">', "")
            return self._send(200, page, "text/html; charset=utf-8")
        return self._trouble(path)

    def _page(self, article: Article) -> None:
        encoding = OUTLETS[article.outlet][2]
        wrong = article.path == WRONGLY_DECLARED
        text = page_html(article, self.site.base, None if wrong else encoding)
        header = "iso-8859-1" if wrong else encoding
        self._send(200, text.encode(encoding), f"text/html; charset={header}",
                   conditional=True, gzip_ok=True)

    def _trouble(self, path: str) -> None:
        site = self.site
        if path == "/trouble/rss.xml":
            return self._send(200, site.trouble_feed(), "application/rss+xml", conditional=True)
        if path == "/broken/rss.xml":
            return self._send(200, b"<?xml version='1.0'?><rss><channel><title>Br<<oken",
                              "application/rss+xml")
        if path == "/down/rss.xml" or path == "/trouble/broken":
            return self._send(500, b"internal error", "text/plain")
        if path == "/trouble/busy":
            site.busy_hits += 1
            if site.busy_hits == 1:
                return self._send(429, b"slow down", "text/plain", extra={"Retry-After": "1"})
            return self._send(200, _plain_page("Busy port", TROUBLE_TEXT), "text/html")
        if path == "/trouble/later":
            return self._send(429, b"slow down", "text/plain", extra={"Retry-After": "3600"})
        if path == "/trouble/stall":
            time.sleep(site.stall_seconds)
            return self._send(200, _plain_page("Stalled", TROUBLE_TEXT), "text/html")
        if path == "/trouble/huge":
            filler = "<p>" + "Filler paragraph of a page that never ends. " * 40 + "</p>"
            return self._send(200, _plain_page("Huge", TROUBLE_TEXT + filler * 200),
                              "text/html")
        if path == "/private/secret":
            return self._send(200, _plain_page("Secret", TROUBLE_TEXT), "text/html")
        if path.startswith("/trouble/hop"):
            n = int(path.removeprefix("/trouble/hop"))
            target = f"/trouble/hop{n + 1}" if n < 3 else "/trouble/landed"
            return self._send(301 if n % 2 else 302, b"", "text/plain",
                              extra={"Location": target})
        if path == "/trouble/landed":
            return self._send(200, _plain_page("Landed after three redirects", TROUBLE_TEXT +
                                               " The redirect chain ended here."), "text/html")
        if path == "/trouble/copy":  # Harbor Daily's day-1 ferry article, reprinted
            article = next(a for a in site.articles if a.path == "/harbor/1-ferry.html")
            return self._send(200, page_html(article, "", "utf-8").replace(
                '<link rel="canonical" href="/harbor/1-ferry.html">', "").encode(),
                "text/html; charset=utf-8")
        return self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes | str, kind: str, conditional: bool = False,
              gzip_ok: bool = False, extra: dict[str, str] | None = None) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = dict(extra or {})
        if conditional and status == 200:
            etag = _etag(body)
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if gzip_ok and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _plain_page(title: str, text: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{text}</p></article></body></html>")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up on a stalled response resets its connection


class FeedServer:
    """`with FeedServer() as server:` serves `server.site` at `server.base`."""

    def __init__(self, site: Site | None = None) -> None:
        self.site = site or Site()
        handler = type("Handler", (_Handler,), {"site": self.site})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.site.base = self.base
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def sources_toml(self, folder: Path, feeds: list[str | tuple[str, str]],
                     **fetch: object) -> Path:
        """A sources file listing these feeds (outlet keys, paths, or (path, outlet) pairs)
        with a `[fetch]` policy."""
        lines = []
        for feed in feeds:
            if isinstance(feed, tuple):
                lines.append(f'[[feed]]\nurl = "{self.base}{feed[0]}"\noutlet = "{feed[1]}"\n')
            elif feed in OUTLETS:
                name, lang, _, path, _ = OUTLETS[feed]
                lines.append(f'[[feed]]\nurl = "{self.base}{path}"\noutlet = "{name}"\n'
                             f'lang = "{lang}"\n')
            else:
                lines.append(f'[[feed]]\nurl = "{self.base}{feed}"\noutlet = "{feed}"\n')
        if fetch:
            lines.append("[fetch]\n" + "".join(f"{k} = {json.dumps(v)}\n"
                                               for k, v in fetch.items()))
        path = folder / "sources.toml"
        path.write_text("\n".join(lines), "utf-8")
        return path
