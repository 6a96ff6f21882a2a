"""Roles on the seeds: boilerplate and related blocks found, content untouched."""

from __future__ import annotations

from pipeline.clean import load_rules, match_rule
from pipeline.model import Segment


def _role(doc, text):
    found = [s for s in doc.segments if s.text == text]
    assert found, f"{text!r} not in {doc.id}"
    return found[0].role, found[0].rule


def test_podcast_page_labels_are_boilerplate(seed_docs):
    doc = seed_docs["000"]
    for label in ["新闻", "14 分钟", "PDF", "单集简介 ...", "更多", "单集文稿 ...", "2025-06-08",
                  "WSJ What’s News", "Learn more about your ad choices.",
                  "Visit megaphone.fm/adchoices"]:
        assert _role(doc, label)[0] == "boilerplate", label


def test_titles_including_translated_headline(seed_docs):
    doc = seed_docs["000"]
    assert _role(doc, "Can the U.S. Catch Up in the Critical Minerals Race?")[0] == "title"
    assert _role(doc, "美国能否在关键矿产竞赛中迎头赶上?") == ("title", "translated_title")
    assert doc.title == "Can the U.S. Catch Up in the Critical Minerals Race?"


def test_chinese_headline_over_english_body(seed_docs):
    doc = seed_docs["003"]
    assert _role(doc, "Workflow")[0] == "boilerplate"
    assert doc.title.startswith("中国手握稀土“王牌”")
    assert {s.lang for s in doc.segments if s.role == "title"} == {"zh"}
    assert {s.lang for s in doc.segments if s.role == "body"} == {"en"}
    assert doc.outlet == "Sou Hu Cai Jing"
    assert str(doc.date) == "2025-06-09"


def test_further_reading_list_is_related(seed_docs):
    doc = seed_docs["000"]
    assert _role(doc, "Further Reading:")[0] == "related"
    assert _role(doc, "China Owns That Market.")[0] == "related"


def test_korean_copyright_and_syndication_footer(seed_docs):
    doc = seed_docs["002"]
    assert _role(doc, "Copyright ⓒ 뉴스로드 무단 전재 및 재배포 금지") == ("boilerplate", "copyright")
    assert _role(doc, "본 콘텐츠는 뉴스픽 파트너스에서 공유된 콘텐츠입니다.")[0] == "boilerplate"
    assert doc.outlet == "뉴스로드"


def test_related_block_cookie_banner_and_image_credits(seed_docs):
    doc = seed_docs["004"]
    assert _role(doc, "関連記事")[0] == "related"
    assert _role(doc, "貿易代表部は、多国間貿易イニシアチブの検討も示唆した。")[0] == "related"
    assert _role(doc, "AIによって生成された画像") == ("boilerplate", "image_credit")
    assert _role(doc, "このウェブサイトはCookieを使用します") == ("boilerplate", "cookie_banner")
    assert _role(doc, "拒否") == ("boilerplate", "consent_button")
    # the article itself stays body
    assert _role(doc, 'On Monday, Trump announced "Project Vault," a nearly $12 billion critical '
                      'mineral reserve.')[0] == "body"


def test_news_prose_triggers_no_rule(seed_docs):
    """Every English body sentence of the plain news seeds survives the rules."""
    for key in ("001", "002"):
        body = [s for s in seed_docs[key].segments if s.lang == "en"]
        assert body and all(s.role == "body" for s in body)


def test_rules_are_data_and_language_aware():
    rules = load_rules()
    assert {r.name for r in rules} >= {"cookie_banner", "copyright", "ad_notice",
                                       "image_credit", "related_header"}
    seg = Segment(text="We use cookies to improve your experience.", start=0, end=0, lang="en")
    assert match_rule(seg, rules).name == "cookie_banner"
    long_label = Segment(text="更多" * 30, start=0, end=0, lang="zh")
    assert match_rule(long_label, rules) is None


def test_short_chinese_first_sentences_are_body_not_labels():
    """One sentence per line (NTREX zh): short CJK sentences must not read as header labels."""
    from pipeline.model import Document
    from pipeline.run import process_document

    text = ("威尔士国民议会议员担心“看起来像笨蛋”\n"
            "有人提议应将 AM 的头衔改为MWP，这让有些 AM 惊愕不已。\n"
            "整个政坛的 AM 担心这会惹来嘲笑。\n")
    doc = Document(id="zh", text=text, source="zh")
    process_document(doc)
    assert [s.role for s in doc.segments] == ["title", "body", "body"]


