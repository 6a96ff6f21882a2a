"""The SQLite translation cache, the router's use of it, and `newsdigest translate`."""

from __future__ import annotations

import io
import sys
from typing import ClassVar

from pipeline.cli import main
from pipeline.model import Translation
from pipeline.translate import TRANSLATORS, TranslationRouter
from pipeline.translate.cache import CachedTranslator, with_cache


class CountingNMT:
    """A stand-in neural backend that records every text it is asked to translate."""

    name = "counting"
    tier = "nmt"
    model = "fake-zh-en"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def supports(self, src: str, tgt: str) -> bool:
        return (src, tgt) == ("zh", "en")

    def translate(self, texts, src, tgt):
        self.seen += list(texts)
        return [Translation(f"<{t}>", "nmt", self.name) for t in texts]


def test_cache_serves_repeats_without_the_model(tmp_path):
    inner = CountingNMT()
    cached = CachedTranslator(inner, tmp_path / "t.sqlite")
    first = cached.translate(["中国", "美国", "中国"], "zh", "en")
    assert [t.text for t in first] == ["<中国>", "<美国>", "<中国>"]
    assert inner.seen == ["中国", "美国"]  # duplicates inside a batch translated once
    again = CachedTranslator(CountingNMT(), tmp_path / "t.sqlite")
    second = again.translate(["美国", "中国"], "zh", "en")
    assert [t.text for t in second] == ["<美国>", "<中国>"]
    assert again.inner.seen == [] and again.hits == 2
    assert second[0].tier == "nmt" and second[0].backend == "counting"


def test_cache_keys_include_the_pair_and_the_model(tmp_path):
    cached = CachedTranslator(CountingNMT(), tmp_path / "t.sqlite")
    cached.translate(["中国"], "zh", "en")
    other = CountingNMT()
    other.model = "another-model"
    CachedTranslator(other, tmp_path / "t.sqlite").translate(["中国"], "zh", "en")
    assert other.seen == ["中国"]


def test_only_costly_tiers_are_cached(tmp_path):
    from pipeline.translate.gloss_zh import CedictGlossTranslator

    assert isinstance(with_cache(CountingNMT(), tmp_path / "t.sqlite"), CachedTranslator)
    gloss = CedictGlossTranslator()
    assert with_cache(gloss, tmp_path / "t.sqlite") is gloss


def test_router_uses_the_cache(tmp_path, monkeypatch):
    backend = CountingNMT()
    monkeypatch.setitem(TRANSLATORS, "counting", lambda options=None: [backend])
    TranslationRouter(["counting"], tmp_path / "t.sqlite").translate(["稀土"], "zh", "en")
    fresh = TranslationRouter(["counting"], tmp_path / "t.sqlite")
    assert fresh.translate(["稀土"], "zh", "en")[0].text == "<稀土>"
    assert backend.seen == ["稀土"]


def _run_translate(monkeypatch, capsys, text: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(["translate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_translate_command_keeps_lines_aligned(monkeypatch, capsys):
    text = "中国手握稀土“王牌”\n\n美国和乌兹别克斯坦承诺投资4亿美元。\n"
    code, out, _ = _run_translate(monkeypatch, capsys, text, "--from", "zh", "--to", "en")
    lines = out.split("\n")
    assert code == 0 and len(lines) == 4 and lines[1] == "" and lines[3] == ""
    assert "rare earth" in lines[0] and "$400 million" in lines[2]


def test_translate_command_names_the_pairs_it_can_do(monkeypatch, capsys):
    code, _, err = _run_translate(monkeypatch, capsys, "Korea\n", "--from", "en", "--to", "ko")
    assert code == 1
    assert "en→ko" in err and "gloss-cedict (zh→en)" in err


def test_router_falls_back_when_a_model_cannot_load(monkeypatch, recwarn):
    from pipeline.translate.base import ModelUnavailable

    class Broken(CountingNMT):
        name = "broken"

        def translate(self, texts, src, tgt):
            raise ModelUnavailable("broken: no model in /nowhere; download it with ...")

    from pipeline.translate.gloss_zh import CedictGlossTranslator

    monkeypatch.setitem(TRANSLATORS, "broken", lambda options=None: [Broken()])
    monkeypatch.setitem(TRANSLATORS, "zhgloss", lambda options=None: [CedictGlossTranslator()])
    router = TranslationRouter(["broken", "zhgloss"])
    result = router.translate(["中国"], "zh", "en")[0]
    assert result.tier == "gloss" and result.text == "China"
    assert any("/nowhere" in str(w.message) for w in recwarn)
    assert [b.name for b in router.backends] == ["gloss-cedict"]


def test_auto_uses_the_gloss_and_says_how_to_get_a_model(tmp_path, monkeypatch):
    """With an empty store `auto` glosses without a setup remark; what a reader sees is the
    advice for the pairs actually glossed (a digest's notice, `translate`'s note)."""
    from pipeline.translate.advice import gloss_advice

    monkeypatch.setenv("NEWSDIGEST_MODELS", str(tmp_path / "empty-store"))
    router = TranslationRouter(["auto"])
    assert router.describe("zh", "en") == "gloss-cedict"
    assert router.describe("ja", "zh") == "gloss-jmdict+gloss-cedict-reverse"
    assert router.notices == []
    advice = gloss_advice([("zh", "en"), ("ja", "zh")])
    assert advice.startswith("ja→zh, zh→en: translated with the offline dictionary gloss")
    assert advice.endswith("newsdigest models get nllb-200-distilled-600M opus-mt-zh-en --ct2")


def test_rejected_texts_go_to_the_next_backend_and_are_not_cached(tmp_path, monkeypatch,
                                                                   recwarn):
    """A backend that rejects some outputs (failed check) keeps the rest; the gloss fills in."""
    from pipeline.translate.base import PartialTranslation
    from pipeline.translate.gloss_zh import CedictGlossTranslator

    class Picky(CountingNMT):
        name = "picky"
        calls: ClassVar[list[list[str]]] = []

        def translate(self, texts, src, tgt):
            self.calls.append(list(texts))
            results = [None if "稀土" in t else Translation(f"[{t}]", "nmt", self.name)
                       for t in texts]
            if any(r is None for r in results):
                raise PartialTranslation(results, ["numbers differ"] * results.count(None))
            return results

    picky = Picky()
    monkeypatch.setitem(TRANSLATORS, "picky", lambda options=None: [picky])
    monkeypatch.setitem(TRANSLATORS, "zhgloss", lambda options=None: [CedictGlossTranslator()])
    texts = ["中国", "稀土", "美国"]
    out = TranslationRouter(["picky", "zhgloss"], tmp_path / "t.sqlite").translate(texts, "zh", "en")
    assert [r.tier for r in out] == ["nmt", "gloss", "nmt"]
    assert out[0].text == "[中国]" and out[1].text.lower() == "rare earth"
    assert any("1 of 3" in str(w.message) and "numbers differ" in str(w.message) for w in recwarn)
    # a second run asks the backend again only for the rejected text (the others are cached)
    TranslationRouter(["picky", "zhgloss"], tmp_path / "t.sqlite").translate(texts, "zh", "en")
    assert picky.calls[-1] == ["稀土"]
