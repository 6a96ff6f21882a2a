"""Language identification for en/zh/ja/ko segments, deterministic and context-aware.

Statistical detectors are unreliable exactly where news pages are hardest: short Han-only
labels (新闻, 関連記事, 拒否). lingua restricted to zh/ja calls every Han-only string Chinese, and
langdetect calls most of them Korean. So the order is: writing-system rules first (kana means
Japanese, hangul means Korean), then character-set evidence for Han-only text (a character
that only simplified Chinese or only Japanese uses), then lingua with langdetect as a second
voice, and finally `assign_languages` lets confident neighbours in the same document decide
what a short, ambiguous string could not.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pipeline.model import Document, Lang

CJK_LANGS: tuple[str, ...] = ("zh", "ja", "ko")
CONFIDENT = 0.6  # at or above: a segment may decide its neighbours; below: context may override
NEIGHBOUR_WINDOW = 5  # segments on each side searched for a confident zh/ja neighbour
_LINGUA_SURE = 0.5  # lingua's relative confidence at which langdetect is not consulted
_EN_PRIOR = 6.0  # odds factor for English among Latin-script languages in en/zh/ja/ko news
_CJK_SHARE = 0.2  # CJK chars / (CJK chars + 2 per Latin word) above which CJK rules apply
_HANGUL_SHARE = 0.3  # hangul share of CJK characters that makes a string Korean
_JA_MARKS = "々〆"  # iteration/abbreviation marks that Chinese news text does not use
_LATIN_WORD = re.compile(r"[^\W\d_]+")
_LATIN_OTHERS = (
    "FRENCH", "GERMAN", "SPANISH", "PORTUGUESE", "ITALIAN", "DUTCH", "INDONESIAN", "MALAY",
    "VIETNAMESE", "TAGALOG", "TURKISH",
)  # fmt: skip
_LANGDETECT_PROFILES = ("en", "zh-cn", "zh-tw", "ja", "ko", "fr", "de", "es", "pt", "it", "nl",
                        "id", "vi", "tl", "tr")  # fmt: skip


@dataclass(frozen=True)
class LangGuess:
    """One string's language, how sure we are (0-1), and which rule decided it (for audits)."""

    lang: Lang
    confidence: float
    reason: str


def is_cjk(lang: str | None) -> bool:
    """True for zh/ja/ko, the languages that need segmentation and glossing, not spaces."""
    return lang in CJK_LANGS


def _char_class(ch: str) -> str:
    """The writing system of one character, by code-point block (no Unicode name lookups)."""
    o = ord(ch)
    if (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or ch in _JA_MARKS):  # fmt: skip
        return "han"
    if ch in "ー・゠":  # prolonged sound mark and middle dot also appear in Chinese text
        return "other"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D:
        return "kana"
    if (0xAC00 <= o <= 0xD7FF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F
            or 0xA960 <= o <= 0xA97F or 0xFFA0 <= o <= 0xFFDC):  # fmt: skip
        return "hangul"
    if ch.isdigit():
        return "digit"
    if ch.isalpha() and (o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0xFF21 <= o <= 0xFF5A):
        return "latin"
    return "other"


def _scan(text: str) -> tuple[dict[str, int], str, int]:
    """One pass over `text`: script counts, its Han characters, and its Latin word count."""
    counts = dict.fromkeys(("han", "kana", "hangul", "latin", "digit", "other"), 0)
    han: list[str] = []
    latin: list[str] = []
    for ch in text:
        cls = _char_class(ch)
        counts[cls] += 1
        if cls == "han":
            han.append(ch)
        latin.append(ch if cls == "latin" else " ")
    return counts, "".join(han), len(_LATIN_WORD.findall("".join(latin)))


def script_profile(text: str) -> dict[str, int]:
    """Count characters per writing system: han, kana, hangul, latin, digit, other.

    ー and ・ count as other because Chinese text uses them too; 々 and 〆 count as han.
    """
    return _scan(text)[0]


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@cache
def _han_evidence(ch: str) -> str | None:
    """'zh' for a character Japanese cannot write, 'ja' for one only Japanese writes.

    Not in cp932 (Shift_JIS) but in GBK/cp950 (闻 们 这): Chinese. In cp932 but in neither
    GB2312 nor cp950 (Big5) (関 鉱 円 働): Japanese shinjitai or kokuji. The rest is shared.
    """
    if ch in _JA_MARKS:
        return "ja"
    in_sjis = _encodes(ch, "cp932")
    if not in_sjis and (_encodes(ch, "gbk") or _encodes(ch, "cp950")):
        return "zh"
    if in_sjis and not _encodes(ch, "gb2312") and not _encodes(ch, "cp950"):
        return "ja"
    return None


