"""Names across scripts: the keys that let reports in four languages meet on one name."""

from __future__ import annotations

import pytest

from pipeline.model import Document
from pipeline.names import document_names, name_keys, same_name_groups, skeleton
from pipeline.run import process_document


@pytest.mark.parametrize("names", [
    [("Hualien", "en"), ("花莲县", "zh"), ("花蓮縣", "zh"), ("화롄", "ko")],
    [("Osaka", "en"), ("大阪", "ja"), ("오사카", "ko")],
    [("Ishikawa", "en"), ("石川県", "ja"), ("이시카와", "ko")],
    [("Cheonan", "en"), ("天安市", "zh"), ("천안시", "ko")],
    [("Yancheng", "en"), ("盐城", "zh"), ("鹽城", "zh")],
])
def test_one_place_in_several_scripts_is_one_name(names):
    """Directly or through another script (Cheonan = 천안 = 天安 via the hanja reading)."""
    groups = same_name_groups([(f"name:{s}", s, lang, False) for s, lang in names])
    assert len(set(groups.values())) == 1
    assert name_keys(*names[0]) & name_keys(*names[-1]) or len(names) > 2


def test_people_meet_on_surname_or_given_name():
    # a Japanese surname romanised; a Korean given name whatever the surname's spelling
    assert name_keys("Kazuo Ueda", "en", True) & name_keys("植田和男", "ja", True)
    assert name_keys("우에다 가즈오", "ko", True) & name_keys("Kazuo Ueda", "en", True)
    assert name_keys("Rhee Chang-yong", "en", True) & name_keys("이창용", "ko", True)
    assert name_keys("李昌鏞", "zh", True) & name_keys("이창용", "ko", True)  # the hanja bridge


def test_different_places_do_not_share_keys():
    assert not name_keys("Hualien", "en") & name_keys("能登", "ja")
    assert not name_keys("花莲", "zh") & name_keys("石川県", "ja")
    assert skeleton("Hualien") == skeleton("hualian") != skeleton("Noto")


def test_document_names_cover_a_real_lead_in_each_script():
    en = Document("en", "Quake hits Hualien\n\nHUALIEN, Taiwan (Reuters) - A magnitude 6.4 "
                  "earthquake struck off Hualien County on Tuesday morning, the Central "
                  "Weather Administration said.", "t")
    zh = Document("zh", "花莲县近海发生6.4级地震\n\n中新网3月3日电 据台湾气象部门消息，3日上午8时14分，"
                  "花莲县近海发生6.4级地震，震源深度15公里。", "t")
    ko = Document("ko", "대만 화롄 앞바다 규모 6.4 지진\n\n(서울=연합뉴스) 3일 오전 대만 동부 화롄현 "
                  "앞바다에서 규모 6.4의 지진이 발생했다고 대만 중앙기상서가 밝혔다.", "t")
    keys = {}
    for doc in (en, zh, ko):
        process_document(doc)
        keys[doc.id] = set(document_names(doc))
    assert "r:hln" in keys["en"] & keys["zh"] & keys["ko"]


def test_one_actor_per_name_in_several_scripts():
    groups = same_name_groups([
        ("name:osaka", "Osaka", "en", False), ("name:大阪", "大阪", "ja", False),
        ("name:오사카", "오사카", "ko", False), ("name:kazuo ueda", "Kazuo Ueda", "en", True),
        ("name:植田和男", "植田和男", "ja", True), ("name:seoul", "Seoul", "en", False)])
    assert groups["name:大阪"] == groups["name:오사카"] == "name:osaka"
    assert groups["name:植田和男"] == "name:kazuo ueda"
    assert groups["name:seoul"] == "name:seoul"
