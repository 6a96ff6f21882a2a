"""Unit tests of pipeline/fetch: feed parsing, URL keys, the fetch policy, the polite HTTP
client (on httpx.MockTransport, no network), the article store and the sources file."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json

import httpx
import pytest

from pipeline.fetch.feeds import html_text, is_teaser, parse_feed, parse_time
from pipeline.fetch.http import PoliteClient, Response, _retry_after
from pipeline.fetch.policy import FetchPolicy
from pipeline.fetch.sources import load_sources
from pipeline.fetch.store import MAX_PAGE_TRIES, ArticleStore, content_hash
from pipeline.fetch.urls import article_id, normalise_url, scheme_problem
from pipeline.ingest.stream import iter_inputs

KST = dt.timezone(dt.timedelta(hours=9))

# --------------------------------------------------------------------------- texts

EN_PARAGRAPHS = [
    ("A new high-speed ferry between Busan and Fukuoka will begin daily sailings next "
     "month, the operator said on Tuesday, cutting the crossing to just under three hours."),
    ("The Namhae Line service will use two catamarans built in Ulsan, each carrying up to "
     "420 passengers, and will depart Busan at 8:30 a.m. and Fukuoka at 2 p.m."),
    ("Officials in both cities said the route was expected to draw tourists who had "
     "switched to low-cost flights during the pandemic, when the old ferry was suspended."),
    ("Fares will start at 95,000 won one way, about 20 percent less than the previous "
     "operator charged, with discounts for students and residents of either city."),
    ("Port authorities said customs and immigration checks would be moved to a new "
     "terminal building so that passengers could board within forty minutes of arrival."),
    ("Travel agencies in Kyushu reported a rise in bookings within hours of the "
     "announcement, with several summer package tours already close to selling out."),
]
EN_ARTICLE = "\n\n".join(EN_PARAGRAPHS)
EN_SUMMARY = "A new high-speed ferry will link Busan and Fukuoka from next month."

ZH_SUMMARY = ("釜山与福冈之间的新高速客轮将于下月开始每日航行，运营商周二表示，航程将缩短至不到三小时。"
              "两地官员对此表示欢迎，旅游业界也期待客流回升。")
ZH_PARAGRAPHS = [
    ("釜山与福冈之间的新高速客轮将于下月开始每日航行，运营商周二表示，航程将缩短至不到三小时。"
     "新航线将使用两艘在蔚山建造的双体船，每艘最多可搭载四百二十名乘客，每天上午八点半从釜山出发，"
     "下午两点从福冈返航。"),
    ("两地官员表示，预计这条航线将吸引在疫情期间改乘廉价航班的游客。疫情期间，原有的客轮服务曾经全面暂停，"
     "许多经常往返两地的商人和学生不得不改变出行计划。"),
    ("单程票价起价为九万五千韩元，比此前运营商的收费低约两成，学生和两地居民还可享受折扣。"
     "港口管理部门说，海关和出入境检查将移至新建的客运大楼，乘客抵达后四十分钟内即可登船。"),
    ("九州的旅行社称，消息公布后数小时内预订量明显上升，几条夏季旅游线路已经接近售罄。"
     "业内人士认为，新航线有望带动两地的旅游和商贸往来，并为沿线港口城市带来更多就业机会。"),
    ("不过，也有分析人士提醒，燃油价格上涨和汇率波动可能影响航线的长期盈利能力。运营商回应称，"
     "公司已与两地港口签订为期五年的协议，并计划在客流稳定后增加周末加班航次，以满足旺季需求。"),
]
ZH_ARTICLE = "\n\n".join(ZH_PARAGRAPHS)
JA_TEXT = ("釜山と福岡を結ぶ新しい高速船が来月から毎日運航されると、運航会社が火曜日に発表した。"
           "所要時間は三時間弱に短縮される。")
KO_TEXT = ("부산과 후쿠오카를 잇는 새 고속 여객선이 다음 달부터 매일 운항한다고 운영사가 화요일 "
           "밝혔다. 운항 시간은 세 시간 이내로 줄어든다.")


# --------------------------------------------------------------------------- feeds

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Kitahama Shimbun</title>
  <link>https://kitahama.example.jp/</link>
  <language>ja</language>
  <item>
    <title>釜山―福岡に新高速船、来月就航</title>
    <link>https://kitahama.example.jp/news/2025/06/ferry.html?utm_source=rss</link>
    <guid isPermaLink="false">kitahama-20250603-001</guid>
    <pubDate>Tue, 03 Jun 2025 07:30:00 +0900</pubDate>
    <dc:creator>山田 花子</dc:creator>
    <description>{JA_TEXT}</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Harbor Daily</title>
  <id>urn:uuid:8f1c7a2e-harbor</id>
  <updated>2025-06-03T09:00:00Z</updated>
  <entry>
    <title>Busan-Fukuoka ferry to start next month</title>
    <link href="https://harbor.example.com/2025/06/03/ferry"/>
    <id>tag:harbor.example.com,2025:ferry</id>
    <published>2025-06-03T18:45:00+09:00</published>
    <updated>2025-06-03T19:10:00+09:00</updated>
    <author><name>Min-jun Park</name></author>
    <content type="html">&lt;p&gt;{p0}&lt;/p&gt;&lt;p&gt;{p1}&lt;/p&gt;&lt;ul&gt;&lt;li&gt;{p2}&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
</feed>
""".format(p0=EN_PARAGRAPHS[0], p1=EN_PARAGRAPHS[1].replace("Namhae Line",
                                                            "&lt;b&gt;Namhae Line&lt;/b&gt;"),
           p2=EN_PARAGRAPHS[2])

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Dongfang Ribao",
    "language": "zh-CN",
    "items": [
        {
            "id": "dongfang-2025-0603-ferry",
            "url": "https://dongfang.example.cn/2025/0603/ferry.html",
            "title": "釜山至福冈高速客轮下月开航",
            "content_html": "<p>" + ZH_ARTICLE.replace("\n\n", "</p><p>") + "</p>",
            "date_published": "2025-06-03T10:15:00+08:00",
            "date_modified": "2025-06-03T11:00:00+08:00",
            "authors": [{"name": "李明"}, {"name": "王芳"}],
        },
        {
            "id": 20250602,
            "url": "https://dongfang.example.cn/2025/0602/visa.html",
            "title": "韩国延长免签政策",
            "content_text": "韩国政府宣布将对中国团体游客的免签政策延长一年。",
            "date_published": "2025-06-02T08:00:00+08:00",
        },
    ],
}


