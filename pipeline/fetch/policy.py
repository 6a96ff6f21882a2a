"""How politely and how long the fetcher waits: one frozen policy, set in the sources
file's `[fetch]` table or on the command line. Defaults follow what outlets expect of a
feed reader: one request at a time per host, a second apart, robots.txt obeyed for pages."""

from __future__ import annotations

from dataclasses import dataclass

POSITIVE = ("concurrency", "per_host_concurrency", "max_bytes", "max_entries")
NOT_NEGATIVE = ("per_host_interval", "max_crawl_delay", "backoff", "max_retry_after", "retries",
                "max_redirects")
USER_AGENT = "newsdigest/0.1 (feed reader; +https://pypi.org/project/newsdigest/)"


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = USER_AGENT
    concurrency: int = 16  # requests in flight over all hosts (network waits overlap)
    per_host_concurrency: int = 1  # requests in flight to one host
    per_host_interval: float = 1.0  # seconds between request starts to one host
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay is honoured up to this
    timeout: float = 30.0  # seconds for one response, connect to last byte
    max_bytes: int = 5_000_000  # one response (after gzip): larger is skipped, not cut
    retries: int = 2  # more tries after a 429, a 5xx or a dropped connection
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_retry_after: float = 120.0  # a longer Retry-After gives up until the next run
    max_redirects: int = 5
    max_entries: int = 200  # entries read per feed per run (newest first in most feeds)
    robots: bool = True  # obey robots.txt for article pages (feeds are subscribed to)
    trust_env: bool = True  # HTTP(S)_PROXY / NO_PROXY from the environment

    def __post_init__(self) -> None:
        for name in POSITIVE:
            if not getattr(self, name) >= 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)!r}")
        for name in NOT_NEGATIVE:  # written `not >=` so that NaN fails too
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)!r}")
        if not self.timeout > 0 or self.timeout == float("inf"):
            raise ValueError(f"timeout must be positive, got {self.timeout!r}")
