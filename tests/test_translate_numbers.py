"""CJK ⇄ English numbers, money, units and dates (pipeline.lang.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.lang.numbers import (
    cjk_numbers_to_english,
    english_numbers_to_ja,
    english_numbers_to_ko,
    english_numbers_to_zh,
    find_cjk_numbers,
    find_english_numbers,
    format_cjk_amount,
    format_english_number,
    ordinal,
    parse_cjk_number,
)
from tests.conftest import seed_line


@pytest.mark.parametrize(
    ("cjk", "english"),
    [
        ("21億ドル", "$2.1 billion"),
        ("400亿美元", "$40 billion"),
        ("1.5万", "15,000"),
        ("3兆円", "3 trillion yen"),
        ("12억 달러", "$1.2 billion"),
        ("5만 명", "50,000 people"),
        ("2025年6月9日", "June 9, 2025"),
        ("1月6日", "January 6"),
        ("6月9日", "June 9"),
        ("三千五百万", "35 million"),
        ("4,000万円", "40 million yen"),
        ("80%", "80%"),
        ("80％", "80%"),
        ("百分之八十", "80%"),
        ("110万吨", "1.1 million tonnes"),
        ("110만 톤", "1.1 million tonnes"),
        ("417公斤", "417 kg"),
        ("2300名", "2,300 people"),
        ("2300명", "2,300 people"),
        ("１２３万人", "1.23 million people"),
        ("一千万美元", "$10 million"),
        ("3億5000万円", "350 million yen"),
        ("1万2000人", "12,000 people"),
        ("1조 2천억 원", "1.2 trillion won"),
        ("2025년 6월 9일", "June 9, 2025"),
        ("二〇二五年", "2025"),
        ("2020年代", "2020s"),
        ("十一月", "November"),
        ("4日", "the 4th"),
        ("50カ国以上", "more than 50 countries"),
        ("50여 개국", "more than 50 countries"),
        ("400多亿美元", "more than $40 billion"),
        ("约40%", "about 40%"),
        ("6个月", "6 months"),
        ("3年", "3 years"),
        ("第3次", "third"),
    ],
)
def test_cjk_to_english(cjk: str, english: str) -> None:
    assert cjk_numbers_to_english(cjk) == english
    assert find_cjk_numbers(cjk) == [(0, len(cjk), english)]


@pytest.mark.parametrize(
    "text", ["统一", "一些", "千万不要", "万一", "三国", "F-35", "2025", "唯一"]
)
def test_han_numerals_inside_words_are_left_alone(text: str) -> None:
    assert find_cjk_numbers(text) == []


def test_spans_point_into_the_original_text() -> None:
    text = "中国持有全球约40%的稀土储量，2300名工人，2020年至2023年"
    spans = find_cjk_numbers(text)
    assert [(text[s:e], en) for s, e, en in spans] == [
        ("约40%", "about 40%"), ("2300名", "2,300"), ("2020年", "2020"), ("2023年", "2023"),
    ]


def test_seed_japanese_numbers() -> None:
    line = seed_line("004", "50カ国以上")
    assert "more than 50 countries" in cjk_numbers_to_english(line)
    line = seed_line("004", "米国は4日")
    assert cjk_numbers_to_english(line).startswith("米国はthe 4th、")


def test_seed_chinese_label() -> None:
    assert cjk_numbers_to_english(seed_line("000", "分钟")) == "14 minutes"


@pytest.mark.parametrize(
    ("english", "zh"),
    [
        ("$12 billion", "120亿美元"),
        ("$400 million", "4亿美元"),
        ("US$21 million", "2100万美元"),
        ("80%", "80%"),
        ("80 percent", "80%"),
        ("417 kilograms", "417公斤"),
        ("1.1 million tonnes", "110万吨"),
        ("2,300 people", "2300人"),
        ("15,000 people", "1.5万人"),
        ("50 countries", "50个国家"),
        ("June 8, 2025", "2025年6月8日"),
        ("8 June 2025", "2025年6月8日"),
        ("June 8th", "6月8日"),
        ("May 2025", "2025年5月"),
        ("the 1990s", "the 1990年代"),
        ("hundreds of billions of dollars", "数千亿美元"),
    ],
)
def test_english_to_zh(english: str, zh: str) -> None:
    assert english_numbers_to_zh(english) == zh


def test_english_to_ja_and_ko() -> None:
    assert english_numbers_to_ja("$12 billion") == "120億ドル"
    assert english_numbers_to_ja("3 trillion yen") == "3兆円"
    assert english_numbers_to_ja("50 countries") == "50カ国"
    assert english_numbers_to_ko("$1.2 billion") == "12억 달러"
    assert english_numbers_to_ko("50,000 people") == "5만 명"
    assert english_numbers_to_ko("June 9, 2025") == "2025년 6월 9일"


def test_english_leaves_plain_words_and_numbers() -> None:
    assert find_english_numbers("May I say F-35 and 60 minerals?") == []
    assert english_numbers_to_zh("Back in 2020, it rose") == "Back in 2020年, it rose"


def test_seed_english_sentences() -> None:
    line = seed_line("001", "Project Vault")
    assert "近" not in line and "nearly 120亿美元" in english_numbers_to_zh(line)
    line = seed_line("000", "roughly 80%")
    zh = english_numbers_to_zh(line)
    assert "80%" in zh and "2020年" in zh and "2024年" in zh
    assert english_numbers_to_zh(seed_line("000", "June 8th")).strip() == "• It's Sunday, 6月8日."


def test_parse_and_format() -> None:
    assert parse_cjk_number("三千五百万") == Decimal(35_000_000)
    assert parse_cjk_number("3万亿") == Decimal(3 * 10**12)
    assert parse_cjk_number("一点五亿") == Decimal(150_000_000)
    assert parse_cjk_number("一千零五") == Decimal(1005)
    assert parse_cjk_number("三四") is None
    assert parse_cjk_number("二〇二五", positional=True) == Decimal(2025)
    assert format_english_number(Decimal(12_340_000)) == "12.34 million"
    assert format_english_number(Decimal(12_345_678)) == "12,345,678"
    assert format_cjk_amount(Decimal(2_100_000_000), "ja") == "21億"
    assert format_cjk_amount(Decimal(417), "zh") == "417"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]


@pytest.mark.parametrize(
    ("text", "english"),
    [("数千亿美元", "hundreds of billions of dollars"), ("数百万人", "millions of people"),
     ("几十亿美元", "billions of dollars"), ("数千億円", "hundreds of billions of yen")],
)
def test_vague_amounts_are_not_read_as_exact_ones(text: str, english: str) -> None:
    """数 before 千亿 means "several": never a made-up $100 billion."""
    assert cjk_numbers_to_english(text) == english


def test_a_space_before_the_large_unit_is_read():
    """zh-TW NTREX writes `110 億`: the value must match the English `$11 billion`."""
    assert cjk_numbers_to_english("出口額達110 億美元") == "出口額達$11 billion"
    assert cjk_numbers_to_english("約 300 萬人") == "約 3 million people"