def test_rss_entry_keeps_the_outlets_offset_and_local_day():
    feed = parse_feed(RSS.encode("utf-8"), "application/rss+xml",
                      "https://kitahama.example.jp/rss.xml")
    assert feed.error is None and feed.warning is None
    assert feed.title == "Kitahama Shimbun" and feed.lang == "ja"
    (entry,) = feed.entries
    assert entry.title == "釜山―福岡に新高速船、来月就航"
    assert entry.url == "https://kitahama.example.jp/news/2025/06/ferry.html?utm_source=rss"
    assert entry.guid == "kitahama-20250603-001"
    assert entry.published == dt.datetime(2025, 6, 3, 7, 30, tzinfo=KST)
    assert entry.published.utcoffset() == dt.timedelta(hours=9)
    # 07:30 in Tokyo is the day before in UTC: the outlet's own date is the one kept
    assert entry.published.date() == dt.date(2025, 6, 3)
    assert entry.published.astimezone(dt.UTC).date() == dt.date(2025, 6, 2)
    assert entry.text == JA_TEXT
    assert entry.author == "山田 花子"


def test_atom_html_content_becomes_paragraphs_without_tags():
    feed = parse_feed(ATOM.encode("utf-8"), "application/atom+xml")
    assert feed.error is None
    (entry,) = feed.entries
    assert entry.url == "https://harbor.example.com/2025/06/03/ferry"
    assert entry.title == "Busan-Fukuoka ferry to start next month"
    assert entry.author == "Min-jun Park"
    assert entry.text.split("\n\n") == EN_PARAGRAPHS[:3]
    assert "<" not in entry.text and "Namhae Line service" in entry.text
    assert entry.published == dt.datetime(2025, 6, 3, 18, 45, tzinfo=KST)
    assert entry.updated == dt.datetime(2025, 6, 3, 19, 10, tzinfo=KST)


def test_json_feed_reads_content_html_dates_and_authors():
    feed = parse_feed(json.dumps(JSON_FEED, ensure_ascii=False).encode("utf-8"),
                      "application/feed+json")
    assert feed.error is None and feed.warning is None
    assert feed.title == "Dongfang Ribao" and feed.lang == "zh-CN"
    first, second = feed.entries
    assert first.url == "https://dongfang.example.cn/2025/0603/ferry.html"
    assert first.guid == "dongfang-2025-0603-ferry"
    assert first.text == ZH_ARTICLE
    assert first.author == "李明, 王芳"
    cst = dt.timezone(dt.timedelta(hours=8))
    assert first.published == dt.datetime(2025, 6, 3, 10, 15, tzinfo=cst)
    assert first.updated == dt.datetime(2025, 6, 3, 11, 0, tzinfo=cst)
    assert second.guid == "20250602"  # a numeric id is still an id
    assert second.text == "韩国政府宣布将对中国团体游客的免签政策延长一年。"
    assert second.author is None and second.updated is None


def test_json_feed_without_a_content_type_is_recognised_by_its_brace():
    feed = parse_feed(b"  \n" + json.dumps(JSON_FEED).encode("utf-8"))
    assert feed.error is None and len(feed.entries) == 2


