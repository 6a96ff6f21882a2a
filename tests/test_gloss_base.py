"""The contract every dictionary gloss shares (pipeline.translate.gloss_base.DictionaryGloss).

One parametrized suite over the four backends: each is a Translator for exactly one language
pair (region tags ignored), refuses other pairs, keeps batch order and blanks, and stamps tier
"gloss" with its own name on every result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from pipeline.translate.base import Translator
from pipeline.translate.gloss_base import DictionaryGloss, base_lang, splice
from pipeline.translate.gloss_ja import JMdictGlossTranslator
from pipeline.translate.gloss_zh import CedictGlossTranslator
from pipeline.translate.reverse_gloss import ReverseCedictGlossTranslator
from pipeline.translate.reverse_gloss_ja import ReverseJMdictGlossTranslator

Pair = tuple[str, str]


@dataclass(frozen=True)
class Backend:
    cls: type[DictionaryGloss]
    name: str
    pair: Pair
    warmup: str  # glossed once so the dictionaries load before the tests; also the probe text
    region_pairs: tuple[Pair, ...]  # the same pair spelled with region tags
    other_pairs: tuple[Pair, ...]  # pairs it must refuse
    batch: tuple[str, ...]
    expected: tuple[str, ...]


BACKENDS = [
    Backend(
        CedictGlossTranslator, "gloss-cedict", ("zh", "en"), "中国",
        region_pairs=(("zh-TW", "en"),),
        other_pairs=(("en", "zh"), ("ja", "en")),
        batch=("中国", "", "  ", "稀土"), expected=("China", "", "", "Rare earth"),
    ),
    Backend(
        JMdictGlossTranslator, "gloss-jmdict", ("ja", "en"), "日本",
        region_pairs=(("ja-JP", "en-US"),),
        other_pairs=(("zh", "en"), ("en", "ja")),
        batch=("関連記事", "", "拒否"), expected=("Relation article", "", "Refusal"),
    ),
    Backend(
        ReverseCedictGlossTranslator, "gloss-cedict-reverse", ("en", "zh"), "China",
        region_pairs=(("en", "zh-CN"),),
        other_pairs=(("zh", "en"), ("en", "ja")),
        batch=("rare earths", "", "tariffs"), expected=("稀土", "", "关税"),
    ),
    Backend(
        ReverseJMdictGlossTranslator, "gloss-jmdict-reverse", ("en", "ja"), "China",
        region_pairs=(("en-US", "ja-JP"),),
        other_pairs=(("ja", "en"), ("en", "zh")),
        batch=("rare earths", "", "tariffs", "supply chains"),
        expected=("レアアース", "", "関税", "サプライチェーン"),
    ),
]  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS, ids=lambda b: b.name)
def backend(request: pytest.FixtureRequest) -> tuple[Backend, DictionaryGloss]:
    """One translator per backend for the module: each dictionary loads once."""
    spec: Backend = request.param
    translator = spec.cls()
    translator.gloss(spec.warmup)
    return spec, translator


def test_is_a_translator_for_one_pair_only(backend: tuple[Backend, DictionaryGloss]) -> None:
    spec, glosser = backend
    assert isinstance(glosser, Translator)
    assert glosser.name == spec.name
    assert (glosser.src, glosser.tgt) == spec.pair
    for src, tgt in (spec.pair, *spec.region_pairs):
        assert glosser.supports(src, tgt), (src, tgt)
    for src, tgt in spec.other_pairs:
        assert not glosser.supports(src, tgt), (src, tgt)
        with pytest.raises(ValueError, match=f"^{re.escape(spec.name)} does not translate"):
            glosser.translate([spec.warmup], src, tgt)


def test_empty_text_glosses_to_empty(backend: tuple[Backend, DictionaryGloss]) -> None:
    _, glosser = backend
    assert glosser.gloss("") == "" and glosser.gloss("  \n") == ""


def test_batch_api(backend: tuple[Backend, DictionaryGloss]) -> None:
    spec, glosser = backend
    out = glosser.translate(list(spec.batch), *spec.pair)
    assert [t.text for t in out] == list(spec.expected)  # same order, blanks stay blank
    assert {(t.tier, t.backend, t.untranslated) for t in out} == {("gloss", spec.name, False)}


def test_base_lang() -> None:
    assert base_lang("zh") == "zh"
    assert base_lang("zh-TW") == "zh" and base_lang("en-US") == "en"
    assert base_lang("JA-jp") == "ja"


def test_splice() -> None:
    text = "rare 21億ドル earth"
    spans = [(5, 10, "$2.1 billion")]
    assert splice(text, spans, str.split) == ["rare", "$2.1 billion", "earth"]
    assert splice("abc", [], list) == ["a", "b", "c"]
    assert splice("12", [(0, 2, "twelve")], list) == ["twelve"]  # empty stretches add nothing
    two = [(0, 1, "one"), (2, 3, "three")]
    assert splice("1+3!", two, list) == ["one", "+", "three", "!"]


def test_base_class_needs_a_gloss() -> None:
    class Stub(DictionaryGloss):
        name, src, tgt = "stub", "ko", "en"

        def gloss(self, text: str) -> str:
            return text.upper()

    stub = Stub()
    assert stub.supports("ko-KR", "en") and not stub.supports("en", "ko")
    assert [t.text for t in stub.translate(["a", "b"], "ko", "en")] == ["A", "B"]
    with pytest.raises(ValueError, match="^stub does not translate en->ko$"):
        stub.translate(["a"], "en", "ko")
    with pytest.raises(NotImplementedError):
        DictionaryGloss().gloss("x")
