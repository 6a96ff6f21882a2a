"""Translation backends by name, and the router the pipeline calls.

`translators` in the config lists backend names in order of preference; for each language
pair the router uses the first that supports it, pivots through English when only the two
halves exist (ja→en→zh), and falls back to an untranslated pass-through that says so.
Adding a backend touches one new module and one line in `TRANSLATORS`.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pipeline.model import Translation
from pipeline.translate.base import (
    ModelUnavailable,
    PartialTranslation,
    Translator,
    TranslatorNotice,
)
from pipeline.translate.cache import with_cache
from pipeline.translate.passthrough import Untranslated


def _gloss(options: Mapping | None = None) -> list[Translator]:
    from pipeline.translate.gloss_ja import JMdictGlossTranslator
    from pipeline.translate.gloss_ko import KoreanGlossTranslator
    from pipeline.translate.gloss_zh import CedictGlossTranslator
    from pipeline.translate.reverse_gloss import ReverseCedictGlossTranslator
    from pipeline.translate.reverse_gloss_ja import ReverseJMdictGlossTranslator

    return [CedictGlossTranslator(), JMdictGlossTranslator(), ReverseCedictGlossTranslator(),
            ReverseJMdictGlossTranslator(), KoreanGlossTranslator()]


def _model_backends(formats: tuple[str, ...], options: Mapping | None = None
                    ) -> list[Translator]:
    """One backend per model the store holds, serving the pairs for which it is the best
    present model (models/manifest.toml: the recommended model, then manifest order), in the
    given formats ("ct2": the converted int8 folder, preferred; "hf": the transformers one).
    A multilingual model is loaded once for all its pairs."""
    from pipeline.translate.ctranslate2_backend import CTranslate2Translator
    from pipeline.translate.manifest import best_present, model_folder, read_manifest
    from pipeline.translate.transformers_backend import TransformersTranslator

    options = dict(options or {})
    manifest = read_manifest()
    won: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (name, format) -> pairs
    for pair, (entry, fmt) in best_present(manifest, formats=formats).items():
        won.setdefault((entry.name, fmt), []).append(pair)
    keys = ("beam_size", "batch_size", "max_new_tokens", "compute_type", "max_input_tokens")
    built: list[Translator] = []
    for (name, fmt), pairs in won.items():
        e = manifest.entry(name)
        folder = str(model_folder(e, ct2=fmt == "ct2"))
        common = {"family": e.family, "prefix": e.prefix, "hub_id": e.hub, "pairs": pairs}
        if fmt == "ct2":
            built.append(CTranslate2Translator(folder, *pairs[0], **common,
                                               **{k: options[k] for k in keys if k in options}))
        else:
            built.append(TransformersTranslator(folder, *pairs[0], **common))
    return built


def _transformers(options: Mapping | None = None) -> list[Translator]:
    """The transformers folders of manifest models in the store; none means fall back."""
    from pipeline.translate.manifest import store_dir

    found = _model_backends(("hf",), options)
    if not found:
        warnings.warn(TranslatorNotice(
            f"transformers: no model from models/manifest.toml found in {store_dir()} "
            "(get one with `newsdigest models get opus-mt-zh-en`, or set NEWSDIGEST_MODELS to "
            "use another store); using the next translator"), stacklevel=2)
    return found


def _ctranslate2(options: Mapping | None = None) -> list[Translator]:
    """The CTranslate2 folders (<name>-ct2) of manifest models in the store; none means
    fall back."""
    from pipeline.translate.manifest import store_dir

    found = _model_backends(("ct2",), options)
    if not found:
        warnings.warn(TranslatorNotice(
            f"ctranslate2: no converted model from models/manifest.toml found in {store_dir()} "
            "(get one with `newsdigest models get opus-mt-zh-en --ct2`, or set "
            "NEWSDIGEST_MODELS to use another store); using the next translator"),
            stacklevel=2)
    return found


def _auto(options: Mapping | None = None) -> list[Translator]:
    """The best backends present: per pair the best model in the store (its int8
    CTranslate2 folder before its transformers folder), then the gloss. A pair with no
    model but two halves through English is pivoted by the router; a digest that used the
    gloss says which pairs and the command that fetches their models (`advice.py`)."""
    return _model_backends(("ct2", "hf"), options) + _gloss()


def _llm(options: Mapping | None = None) -> list[Translator]:
    """An OpenAI-compatible chat endpoint: base_url/model/api_key from `translator_options.llm`,
    else NEWSDIGEST_LLM_BASE_URL / NEWSDIGEST_LLM_MODEL / NEWSDIGEST_LLM_API_KEY."""
    from pipeline.translate.llm_backend import LLMTranslator

    try:
        return [LLMTranslator.from_env(options)]
    except ModelUnavailable as exc:  # not configured: say how, let the next backend work
        warnings.warn(TranslatorNotice(f"{exc}; using the next translator"), stacklevel=2)
        return []


# name -> factory returning one or more backends (a family such as the offline gloss); the
# factory gets that name's table from `translator_options` in the config (base URL, model...)
TRANSLATORS: dict[str, Callable[[Mapping], list[Translator]]] = {
    "auto": _auto,
    "ctranslate2": _ctranslate2,
    "gloss": _gloss,
    "llm": _llm,
    "transformers": _transformers,
}


MEMO_SIZE = 20_000  # translations kept in memory by a router


class TranslationRouter:
    """Routes each pair to a backend; memoises per (pair, text) within a run."""

    def __init__(self, names: Sequence[str], cache: Path | None = None,
                 options: Mapping[str, Mapping] | None = None) -> None:
        """`cache`: SQLite file for neural/LLM results (see translate/cache.py); None: none.
        `options`: per backend name, the settings its factory takes (config
        `translator_options`)."""
        unknown = [n for n in names if n not in TRANSLATORS]
        if unknown:
            known = ", ".join(sorted(TRANSLATORS))
            raise ValueError(f"unknown translator {unknown[0]!r}; known: {known}")
        self.names = tuple(names)
        self.cache = cache
        self.options = dict(options or {})
        self.notices: list[str] = []  # setup remarks for the reader (e.g. no model present)
        self._backends: list[Translator] | None = None
        self._fallback = Untranslated()
        # the last MEMO_SIZE texts (a digest asks for a title or sentence many times; an
        # archive must not keep every sentence it ever translated)
        self._memo: OrderedDict[tuple[str, str, str], Translation] = OrderedDict()

    @property
    def backends(self) -> list[Translator]:
        if self._backends is None:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                built = [b for name in self.names
                         for b in TRANSLATORS[name](self.options.get(name, {}))]
            for caught_warning in caught:  # kept for the digest, and passed on as they came
                self.notices.append(str(caught_warning.message))
                warnings.warn(caught_warning.message, stacklevel=2)
            self._backends = [with_cache(b, self.cache) if self.cache else b for b in built]
        return self._backends

    def _direct(self, src: str, tgt: str, after: Translator | None = None) -> Translator | None:
        """The first backend serving the pair (the first one after `after`, if given)."""
        backends = self.backends
        if after is not None:
            backends = backends[backends.index(after) + 1:]
        return next((b for b in backends if b.supports(src, tgt)), None)

    def pairs(self) -> list[str]:
        """`backend (src→tgt)` for every pair a configured backend serves, for error messages."""
        langs = ("en", "zh", "ja", "ko")
        return [f"{b.name} ({s}→{t})" for b in self.backends for s in langs for t in langs
                if s != t and b.supports(s, t)]

    def describe(self, src: str, tgt: str) -> str:
        direct = self._direct(src, tgt)
        if direct:
            return direct.name
        if self._direct(src, "en") and self._direct("en", tgt):
            return f"{self._direct(src, 'en').name}+{self._direct('en', tgt).name}"
        return self._fallback.name

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        if src == tgt:
            return [Translation(t, "original", "original") for t in texts]
        memo = self._memo
        unique = list(dict.fromkeys(texts))
        todo = [t for t in unique if (src, tgt, t) not in memo]
        found = dict(zip(todo, self._translate(todo, src, tgt))) if todo else {}
        for text in unique:
            key = (src, tgt, text)
            if text in found:
                memo[key] = found[text]
            else:
                found[text] = memo[key]
                memo.move_to_end(key)
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
        return [found[t] for t in texts]

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[Translation]:
        """Route one batch; a backend whose model turns out to be unusable is dropped (with
        one warning saying why) and the next one takes over, so a run always finishes."""
        try:
            return self._route(texts, src, tgt)
        except ModelUnavailable as exc:
            broken = next((b for b in self.backends if str(exc).startswith(f"{b.name}:")), None)
            broken = broken or self._direct(src, tgt)
            warnings.warn(f"{exc} — falling back to the next translator", stacklevel=2)
            self._backends = [b for b in self.backends if b is not broken]
            return self._translate(texts, src, tgt)

    def _route(self, texts: list[str], src: str, tgt: str,
               after: Translator | None = None) -> list[Translation]:
        direct = self._direct(src, tgt, after)
        if direct:
            try:
                return direct.translate(texts, src, tgt)
            except PartialTranslation as exc:  # rejected texts go to the next backend
                return self._refill(texts, src, tgt, direct, exc)
        first, second = self._direct(src, "en"), self._direct("en", tgt)
        if first and second and "en" not in (src, tgt):
            middle = first.translate(texts, src, "en")
            final = second.translate([m.text for m in middle], "en", tgt)
            return [
                Translation(f.text, _weaker(m.tier, f.tier), f"{m.backend}+{f.backend}")
                for m, f in zip(middle, final)
            ]
        return self._fallback.translate(texts, src, tgt)


    def _refill(self, texts: list[str], src: str, tgt: str, rejecting: Translator,
                exc: PartialTranslation) -> list[Translation]:
        """Keep what `rejecting` produced; send the rest to the backends after it."""
        todo = [t for t, r in zip(texts, exc.results) if r is None]
        reasons = sorted(set(exc.reasons))
        warnings.warn(f"{rejecting.name}: {len(todo)} of {len(texts)} {src}->{tgt} texts "
                      f"rejected ({'; '.join(reasons[:3])}); using the next translator",
                      stacklevel=3)
        rest = iter(self._route(todo, src, tgt, after=rejecting))
        return [r if r is not None else next(rest) for r in exc.results]


_RANK = {"original": 3, "llm": 2, "nmt": 1, "gloss": 0}


def _weaker(a: str, b: str) -> str:
    """A pivot is only as good as its weaker half."""
    return a if _RANK[a] <= _RANK[b] else b


__all__ = ["TRANSLATORS", "TranslationRouter", "Translator"]
