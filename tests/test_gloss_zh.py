"""Chinese → English CC-CEDICT gloss (pipeline.translate.gloss_zh) on the seed texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.translate.base import Translator
from pipeline.translate.gloss_zh import (
    CedictGlossTranslator,
    best_sense,
    clean_sense,
    join_gloss,
    load_cedict,
    split_longest,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_line(prefix: str, needle: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return next(line for line in path.read_text("utf-8").splitlines() if needle in line).strip()


@pytest.fixture(scope="module")
def glosser() -> CedictGlossTranslator:
    """One translator for the module: CC-CEDICT and jieba load once."""
    translator = CedictGlossTranslator()
    translator.gloss("中国")
    return translator


def test_is_a_translator_for_zh_to_en_only(glosser: CedictGlossTranslator) -> None:
    assert isinstance(glosser, Translator)
    assert glosser.name == "gloss-cedict"
    assert glosser.supports("zh", "en") and glosser.supports("zh-TW", "en")
    assert not glosser.supports("en", "zh") and not glosser.supports("ja", "en")
    with pytest.raises(ValueError, match="gloss-cedict"):
        glosser.translate(["中国"], "ja", "en")


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


def test_batch_api(glosser: CedictGlossTranslator) -> None:
    texts = ["中国", "", "  ", "稀土"]
    out = glosser.translate(texts, "zh", "en")
    assert [t.text for t in out] == ["China", "", "", "Rare earth"]
    assert {(t.tier, t.backend, t.untranslated) for t in out} == {("gloss", "gloss-cedict", False)}


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
