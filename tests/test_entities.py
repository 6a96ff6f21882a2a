"""Glossary entities across languages, names and amounts."""

from __future__ import annotations

from pipeline.entities import amount_keys, glossary_entities, glossary_entities_many, name_keys


def test_same_entity_in_four_languages():
    assert "person:donald_trump" in glossary_entities("Trump called Xi on Thursday.", "en")
    assert "person:donald_trump" in glossary_entities("特朗普放低姿态,拨通中方电话", "zh")
    assert "person:donald_trump" in glossary_entities("トランプ政権が50カ国以上の代表者と", "ja")
    assert "person:donald_trump" in glossary_entities("트럼프는 전화 통화에서", "ko")


def test_japanese_seed_sentence(seed_docs):
    text = next(s.text for s in seed_docs["004"].segments if s.text.startswith("副大統領JD"))
    found = set(glossary_entities(text, "ja"))
    assert {"person:jd_vance", "person:donald_trump", "term:critical_minerals",
            "gpe:china", "term:rare_earths", "term:supply_chain"} <= found


def test_batched_entities_equal_one_call_per_sentence(seed_docs):
    """The pipe form annotate_document uses finds exactly what one call per sentence finds,
    over every sentence of the five seeds (English with Chinese, Japanese, Korean parts)."""
    segs = [seg for doc in seed_docs.values() for seg in doc.segments]
    texts, langs = [s.text for s in segs], [s.lang for s in segs]
    assert {"en", "zh", "ja"} <= set(langs)
    batched = glossary_entities_many(texts, langs)
    assert batched == [glossary_entities(t, lang) for t, lang in zip(texts, langs)]
    assert sum(map(len, batched)) > 50


def test_terms_match_case_blind_names_do_not():
    assert glossary_entities("Rare earths and tariffs", "en") == ["term:rare_earths",
                                                                  "term:tariffs"]
    assert "gpe:united_states" not in glossary_entities("let us go", "en")


def test_amount_keys_are_language_free():
    assert amount_keys("valued at nearly $12 billion") == ["num:1.2e+10"]
    assert amount_keys("70% of its rare earth compounds") == ["num:70%"]
    assert amount_keys("around 417 kilograms") == ["num:417:kg"]


def test_name_keys_skip_sentence_openers_and_glossary_names():
    keys = name_keys("On Wednesday, David Copley met Marco Rubio at MP Materials.")
    assert "name:david copley" in keys
    assert "name:marco rubio" not in keys  # found as a glossary id instead
    assert not any(k.startswith("name:on ") for k in keys)


def test_cjk_amounts_give_the_same_keys_as_english():
    assert amount_keys("120亿美元的关键矿产储备") == amount_keys("a $12 billion reserve")
    assert amount_keys("21億ドルを投資") == ["num:2.1e+09"]