def test_json_feed_item_that_is_not_an_object_is_skipped_with_a_warning():
    data = {**JSON_FEED, "items": [JSON_FEED["items"][1], "not an item", 42]}
    feed = parse_feed(json.dumps(data, ensure_ascii=False).encode("utf-8"),
                      "application/feed+json")
    assert feed.error is None
    assert [e.title for e in feed.entries] == ["韩国延长免签政策"]
    assert feed.warning == "2 item(s) that are not JSON objects skipped"


def test_invalid_json_feed_is_an_error_line():
    feed = parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
                      "application/feed+json")
    assert feed.entries == []
    assert feed.error.startswith("not a readable JSON Feed (")
    assert "\n" not in feed.error


def test_json_without_an_items_list_is_not_a_feed():
    feed = parse_feed(b'{"title": "Dongfang", "items": {"id": 1}}', "application/json")
    assert feed.entries == [] and feed.error == "not a JSON Feed (no items list)"


def test_malformed_xml_with_no_entries_is_one_error_line():
    body = (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Hanbit Ilbo'
            b'</title>\n<link>https://hanbit.example.kr/</link></chan')
    feed = parse_feed(body, "application/rss+xml")
    assert feed.entries == []
    assert feed.error is not None and feed.error.startswith("not a readable feed (")
    assert "\n" not in feed.error and len(feed.error) < 200


def test_html_page_is_not_a_feed():
    body = ("<!DOCTYPE html><html lang='ko'><head><title>한빛일보</title></head><body>"
            f"<h1>한빛일보</h1><p>{KO_TEXT}</p></body></html>").encode()
    feed = parse_feed(body, "text/html; charset=utf-8", "https://hanbit.example.kr/")
    assert feed.entries == []
    assert feed.error is not None and feed.error.startswith("not a")


def test_html_text_of_plain_text_keeps_its_paragraphs():
    assert html_text(f"  {KO_TEXT}\n\n\n  {KO_TEXT}  ") == f"{KO_TEXT}\n\n{KO_TEXT}"
    assert html_text("") == "" and html_text(None) == "" and html_text("  \n ") == ""


def test_parse_time_reads_rfc822_and_iso8601():
    assert parse_time("Mon, 02 Jun 2025 23:05:00 GMT") == dt.datetime(2025, 6, 2, 23, 5,
                                                                     tzinfo=dt.UTC)
    assert parse_time("2025-06-03T07:30:00+09:00") == dt.datetime(2025, 6, 3, 7, 30,
                                                                  tzinfo=KST)
    assert parse_time("next Tuesday") is None


# --------------------------------------------------------------------------- teasers


def test_one_english_sentence_is_a_teaser_and_a_whole_article_is_not():
    assert is_teaser(EN_SUMMARY)
    assert not is_teaser(EN_ARTICLE)


def test_chinese_budget_is_counted_in_characters():
    summary = ZH_SUMMARY[:60]
    assert len(summary) == 60 and is_teaser(summary)
    article = ZH_ARTICLE.replace("\n\n", "")[:400]
    assert len(article) == 400 and not is_teaser(article)
    # 400 Latin characters would still be a teaser
    assert is_teaser(EN_ARTICLE[:400])


def test_japanese_and_korean_summaries_are_teasers():
    assert is_teaser(JA_TEXT)
    assert is_teaser(KO_TEXT)
    assert not is_teaser("\n\n".join([KO_TEXT] * 4))


# --------------------------------------------------------------------------- URLs


def test_normalise_url_drops_tracking_and_fragment_and_keeps_real_parameters():
    key = normalise_url("HTTPS://WWW.Harbor.Example.COM:443/news/2025/ferry?utm_source=rss"
                        "&utm_medium=feed&id=42&page=2#comments")
    assert key == "https://www.harbor.example.com/news/2025/ferry?id=42&page=2"
    assert normalise_url("https://news.example.co.kr/read?aid=0001234&sid=101&utm_campaign=x"
                         ) == "https://news.example.co.kr/read?aid=0001234&sid=101"
    # the same article reached two ways is one key
    assert normalise_url("https://harbor.example.com/a?b=2&a=1#top") == normalise_url(
        "https://HARBOR.example.com/a?a=1&b=2&utm_source=newsletter")


@pytest.mark.parametrize("url", ["ftp://files.example.com/news.xml", "javascript:alert(1)",
                                 "mailto:desk@harbor.example.com", "file:///etc/passwd"])
def test_urls_that_are_never_fetched_have_no_key(url):
    assert normalise_url(url) is None
    problem = scheme_problem(url)
    assert problem is not None and "only http and https" in problem


def test_scheme_problem_accepts_http_and_needs_a_host():
    assert scheme_problem("https://harbor.example.com/feed.xml") is None
    assert scheme_problem("http:///feed.xml") == "no host in the URL"


