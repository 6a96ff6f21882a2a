"""Korean gloss on real text: the seed footer, FLORES/NTREX lines, numbers, the bridge."""

from __future__ import annotations

import itertools
import re

import pytest

from pipeline.paths import evaldata_dir
from pipeline.translate.gloss_ko import KoreanGlossTranslator, hanja_candidates

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
    assert out.startswith("US government China")
    assert "export control" in out and "supply chain" in out
    assert out.endswith(".")


def test_bridge_picks_common_hanja():
    assert hanja_candidates("정부")[0][0] == "政府"
    assert hanja_candidates("수출")[0][0] == "輸出"
    assert hanja_candidates("이용")[0][0] == "利用"  # initial-sound law: 리 → 이


@pytest.mark.parametrize("folder,ko_name", [("ntrex128", "ko.txt"), ("flores200-devtest", "ko.txt")])
def test_key_words_on_public_lines(ko, folder, ko_name):
    lines = _lines(folder, ko_name, 400)
    expect = {"미국": "US", "중국": "China", "대통령": "president", "정부": "government"}
    checked = 0
    for line in lines:
        for word, english in expect.items():
            if re.search(rf"(^|[\s\"'(]){word}", line):  # not 정부 inside 행정부
                assert english.lower() in ko.gloss(line).lower(), line
                checked += 1
    assert checked > 0


def test_flores_chrf_beats_untranslated(ko):
    from pipeline.eval.metrics import chrf
    from pipeline.eval.public_translation import unquote_csv

    src = [unquote_csv(line) for line in _lines("flores200-devtest", "ko.txt", 200)]
    refs = _lines("flores200-devtest", "en.txt", 200)
    score = chrf([ko.gloss(line) for line in src], refs)
    print(f"FLORES ko→en gloss chrF (200 lines): {score:.1f}")
    assert score > 15
