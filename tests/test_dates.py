"""find_dates / parse_date on the forms real news pages (and the seeds) use."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.ingest.dates import find_dates, parse_date

ANCHOR = dt.date(2025, 6, 9)  # a Monday: the publication date of seed 003
D = dt.date


@pytest.mark.parametrize(
    ("text", "expected", "span"),
    [
        ("Sou Hu Cai Jing·2025-06-09 08:45", D(2025, 6, 9), "2025-06-09 08:45"),
        ("新闻\n\n2025-06-08\n\n14 分钟", D(2025, 6, 8), "2025-06-08"),
        ("发布于2025/6/9", D(2025, 6, 9), "2025/6/9"),
        ("Updated 2025.06.09.", D(2025, 6, 9), "2025.06.09"),
        ("published 2025-06-09T08:45:00+08:00", D(2025, 6, 9), "2025-06-09T08:45:00+08:00"),
        ("on June 8, 2025, the", D(2025, 6, 8), "June 8, 2025"),
        ("on 8 June 2025 the", D(2025, 6, 8), "8 June 2025"),
        ("the 11th of November 2025", D(2025, 11, 11), "11th of November 2025"),
        ("Sept. 3, 2024", D(2024, 9, 3), "Sept. 3, 2024"),
        ("据报道,2025年6月9日,美国", D(2025, 6, 9), "2025年6月9日"),
        ("２０２５年６月９日", D(2025, 6, 9), "２０２５年６月９日"),
        ("2025년 6월 9일 미국은", D(2025, 6, 9), "2025년 6월 9일"),
    ],
)
def test_dates_with_a_year_need_no_anchor(text: str, expected: dt.date, span: str) -> None:
    mentions = find_dates(text)
    assert [(m.date, m.text, m.has_year, m.relative) for m in mentions] == [
        (expected, span, True, False)
    ]
    assert text[mentions[0].start : mentions[0].end] == span
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "span"),
    [
        ("It's Sunday, June 8th.", D(2025, 6, 8), "June 8th"),
        ("reported on November 11th that", D(2024, 11, 11), "November 11th"),
        ("SCMP, Nov. 11: the US", D(2024, 11, 11), "Nov. 11"),
        ("1月6日,中方宣布", D(2025, 1, 6), "1月6日"),
        ("6月9日に発表", D(2025, 6, 9), "6月9日"),
        ("6월 9일 발표", D(2025, 6, 9), "6월 9일"),
        ("the summit on June 12", D(2025, 6, 12), "June 12"),  # within the future slack
    ],
)
def test_dates_without_a_year_take_the_anchor_year(text: str, expected: dt.date, span: str) -> None:
    dated = [m for m in find_dates(text, ANCHOR) if not m.relative]
    assert [(m.date, m.text, m.has_year) for m in dated] == [(expected, span, False)]
    assert [m for m in find_dates(text) if m.text == span] == []  # never invented


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("副大統領JDヴァンス氏は水曜日、トランプ政権が", "水曜日"),
        ("On Wednesday, the State Department hosted", "Wednesday"),
        ("美国国务院星期三举办", "星期三"),
        ("美国国务院周三举办", "周三"),
        ("미국 국무부는 수요일 워싱턴에서", "수요일"),
    ],
)
def test_weekdays_resolve_to_the_latest_on_or_before_the_anchor(text: str, span: str) -> None:
    (mention,) = find_dates(text, ANCHOR)
    assert (mention.date, mention.text, mention.relative) == (D(2025, 6, 4), span, True)
    assert mention.date.weekday() == 2
    assert find_dates(text) == []
    on_a_wednesday = find_dates(text, D(2025, 6, 4))
    assert on_a_wednesday[0].date == D(2025, 6, 4)


def test_seed_sentence_with_weekday_and_date() -> None:
    mentions = find_dates("It's Sunday, June 8th.", ANCHOR)
    assert [(m.text, m.date) for m in mentions] == [
        ("Sunday", D(2025, 6, 8)),
        ("June 8th", D(2025, 6, 8)),
    ]


def test_japanese_day_of_month_is_relative_to_the_anchor_month() -> None:
    text = "米国は4日、日本と欧州諸国と協力して重要鉱物の供給を確保する"
    (mention,) = find_dates(text, ANCHOR)
    assert (mention.date, mention.text, mention.relative) == (D(2025, 6, 4), "4日", True)
    assert find_dates(text) == []
    # a day later in the month than the anchor (plus slack) is last month's
    assert parse_date("中方28日表示", D(2025, 6, 9)) == D(2025, 5, 28)


def test_day_of_month_skips_durations() -> None:
    assert find_dates("3日間の会議、5日前に、3일간", ANCHOR) == []


def test_longest_mention_wins_over_its_parts() -> None:
    mentions = find_dates("2025年6月9日の発表", ANCHOR)
    assert [m.text for m in mentions] == ["2025年6月9日"]


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",
        "2025年2月30日",
        "June 31, 2025",
        "up to $12 billion in capital",
        "70% of its rare earth compounds",
        "imported from China between 2020 and 2023",
        "each F-35 consumes 417 kilograms",
        "the mayor said may 5 be",
        "March 2025",
        "一周一次",
    ],
)
def test_non_dates_and_impossible_dates_are_rejected(text: str) -> None:
    assert find_dates(text, ANCHOR) == []
    assert parse_date(text, ANCHOR) is None


def test_february_29_without_year_finds_a_leap_year() -> None:
    assert parse_date("2月29日", D(2025, 6, 9)) == D(2024, 2, 29)


def test_parse_date_returns_the_first_mention() -> None:
    assert parse_date("2025-06-09 (updated 2025-06-10)") == D(2025, 6, 9)
    assert parse_date("no date here") is None