def test_article_id_is_stable_and_names_the_host():
    key = "https://www.harbor.example.com/news/2025/ferry?id=42"
    first = article_id(key)
    assert first == article_id(key)
    assert first.startswith("harbor.example.com-")
    assert len(first.rsplit("-", 1)[1]) == 10
    assert article_id(key + "&page=2") != first


# --------------------------------------------------------------------------- policy


@pytest.mark.parametrize(("field", "value", "says"), [
    ("concurrency", 0, "concurrency must be at least 1, got 0"),
    ("max_bytes", -1, "max_bytes must be at least 1, got -1"),
    ("retries", -1, "retries must not be negative, got -1"),
    ("backoff", -0.5, "backoff must not be negative, got -0.5"),
    ("per_host_interval", -1.0, "per_host_interval must not be negative"),
    ("timeout", 0, "timeout must be positive, got 0"),
    ("timeout", -3.0, "timeout must be positive"),
])
def test_policy_rejects_bad_values_naming_the_field(field, value, says):
    with pytest.raises(ValueError, match=says):
        FetchPolicy(**{field: value})


def test_policy_accepts_zero_waits():
    policy = FetchPolicy(retries=0, backoff=0, per_host_interval=0, max_redirects=0)
    assert policy.retries == 0 and policy.max_redirects == 0


# --------------------------------------------------------------------------- HTTP helpers


def test_retry_after_reads_seconds_and_an_http_date():
    assert _retry_after("120") == 120.0
    assert _retry_after(" 5 ") == 5.0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    wait = _retry_after(email.utils.format_datetime(later, usegmt=True))
    assert wait is not None and 595 <= wait <= 600
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # past: no wait
    assert _retry_after(None) is None and _retry_after("") is None
    assert _retry_after("soon") is None


def test_response_charset_reads_a_quoted_value():
    resp = Response("u", "u", 200, headers={"content-type": 'text/html; charset="Shift_JIS"'})
    assert resp.charset == "Shift_JIS"
    resp = Response("u", "u", 200, headers={"content-type": "text/xml;Charset=EUC-KR"})
    assert resp.charset == "EUC-KR"
    assert Response("u", "u", 200, headers={"content-type": "text/html"}).charset is None
    assert Response("u", "u", 200).charset is None


# --------------------------------------------------------------------------- PoliteClient

FAST = FetchPolicy(per_host_interval=0, retries=1, backoff=0, robots=False,
                   trust_env=False, timeout=5)


def _get(policy: FetchPolicy, handler, url: str) -> tuple[Response, PoliteClient]:
    async def go() -> tuple[Response, PoliteClient]:
        async with PoliteClient(policy, transport=httpx.MockTransport(handler)) as client:
            return await client.get(url), client
    return asyncio.run(go())


def test_client_retries_a_503_and_then_reads_the_page():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if len(seen) == 1:
            return httpx.Response(503, text="busy")
        return httpx.Response(200, text=RSS, headers={"content-type": "application/rss+xml"})

    resp, client = _get(FAST, handler, "https://kitahama.example.jp/rss.xml")
    assert resp.ok and resp.error is None
    assert resp.attempts == 2 and client.requests == 2
    assert resp.body.decode("utf-8") == RSS
    assert seen == ["https://kitahama.example.jp/rss.xml"] * 2


def test_client_gives_up_after_its_retries_for_next_run():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    resp, _ = _get(FAST, handler, "https://kitahama.example.jp/rss.xml")
    assert not resp.ok and resp.retry_later
    assert resp.error == "HTTP 503 after 2 tries" and resp.attempts == 2


def test_client_leaves_a_long_retry_after_for_the_next_run():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"retry-after": "3600"})

    resp, client = _get(FAST, handler, "https://harbor.example.com/feed.xml")
    assert resp.retry_later and client.requests == 1
    assert "3600 s" in resp.error and "max_retry_after" in resp.error


def test_client_404_is_an_error_not_retried():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="not found")

    resp, client = _get(FAST, handler, "https://harbor.example.com/gone")
    assert resp.error == "HTTP 404" and not resp.retry_later and client.requests == 1


def test_client_refuses_a_redirect_to_a_file_url():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"location": "file:///etc/passwd"})

    resp, _ = _get(FAST, handler, "https://hanbit.example.kr/rss")
    assert seen == ["https://hanbit.example.kr/rss"]  # file: is never asked for
    assert not resp.ok and not resp.retry_later
    assert "file" in resp.error and "only http and https" in resp.error
    assert resp.error.startswith("redirected to file:///etc/passwd")
    assert resp.final_url == "file:///etc/passwd"


def test_client_follows_relative_redirects():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old/rss":
            return httpx.Response(301, headers={"location": "/new/rss"})
        return httpx.Response(200, text="ok")

    resp, client = _get(FAST, handler, "https://hanbit.example.kr/old/rss")
    assert resp.ok and resp.final_url == "https://hanbit.example.kr/new/rss"
    assert resp.url == "https://hanbit.example.kr/old/rss" and client.requests == 2


