"""Fact lines: a sentence behind a dictionary gloss shown by what translates exactly."""

from __future__ import annotations

import datetime as dt

from pipeline.summarize.fact_lines import event_terms, fact_line

KOSPI_CLOSE = "코스피는 전날보다 0.3% 내린 4305.40에 마감했다."
RATE_CUT = "한국은행이 15일 기준금리를 연 2.50%에서 2.25%로 0.25%포인트 내렸다."
POPULATION = "中国人口、5年連続減の13億9940万人　出生数は建国以来最少の762万人"


def test_a_korean_market_line_keeps_its_move_and_figures():
    line = fact_line(KOSPI_CLOSE, "ko", "en")
    assert line is not None
    assert line.startswith("Who: KOSPI")  # the Korean news lexicon names it
    assert "What: fall" in line and "0.3%" in line and "4305.40" in line
    assert "magam" not in line  # no gloss words: those stay in the folded detail


def test_a_bare_day_is_resolved_against_the_articles_date_and_units_carry_over():
    line = fact_line(RATE_CUT, "ko", "en", dt.date(2026, 1, 15))
    assert "When: January 15" in line
    assert "0.25 percentage point" in line and "2.25%" in line
    # a day after the article's date is the month before
    assert "When: December 20" in fact_line("20일 발표했다. 3.1% 올랐다.", "ko", "en",
                                            dt.date(2026, 1, 5))


def test_labels_and_names_are_in_the_output_language():
    zh = fact_line(POPULATION, "ja", "zh")
    assert zh.startswith("涉及：中国") and "事件：人口" in zh
    en = fact_line(POPULATION, "ja", "en")
    assert en.startswith("Who: China") and "births" in en and "7.62 million people" in en


def test_a_title_names_who_and_what_and_one_amount_not_a_duration():
    title = fact_line(POPULATION, "ja", "en", title=True)
    assert title == "China · population, births · 1,399,400,000 people"


def test_a_segmenters_first_name_joins_the_glossary_name_after_it():
    line = fact_line("도널드 트럼프 미국 대통령이 회의 전에 귀국해 스콧 베선트 재무장관이 대리 참석했다.",
                     "ko", "en")
    assert line.startswith("Who: Donald Trump, United States, Scot, Besont")


def test_longer_terms_win_and_nothing_exact_gives_no_line():
    assert event_terms("금리 인하 이후 환율이 급등했다", "ko") == ["rate cut", "exchange rate", "rise"]
    assert fact_line("그는 그렇게 생각한다고 말했다.", "ko", "en") is None
