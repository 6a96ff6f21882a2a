"""A polite HTTP client for feeds and article pages (httpx, asyncio).

What each request goes through, in order: only http and https; robots.txt for pages
(protego, one parse per host per run; Crawl-delay honoured); a slot among `concurrency`
requests in flight and `per_host_concurrency` to its host, started no sooner than
`per_host_interval` after the host's last start; a total time limit from connecting to the
last byte (a server that trickles bytes cannot hold a slot forever) and a size cap on the
decoded body (a gzip bomb is cut off at the cap); redirects followed by hand, so each hop is
checked like the first; bounded retries with doubling backoff after a 429, a 5xx or a
dropped connection, waiting as long as Retry-After asks up to `max_retry_after`.

Nothing raises for a bad server: every outcome is a `Response` whose `error` is one line.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline.fetch.policy import FetchPolicy
from pipeline.fetch.urls import scheme_problem

_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_STATUS = (429, 500, 502, 503, 504)


@dataclass
class Response:
    """One fetch's outcome: a body, a 304, or an `error` line (`retry_later`: worth trying
    again next run, e.g. a 503 or a timeout; a 404 or a robots.txt refusal is not)."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    retry_later: bool = False
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type header declares (it may be wrong: a hint only)."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value.strip(' "'):
                return value.strip(' "')
        return None


class _Host:
    """One host's share: its request slots, when its next request may start, its robots."""

    def __init__(self, slots: int) -> None:
        self.slots = asyncio.Semaphore(slots)
        self.next_start = 0.0
        self.interval = 0.0
        self.robots = None  # protego.Protego, or a str: why every page is refused
        self.robots_lock = asyncio.Lock()


class PoliteClient:
    """Use as `async with PoliteClient(policy) as client: await client.get(url)`."""

    def __init__(self, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None
                 ) -> None:
        self.policy = policy
        self._transport = transport
        self._hosts: dict[str, _Host] = {}
        self._slots = asyncio.Semaphore(policy.concurrency)
        self.requests = 0
        self.bytes = 0
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Self:
        limits = httpx.Limits(max_connections=self.policy.concurrency,
                              max_keepalive_connections=self.policy.concurrency)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.policy.user_agent,
                     "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False, limits=limits, transport=self._transport,
            timeout=httpx.Timeout(self.policy.timeout), trust_env=self.policy.trust_env)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        if key not in self._hosts:
            self._hosts[key] = _Host(self.policy.per_host_concurrency)
            self._hosts[key].interval = self.policy.per_host_interval
        return self._hosts[key]

    async def get(self, url: str, headers: dict[str, str] | None = None,
                  page: bool = False) -> Response:
        """GET with redirects, retries and the policy's limits; `page` applies robots.txt."""
        asked, hops = url, 0
        result = Response(asked, url)
        while True:
            bad = scheme_problem(url)
            if bad:
                return _failed(result, url, bad if hops == 0 else f"redirected to {url}: {bad}")
            if page and self.policy.robots:
                refusal = await self._robots_refusal(url)
                if refusal:
                    return _failed(result, url, refusal)
            result = await self._with_retries(asked, url, headers or {}, result.attempts)
            if result.status not in _REDIRECTS or result.error:
                return result
            location = result.headers.get("location")
            if not location:
                return _failed(result, url, f"HTTP {result.status} without a Location header")
            hops += 1
            if hops > self.policy.max_redirects:
                return _failed(result, url, f"more than {self.policy.max_redirects} redirects")
            url = urljoin(url, location)

    async def _with_retries(self, asked: str, url: str, headers: dict[str, str],
                            attempts: int) -> Response:
        delay = self.policy.backoff
        for attempt in range(self.policy.retries + 1):
            result = await self._once(asked, url, headers)
            result.attempts = attempts + attempt + 1
            retryable = result.status in _RETRY_STATUS or result.retry_later
            if not retryable:
                return result
            wait = _retry_after(result.headers.get("retry-after"))
            if wait is not None and wait > self.policy.max_retry_after:
                result.error = (f"{_what(result)}; the server asks to retry after {wait:.0f} s "
                                f"(more than max_retry_after = {self.policy.max_retry_after:g} s):"
                                " left for the next run")
                result.retry_later = True
                return result
            if attempt == self.policy.retries:
                break
            await asyncio.sleep(max(wait if wait is not None else 0.0, delay))
            delay *= 2
        tries = self.policy.retries + 1
        result.error = f"{_what(result)} after {tries} tr{'y' if tries == 1 else 'ies'}"
        result.retry_later = True
        return result

    async def _once(self, asked: str, url: str, headers: dict[str, str]) -> Response:
        """One request in a global and a host slot, paced, within the total time limit."""
        host = self._host(url)
        async with host.slots:  # a host's pacing wait holds none of the global slots
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + host.interval
            if start > now:
                await asyncio.sleep(start - now)
            async with self._slots:
                self.requests += 1
                try:
                    async with asyncio.timeout(self.policy.timeout):
                        return await self._read(asked, url, headers)
                except TimeoutError:
                    return Response(asked, url, error=f"no complete response within "
                                    f"{self.policy.timeout:g} s (timeout)", retry_later=True)
                except httpx.HTTPError as exc:
                    reason = str(exc) or type(exc).__name__
                    return Response(asked, url, error=f"connection failed ({reason})",
                                    retry_later=True)

    async def _read(self, asked: str, url: str, headers: dict[str, str]) -> Response:
        assert self._client is not None, "use PoliteClient in `async with`"
        cap = self.policy.max_bytes
        async with self._client.stream("GET", url, headers=headers) as resp:
            head = {k.lower(): v for k, v in resp.headers.items()}
            result = Response(asked, url, resp.status_code, headers=head)
            declared = head.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                result.error = f"response of {int(declared):,} bytes is over max_bytes ({cap:,})"
                return result
            chunks, size = [], 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    result.error = f"response over max_bytes ({cap:,} bytes), not read further"
                    self.bytes += size
                    return result
                chunks.append(chunk)
            self.bytes += size
            result.body = b"".join(chunks)
            if resp.status_code >= 400 and resp.status_code not in _RETRY_STATUS:
                result.error = f"HTTP {resp.status_code}"
            return result

    async def _robots_refusal(self, url: str) -> str | None:
        """Why robots.txt refuses this page to us, else None. RFC 9309: a 4xx robots.txt
        allows everything; an unreachable one (5xx, timeout) refuses everything."""
        from protego import Protego

        host = self._host(url)
        async with host.robots_lock:
            if host.robots is None:
                parts = urlsplit(url)
                robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
                found = await self.get(robots_url)  # redirects followed (RFC 9309: 5+)
                if found.status is not None and 400 <= found.status < 500:
                    host.robots = Protego.parse("")
                elif not found.ok:
                    host.robots = f"robots.txt unreachable ({found.error}): pages not fetched"
                else:
                    text = found.body.decode("utf-8", errors="replace")
                    host.robots = Protego.parse(text)
                    delay = host.robots.crawl_delay(self.policy.user_agent)
                    if delay:
                        host.interval = max(host.interval,
                                            min(float(delay), self.policy.max_crawl_delay))
        if isinstance(host.robots, str):
            return host.robots
        if not host.robots.can_fetch(url, self.policy.user_agent):
            return "disallowed by robots.txt"
        return None


def _failed(result: Response, url: str, error: str) -> Response:
    result.final_url, result.error, result.retry_later = url, error, False
    return result


def _what(result: Response) -> str:
    return f"HTTP {result.status}" if result.status else (result.error or "no response")


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    import datetime as dt

    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