def test_client_stops_after_max_redirects():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(302, headers={"location": f"/hop{len(seen)}"})

    policy = FetchPolicy(per_host_interval=0, retries=0, robots=False, trust_env=False,
                         max_redirects=3)
    resp, _ = _get(policy, handler, "https://dongfang.example.cn/loop")
    assert resp.error == "more than 3 redirects"
    assert len(seen) == 4 and "\n" not in resp.error


def test_client_cuts_off_a_body_over_max_bytes_without_content_length():
    async def chunks():
        for _ in range(64):
            yield b"x" * 1024

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())

    policy = FetchPolicy(per_host_interval=0, retries=0, robots=False, trust_env=False,
                         max_bytes=10_000)
    resp, client = _get(policy, handler, "https://harbor.example.com/huge.xml")
    assert "content-length" not in resp.headers
    assert not resp.ok and "max_bytes" in resp.error and resp.body == b""
    assert client.bytes <= 10_000 + 1024


def test_client_refuses_a_declared_content_length_over_max_bytes():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"y" * 20_000)

    policy = FetchPolicy(per_host_interval=0, retries=0, robots=False, trust_env=False,
                         max_bytes=10_000)
    resp, _ = _get(policy, handler, "https://harbor.example.com/big.xml")
    assert resp.error == "response of 20,000 bytes is over max_bytes (10,000)"


def _get_in_turn(handler, requests: list[tuple[str, bool]]) -> list[Response]:
    """(url, page) requests one after another through one client with robots.txt on."""
    policy = FetchPolicy(per_host_interval=0, retries=0, trust_env=False)

    async def go() -> list[Response]:
        async with PoliteClient(policy, transport=httpx.MockTransport(handler)) as client:
            return [await client.get(url, page=page) for url, page in requests]

    return asyncio.run(go())


def test_client_obeys_robots_txt_for_pages_only():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        return httpx.Response(200, text="page")

    refused, page, feed = _get_in_turn(handler, [
        ("https://harbor.example.com/private/a", True),
        ("https://harbor.example.com/news/b", True),
        ("https://harbor.example.com/private/feed.xml", False)])
    assert refused.error == "disallowed by robots.txt"
    assert page.ok and feed.ok
    assert seen == ["/robots.txt", "/news/b", "/private/feed.xml"]  # robots read once


# --------------------------------------------------------------------------- store


def _article(url: str, text: str, outlet: str = "Harbor Daily", day: str = "2025-06-03",
             **more) -> dict:
    key = normalise_url(url)
    now = "2025-06-03T10:00:00+00:00"
    return {"id": article_id(key), "url": url, "canonical_url": None, "outlet": outlet,
            "feed": "https://harbor.example.com/feed.xml", "first_seen": now,
            "fetched_at": now, "published": f"{day}T09:00:00+09:00", "entry_updated": None,
            "day": day, "day_from": "feed", "lang_hint": "en",
            "title": "Busan-Fukuoka ferry to start next month", "author": None,
            "text": text, "status": "page", "note": None, "retry": 0, "etag": None,
            "last_modified": None, **more}


@pytest.fixture
def store(tmp_path):
    store = ArticleStore(tmp_path / "store")
    yield store
    store.close()


def test_same_article_under_a_second_url_key_is_seen(store):
    feed_link = "https://harbor.example.com/2025/06/03/ferry?utm_source=rss"
    page_url = "https://www.harbor.example.com/2025/06/03/ferry"
    article = _article(feed_link, EN_ARTICLE)
    outcome, first_id = store.save(article, [normalise_url(feed_link)])
    assert outcome == "new"
    later = {**article, "fetched_at": "2025-06-04T10:00:00+00:00"}
    outcome, same_id = store.save(later, [normalise_url(page_url), normalise_url(feed_link)])
    assert (outcome, same_id) == ("seen", first_id)
    assert store.count() == 1
    assert store.find([normalise_url(page_url)])["id"] == first_id
    row = store.find([normalise_url(feed_link)])
    assert row["fetched_at"] == "2025-06-04T10:00:00+00:00"
    assert row["first_seen"] == "2025-06-03T10:00:00+00:00"


def test_same_text_at_another_url_of_the_same_outlet_is_a_duplicate(store):
    a = "https://harbor.example.com/2025/06/03/ferry"
    b = "https://harbor.example.com/travel/ferry-busan-fukuoka"
    _, first_id = store.save(_article(a, EN_ARTICLE), [normalise_url(a)])
    # the same text up to case and punctuation
    echoed = EN_ARTICLE.upper().replace(", ", "; ")
    assert content_hash(echoed) == content_hash(EN_ARTICLE)
    outcome, found = store.save(_article(b, echoed), [normalise_url(b)])
    assert (outcome, found) == ("duplicate", first_id)
    assert store.count() == 1
    assert store.find([normalise_url(b)])["id"] == first_id  # b is now an alias


