"""Korean gloss on real text: the seed footer, FLORES/NTREX lines, numbers, the bridge."""

from __future__ import annotations

import itertools
import re

import pytest

from pipeline.paths import evaldata_dir
from pipeline.translate.gloss_ko import KoreanGlossTranslator, best_hanja

pytest.importorskip("kiwipiepy")
pytest.importorskip("hanja")


@pytest.fixture(scope="module")
def ko() -> KoreanGlossTranslator:
    return KoreanGlossTranslator()


def _lines(folder: str, name: str, limit: int) -> list[str]:
    path = evaldata_dir() / folder / name
    if not path.exists():
        pytest.skip(f"evaldata {folder}/{name} not present")
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in itertools.islice(fh, limit)]


def test_seed_footer(ko):
    out = ko.gloss("Copyright ⓒ 뉴스로드 무단 전재 및 재배포 금지").lower()
    assert "unauthorized" in out
    assert "redistribution" in out or "distribut" in out


def test_empty_and_numbers(ko):
    assert ko.gloss("") == ""
    assert ko.gloss("   ") == ""
    assert "$1.2 billion" in ko.gloss("정부는 12억 달러를 투자한다고 밝혔다.")


def test_news_sentence(ko):
    out = ko.gloss("미국 정부는 중국의 수출 통제에 대응해 공급망을 늘리겠다고 밝혔다.")
    assert out.startswith("US government")
    assert "China's export controls" in out  # 중국의 수출 통제: a name's possessive
    assert "export control" in out and "supply chain" in out
    assert out.endswith(".")


def test_bridge_picks_common_hanja():
    assert best_hanja("정부")[0] == "政府"
    assert best_hanja("수출")[0] == "輸出"
    assert best_hanja("이용")[0] == "利用"  # initial-sound law: 리 → 이


@pytest.mark.parametrize("folder,ko_name", [("ntrex128", "ko.txt"), ("flores200-devtest", "ko.txt")])
def test_key_words_on_public_lines(ko, folder, ko_name):
    lines = _lines(folder, ko_name, 400)
    # 중국인 is one headword: "Chinese person" carries China as well
    expect = {"미국": ("US",), "중국": ("China", "Chinese"), "대통령": ("president",),
              "정부": ("government",)}
    checked = 0
    for line in lines:
        for word, english in expect.items():
            if re.search(rf"(^|[\s\"'(]){word}", line):  # not 정부 inside 행정부
                assert any(e.lower() in ko.gloss(line).lower() for e in english), line
                checked += 1
    assert checked > 0


def test_flores_chrf_beats_untranslated(ko):
    from newsdigest_eval.metrics import chrf
    from newsdigest_eval.public_translation import unquote_csv

    src = [unquote_csv(line) for line in _lines("flores200-devtest", "ko.txt", 200)]
    refs = _lines("flores200-devtest", "en.txt", 200)
    score = chrf([ko.gloss(line) for line in src], refs)
    print(f"FLORES ko→en gloss chrF (200 lines): {score:.1f}")
    assert score > 15


def test_seed_content_line_has_no_hangul(ko):
    out = ko.gloss("본 콘텐츠는 뉴스픽 파트너스에서 공유된 콘텐츠입니다.")
    assert "content" in out
    assert not re.search("[가-힣]", out)  # 뉴스픽 is spelled out, not left in hangul


def test_genitive_order_and_possessive(ko):
    out = ko.gloss("그것은 의회의 이름을 웨일스 국회로 바꾸기 위한 계획 때문에 일어났다.")
    assert "name of the parliament" in out  # 의회의 이름 → B of A
    assert "Wales" in out and "happened" in out
    assert "his title" in ko.gloss("그는 그의 직함을 바꾸었다.")  # 그의 → his, no swap
    assert "their" in ko.gloss("몇몇 의원들은 그들의 직함을 바꾸어야 한다는 제안에 실망했다.")


def test_past_tense_and_modal(ko):
    out = ko.gloss("링의 CEO인 제이미 시미노프는 초인종 소리를 들을 수 없었을 때 회사를 시작했다고 말했습니다.")
    assert "Siminoff said when" in out  # the reporting verb follows its subject
    assert "can not hear" in out  # 들을 수 없었다: modal before the verb
    assert "did not announce" in ko.gloss("정부는 수출 통제를 발표하지 않았다.")


def test_plural_and_particles(ko):
    out = ko.gloss("정치적 스펙트럼을 막론하고 상원 의원들은 그것이 조롱을 일으킬 것을 걱정하고 있다.")
    assert "senators" in out and "worry" in out  # 상원 의원 + 들 is one compound; native 걱정
    assert "spectrum" in out
    assert "in Seoul" in ko.gloss("그는 서울에서 회의를 열었다.")


def test_loanword_romanisation():
    from pipeline.translate.gloss_ko import romanize

    assert romanize("스펙트럼").startswith("spekt")
    assert romanize("웨일스", proper=True) == "Weils"
    assert romanize("핼리팩스", proper=True).startswith("Hal")
    assert romanize("김민준", proper=True) == "Gim Minjun"  # a Korean name keeps RR vowels


def test_english_past():
    from pipeline.translate.gloss_ko import english_past

    assert english_past("say") == "said"
    assert english_past("come out") == "came out"
    assert english_past("decide") == "decided"
    assert english_past("try") == "tried"
    assert english_past("about") == "about"


