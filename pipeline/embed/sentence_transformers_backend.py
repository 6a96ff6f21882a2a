"""sentence-transformers models from a hub id or a local folder (the `embed` extra).

Users with a model hub pick e.g. `intfloat/multilingual-e5-base`; offline users point
`model` at a local folder (see models/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.embed.base import normalise


class SentenceTransformerEmbedder:
    name = "sentence-transformers"

    def __init__(self, model: str, prefix: str = "passage: ", batch_size: int = 32) -> None:
        self.model_id = model
        self.prefix = prefix
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on the extra
                raise RuntimeError(
                    "the sentence-transformers embedder needs `pip install newsdigest[embed]`"
                ) from exc
            self._model = SentenceTransformer(self.model_id, device="cpu")
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(
            [self.prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return normalise(vectors)
