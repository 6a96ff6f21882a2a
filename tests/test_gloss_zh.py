"""Chinese → English CC-CEDICT gloss (pipeline.translate.gloss_zh) on the seed texts."""

from __future__ import annotations

import re

import pytest

from pipeline.translate.gloss_zh import (
    CedictGlossTranslator,
    best_sense,
    clean_sense,
    join_gloss,
    load_cedict,
    split_longest,
)
from tests.conftest import seed_line


@pytest.fixture(scope="module")
def glosser() -> CedictGlossTranslator:
    """One translator for the module: CC-CEDICT and jieba load once."""
    translator = CedictGlossTranslator()
    translator.gloss("中国")
    return translator


def test_seed_003_title(glosser: CedictGlossTranslator) -> None:
    title = seed_line("003", "稀土")
    assert title == "中国手握稀土“王牌”,美扛不住了?特朗普放低姿态,拨通中方电话"
    text = glosser.gloss(title)
    assert text.startswith("China ")
    for word in ("rare earth", '"trump card"', "US", "Trump", "Chinese side", "?"):
        assert word in text
    assert not re.search(r"[\u4e00-\u9fff“”，。]", text)  # nothing left untranslated


def test_seed_000_title(glosser: CedictGlossTranslator) -> None:
    text = glosser.gloss(seed_line("000", "迎头赶上"))
    assert text.startswith("US ") and text.endswith("?")
    for word in ("key", "mineral", "race", "catch up"):
        assert word in text
    assert " in in " not in text  # 在 … 中 is one "in"


def test_seed_000_labels(glosser: CedictGlossTranslator) -> None:
    labels = ["新闻", "14 分钟", "单集简介 ...", "单集文稿 ..."]
    assert [t.text for t in glosser.translate(labels, "zh", "en")] == [
        "News", "14 minutes", "Episode summary...", "Episode manuscript...",
    ]


def test_numbers_and_names_survive(glosser: CedictGlossTranslator) -> None:
    text = glosser.gloss("美国和乌兹别克斯坦承诺投资4亿美元，每架F-35战斗机消耗约417公斤稀土。")
    assert "$400 million" in text and "F-35" in text and "about 417 kg" in text
    assert "Uzbekistan" in text and text.endswith(".")
    assert glosser.gloss("2025年6月9日，特朗普与习近平通电话。").startswith("June 9, 2025, Trump")
    assert "Aihude" in glosser.gloss("埃胡德博士")  # unknown transliterated name → pinyin


def test_deterministic_across_instances(glosser: CedictGlossTranslator) -> None:
    title = seed_line("003", "稀土")
    assert CedictGlossTranslator().gloss(title) == glosser.gloss(title) == glosser.gloss(title)


def test_sense_choice() -> None:
    cedict = load_cedict()
    assert best_sense(cedict["中国"]) == "China"
    assert best_sense(cedict["习近平"]) == "Xi Jinping"
    assert best_sense(cedict["美元"]) == "American dollar"
    assert best_sense(cedict["和"]) == "and"  # skips "old variant of" and "surname He"
    assert clean_sense("(bound form) USA (abbr. for 美國|美国[Mei3 guo2])") == "USA"
    assert clean_sense("to phone sb up") == "phone up"
    assert split_longest("手握稀土", cedict) == ["手", "握", "稀土"]


def test_join_gloss() -> None:
    assert join_gloss(["china", "\x01", "trump card", "\x02", ",", "US", "?"]) == (
        'China "trump card", US?'
    )
    assert join_gloss(["(", "note", ")", "a", '"', "b", '"']) == '(Note) a "b"'


def test_english_grammar_rules_on_flores_lines(glosser: CedictGlossTranslator, evaldata) -> None:
    """Reporting verbs in the past, 一+classifier as "a", "the" after a preposition."""
    lines = (evaldata / "flores200-devtest" / "zh.txt").read_text("utf-8").split("\n")
    if len(lines) < 8:
        pytest.skip("FLORES-200 devtest not in ../shared/evaldata")
    doorbell = glosser.gloss(lines[6])  # 他说，他制作了一个 WiFi 门铃。
    assert "said" in doorbell and "a WiFi doorbell" in doorbell and " 1 " not in doorbell
    assert "the garage" in glosser.gloss(lines[5])  # 他在位于车库的工作室里 …
    assert glosser.gloss("美国表示") == "US said"


def test_article_rule_leaves_names_and_determined_nouns_alone(glosser) -> None:
    assert glosser.gloss("在美国") == "In US"  # a name takes no article
    assert "the these" not in glosser.gloss("对这些国家")
    assert glosser.gloss(seed_line("000", "关键矿产")).count("the the") == 0