def test_same_text_from_another_outlet_is_a_new_article(store):
    a = "https://harbor.example.com/2025/06/03/ferry"
    b = "https://wire.example.org/asia/ferry"
    store.save(_article(a, EN_ARTICLE), [normalise_url(a)])
    outcome, other = store.save(_article(b, EN_ARTICLE, outlet="Pacific Wire"),
                                [normalise_url(b)])
    assert outcome == "new" and other == article_id(normalise_url(b))
    assert store.count() == 2


def test_changed_text_under_a_known_key_is_updated_and_keeps_id_and_first_seen(store):
    url = "https://harbor.example.com/2025/06/03/ferry"
    key = normalise_url(url)
    _, first_id = store.save(_article(url, EN_ARTICLE), [key])
    corrected = EN_ARTICLE.replace("420 passengers", "450 passengers")
    changed = _article(url, corrected, id="harbor.example.com-0000000000",
                       first_seen="2025-06-05T00:00:00+00:00",
                       fetched_at="2025-06-05T00:00:00+00:00")
    outcome, found = store.save(changed, [key])
    assert (outcome, found) == ("updated", first_id)
    row = store.find([key])
    assert row["id"] == first_id and row["text"] == corrected
    assert row["first_seen"] == "2025-06-03T10:00:00+00:00"
    assert row["fetched_at"] == "2025-06-05T00:00:00+00:00"
    assert row["content_hash"] == content_hash(corrected)
    assert store.count() == 1


def test_a_teaser_never_replaces_a_stored_page(store):
    url = "https://harbor.example.com/2025/06/03/ferry"
    key = normalise_url(url)
    store.save(_article(url, EN_ARTICLE), [key])
    outcome, _ = store.save(_article(url, EN_SUMMARY, status="teaser", note="page: HTTP 503",
                                     retry=1), [key])
    assert outcome == "seen"
    assert store.find([key])["text"] == EN_ARTICLE


TITLES = {"en": "Busan-Fukuoka ferry to start next month", "zh": "釜山至福冈高速客轮下月开航",
          "ja": "釜山―福岡に新高速船、来月就航", "ko": "부산-후쿠오카 고속선 다음 달 취항"}


def _four_days(store: ArticleStore) -> list[str]:
    specs = [("https://harbor.example.com/c", EN_ARTICLE, "2025-06-03", "en"),
             ("https://dongfang.example.cn/a", ZH_ARTICLE, "2025-06-01", "zh"),
             ("https://kitahama.example.jp/b", JA_TEXT, "2025-06-03", "ja"),
             ("https://hanbit.example.kr/d", KO_TEXT, "2025-06-02", "ko")]
    ids = []
    for url, text, day, lang in specs:
        article = _article(url, text, outlet=url.split("/")[2], day=day, lang_hint=lang,
                           title=TITLES[lang])
        outcome, found = store.save(article, [normalise_url(url)])
        assert outcome == "new"
        ids.append(found)
    return ids


def test_records_are_ordered_by_day_then_id_and_filtered_by_day(store):
    _four_days(store)
    records = list(store.records())
    keys = [(r["date"], r["id"]) for r in records]
    assert keys == sorted(keys) and len(keys) == 4
    assert [r["date"] for r in records] == ["2025-06-01", "2025-06-02", "2025-06-03",
                                            "2025-06-03"]
    june_2_3 = list(store.records(dt.date(2025, 6, 2), dt.date(2025, 6, 3)))
    assert [r["date"] for r in june_2_3] == ["2025-06-02", "2025-06-03", "2025-06-03"]
    assert [r["text"] for r in store.records(until=dt.date(2025, 6, 1))] == [ZH_ARTICLE]
    assert list(store.records(since=dt.date(2025, 6, 4))) == []
    first = records[0]
    assert first["url"] == "https://dongfang.example.cn/a" and first["outlet"] == (
        "dongfang.example.cn")
    assert first["content_hash"] == content_hash(ZH_ARTICLE)


def test_ids_after_and_first_day(store):
    ids = _four_days(store)
    assert store.last_seq() == 4
    assert store.ids_after(2, dt.date(2025, 6, 1)) == set(ids[2:])
    assert store.ids_after(0, dt.date(2025, 6, 3)) == {ids[0], ids[2]}
    assert store.ids_after(4, dt.date(2025, 1, 1)) == set()
    assert store.first_day({ids[0], ids[3]}) == dt.date(2025, 6, 2)
    assert store.first_day(set(ids)) == dt.date(2025, 6, 1)
    assert store.first_day(set()) is None
    assert store.ids_in_days(dt.date(2025, 6, 2), dt.date(2025, 6, 2)) == {ids[3]}


