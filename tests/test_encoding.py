"""decode_bytes: real seed sentences in the legacy encodings CJK news is still saved in."""

from __future__ import annotations

import codecs
import random

import pytest

from pipeline.ingest.encoding import UndecodableError, decode_bytes, mojibake_score
from tests.conftest import SEEDS

SEED_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))

# Real sentences from the seeds (asserted below), one and two sentences long: short texts
# are where detectors go wrong.
ZH_1 = "美国能否在关键矿产竞赛中迎头赶上?"
ZH_2 = "中国手握稀土“王牌”,美扛不住了?特朗普放低姿态,拨通中方电话"
JA_1 = (
    "米国は4日、日本と欧州諸国と協力して"
    "重要鉱物の供給を確保するためのアクションプランを策定すると発表した。"
)
JA_2 = (
    "サイトを改善するための分析にCookieを使用します。"
    "詳細については、プライバシーポリシーをお読みください。"
)
KO_1 = "본 콘텐츠는 뉴스픽 파트너스에서 공유된 콘텐츠입니다."
KO_2 = f"Copyright ⓒ 뉴스로드 무단 전재 및 재배포 금지\n{KO_1}"
# Big5 cannot encode simplified characters: the traditional form of ZH_1 / ZH_2.
ZH_HANT_1 = "美國能否在關鍵礦產競賽中迎頭趕上?"
ZH_HANT_2 = "中國手握稀土「王牌」,美扛不住了?特朗普放低姿態,撥通中方電話"


def test_sentences_are_from_the_seeds() -> None:
    for sentence in (ZH_1, ZH_2, JA_1, JA_2, KO_1, KO_2):
        assert sentence in SEED_TEXT


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (ZH_1, "gbk", {"gb18030"}),
        (ZH_2, "gbk", {"gb18030"}),
        (ZH_2, "gb18030", {"gb18030"}),
        (ZH_HANT_1, "big5", {"big5"}),
        (ZH_HANT_2, "big5", {"big5"}),
        (JA_1, "shift_jis", {"shift_jis", "cp932"}),
        (JA_2, "shift_jis", {"shift_jis", "cp932"}),
        (JA_1, "euc_jp", {"euc_jp"}),
        (JA_2, "euc_jp", {"euc_jp"}),
        (KO_1, "euc_kr", {"euc_kr", "cp949"}),
        (KO_2, "euc_kr", {"euc_kr", "cp949"}),
    ],
)
def test_legacy_cjk_encodings_decode_to_the_original(
    text: str, codec: str, expected: set[str]
) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding in expected
    assert decoded.warnings == []


def test_gbk_article_decodes_as_chinese() -> None:
    seed = (SEEDS / "003_82d14f98d0ce453e.txt").read_text(encoding="utf-8")
    title = seed.splitlines()[1]
    data = f"{title}\n搜狐财经·2025-06-09 08:45\n\n{ZH_1}\n".encode("gbk")
    decoded = decode_bytes(data)
    assert decoded.text.startswith(title)
    assert decoded.encoding == "gb18030"


@pytest.mark.parametrize("text", [ZH_2, JA_2, KO_2, "It’s Sunday, June 8th."])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_byte_order_marks_decide(text: str, codec: str) -> None:
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    decoded = decode_bytes(data)
    assert decoded.text == text
    assert decoded.encoding.startswith(codec[:6])


def test_utf16_without_bom_is_not_mistaken_for_binary() -> None:
    decoded = decode_bytes("Critical minerals, 重要鉱物.".encode("utf-16-le"))
    assert decoded.text == "Critical minerals, 重要鉱物."


def test_english_cp1252_with_smart_quotes() -> None:
    text = "It’s Sunday, June 8th. Café owners said the “reference prices” were naïve."
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.encoding in ("cp1252", "iso8859-1")


@pytest.mark.parametrize("cut", [1, 2])
def test_utf8_cut_mid_character_keeps_the_rest(cut: int) -> None:
    data = (ZH_1 + "稀土").encode("utf-8")[:-cut]
    decoded = decode_bytes(data)
    assert decoded.text == ZH_1 + "稀"
    assert decoded.encoding == "utf-8"
    left = 3 - cut  # bytes of the cut character still in the file
    plural = "s" if left > 1 else ""
    assert decoded.warnings == [
        f"truncated UTF-8 sequence at byte {len(data) - left} (last {left} byte{plural} dropped)"
    ]


def test_ascii_plus_one_final_high_byte_is_latin1_not_a_cut_utf8_file() -> None:
    decoded = decode_bytes("Rare earths, a new café".encode("cp1252"))
    assert decoded.text == "Rare earths, a new café"
    assert decoded.warnings == []


def test_stray_latin1_byte_in_utf8_is_replaced_not_mojibake() -> None:
    data = ("“Reference prices” — 参考价格. " * 5).encode() + b"caf\xe9 au lait"
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("caf\ufffd au lait")
    assert "参考价格" in decoded.text
    assert decoded.warnings and "replaced" in decoded.warnings[0]


def test_declared_charset_is_used_when_utf8_fails() -> None:
    decoded = decode_bytes(ZH_1.encode("gbk"), declared="gb2312")
    assert decoded.text == ZH_1
    assert decoded.encoding == "gb18030"


def test_stale_latin1_declaration_is_overruled() -> None:
    decoded = decode_bytes(ZH_2.encode("gbk"), declared="iso-8859-1")
    assert decoded.text == ZH_2


def test_newlines_normalised_and_nuls_dropped_nothing_else() -> None:
    decoded = decode_bytes(b"line one\r\nline two\rline three\x00\n  indented\t tab \n")
    assert decoded.text == "line one\nline two\nline three\n  indented\t tab \n"


def test_empty_input_is_an_error() -> None:
    with pytest.raises(UndecodableError, match="empty file"):
        decode_bytes(b"")


def test_random_bytes_with_nuls_are_binary() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4000)) + b"\x00\x00\x00"
    with pytest.raises(UndecodableError, match="binary file"):
        decode_bytes(data)


def test_control_characters_mean_binary_even_without_nuls() -> None:
    with pytest.raises(UndecodableError, match="binary file"):
        decode_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 50 + b"text")


def test_ascii_with_many_nuls_is_binary_even_though_utf8_decodes_it() -> None:
    with pytest.raises(UndecodableError, match="binary file"):
        decode_bytes(b"ELF\x00\x00\x00\x01\x00\x00\x00abc\x00\x00" * 20 + b"\x01")


def test_mojibake_score_prefers_the_right_reading() -> None:
    data = ZH_2.encode("gbk")
    right = mojibake_score(data.decode("gb18030"), "gb18030")
    assert right == 0
    assert mojibake_score(data.decode("cp949"), "cp949") > right
    assert mojibake_score(data.decode("latin-1"), "latin-1") > right
    assert mojibake_score(KO_1.encode("euc_kr").decode("gb18030"), "gb18030") > 0
