"""The models a run needs, built in one place from the config: the embedder, the
translation router and the summary generator.

`newsdigest run`, `batch` and `translate` and the evaluation harness all build them here,
so a config option (a translator list, `summarizer = "llm"`, an embedder's options) means
the same in each. What differs is only where the caches live: the user cache folder for a
run (each cache switched by the config), a batch's output folder for an archive (part of
its resumable state, so always on).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.cache import cache_dir
from pipeline.config import Config
from pipeline.embed import Embedder, get_embedder
from pipeline.embed.cache import CachedEmbedder
from pipeline.summarize import GuardedGenerator, build_generator
from pipeline.translate import TranslationRouter

_USER_CACHE = object()  # the default: the user cache folder, if the config turns the cache on


@dataclass
class Backends:
    embedder: Embedder
    router: TranslationRouter
    generator: GuardedGenerator | None  # None: extractive summaries only


def build_embedder(config: Config, cache: Path | None | object = _USER_CACHE) -> Embedder:
    """The configured embedder, behind a persistent cache at `cache` (None: none; the
    default: the user cache folder unless `embedding_cache` is off)."""
    embedder = get_embedder(config.embedder, **config.embedder_options)
    if cache is _USER_CACHE:
        cache = cache_dir() / "embeddings.sqlite" if config.embedding_cache else None
    if cache is None:
        return embedder
    return CachedEmbedder(embedder, Path(cache), json.dumps(config.embedder_options,
                                                            sort_keys=True))


def build_router(config: Config, cache: Path | None | object = _USER_CACHE,
                 translators: Sequence[str] | None = None) -> TranslationRouter:
    """The translation router over `translators` (default: the config's), its cache at
    `cache` as for `build_embedder` (`translation_cache`)."""
    if cache is _USER_CACHE:
        cache = cache_dir() / "translations.sqlite" if config.translation_cache else None
    return TranslationRouter(tuple(translators or config.translators), cache,
                             config.translator_options)


def build_backends(config: Config, folder: Path | None = None) -> Backends:
    """All three. `folder`: a batch's output folder, where both caches always live; None:
    the user cache folder, each cache as the config says. A bad name or option fails here,
    before any input is read."""
    if folder is None:
        return Backends(build_embedder(config), build_router(config), build_generator(config))
    return Backends(build_embedder(config, folder / "embeddings.sqlite"),
                    build_router(config, folder / "translations.sqlite"),
                    build_generator(config))


def describe_backends(config: Config, router: TranslationRouter) -> dict[str, str]:
    """What a digest says produced it (`digest.json` "backends"), the same for a run and for
    each day of a batch: the embedder, translators and summarizer, and the route each
    source language takes into each output language."""
    from pipeline.model import base_lang

    return {
        "embedder": config.embedder,
        "translators": ",".join(config.translators),
        "summarizer": config.summarizer,
        **{f"translate:{s}->{t}": router.describe(s, base_lang(t))
           for s in ("en", "zh", "ja", "ko") for t in config.langs if s != base_lang(t)},
    }