def test_news_vocabulary_reads_as_news(ko: KoreanGlossTranslator) -> None:
    """The real excerpts' worst lines: agencies, rate moves, coalitions, tolls, chip
    processes and households come out in their news sense."""
    cases = {
        "로이터통신에 따르면 한국은행은 기준금리를 인하했다.": ("Reuters", "Bank of Korea", "cut"),
        "연정 협상이 결렬됐다.": ("coalition",),
        "사망자는 12명으로 늘었다.": ("dead", "12 people"),
        "14나노미터 반도체 공정을 도입했다.": ("nanometer", "semiconductor", "process"),
        "8개 동 2000가구가 대피했다.": ("2,000 households evacuated",),
        "코스피는 0.3% 내린 4305.40에 마감했다.": ("KOSPI", "closed"),
    }
    for korean, wanted in cases.items():
        english = ko.gloss(korean)
        for word in wanted:
            assert word in english, (korean, english)
        for wrong in ("penis", "irrigation", "romantic", "soy sauce", "quilt", "koi"):
            assert wrong not in english.lower(), (korean, english)


def test_bound_nouns_have_their_own_senses(ko: KoreanGlossTranslator) -> None:
    assert "enemy" not in ko.gloss("그는 서울에 간 적이 있다.")  # 간 적이 있다: has been
    assert "1 place" in ko.gloss("삼성전자가 1위를 차지했다.")
    assert "after" in ko.gloss("3년 만에 금리를 올렸다.")


def test_clauses_read_subject_verb_object(ko: KoreanGlossTranslator) -> None:
    """Korean puts the verb last; the gloss moves it after the subject, a reporting verb
    after the sentence's topic, and says the tense and voice English marks on the verb."""
    assert ko.gloss("그는 무선 도어벨을 만들었다고 말했다.") == "He said made the wireless doorbell."
    assert ko.gloss("경찰이 용의자를 체포했다.") == "The police arrested the suspect."
    assert ko.gloss("용의자가 체포됐다.") == "The suspect was arrested."
    assert "suspect was not arrested" in ko.gloss("경찰은 용의자가 체포되지 않았다고 말했다.")
    assert ko.gloss("그는 결과가 좋았다고 말했다.") == "He said the result was good."
    assert "will withdraw" in ko.gloss("미군이 시리아에서 철수할 것이라고 발표했다.")
    assert "government said will cut the tax" in ko.gloss("정부는 세금을 인하하겠다고 밝혔다.")
    # a clause whose subject is not marked keeps its order rather than guess one
    assert ko.gloss("2017년 말, 시미노프는 쇼핑 채널에 출연했다.") == "Late 2017, Siminoff appeared in the shopping channel."


def test_particle_verbs_read_as_prepositions(ko: KoreanGlossTranslator) -> None:
    """N에 대한 M, N에 의해, N로 인해...: one English preposition before the phrase, and a
    modifier phrase after the noun it modifies; 에 with a verb of motion is "to"."""
    assert ko.gloss("전쟁에 대한 보고서") == "The report about the war"
    assert ko.gloss("기자에 따르면").startswith("According to the reporter")
    assert "due to the flood" in ko.gloss("홍수로 인해 도로가 막혔다").lower()
    assert ko.gloss("그는 전쟁에 대해 말했다.") == "He said about the war."
    assert ko.gloss("그는 학교에 갔다.") == "He went to the school."
    assert ko.gloss("그는 서울에 살았다.") == "He lived in Seoul."
    assert ko.gloss("문제가 없다.") == "No issue."
    assert ko.gloss("그는 떠나야 했다.") == "He had to leave."


def test_verbs_take_the_preposition_english_gives_them(ko: KoreanGlossTranslator) -> None:
    """에/에서 wait for the clause's verb: a direct object, "to", "from" or "in"; an action
    noun + 하다 reads as its verb (철수 withdrawal → withdrew); be agrees with its subject."""
    assert ko.gloss("그는 회의에 참석했다.") == "He attended the meeting."
    assert ko.gloss("미군이 시리아에서 철수했다.") == "US military withdrew from Syria."
    assert ko.gloss("그는 서울에 도착했다.") == "He arrived in Seoul."
    assert ko.gloss("경찰은 사건을 조사하고 있다.") == "The police are investigating the incident."
    assert ko.gloss("3명이 체포됐다.") == "3 people were arrested."
    assert ko.gloss("그것은 큰 문제다.") == "It is a big issue."


def test_a_clause_of_time_or_cause_opens_with_its_conjunction(ko: KoreanGlossTranslator) -> None:
    assert ko.gloss("비가 왔기 때문에 경기가 취소됐다.") == "Because rain came the game was canceled."
    assert ko.gloss("그는 집에 갈 때 울었다.") == "He when go to the house cried."


def test_centuries_and_clock_times_are_numbers(ko: KoreanGlossTranslator) -> None:
    assert ko.gloss("18세기 말에 혁명이 일어났다.").startswith("In the late 18th century")
    assert "the 3rd century BC" in ko.gloss("기원전 3세기에 이집트인이 건설했다.")
    assert "7:19 a.m." in ko.gloss("현지 시간 오전 7시 19분에 지진이 발생했다.")
