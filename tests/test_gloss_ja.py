"""Japanese → English JMdict gloss (pipeline.translate.gloss_ja) on the seed texts."""

from __future__ import annotations

import re

import pytest

from pipeline.translate.gloss_ja import (
    JMdictGlossTranslator,
    clean_gloss,
    gerund,
    participle,
    past,
    romanize,
)
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
    # A negated past verb reads "did not go" (was "not go" before verbs took tense).
    assert glosser.gloss("それは高くない。行かなかった。") == "That not high. did not go."


def test_latin_runs_stay_whole(glosser: JMdictGlossTranslator) -> None:
    text = glosser.gloss("G7諸国や米国との連携を強化する")
    # 強化する is a verb now ("strengthen"), no longer the noun "strengthening".
    assert text.startswith("G7 ") and "US" in text and "strengthen the cooperation" in text


def test_deterministic_across_instances(glosser: JMdictGlossTranslator) -> None:
    sentence = seed_sentence("副大統領JDヴァンス氏")
    assert JMdictGlossTranslator().gloss(sentence) == glosser.gloss(sentence)


def test_no_becomes_of_with_english_order(glosser: JMdictGlossTranslator) -> None:
    text = glosser.gloss(seed_sentence("希少金属輸出制限"))
    assert "China's scarce metal export restriction" in text  # a name owns: 中国の… → "China's …"
    text = glosser.gloss(seed_sentence("確保するための"))
    assert "the supply of the important mineral" in text
    # A title before a name is apposition, not "of": 財務相の片山 → "Minister of Finance Katayama"
    assert "Minister of Defense Koizumi" in glosser.gloss(seed_sentence("小泉進次郎"))
    assert glosser.gloss("彼の本") == "His book"  # pronouns become possessives
    assert glosser.gloss("東京の人口") == "Tokyo's population"


def test_particles_become_prepositions_before_the_noun(
        glosser: JMdictGlossTranslator) -> None:
    text = glosser.gloss(seed_sentence("片山さつき"))
    assert "from Sunday" in text and "on Thursday" in text  # 日曜から, 木曜に
    text = glosser.gloss(seed_sentence("副大統領JDヴァンス氏"))
    assert "in the rare earth supply chain" in text  # …チェーンにおける
    assert glosser.gloss("容疑者は東京で逮捕された。").endswith("in Tokyo.")


def test_past_tense_and_suru_verbs(glosser: JMdictGlossTranslator) -> None:
    text = glosser.gloss(seed_sentence("米国は4日"))
    assert text.endswith(" announced.") and "formulate" in text  # 発表した, 策定する
    assert glosser.gloss(seed_sentence("副大統領JDヴァンス氏")).endswith(", said.")  # と述べた
    assert glosser.gloss(seed_sentence("多国間貿易")).endswith(" suggested.")  # 示唆した


def test_verb_moves_before_its_object(glosser: JMdictGlossTranslator) -> None:
    # …取り組みを加速させている: progressive, and the verb goes before its object (SOV → SVO)
    text = glosser.gloss(seed_sentence("取り組みを加速"))
    assert text.endswith("is accelerating the effort.")
    assert glosser.gloss("容疑者は東京で逮捕された。") == "The suspect was arrested in Tokyo."
    assert glosser.gloss("彼は東京に行かなかった。") == "He did not go to Tokyo."


def test_english_verb_forms() -> None:
    assert [past(v) for v in ("announce", "hold talks", "stop", "try", "say", "visit")] == [
        "announced", "held talks", "stopped", "tried", "said", "visited"]
    assert participle("take") == "taken" and participle("arrest") == "arrested"
    assert gerund("make") == "making" and gerund("run") == "running"


def test_unknown_katakana_is_romanised() -> None:
    # The vowel katakana adds after a lone consonant is dropped (Camry, Danius, Nugroho) …
    assert romanize("カムリ") == "kamri"
    assert romanize("ダニウス") == "danius"
    assert romanize("ヌグロホ") == "nugroho"
    # … but not before a vowel or ン (Croydon), nor twice in a row.
    assert romanize("クロイドン") == "kroidon"
    assert romanize("ブリュッセル") == "bryusser"


def test_foreign_names_and_titles(glosser: JMdictGlossTranslator) -> None:
    # ・ joins the parts of one name; a title after the name moves before it.
    text = glosser.gloss("ゾラン・ザエフ首相を含む国民投票の支持者")
    assert text.startswith("Including Prime Minister Zoran Zaef ")
    # A name neither JMnedict nor JMdict has is romanised, never left in kana.
    assert glosser.gloss("ドナルド・トランプ米大統領は声明を発表した。").startswith(
        "US President Donald Trump announced")
    assert glosser.gloss("サラ・ダニウス氏は月曜日に語った。") == "Sarah Danius said on Monday."


def test_pronoun_plurals_and_modals(glosser: JMdictGlossTranslator) -> None:
    assert glosser.gloss("彼らの役割は大きい。").startswith("Their part")  # 彼+ら, not "his"
    assert glosser.gloss("彼らは言う").startswith("They said")  # reporting verbs: past
    assert "could not" in glosser.gloss("私たちはできなかった")  # not "did not can"
    assert glosser.gloss("参加できる") == "Can participate"


def test_clause_linking_takes_the_final_tense(glosser: JMdictGlossTranslator) -> None:
    # Japanese marks tense once, on the last verb; the て/連用形 clause before it is past too.
    assert glosser.gloss("彼は警察に逮捕されて、起訴された。") == (
        "He was arrested to the police, and was indicted.")
    assert glosser.gloss("彼は会議に参加し、発言した。").startswith("He participated ")


def test_existence_copula_hearsay_and_future(glosser: JMdictGlossTranslator) -> None:
    assert glosser.gloss("公園に犬がいた。") == "In the park there was a dog."
    assert glosser.gloss("これは大きな問題である。") == "This is big problem."
    assert glosser.gloss("党全体が不満であるという。").endswith(" said.")  # 文末の「という」
    assert glosser.gloss("来年、店舗が拡大される。") == "Next year, the shop will be expanded."


def test_common_senses(glosser: JMdictGlossTranslator) -> None:
    # 日 is "day" unless it abbreviates Japan; 可能性 "possibility", not "potentiality".
    assert glosser.gloss("その日は雨だった。") == "The day was rain."
    assert glosser.gloss("可能性がある") == "There is a possibility"
    assert glosser.gloss("美容店") == "Beauty store"  # JMdict's suffix gloss "-store"


def test_clean_gloss() -> None:
    assert clean_gloss("(political) administration") == "administration"
    assert clean_gloss("to state") == "state"
    assert clean_gloss("pursuit (of a goal, ideal, etc.)") == "pursuit"


def test_a_words_gloss_does_not_depend_on_what_was_glossed_before():
    """トム as a given name in a rugby report and トム as a word: the word memo once keyed
    on lemma and reading only, so whichever came first decided the other (an event worker's
    output then depended on the events it had run before)."""
    report = "ＷＴＢトム・ライトが先制トライをあげた。"
    other = "トムは猫の名前だ。"
    first = JMdictGlossTranslator()
    report_first = first.gloss(report)
    second = JMdictGlossTranslator()
    second.gloss(other)
    assert second.gloss(report) == report_first
    assert first.gloss(other) == JMdictGlossTranslator().gloss(other)
