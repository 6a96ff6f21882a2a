"""Japanese → English JMdict gloss (pipeline.translate.gloss_ja) on the seed texts."""

from __future__ import annotations

import re

import pytest

from pipeline.translate.gloss_ja import JMdictGlossTranslator, clean_gloss
from tests.conftest import SEEDS

KANA = re.compile(r"[\u3040-\u30ff]")


def seed_sentence(needle: str) -> str:
    """The seed-004 sentence (up to 。) that contains `needle`."""
    (path,) = SEEDS.glob("004_*.txt")
    text = path.read_text("utf-8")
    start = text.rfind("\n", 0, text.index(needle)) + 1
    end = text.index("。", text.index(needle)) + 1
    return next(s for s in re.findall(r"[^。]*。", text[start:end]) if needle in s)


@pytest.fixture(scope="module")
def glosser() -> JMdictGlossTranslator:
    """One translator for the module: Sudachi and JMdict open once."""
    translator = JMdictGlossTranslator()
    translator.gloss("日本")
    return translator


def test_seed_vance_sentence(glosser: JMdictGlossTranslator) -> None:
    sentence = seed_sentence("副大統領JDヴァンス氏")
    text = glosser.gloss(sentence)
    assert text.startswith("Vice President JD Vance Wednesday, Trump administration ")
    for word in ("more than 50 countries", "mineral", "trade", "alliance", "supply chain",
                 "China", "rare earth"):
        assert word in text
    assert not KANA.search(text)  # particles and auxiliaries are gone, not left in kana


def test_seed_relative_date_and_names(glosser: JMdictGlossTranslator) -> None:
    assert glosser.gloss(seed_sentence("米国は4日")).startswith("US the 4th, Japan ")
    text = glosser.gloss(seed_sentence("片山さつき"))
    for name in ("Minister of Finance Katayama Satsuki", "Koizumi Shinjirou", "Sunday",
                 "Thursday", "US"):
        assert name in text
    assert "Prime Minister Takaichi Sanae" in glosser.gloss(seed_sentence("高市早苗"))


def test_negation_is_kept_and_moved(glosser: JMdictGlossTranslator) -> None:
    assert glosser.gloss("それは高くない。行かなかった。") == "That not high. not go."


def test_latin_runs_stay_whole(glosser: JMdictGlossTranslator) -> None:
    text = glosser.gloss("G7諸国や米国との連携を強化する")
    assert text.startswith("G7 ") and "US" in text and "strengthening" in text


def test_deterministic_across_instances(glosser: JMdictGlossTranslator) -> None:
    sentence = seed_sentence("副大統領JDヴァンス氏")
    assert JMdictGlossTranslator().gloss(sentence) == glosser.gloss(sentence)


def test_clean_gloss() -> None:
    assert clean_gloss("(political) administration") == "administration"
    assert clean_gloss("to state") == "state"
    assert clean_gloss("pursuit (of a goal, ideal, etc.)") == "pursuit"
