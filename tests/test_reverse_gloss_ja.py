"""English → Japanese reverse JMdict gloss (pipeline.translate.reverse_gloss_ja) on the seeds."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from pipeline.translate import TranslationRouter
from pipeline.translate import reverse_gloss_ja as rgj
from pipeline.translate.reverse_gloss_ja import (
    ReverseJMdictGlossTranslator,
    headword,
    load_index,
    load_table_ja,
    priority_rank,
)
from tests.conftest import seed_sentence

JA = r"\u3005\u3040-\u30ff\u3400-\u9fff"
JA_SPACE_JA = re.compile(rf"[{JA}] +[{JA}]")


@pytest.fixture(scope="module")
def glosser() -> ReverseJMdictGlossTranslator:
    """One translator for the module: the inverted index loads (or builds, ≈8 s) once."""
    translator = ReverseJMdictGlossTranslator()
    translator.gloss("China")
    return translator


def test_seed_004_project_vault(glosser: ReverseJMdictGlossTranslator) -> None:
    sentence = seed_sentence("004", "Project Vault")
    assert sentence.startswith("On Monday, Trump announced")
    text = glosser.gloss(sentence)
    for ja in ("月曜", "トランプ", "発表", "120億ドル", "重要鉱物", "備蓄"):
        assert ja in text, text
    assert "「Project Vault、」" in text  # an unknown name stays in Latin letters
    assert not JA_SPACE_JA.search(text) and text.endswith("。")


def test_seed_004_ministerial(glosser: ReverseJMdictGlossTranslator) -> None:
    sentence = seed_sentence("004", "hosted the first Critical Minerals Ministerial")
    text = glosser.gloss(sentence)
    for ja in ("米国国務省", "主催", "重要鉱物", "閣僚会議", "水曜", "50カ国", "中国の支配"):
        assert ja in text, text
    assert " the " not in f" {text} " and not JA_SPACE_JA.search(text)


def test_seed_001_people_and_places(glosser: ReverseJMdictGlossTranslator) -> None:
    text = glosser.gloss(seed_sentence("001", "Marco Rubio did not mention"))
    for ja in ("米国政府", "バンス副大統領", "国務長官ルビオ", "中国"):
        assert ja in text, text
    text = glosser.gloss(seed_sentence("001", "Democratic Republic of Congo"))
    countries = "英国、欧州連合、日本、インド、韓国、オーストラリア、とコンゴ民主共和国"
    for ja in ("水曜", "国務省", "重要鉱物", countries):
        assert ja in text, text


def test_numbers_units_and_dates(glosser: ReverseJMdictGlossTranslator) -> None:
    assert glosser.gloss("It's Sunday, June 8th.") == "日曜日、6月8日。"
    text = glosser.gloss(seed_sentence("002", "invest up to $400 million"))
    assert "4億ドル" in text and "ウズベキスタン" in text
    text = glosser.gloss("each F-35 fighter jet consuming around 417 kilograms of rare earth")
    assert text == "各F-35戦闘機消費約417キロレアアース"


def test_deterministic(glosser: ReverseJMdictGlossTranslator) -> None:
    sentence = seed_sentence("004", "Project Vault")
    assert ReverseJMdictGlossTranslator().gloss(sentence) == glosser.gloss(sentence)


def test_router_serves_en_to_ja(glosser: ReverseJMdictGlossTranslator) -> None:
    router = TranslationRouter(["gloss"])
    assert router.describe("en", "ja") == "gloss-jmdict-reverse"
    (out,) = router.translate(["Trump announced tariffs."], "en", "ja")
    assert out.text == "トランプ発表関税。" and out.tier == "gloss"


def test_index_ranking(glosser: ReverseJMdictGlossTranslator) -> None:
    index = load_index()
    assert index.common["government"] == "政府"  # news1 nf01, first gloss of the first sense
    assert index.common["mineral"] == "鉱物"
    assert index.common["supply chain"] == "サプライチェーン"  # kana-only entry
    assert index.common["tobacco"] == "たばこ"  # "usually written using kana alone"
    assert index.proper["China"] == "中国" and index.proper["USA"] == "米国"
    assert index.proper["Monday"] == "月曜"  # the kanji form carrying news/nf beats 月曜日
    assert "PDF" not in index.proper  # an acronym spelled in kana helps nobody
    assert "colleagues" not in index.common and index.common["colleague"] == "仲間"


def test_priority_and_headword() -> None:
    assert priority_rank("news1 nf01") == 1 and priority_rank("") == 60
    assert priority_rank("ichi1 news1 nf19") == 11 and priority_rank("ichi1") == 14
    form = rgj._Form
    entry = rgj._Entry([form("鉱物", 16, False), form("礦物", 60, True)],
                       [form("こうぶつ", 16, False)])
    assert headword(entry, kana_alone=False) == "鉱物"
    assert headword(entry, kana_alone=True) == "こうぶつ"
    kana_ranked = rgj._Entry([form("煙草", 60, False)], [form("たばこ", 14, False)])
    assert headword(kana_ranked, kana_alone=False) == "たばこ"
    unranked = rgj._Entry([form("副大統領", 60, False)], [form("ふくだいとうりょう", 60, False)])
    assert headword(unranked, kana_alone=False) == "副大統領"


def test_table() -> None:
    cased, folded, irregular = load_table_ja()
    assert len(cased) + len(folded) >= 150
    assert cased["US"] == "米国" and folded["us"] == "我々" and folded["the"] == ""
    assert folded["critical minerals"] == "重要鉱物" and folded["state department"] == "国務省"
    assert all(re.fullmatch(rf"[{JA}ー・]*", v) for v in [*cased.values(), *folded.values()])
    assert irregular["said"] == "say" and irregular["says"] == "say"  # zh table + own


def test_cache_key_is_the_jamdict_data_version(monkeypatch: pytest.MonkeyPatch) -> None:
    names: list[str] = []
    monkeypatch.setattr(rgj, "cached", lambda name, build: names.append(name) or "index")
    assert load_index.__wrapped__() == "index"
    assert names == [f"reverse-index-jamdict-data{version('jamdict-data')}-s{rgj._INDEX_SCHEMA}"]


def test_the_router_memo_keeps_the_latest_translations(monkeypatch):
    from pipeline import translate

    monkeypatch.setattr(translate, "MEMO_SIZE", 3)
    router = TranslationRouter(["gloss"])
    texts = ["経済", "政府", "東京", "大阪"]
    first = router.translate(texts, "ja", "en")
    assert len(router._memo) == 3 and ("ja", "en", "経済") not in router._memo
    assert router.translate(texts[::-1], "ja", "en") == first[::-1]