def test_a_declared_title_split_by_an_ideographic_space_stays_the_title():
    """Japanese and Chinese headlines join their halves with U+3000; the segmenter shows it as
    a plain space, and the headline must still be the title, not a header label."""
    from pipeline.model import Document
    from pipeline.run import process_document

    title = "中国人口、5年連続減の13億9940万人\u3000出生数は建国以来最少の762万人"
    doc = Document(id="ja-sankei", source="t", title=title,
                   text=title + "\n\n【北京=共同】中国国家統計局は17日、2025年末の総人口が前年末比"
                   "339万人減の13億9940万人だったと発表した。減少は5年連続となった。")
    process_document(doc)
    titles = [s for _, s in doc.content_segments if s.role == "title"]
    assert titles and titles[0].text.startswith("中国人口、5年連続減")
    assert not [s for s in doc.segments if s.rule == "header_label"]


AI_BOX_ARTICLE = """Port strike halts container traffic in Rotterdam

AI Summary
- Dock workers walked out for 48 hours over automation plans.
- Container traffic at Europe's largest port stopped on Monday.
- Talks are set to resume on Thursday.

ROTTERDAM, March 3 (Reuters) - Dock workers at the port of Rotterdam began a 48-hour strike on Monday over plans to automate two container terminals, halting most container traffic at Europe's largest port, the FNV union said.

Most Read
Celebrity chef opens third restaurant in Lisbon
Football club fires coach after five straight losses
Ten gadgets to buy before the holidays

About 1,200 workers joined the walkout, according to the union, which said the operators had refused to guarantee jobs for staff displaced by the new cranes.

The port authority said 35 ships were waiting at anchor and that ferries and bulk cargo were not affected.

hans.devries@example-news.nl
"""


def test_an_ai_summary_box_and_a_headline_sidebar_are_not_body(tmp_path):
    from pipeline.model import Document
    from pipeline.run import process_document

    doc = Document(id="rotterdam", text=AI_BOX_ARTICLE, source="t")
    process_document(doc)
    roles = {s.text[:30]: (s.role, s.rule) for s in doc.segments}
    body = " ".join(s.text for _, s in doc.content_segments if s.role == "body")
    assert "48-hour strike" in body and "35 ships" in body and "1,200 workers" in body
    for furniture in ("Dock workers walked out", "Talks are set to resume", "Celebrity chef",
                      "Football club fires", "Ten gadgets", "hans.devries"):
        assert furniture not in body, furniture
    assert roles["AI Summary"] == ("boilerplate", "ai_box")
    assert roles["Most Read"][1] == "headline_sidebar"


def test_the_same_furniture_on_an_html_page_stays_out_of_the_summary(tmp_path):
    """An HTML page: the AI box inside the article, the headline list in an aside."""
    from pipeline.config import Config
    from pipeline.run import run

    paras = [p for p in AI_BOX_ARTICLE.split("\n\n")]
    box = "".join(f"<li>{line[2:]}</li>" for line in paras[1].splitlines()[1:])
    sidebar = "".join(f"<li><a href='/x{i}'>{h}</a></li>"
                      for i, h in enumerate(paras[3].splitlines()[1:]))
    html = (f"<html><head><title>{paras[0]}</title></head><body><article><h1>{paras[0]}</h1>"
            f"<div class='ai-summary'><h2>AI Summary</h2><ul>{box}</ul></div>"
            f"<p>{paras[2]}</p><p>{paras[4]}</p><p>{paras[5]}</p></article>"
            f"<aside><h3>Most Read</h3><ul>{sidebar}</ul></aside></body></html>")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "rotterdam.html").write_text(html, encoding="utf-8")
    digest = run([tmp_path / "in"], Config()).digest
    shown = " ".join(s.text for e in digest.events for s in e.summary["en"])
    assert "48-hour strike" in shown
    for furniture in ("Dock workers walked out", "Talks are set to resume", "Celebrity chef",
                      "Football club", "Ten gadgets"):
        assert furniture not in shown, furniture