def _charset_guess(han: str) -> LangGuess | None:
    """Decide zh/ja from the Han characters alone, or None when they are all shared.

    Besides single characters, a string that mixes simplified-only (国) with traditional-only
    (際) forms encodes in neither GB2312 nor Big5 yet in Shift_JIS: that mix is Japanese.
    """
    zh = ja = 0
    for ch in han:
        ev = _han_evidence(ch)
        zh += ev == "zh"
        ja += ev == "ja"
    if zh != ja:
        return LangGuess("zh" if zh > ja else "ja", min(0.95, 0.75 + 0.1 * abs(zh - ja)),
                         "han:charset")  # fmt: skip
    if zh == 0 and len(han) > 1:
        mixed = [_encodes(han, c) for c in ("cp932", "gb2312", "cp950")]
        if mixed == [True, False, False]:
            return LangGuess("ja", 0.8, "han:charset")
    return None


@cache
def _lingua() -> tuple[Any, Any]:
    """Build lingua's two detectors once per process (models load lazily on first use)."""
    from lingua import Language, LanguageDetectorBuilder

    han = LanguageDetectorBuilder.from_languages(Language.CHINESE, Language.JAPANESE).build()
    latin_langs = [Language.ENGLISH] + [getattr(Language, n) for n in _LATIN_OTHERS]
    latin = LanguageDetectorBuilder.from_languages(*latin_langs).build()
    return han, latin


@cache
def _langdetect_factory() -> Any:
    """A langdetect factory restricted to our targets plus common Latin languages.

    Sets the class-wide `DetectorFactory.seed = 0`, so any langdetect use in the process is
    repeatable too.
    """
    import langdetect
    from langdetect.detector_factory import DetectorFactory

    DetectorFactory.seed = 0  # langdetect samples randomly; a fixed seed makes it repeatable
    folder = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    factory = DetectorFactory()
    profiles = []
    for name in _LANGDETECT_PROFILES:
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            profiles.append(fh.read())
    factory.load_json_profile(profiles)
    return factory


def _langdetect(text: str) -> tuple[str, float] | None:
    """langdetect's best language (zh-cn/zh-tw → zh) and its probability, skipping "ko".

    Only text without hangul reaches here, and langdetect calls most short Han strings Korean.
    """
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect_factory().create()
    detector.append(text)
    try:
        probs = detector.get_probabilities()
    except LangDetectException:
        return None
    for p in probs:
        lang = "zh" if p.lang.startswith("zh") else p.lang
        if lang != "ko":
            return lang, p.prob
    return None


def _identify_han(han: str) -> LangGuess:
    """Han-only text: never ko; charset evidence, else lingua with a length-based confidence."""
    guess = _charset_guess(han)
    if guess:
        return guess
    top = _lingua()[0].compute_language_confidence_values(han)[0]
    lang = "ja" if top.language.name == "JAPANESE" else "zh"
    # lingua says Chinese for every Han-only string, so its 1.0 means nothing: trust length.
    # Japanese sentences almost always contain kana, so long Han-only text is Chinese.
    conf = round(min(0.9, 0.05 + 0.08 * len(han)), 3)
    second = _langdetect(han)
    if second and second[0] == lang:
        return LangGuess(lang, min(0.95, conf + 0.1), "vote")
    if second and second[0] in ("zh", "ja"):
        return LangGuess(lang, min(conf, 0.45), "lingua")
    return LangGuess(lang, conf, "lingua")