def test_export_parquet_reads_back_through_the_input_stream(store, tmp_path):
    ids = _four_days(store)
    path = tmp_path / "articles.parquet"
    assert store.export_parquet(path) == 4
    items = list(iter_inputs([path]))
    docs = [item.document for item in items]
    assert all(doc is not None for doc in docs)
    records = {r["id"]: r for r in store.records()}
    # the title leads the document's text, as for any JSONL/CSV/Parquet record
    assert {d.id: d.text for d in docs} == {
        i: f"{r['title']}\n\n{r['text']}" for i, r in records.items()}
    assert {d.id: (d.title, d.outlet, d.url, d.declared_lang) for d in docs} == {
        i: (r["title"], r["outlet"], r["url"], r["lang"]) for i, r in records.items()}
    assert sorted(d.id for d in docs) == sorted(ids)
    assert {d.id: d.date.isoformat() for d in docs} == {
        r["id"]: r["date"] for r in store.records()}


def test_a_store_folder_is_an_input_and_a_teaser_says_its_page_failed(store):
    _four_days(store)
    url = "https://harbor.example.com/2025/06/03/visa"
    _, teaser_id = store.save(_article(url, EN_SUMMARY, status="teaser",
                                       note="page: HTTP 503 after 3 tries", retry=1),
                              [normalise_url(url)])
    items = list(iter_inputs(store.folder))
    docs = {item.document.id: item.document for item in items}
    assert len(docs) == 5
    assert docs[teaser_id].text == f"{TITLES['en']}\n\n{EN_SUMMARY}"
    (warning,) = [w for w in docs[teaser_id].warnings if "page could not be read" in w]
    assert "HTTP 503 after 3 tries" in warning and "page: " not in warning
    others = [d for i, d in docs.items() if i != teaser_id]
    assert not any("could not be read" in w for d in others for w in d.warnings)


def test_record_failure_counts_tries_and_stops_retrying(store):
    feed = "https://harbor.example.com/feed.xml"
    key = "https://harbor.example.com/2025/06/03/no-text"
    entry = {"url": key, "guid": None, "title": "Ferry fares", "text": ""}
    tries = [store.record_failure(key, key, feed, "HTTP 503", True, entry)
             for _ in range(MAX_PAGE_TRIES)]
    assert tries == list(range(1, MAX_PAGE_TRIES + 1))
    assert store.failure(key)["retry"] == 0
    assert store.pending(feed) == ([], [])


def test_record_failure_is_pending_until_its_last_try(store):
    feed = "https://harbor.example.com/feed.xml"
    key = "https://harbor.example.com/2025/06/03/no-text"
    entry = {"url": key, "guid": None, "title": "Ferry fares", "text": ""}
    assert store.record_failure(key, key, feed, "timeout", True, entry) == 1
    articles, entries = store.pending(feed)
    assert articles == [] and entries == [entry]
    gone = "https://harbor.example.com/2025/06/03/gone"
    assert store.record_failure(gone, gone, feed, "HTTP 404", False, {"url": gone}) == 1
    assert store.pending(feed)[1] == [entry]  # a 404 is never retried
    # a later save of the article clears its failure
    store.save(_article(key, EN_ARTICLE), [key])
    assert store.failure(key) is None


def test_pending_lists_teasers_marked_for_retry(store):
    url = "https://harbor.example.com/2025/06/03/visa"
    store.save(_article(url, EN_SUMMARY, status="teaser", note="page: timeout", retry=1),
               [normalise_url(url)])
    articles, entries = store.pending("https://harbor.example.com/feed.xml")
    assert [a["url"] for a in articles] == [url] and entries == []
    assert store.pending("https://other.example.com/feed.xml") == ([], [])


def test_status_lines_count_articles_by_status_and_days(store):
    _four_days(store)
    url = "https://harbor.example.com/2025/06/03/visa"
    store.save(_article(url, EN_SUMMARY, status="teaser", day="2025-06-04"),
               [normalise_url(url)])
    store.feed_done(1, "https://harbor.example.com/feed.xml", "Harbor Daily",
                    "2025-06-04T00:00:00+00:00", {"status": "ok", "entries": 5, "new": 5},
                    {"etag": '"abc"'})
    lines = store.status_lines()
    assert lines[0] == f"{store.folder}: 5 articles (4 page, 1 teaser), 2025-06-01 to 2025-06-04"
    assert lines[1].startswith("  Harbor Daily https://harbor.example.com/feed.xml: ok at ")
    assert store.feed_validators("https://harbor.example.com/feed.xml") == {
        "If-None-Match": '"abc"'}


def test_opening_a_missing_store_without_create_fails(tmp_path):
    with pytest.raises(FileNotFoundError, match="no article store"):
        ArticleStore(tmp_path / "nothing", create=False)


