"""sentence-transformers models from a hub id or a local folder (the `embed` extra).

Users with a model hub pick e.g. `intfloat/multilingual-e5-base`; offline users point
`model` at a local folder (see models/README.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from pipeline.embed.base import normalise


def _looks_like_path(model: str) -> bool:
    """A local path rather than a hub id ("org/name" has one '/', so '/' alone does not count)."""
    return (model.startswith((".", "/", "~")) or model.count("/") > 1
            or (os.sep != "/" and os.sep in model))


class SentenceTransformerEmbedder:
    name = "sentence-transformers"

    def __init__(self, model: str, prefix: str = "passage: ", batch_size: int = 32) -> None:
        if _looks_like_path(model) and not os.path.exists(model):
            # fail here, not after a hub lookup on a name that is no hub id (slow, confusing)
            raise FileNotFoundError(f"sentence-transformers model folder not found: {model!r}")
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