def _identify_latin(text: str, words: int) -> LangGuess:
    """Latin script: English, or "und" when clearly another language; 1-2 words are English.

    English is the only Latin-script target, so lingua's English score gets a prior
    (_EN_PRIOR) before it is compared with the others: names such as "President Joko Widodo"
    otherwise come out Indonesian. Below _LINGUA_SURE langdetect votes.
    """
    if words <= 2:
        return LangGuess("en", 0.4, "latin:short")
    values = _lingua()[1].compute_language_confidence_values(text)
    e = next(v.value for v in values if v.language.name == "ENGLISH")
    en = _EN_PRIOR * e / (_EN_PRIOR * e + (1.0 - e))
    if en >= _LINGUA_SURE or 1.0 - en >= _LINGUA_SURE + 0.25:
        return LangGuess("en" if en >= _LINGUA_SURE else "und", round(max(en, 1 - en), 3),
                         "lingua")  # fmt: skip
    second = _langdetect(text)
    if second is not None and second[0] == "en":
        return LangGuess("en", round((en + second[1]) / 2, 3), "vote")
    return LangGuess("und", round(1.0 - en, 3), "vote")


@lru_cache(maxsize=65536)  # news pages repeat the same labels and footers many times
def identify(text: str) -> LangGuess:
    """Guess the language of one string: en, zh, ja, ko, or und (no letters / other language).

    Deterministic: same input, same answer (langdetect is seeded, lingua is deterministic).
    """
    prof, han, words = _scan(text)
    cjk = prof["han"] + prof["kana"] + prof["hangul"]
    if cjk + prof["latin"] == 0:
        return LangGuess("und", 1.0, "no-letters")
    # An English word weighs about two CJK characters; a few CJK characters in an English
    # sentence (a quoted name) do not make it CJK, nor does "Galaxy S25" make Korean English.
    share = cjk / (cjk + 2 * words)
    if share <= _CJK_SHARE:
        return _identify_latin(text, words)
    sure = round(min(0.99, 0.6 + 0.4 * share), 3)
    if prof["hangul"] >= _HANGUL_SHARE * cjk and prof["hangul"] > prof["kana"]:
        return LangGuess("ko", sure, "script:hangul")
    if prof["kana"]:
        return LangGuess("ja", sure, "script:kana")
    return _identify_han(han)  # cjk > 0 and neither rule fired, so there is Han


def assign_languages(doc: Document) -> None:
    """Set `lang` on every segment of `doc`, letting context settle short ambiguous strings.

    Segments at or above CONFIDENT keep their own guess. A low-confidence Han-only segment
    takes the language of the nearest confident zh/ja segment within NEIGHBOUR_WINDOW;
    failing that, the document's dominant zh/ja language (by characters of confident
    segments); failing that, `doc.declared_lang` if the segment's script allows it (so a
    low-confidence Latin segment in a declared-English document becomes "en"). Korean
    neighbours are ignored: Han-only text is never called Korean. Two linear passes find the
    nearest anchor on each side, so the whole document costs O(n).
    """
    segs = doc.segments
    guesses = [identify(s.text) for s in segs]
    anchor = [g.lang in ("zh", "ja") and g.confidence >= CONFIDENT for g in guesses]
    weight = {"zh": 0, "ja": 0}
    for seg, g, ok in zip(segs, guesses, anchor, strict=True):
        if ok:
            weight[g.lang] += len(seg.text)
    dominant = max(weight, key=lambda k: (weight[k], k == "zh")) if any(weight.values()) else None
    left: list[int | None] = [None] * len(segs)
    right: list[int | None] = [None] * len(segs)
    last: int | None = None
    for i in range(len(segs)):
        left[i] = last
        last = i if anchor[i] else last
    last = None
    for i in range(len(segs) - 1, -1, -1):
        right[i] = last
        last = i if anchor[i] else last
    for i, (seg, g) in enumerate(zip(segs, guesses, strict=True)):
        seg.lang = g.lang
        if g.confidence >= CONFIDENT:
            continue
        # Low confidence comes only from the Han branch (zh/ja) or the Latin branch (en/und);
        # context may move a segment within its branch, never across scripts.
        allowed = ("zh", "ja") if g.lang in ("zh", "ja") else ("en",)
        near = [j for j in (left[i], right[i]) if j is not None and abs(j - i) <= NEIGHBOUR_WINDOW]
        near.sort(key=lambda j: (abs(j - i), -guesses[j].confidence))
        if "zh" in allowed and near:
            seg.lang = guesses[near[0]].lang
        elif "zh" in allowed and dominant:
            seg.lang = dominant
        elif doc.declared_lang in allowed:
            seg.lang = doc.declared_lang
