"""A persistent translation cache in SQLite, keyed by backend, model, pair and text hash.

Neural and LLM translation cost seconds (or money) per sentence, and the same titles and
summary sentences come back on every rerun of a daily digest. Only those tiers are cached:
the offline gloss is faster than a cache lookup and changes with its dictionaries and code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.cache import open_store, text_key
from pipeline.model import Translation
from pipeline.translate.base import PartialTranslation, Translator

CACHED_TIERS = ("nmt", "llm")


class CachedTranslator:
    """Wraps one backend; same protocol, so the router cannot tell the difference."""

    def __init__(self, inner: Translator, path: Path, model_key: str = "") -> None:
        self.inner = inner
        self.name = inner.name
        self.model_key = f"{inner.name}:{model_key or getattr(inner, 'model', '')}"
        self.hits = 0
        self._db = open_store(path, "CREATE TABLE IF NOT EXISTS translations (model TEXT, "
                              "pair TEXT, hash TEXT, text TEXT, tier TEXT, backend TEXT, "
                              "PRIMARY KEY (model, pair, hash))")

    def __getattr__(self, attr: str):
        return getattr(self.inner, attr)

    def supports(self, src: str, tgt: str) -> bool:
        return self.inner.supports(src, tgt)

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        pair = f"{src}>{tgt}"
        key_of = {t: text_key(t) for t in texts}
        keys = [key_of[t] for t in texts]
        found: dict[str, Translation] = {}
        for key in set(keys):
            row = self._db.execute(
                "SELECT text, tier, backend FROM translations WHERE model=? AND pair=? AND hash=?",
                (self.model_key, pair, key)).fetchone()
            if row:
                found[key] = Translation(row[0], row[1], row[2])
        self.hits += sum(1 for k in keys if k in found)
        todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found))
        rejected: PartialTranslation | None = None
        if todo:
            try:
                results = self.inner.translate(todo, src, tgt)
            except PartialTranslation as exc:  # keep what passed, never cache what did not
                rejected, results = exc, exc.results
            rows = []
            for text, result in zip(todo, results):
                if result is None:
                    continue
                key = key_of[text]
                found[key] = result
                if not result.untranslated:
                    rows.append((self.model_key, pair, key, result.text, result.tier,
                                 result.backend))
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)", rows)
        if rejected is not None:
            raise PartialTranslation([found.get(k) for k in keys], rejected.reasons)
        return [found[k] for k in keys]


def with_cache(backend: Translator, path: Path) -> Translator:
    """The backend itself for cheap tiers, a cached wrapper for neural and LLM ones."""
    if getattr(backend, "tier", None) in CACHED_TIERS:
        return CachedTranslator(backend, path)
    return backend
