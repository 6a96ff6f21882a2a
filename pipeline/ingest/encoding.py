"""Turn raw file bytes into text without guessing wrong on short CJK articles.

News files arrive as UTF-8 mostly, but scraped Chinese, Japanese and Korean pages are still
saved in GBK, Big5, Shift_JIS, EUC-JP or EUC-KR, and some files are cut mid-character by a
download limit. The order of attempts goes from certain to uncertain:

1. a byte-order mark (UTF-8-SIG, UTF-32 LE/BE, UTF-16 LE/BE) is proof of the encoding;
2. strict UTF-8 almost never decodes non-UTF-8 text by accident;
3. UTF-8 failing only in the last 1-3 bytes is a file cut mid-character: keep the rest, warn;
   then a charset the container declares (HTML ``<meta charset>``), if it decodes strictly;
4. NUL bytes that are not BOM-less UTF-16 mean a binary file (checked before detection so
   that random bytes are never "detected" as some legacy encoding);
5. charset-normalizer, restricted to the encodings these languages actually use, then
   re-ranked by how clean each candidate's text looks (short texts fool detectors);
6. anything still failing, or decoding to control-character soup, is binary;
7. text that was decoded wrongly once already, before it reached us (UTF-8 read as
   Windows-1252 and saved again: "CafÃ©"), is repaired with ftfy's `fix_encoding`, with a
   warning; ftfy only acts on sequences that are almost never legitimate text.

The text is otherwise kept exactly as decoded (only newlines normalised to ``\\n`` and NULs
dropped) because later stages store character offsets into it.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.lang.scripts import CJK, HAN_CHAR, HANGUL_CHAR, KANA_CHAR

__all__ = ["Decoded", "UndecodableError", "decode_bytes", "mojibake_score"]

# Order matters: UTF-32 LE's BOM starts with UTF-16 LE's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# What CJK + English news is realistically encoded in; cp1252/latin-1 last so that they only
# win when nothing multi-byte fits (both decode any byte string, so they are never "wrong").
# fmt: off
CANDIDATE_ENCODINGS: tuple[str, ...] = (
    "gb18030", "big5", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
    "utf_16", "cp1252", "latin_1",
)
# fmt: on

# C0 controls other than tab, newlines, form feed and ESC (ISO-2022): absent from real text.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL_CHARS.match(chr(b)))
_BINARY_CONTROL_SHARE = 0.05  # real text files have essentially no C0 controls
_NEWLINES = re.compile(r"\r\n?")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_SCORE_CHARS = 20000  # plausibility is judged on a prefix: enough evidence, bounded cost


class UndecodableError(ValueError):
    """Raised for input that is not text: empty, binary, or in no plausible encoding.

    The message is short and user-facing ("empty file", "binary file") because the reader
    turns it into a ``Problem`` line as-is.
    """


@dataclass
class Decoded:
    """Decoded text plus how it was decoded; `warnings` are non-fatal, user-facing lines."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _canonical(name: str) -> str:
    """Python's canonical codec name (``cp949``, ``utf-8``...) so callers compare one form."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _clean(text: str) -> str:
    """Normalise newlines and drop NULs; nothing else, so offsets stay meaningful.

    Valid UTF-8 can still be binary (ASCII-heavy data full of NULs), hence the check here.
    """
    if _looks_binary_text(text):
        raise UndecodableError("binary file")
    return _NEWLINES.sub("\n", text).replace("\x00", "")


# --------------------------------------------------------------------------- plausibility


# Each legacy codec implies a language; an ideograph is judged against that language's
# national standard, whose "level 1" table is exactly the characters in everyday use.
_HAN_TABLES: dict[str, tuple[str, tuple[int, int], tuple[int, int]]] = {
    "zh-hans": ("gb2312", (0xB0, 0xD7), (0xD8, 0xF7)),
    "zh-hant": ("big5", (0xA4, 0xC6), (0xC9, 0xF9)),
    "ja": ("euc_jp", (0xB0, 0xCF), (0xD0, 0xF4)),
}
_CODEC_LANG: dict[str, str] = {
    **dict.fromkeys(("gb18030", "gbk", "gb2312"), "zh-hans"),
    **dict.fromkeys(("big5", "cp950"), "zh-hant"),
    **dict.fromkeys(("shift_jis", "cp932", "euc_jp"), "ja"),
    **dict.fromkeys(("euc_kr", "cp949"), "ko"),
}


def _is_han(ch: str) -> bool:
    return HAN_CHAR.match(ch) is not None


def _is_hangul(ch: str) -> bool:
    return HANGUL_CHAR.match(ch) is not None


def _is_kana(ch: str) -> bool:
    return KANA_CHAR.match(ch) is not None


def _is_greek_cyrillic(ch: str) -> bool:
    return "\u0370" <= ch <= "\u04ff"


@lru_cache(maxsize=65536)
def _han_rarity(ch: str, lang: str | None) -> float:
    """0 for an everyday ideograph of `lang`, 0.5 for a second-tier one, 1 for a rare one.

    Mis-decoded bytes land on rare ideographs far more often than real text does. With no
    language hypothesis (UTF-16, Latin codecs) any of the three standards may vouch for it.
    """
    if lang == "ko":
        return 0.5  # hanja exist in Korean news but are sparse; cp949 junk is full of them
    tables = [_HAN_TABLES[lang]] if lang in _HAN_TABLES else list(_HAN_TABLES.values())
    rarity = 1.0
    for codec, level1, level2 in tables:
        try:
            lead = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        if level1[0] <= lead <= level1[1]:
            return 0.0
        if level2[0] <= lead <= level2[1]:
            rarity = 0.5
    return rarity


@lru_cache(maxsize=1)
def _common_hangul() -> frozenset[str]:
    """The ~1,000 Hangul syllables seen in langdetect's Korean profile (a pinned dependency).

    KS X 1001's 2,350 syllables still include many no one writes; Chinese GBK bytes read as
    cp949 land on those. Without langdetect the check is simply skipped.
    """
    try:
        import langdetect

        path = Path(langdetect.__file__).parent / "profiles" / "ko"
        freq = json.loads(path.read_text(encoding="utf-8"))["freq"]
    except (ImportError, OSError, ValueError, KeyError):
        return frozenset()
    return frozenset(k for k in freq if len(k) == 1 and _is_hangul(k))


@lru_cache(maxsize=16384)
def _hangul_rarity(ch: str) -> float:
    """1 outside KS X 1001 (cp949's extension area), 0.5 if unseen in Korean text, else 0."""
    try:
        ch.encode("euc_kr")
    except UnicodeEncodeError:
        return 1.0
    common = _common_hangul()
    return 0.5 if common and ch not in common else 0.0


def _char_cost(ch: str, lang: str | None) -> float:
    """Cost of one character, on its own, as evidence of a wrong decoding (0 = normal)."""
    cp = ord(ch)
    if cp < 0x80:
        return 0.0
    if ch == "\ufffd":
        return 4.0
    if 0x80 <= cp <= 0x9F or 0xE000 <= cp <= 0xF8FF:  # C1 controls, private use
        return 3.0
    if 0x4E00 <= cp <= 0x9FFF:
        return _han_rarity(ch, lang)
    if 0xAC00 <= cp <= 0xD7A3:
        return _hangul_rarity(ch)
    if 0xFF61 <= cp <= 0xFF9F:  # half-width katakana: Shift_JIS read as something else
        return 1.0
    if 0x3130 <= cp <= 0x318F or 0x2160 <= cp <= 0x217F or 0x2500 <= cp <= 0x257F:
        return 1.0  # loose jamo, roman numerals, box drawing: EUC row-1 symbols
    if 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF:  # CJK extensions
        return 1.0
    if 0xA1 <= cp <= 0xBF and ch not in "«»°©®·":
        return 1.0  # "¤³¤Î": CJK bytes read as Latin-1
    return 0.0


def _is_high_latin(ch: str) -> bool:
    """Characters cp1252/Latin-1 produce from high bytes (accents, smart quotes, symbols)."""
    return "\xa0" <= ch <= "\xff" or "\u2010" <= ch <= "\u203a" or ch in "ŠšŒœŽžŸƒˆ˜€™"


def _pair_cost(prev2: str, prev: str, ch: str) -> float:
    """Cost of combinations real text does not produce but wrong decodings do."""
    if _is_hangul(ch) and (_is_han(prev) or _is_kana(prev)):
        return 1.0
    if _is_hangul(prev) and (_is_han(ch) or _is_kana(ch)):
        return 1.0
    cjk_prev = _is_han(prev) or _is_hangul(prev) or _is_kana(prev)
    cjk_ch = _is_han(ch) or _is_hangul(ch) or _is_kana(ch)
    if (_is_greek_cyrillic(ch) and cjk_prev) or (_is_greek_cyrillic(prev) and cjk_ch):
        return 1.0  # Greek/Cyrillic glued to CJK: EUC/GBK symbol rows hit by other bytes
    if prev == " " and _is_han(ch) and _is_han(prev2):
        return 1.0  # spaced ideographs: Korean (which spaces words) read as Chinese
    if _is_high_latin(ch) and _is_high_latin(prev) and ch != "\xa0":
        return 1.0  # "Ã©", "â€™": runs of accents/symbols are UTF-8 or CJK read as cp1252
    return 0.0


# One CJK character glued to Latin letters ("It痴 Sunday"): a smart quote read as Shift_JIS.
_CJK = CJK
_CJK_CONTEXT = _CJK + "\u3000-\u303f\uff00-\uffef"
_LONE_CJK = re.compile(
    rf"(?<=[A-Za-z])[{_CJK}](?![{_CJK_CONTEXT}])|(?<![{_CJK_CONTEXT}])[{_CJK}](?=[A-Za-z])"
)


def mojibake_score(text: str, encoding: str | None = None) -> float:
    """Sum of evidence that `text` came from decoding its bytes with the wrong codec.

    `encoding` (a codec name) sets which language's common-character table judges ideographs.
    """
    lang = _CODEC_LANG.get(_canonical(encoding)) if encoding else None
    score = float(len(_LONE_CJK.findall(text)))
    prev2 = prev = " "
    for ch in text:
        if ch >= "\x80":
            score += _char_cost(ch, lang) + _pair_cost(prev2, prev, ch)
        prev2, prev = prev, ch
    return score


# --------------------------------------------------------------------------- steps


# ISO-2022 switches into a double-byte set with an escape; the bytes stay 7-bit, so strict
# UTF-8 would "decode" them as ASCII garbage ("$B%m%C%F...")
_ISO2022 = ((b"\x1b$B", "iso2022_jp"), (b"\x1b$@", "iso2022_jp"), (b"\x1b$(D", "iso2022_jp_2"),
            (b"\x1b$)C", "iso2022_kr"))


def _try_iso2022(data: bytes) -> Decoded | None:
    if b"\x1b$" not in data or not data.isascii():
        return None
    for escape, codec in _ISO2022:
        if escape in data:
            try:
                return Decoded(_clean(data.decode(codec)), codec)
            except UnicodeDecodeError:
                return None
    return None


def _try_utf8(data: bytes, offset: int) -> Decoded | None:
    """Strict UTF-8, or UTF-8 cut inside its last character (a truncated download)."""
    try:
        return Decoded(_clean(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as err:
        tail = len(data) - err.start
        if err.reason != "unexpected end of data" or tail > 3 or err.end != len(data):
            return None
        if tail == 1 and data[: err.start].isascii():
            return None  # "Caf\xe9" is far likelier cp1252 than UTF-8 cut after one byte
        try:
            text = data[: err.start].decode("utf-8")
        except UnicodeDecodeError:
            return None
        warning = (
            f"truncated UTF-8 sequence at byte {offset + err.start} "
            f"(last {tail} byte{'s' if tail > 1 else ''} dropped)"
        )
        return Decoded(_clean(text), "utf-8", [warning])


def _try_declared(data: bytes, declared: str | None) -> Decoded | None:
    """An encoding the container names (HTML meta charset), if it decodes strictly."""
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk"):
        name = "gb18030"  # pages labelled gb2312 routinely use GBK/GB18030 characters
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    sample = text[:_SCORE_CHARS]
    if _looks_binary_text(text) or mojibake_score(sample, name) > 0.1 * len(sample):
        return None  # a stale label (Latin-1 decodes anything): let detection decide
    return Decoded(_clean(text), name)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """BOM-less UTF-16 is the one legitimate text format full of NUL bytes."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_binary_text(text):
            continue
        score = mojibake_score(text, name) / max(len(text), 1)
        if score < 0.05 and (best is None or score < best[0]):
            best = (score, name, text)
    return Decoded(_clean(best[2]), best[1]) if best else None


def _looks_binary_text(text: str) -> bool:
    """Decoded text that is mostly control characters was never text."""
    if not text:
        return False
    return len(_CONTROL_CHARS.findall(text)) > _BINARY_CONTROL_SHARE * len(text)


def _candidates(data: bytes) -> list[tuple[str, str]]:
    """(encoding, text) pairs: charset-normalizer's picks first, then plain strict decodes.

    For one short sentence charset-normalizer often returns only wrong candidates, so every
    plausible codec that decodes the bytes strictly competes too (ranked after its picks).
    """
    out: list[tuple[str, str]] = []
    for match in from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS)):
        out.append((_canonical(match.encoding), str(match)))
    seen = {enc for enc, _ in out}
    for name in CANDIDATE_ENCODINGS:
        if name == "utf_16" or _canonical(name) in seen:
            continue  # BOM-less UTF-16 is handled by the NUL check, not guessed here
        try:
            out.append((_canonical(name), data.decode(name)))
        except UnicodeDecodeError:
            continue
    if _UTF8_MULTIBYTE.search(data):  # UTF-8 with a few bad bytes: U+FFFD costs decide
        out.append(("utf-8", data.decode("utf-8", errors="replace")))
    return out


def _detect(data: bytes) -> Decoded | None:
    """Pick the candidate whose text has the fewest replacement chars and least mojibake.

    Detectors rank on statistical chaos/coherence which is noisy for one or two sentences
    (e.g. a Chinese GBK headline may come back as cp949 Korean); the character-level
    plausibility score breaks those cases, and charset-normalizer's own order breaks ties.
    """
    ranked: list[tuple[float, int, str, str]] = []
    for rank, (encoding, text) in enumerate(_candidates(data)):
        if _looks_binary_text(text):
            continue
        ranked.append((mojibake_score(text[:_SCORE_CHARS], encoding), rank, encoding, text))
    if not ranked:
        return None
    ranked.sort(key=lambda r: (r[0], r[1]))
    score, _, encoding, text = ranked[0]
    warnings = []
    replacements = text.count("\ufffd")
    if replacements:
        what = "invalid UTF-8" if encoding == "utf-8" else "undecodable"
        warnings.append(f"{replacements} {what} byte sequence(s) replaced with U+FFFD")
    if len(text) >= 20 and score / min(len(text), _SCORE_CHARS) > 0.3:
        warnings.append(f"encoding guessed as {encoding}; text may be garbled")
    return Decoded(_clean(text), encoding, warnings)


def decode_bytes(data: bytes, declared: str | Sequence[str | None] | None = None) -> Decoded:
    """Decode a file's bytes to text; raise `UndecodableError` if it is not text.

    `declared` is an encoding the container states (HTML ``<meta charset>``), or several in
    order of trust (an HTTP header's charset, then the page's meta): each is tried after
    UTF-8 because declarations are often stale but a strict UTF-8 decode is not.
    """
    return _repair_mojibake(_decode(data, declared))


def _repair_mojibake(decoded: Decoded) -> Decoded:
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    if not is_bad(decoded.text):
        return decoded
    fixed = fix_encoding(decoded.text)
    if fixed != decoded.text:
        decoded.text = fixed
        decoded.warnings.append("mojibake repaired (text had been decoded with the wrong "
                                "encoding and saved again; fixed with ftfy)")
    return decoded


def _decode(data: bytes, declared: str | Sequence[str | None] | None) -> Decoded:
    if not data:
        raise UndecodableError("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            if name == "utf-8-sig":
                decoded = _try_utf8(data[len(bom) :], len(bom))
                if decoded is not None:
                    decoded.encoding = "utf-8-sig"
                    return decoded
                break  # a UTF-8 BOM on non-UTF-8 data: fall through to detection
            try:
                return Decoded(_clean(data[len(bom) :].decode(name)), name.rsplit("-", 1)[0])
            except UnicodeDecodeError:
                break
    names = [declared] if declared is None or isinstance(declared, str) else list(declared)
    decoded = _try_iso2022(data) or _try_utf8(data, 0)
    for name in names:
        decoded = decoded or _try_declared(data, name)
    if decoded is not None:
        return decoded
    if b"\x00" in data:
        decoded = _utf16_without_bom(data)
        if decoded is None:
            raise UndecodableError("binary file")
        return decoded
    if len(data.translate(None, _NOT_CONTROL_BYTES)) > _BINARY_CONTROL_SHARE * len(data):
        raise UndecodableError("binary file")
    decoded = _detect(data)
    if decoded is None:
        raise UndecodableError("binary file or unknown text encoding")
    return decoded