# --------------------------------------------------------------------------- sources

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Asia">
      <outline text="Japan">
        <outline type="rss" text="Kitahama Shimbun" language="ja"
                 xmlUrl="https://kitahama.example.jp/rss.xml"/>
      </outline>
      <outline text="Korea">
        <outline type="rss" title="Hanbit Ilbo" language="ko-KR"
                 xmlUrl="https://hanbit.example.kr/rss"/>
        <outline type="rss" text="Old feed" xmlUrl="ftp://hanbit.example.kr/rss"/>
      </outline>
    </outline>
    <outline type="rss" text="Harbor Daily" xmlUrl="https://harbor.example.com/feed.xml"/>
    <outline type="rss" text="Harbor again"
             xmlUrl="https://harbor.example.com/feed.xml?utm_source=reader"/>
  </body>
</opml>
"""


def test_opml_reads_feeds_in_nested_folders(tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text(OPML, "utf-8")
    sources = load_sources(path)
    got = [(f.url, f.outlet, f.lang) for f in sources.feeds]
    assert got == [("https://kitahama.example.jp/rss.xml", "Kitahama Shimbun", "ja"),
                   ("https://hanbit.example.kr/rss", "Hanbit Ilbo", "ko"),
                   ("https://harbor.example.com/feed.xml", "Harbor Daily", None)]
    assert len(sources.problems) == 2
    assert any("ftp://hanbit.example.kr/rss" in p and "scheme 'ftp'" in p
               for p in sources.problems)
    assert any("listed twice" in p for p in sources.problems)
    assert sources.policy == FetchPolicy()


def test_toml_fetch_table_with_a_wrong_type_is_one_problem_line(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[fetch]\nretries = "3"\ntimeout = 10\n\n'
                    '[[feed]]\nurl = "https://dongfang.example.cn/feed.json"\n'
                    'outlet = "Dongfang Ribao"\nlang = "zh"\nfull_page = false\n', "utf-8")
    sources = load_sources(path)
    (problem,) = sources.problems
    assert "[fetch] retries must be int" in problem and "'3'" in problem
    assert "\n" not in problem and str(path) in problem
    assert sources.policy.retries == FetchPolicy().retries
    assert sources.policy.timeout == 10  # an integer for a float setting is fine
    (feed,) = sources.feeds
    assert (feed.outlet, feed.lang, feed.full_page) == ("Dongfang Ribao", "zh", False)


def test_toml_problems_are_collected_per_feed(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[fetch]\nrobots = 1\nmax_bytes = 0\n\n'
                    '[[feed]]\nurl = "https://hanbit.example.kr/rss"\nlang = "xx"\n\n'
                    '[[feed]]\noutlet = "no url"\n\n'
                    '[[feed]]\nurl = "https://kitahama.example.jp/rss.xml"\nfull_page = "yes"\n',
                    "utf-8")
    sources = load_sources(path)
    assert [f.url for f in sources.feeds] == ["https://hanbit.example.kr/rss",
                                              "https://kitahama.example.jp/rss.xml"]
    assert sources.feeds[0].outlet == "hanbit.example.kr" and sources.feeds[0].lang is None
    problems = "\n".join(sources.problems)
    assert "[fetch] robots must be bool" in problems
    assert "max_bytes must be at least 1" in problems
    assert "feed 1: lang 'xx'" in problems
    assert "feed 2: no url" in problems
    assert "feed 3: full_page must be true or false" in problems
    assert sources.policy == FetchPolicy()


# --------------------------------------------------------------------------- found by review


def test_robots_txt_behind_a_redirect_is_followed():
    """http→https and bare→www redirects of robots.txt are common (RFC 9309: follow 5)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "harbor.example.com" and request.url.path == "/robots.txt":
            return httpx.Response(301, headers={
                "Location": "https://www.harbor.example.com/robots.txt"})
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        return httpx.Response(200, text="page")

    page, refused = _get_in_turn(handler, [("https://harbor.example.com/news/b", True),
                                           ("https://harbor.example.com/private/a", True)])
    assert page.ok
    assert refused.error == "disallowed by robots.txt"


def test_every_bad_fetch_value_is_a_line_and_the_good_ones_are_kept(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text("[fetch]\nper_host_interval = 0.2\nretries = -1\nmax_bytes = 0\n"
                    "backoff = nan\n\n[[feed]]\nurl = \"https://harbor.example.com/rss\"\n",
                    "utf-8")
    sources = load_sources(path)
    assert len(sources.problems) == 3
    assert all(any(name in p for p in sources.problems)
               for name in ("retries", "max_bytes", "backoff"))
    assert sources.policy.per_host_interval == 0.2


def test_a_json_feed_with_a_byte_order_mark_and_no_content_type():
    body = b"\xef\xbb\xbf" + json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Kitahama",
        "items": [{"id": "1", "url": "https://kitahama.example.jp/a",
                   "title": "日韓、ワーキングホリデー枠を倍増", "summary": "年間2万人に。"}]},
        ensure_ascii=False).encode("utf-8")
    feed = parse_feed(body, "text/plain")
    assert feed.error is None
    assert [e.title for e in feed.entries] == ["日韓、ワーキングホリデー枠を倍増"]
