"""Korean → English dictionary gloss through the Sino-Korean bridge (no Korean dictionary).

No free Korean–English dictionary ships on PyPI, but most Korean news vocabulary is
Sino-Korean: each hangul syllable reads one of a few hanja, and the hanja word is usually a
CC-CEDICT headword (수출 → 輸出 export). So kiwipiepy finds the morphemes, a small curated
table (pipeline/data/gloss_ko_en.toml + the glossary's names) covers names, native words and
verbs, and every other noun is walked syllable by syllable through the `hanja` reading table
and a prefix index of CEDICT headwords. Word order stays Korean; particles and endings drop.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from pipeline.cache import cached
from pipeline.lang.analysers import jieba
from pipeline.lang.cedict import SKIP_SENSE, best_sense, cedict_version, is_proper, load_cedict
from pipeline.lang.numbers import MONTHS, find_cjk_numbers
from pipeline.lang.scripts import HANGUL
from pipeline.translate.clause_order_ko import (
    ARTICLE,
    QUOTE_ENDINGS,
    TENSE,
    ClauseOrder,
    place_articles,
)
from pipeline.translate.english_verbs import gerund, irregular, participle, past, verb_from_noun
from pipeline.translate.gloss_zh import (
    DETERMINERS,
    PUNCT,
    CjkToEnglishGloss,
    join_gloss,
)

_NOUNS = {"NNG", "NNP", "NNB", "XR", "NR", "NUM"}  # NUM: a number span, already English
_NUMBER_MARK = "Zqnumzq"  # stands in for a number span while the analyser reads the text
# bound nouns (NNB) whose sense differs from the free noun spelled alike: 간 적이 있다 (has
# ever), 이번 주 (week), 1차 (round), 그럴 리가 (no way), 3년 만에 (after), 1위 (place), 45세
# (years old); an empty value drops the word
_BOUND_NOUNS = {"적": "", "리": "", "차": "", "주": "week", "만": "after", "위": "place",
                "세": "years old"}
_WEEK_BEFORE = {"이번", "다음", "지난", "지나", "매", "한", "두", "세", "네", "몇", "이", "그", "첫"}
_WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
             "weekend"}
_PARTS_OF_DAY = {"morning", "afternoon", "evening"}
_DAY_OF_MONTH = re.compile(r"(?:[A-Z][a-z]+ \d{1,2}(?:, \d{4})?|the \d{1,2}(?:st|nd|rd|th))")
_YEARISH = re.compile(r"\d{4}s?|the \d{4}s|the \d{2}s")
_AT, _OBJ, _BY = {"에", "에서"}, {"을", "를"}, {"로", "으로"}
_VERB_PREPOSITIONS = {  # verb stem → (particles before it, English preposition)
    "대하": (_AT, "about"), "관하": (_AT, "about"), "의하": (_AT, "by"), "따르": (_AT, "according to"),
    "불구하": ({"에도", "에"}, "despite"), "걸치": (_AT, "across"), "맞서": (_AT, "against"),
    "비하": (_AT, "compared with"), "대비하": (_AT, "compared with"), "인하": (_BY, "due to"),
    "위하": (_OBJ, "for"), "통하": (_OBJ, "through"), "비롯하": (_OBJ, "including"),
    "포함하": (_OBJ, "including"), "향하": (_OBJ, "toward"), "둘러싸": (_OBJ, "over"),
    "함께": ({"와", "과", "이랑", "랑", "하고"}, "with"), "같": ({"와", "과"}, "like"),
    "넘": (_OBJ, "more than"),
}
_IN_PLACE = {"넘"}  # 3천 명을 넘는 시위대: "more than 3,000 protesters", the phrase stays put
_POSTPOSITIONS = {"후": "after", "이후": "after", "뒤": "after", "다음": "after", "전": "before",
                  "이전": "before", "동안": "for", "중": "during", "때": "during",
                  "때문": "because of", "사이": "between", "가운데": "among", "근처": "near",
                  "이상": "more than", "이하": "up to", "미만": "under", "이내": "within",
                  "대신": "instead of", "덕분": "thanks to"}
_CONJUNCTIONS = {"때": "when", "후": "after", "뒤": "after", "다음": "after", "이후": "after",
                 "전": "before", "이전": "before", "동안": "while", "때문": "because",
                 "경우": "if", "대신": "instead of", "가운데": "while", "만큼": "as much as"}
_AFTER_NUMBER = {"말": "late", "초": "early", "중순": "mid", "초순": "early", "하순": "late",
                 "상반기": "the first half of", "하반기": "the second half of"}  # 2017년 말
_ALSO_MODIFIERS = {"전", "이전", "다음", "중"}  # before a noun: 전 대통령 former, 다음 주 next
_NEGATION = {"않", "못하", "아니"}  # VX / VCN stems that negate the verb before them
_JOIN_SUFFIX = {"XSN"}  # 희토 + 류: the suffix belongs to the noun (希土類)
_MAX_WORD = 6
_CACHE_SCHEMA = 1
_LOCK = threading.RLock()
_HANGUL0, _HANGUL1 = 0xAC00, 0xD7A3
# Initial-sound law (두음 법칙): word-initial ㄹ/ㄴ are written ㅇ/ㄴ, so 여 may be 女 (녀),
# 力 (력); 노 may be 勞 (로). Jamo indices: ㄴ=2, ㄹ=5, ㅇ=11; iotised vowels ㅑㅕㅖㅛㅠㅣ.
_IOTISED = {2, 6, 7, 12, 17, 20}


def _versions() -> str:
    from importlib.metadata import version

    return f"hanja{version('hanja')}-cedict{cedict_version()}-v{_CACHE_SCHEMA}"


def _alternates(syllable: str) -> list[str]:
    """The syllable itself plus the readings the initial-sound law may have rewritten."""
    code = ord(syllable) - _HANGUL0
    if not 0 <= code <= _HANGUL1 - _HANGUL0:
        return [syllable]
    lead, rest = divmod(code, 21 * 28)
    vowel = rest // 28
    leads = [5] if lead == 2 else [2, 5] if lead == 11 and vowel in _IOTISED else []
    if lead == 11 and vowel not in _IOTISED:
        leads = [5]  # 율/열 after a vowel: 比率 비율, 羅列 나열
    return [syllable] + [chr(_HANGUL0 + new * 21 * 28 + rest) for new in leads]


def _build_bridge() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """(hangul syllable → hanja, every CEDICT headword prefix → headwords starting with it)."""
    from hanja.table import hanja_table

    readings: dict[str, list[str]] = {}
    for char, reading in hanja_table.items():
        if len(char) == 1 and len(reading) == 1:
            readings.setdefault(reading, []).append(char)
    prefixes: dict[str, int] = {}
    for head in load_cedict():
        for end in range(1, min(len(head), _MAX_WORD) + 1):
            prefixes[head[:end]] = prefixes.get(head[:end], 0) + 1
    return {k: tuple(v) for k, v in readings.items()}, prefixes


# words whose readings are kept: a day's summaries and terms ask for the same words again
WORDS_KEPT = 65_536


@lru_cache(maxsize=1)
def load_bridge() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """The syllable → hanja inversion and CEDICT prefix counts, cached on disk (≈2 s build)."""
    with _LOCK:
        return cached(f"ko-bridge-{_versions()}", _build_bridge)


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, str]:
    """Curated words (gloss_ko_en.toml) over the glossary's one-word Korean names."""
    data = resources.files("pipeline.data")
    lexicon: dict[str, str] = {}
    for entity in tomllib.loads(data.joinpath("glossary.toml").read_text("utf-8"))["entity"]:
        for name in entity.get("ko", [])[:1]:
            if " " not in name and entity.get("en"):
                lexicon[name] = entity["en"][0]
    words = tomllib.loads(data.joinpath("gloss_ko_en.toml").read_text("utf-8"))["words"]
    return {**lexicon, **words}


@lru_cache(maxsize=1)
def load_suffixes() -> dict[str, str]:
    """Compound-final syllables and their suffix senses (gloss_ko_en.toml [suffixes])."""
    text = resources.files("pipeline.data").joinpath("gloss_ko_en.toml").read_text("utf-8")
    return tomllib.loads(text)["suffixes"]


@lru_cache(maxsize=1)
def cedict_verbs() -> frozenset[str]:
    """English verbs CC-CEDICT glosses with ("to withdraw"): which action nouns have a verb."""
    found = set()
    for entries in load_cedict().values():
        for entry in entries:
            for sense in entry[3]:
                if sense.startswith("to ") and (word := sense[3:].split(" ")[0]).isalpha():
                    found.add(word)
    return frozenset(found - {"be"})


@lru_cache(maxsize=1)
def _jieba_freq() -> dict[str, int]:
    """jieba's word counts (simplified Chinese): 報道 report is far commoner than 輔導."""
    return jieba().dt.FREQ


def _usable(head: str) -> str | None:
    """The CEDICT sense for a hanja word, or None when only surnames/variants are listed."""
    entries = load_cedict().get(head)
    if not entries or all(SKIP_SENSE.match(d) for e in entries for d in e[3]):
        return None
    # Of several readings, the one with the most senses is the everyday word (結果 jie2guo3
    # "result" before jie1guo3 "bear fruit").
    return best_sense(sorted(entries, key=lambda e: -len(e[3])))


@lru_cache(maxsize=1)
def _extensions() -> dict[str, str]:
    """CEDICT headword prefix → the characters that extend it to a longer prefix: the bridge
    tries every hanja of a syllable after each prefix, and most do not extend it."""
    out: dict[str, list[str]] = {}
    for prefix in load_bridge()[1]:
        out.setdefault(prefix[:-1], []).append(prefix[-1])
    return {k: "".join(v) for k, v in out.items()}


@lru_cache(maxsize=WORDS_KEPT)
def best_hanja(word: str) -> tuple[str, str] | None:
    """The hanja spelling of `word`'s first syllables that is a CEDICT headword, longest
    first, and its sense (None when there is none).

    Among spellings of equal length the one that starts the most CEDICT headwords (then
    whose rarest character starts most) wins (a frequency proxy that puts 政府 before 情夫,
    利用 before 尼龍), and traditional spellings before simplified-only ones (輸出, not 手术
    through the reading 출 of 术). Spellings are ranked first and read in that order: a
    word has ~40 of them, and reading each one's senses was half of this.
    """
    readings, prefixes = load_bridge()
    extensions = _extensions()
    found: list[tuple[int, int, str]] = []
    frontier = [""]
    for i, syllable in enumerate(word[:_MAX_WORD]):
        alts = _alternates(syllable) if i == 0 or syllable in "열율" else [syllable]
        options = [h for alt in alts for h in readings.get(alt, ())]
        frontier = [p + h for p in frontier for h in options if h in extensions.get(p, "")]
        if not frontier:
            break
        found += [(i + 1, prefixes[h], h) for h in frontier]
    chars = prefixes  # a single character's prefix count = headwords starting with it
    cedict = load_cedict()
    freq = _jieba_freq()

    def rank(f: tuple[int, int, str]) -> tuple:
        entries = cedict.get(f[2], ())
        trad = any(e[1] == f[2] for e in entries)  # Korean writes traditional characters
        name = all(is_proper(e) for e in entries)  # 周莊 Zhouzhuang is rarely what 주장 means
        used = max((freq.get(e[0], 0) for e in entries), default=0)  # jieba corpus count
        return -f[0], not trad, name, -used, -f[1], -min(chars.get(c, 1) for c in f[2])

    for *_, head in sorted(found, key=rank):
        sense = _usable(head)
        if sense is not None:
            return head, sense
    return None


def bridge(word: str) -> list[str] | None:
    """English for a Sino-Korean word, split greedily into the longest CEDICT pieces.

    Single-syllable pieces are hundreds-way ambiguous, so they are only accepted inside a
    word that also has a piece of two or more syllables, and a word's last syllable reads
    as its listed suffix (공급망 = 供給 + 網 network, 협력자 = 協力 + 者 person, not 自 self).
    """
    lexicon = load_lexicon()
    out: list[str] = []
    i, long_piece = 0, False
    while i < len(word):
        rest = word[i:]
        known = next((rest[:j] for j in range(len(rest), 1, -1) if rest[:j] in lexicon), None)
        whole = best_hanja(rest) if known and known != rest else None
        if whole is not None and len(whole[0]) == len(rest):
            known = None  # 유치원 is one headword (幼稚園), not the table's 유치 + 원
        if known:
            out.append(lexicon[known])
            long_piece, i = True, i + len(known)
            continue
        best = best_hanja(rest)
        if best is None:
            return None
        if len(rest) == 1 and rest in load_suffixes():  # 협력 + 자: 者 person, not 自 self
            out.append(load_suffixes()[rest])
            break
        out.append(best[1])
        long_piece = long_piece or len(best[0]) > 1
        i += len(best[0])
    return out if long_piece else None


def _kiwi():
    """The process's one kiwipiepy analyser (≈1 s to load, ≈500 MB), shared by all threads
    and stages (`pipeline.lang.analysers`)."""
    from pipeline.lang.analysers import kiwi

    return kiwi()


# --- English verb morphology: Korean marks the past with 았/었/였 (EP), English on the verb.
_NOT_VERBS = {"for", "about", "through", "on", "not", "same", "right", "can", "with", "by",
              "according", "against", "in", "to", "from", "like", "as", "and", "or", "very",
              "instead", "together", "again", "also", "only", "already", "still", "well"}


@lru_cache(maxsize=1)
def _past_tense() -> frozenset[str]:
    return frozenset(forms[0] for forms in irregular().values())


def english_past(gloss: str) -> str:
    """'say' → 'said', 'come out' → 'came out', 'not know' → 'did not know'."""
    head = gloss.partition(" ")[0]
    if not head or not head.isalpha() or not head.islower() or head in _NOT_VERBS:
        return gloss
    if head not in irregular() and (head in _past_tense() or (
            head.endswith("ed") and not head.endswith("eed") and len(head) > 4)):
        return gloss  # already past: "continued", "held" (not "need", "come")
    if head == "be":
        return gloss
    return past(gloss)


# --- Loanwords (외래어) left in hangul: spelled back into Latin letters as a last resort.
_LEADS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
          "k", "t", "p", "h"]
_VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i"]
_TAILS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
          "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]
# Foreign-word spelling conventions: ㅐ is mostly English a (캐나다 Canada), ㅓ an o or -er
# (컴퓨터), ㅡ after a consonant an inserted vowel (스 s, 트 t), ㅋ before a/o/u a c.
_LOAN_VOWELS = {1: "a", 4: "o", 16: "u", 19: "y", 11: "oe", 14: "wo"}
_IOTISED_PLAIN = {2: 0, 6: 4, 12: 8, 17: 13}  # ㅑㅕㅛㅠ after a sibilant: ㅏㅓㅗㅜ
_CLUSTER_LEADS = {14: "ts", 12: "z"}  # 츠 ts, 즈 z with the vowel dropped
_KOREAN_SURNAMES = set("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용")


def romanize(word: str, proper: bool = False) -> str:
    """Hangul → Latin letters with loanword conventions: 스펙트럼 'spectrum'-like 'spektrom'.

    Korean personal names (surname + two syllables) keep the Revised Romanization vowels.
    """
    korean_name = (proper and len(word) == 3 and word[0] in _KOREAN_SURNAMES
                   and not any((ord(c) - _HANGUL0) % 588 // 28 == 18 for c in word[1:]))
    parts: list[str] = []
    prev_tail = -1
    for i, ch in enumerate(word):
        code = ord(ch) - _HANGUL0
        if not 0 <= code <= _HANGUL1 - _HANGUL0:
            parts.append(ch)
            prev_tail = -1
            continue
        lead, rest = divmod(code, 21 * 28)
        vowel, tail = divmod(rest, 28)
        last = i == len(word) - 1
        c = _LEADS[lead]
        if lead == 5 and prev_tail == 8:
            c = "l"  # ㄹㄹ: 달러 dollar
        nxt_lead = _lead_of(word[i + 1]) if i + 1 < len(word) else -1
        if not korean_name:
            if lead == 15:
                c = "c" if vowel in (0, 1, 4, 8, 13) or (vowel == 18 and not last) else "k"
            if vowel == 18 and lead != 11 and (tail == 0 or (tail == 8 and nxt_lead == 5)):
                # 스 s, 트 t, 크 k, 츠 ts, 즈 z; 글리 gli, 플레 ple: the vowel is only inserted
                c = _CLUSTER_LEADS.get(lead, c) if tail == 0 else c
                parts.append("s" if lead == 12 and last else c)
                prev_tail = tail
                continue
            if lead in (9, 10, 12, 14) and vowel in _IOTISED_PLAIN:
                c = "sh" if lead in (9, 10) else c  # 셔 sho, 슈 shu, 쟈 ja
                vowel = _IOTISED_PLAIN[vowel]
            v = "er" if vowel == 4 and last and tail == 0 else _LOAN_VOWELS.get(vowel, _VOWELS[vowel])
        else:
            v = _VOWELS[vowel]
        t = _TAILS[tail]
        if tail == 8 and i + 1 < len(word):
            nxt = ord(word[i + 1]) - _HANGUL0
            if 0 <= nxt <= _HANGUL1 - _HANGUL0 and nxt // (21 * 28) == 5:
                t = "l"
        parts.append(c + v + t)
        prev_tail = tail
    text = "".join(parts)
    if korean_name:
        text = f"{text[:len(_rr(word[0]))]} {text[len(_rr(word[0])):]}"
        return " ".join(p.capitalize() for p in text.split())
    return text.capitalize() if proper else text


def _lead_of(syllable: str) -> int:
    code = ord(syllable) - _HANGUL0
    return code // (21 * 28) if 0 <= code <= _HANGUL1 - _HANGUL0 else -1


def _rr(syllable: str) -> str:
    code = ord(syllable) - _HANGUL0
    lead, rest = divmod(code, 21 * 28)
    vowel, tail = divmod(rest, 28)
    return _LEADS[lead] + _VOWELS[vowel] + _TAILS[tail]


# 조코 위도도(Joko Widodo), 지맵 (ZMapp): a name spelled in hangul, then as its owner spells it
_NAME_GLOSSED = re.compile(rf"((?:[{HANGUL}]+ ){{0,3}}[{HANGUL}]+) ?\((?P<latin>[A-Z][A-Za-z.'\-]*"
                           r"(?: [A-Za-z][A-Za-z.'\-]*){0,3})\)")


def with_latin_names(text: str) -> str:
    """The Latin spelling in place of the hangul one before it, as many words as it has
    (조코 위도도 (Joko Widodo)는 → Joko Widodo는): the reader gets the name as written, not
    a romanisation beside it. An all-capital acronym stays a parenthesis (보좌관(NSA))."""
    def swap(m: re.Match[str]) -> str:
        latin = m["latin"]
        if latin.replace(".", "").isupper():
            return m.group()
        hangul = m.group(1).split(" ")
        keep = hangul[: max(0, len(hangul) - len(latin.split(" ")))]
        return " ".join(keep + [latin])
    return _NAME_GLOSSED.sub(swap, text)


def _is_hangul(text: str) -> bool:
    return any("가" <= c <= "힣" for c in text)


# --- particles (J*) that become English prepositions before their noun phrase.
_PARTICLES = {"에서": "in", "에서는": "in", "에게": "to", "한테": "to", "께": "to",
              "에게서": "from", "부터": "from", "까지": "until", "처럼": "like",
              "보다": "than", "와": "with", "과": "with", "하고": "with", "랑": "with",
              "이랑": "with", "로서": "as", "으로서": "as", "로써": "by", "으로써": "by",
              "만": "only", "도": "also", "에": "in", "로": "to", "으로": "to"}
# Pronouns (NP) read apart from the lexicon, where 그 is the determiner "the".
_PRONOUNS = {"그": "he", "그녀": "she", "그들": "they", "그녀들": "they", "우리": "we",
             "저희": "we", "나": "I", "내": "my", "저": "I", "제": "my", "너": "you",
             "당신": "you", "그것": "it", "이것": "this", "저것": "that", "이": "this",
             "여기": "here", "거기": "there", "이곳": "here", "그곳": "there", "누구": "who",
             "무엇": "what", "뭐": "what", "어디": "where", "언제": "when", "자신": "themselves",
             "자기": "self", "이들": "they", "그분": "he", "본인": "himself", "얼마": "how much",
             "아무": "anyone", "아무것": "anything", "모두": "all", "서로": "each other",
             "이번": "this", "그때": "then", "누군가": "someone"}
_DETERMINERS = {"한": "a", "그": "the", "이": "this", "저": "that", "각": "each", "전": "former"}
_POSSESSIVE = {"he": "his", "she": "her", "they": "their", "we": "our", "I": "my", "you": "your",
               "it": "its", "themselves": "their own", "who": "whose"}
_ARTICLE_BLOCKERS = DETERMINERS | {"former", "whose", "one", "two", "three"}
_NOT_ADJECTIVES = {"not", "have", "be", "there", "do"}  # 없다 "not have" takes no "is"
_PLANNED = {"예정": "{be} scheduled to", "계획": "plan{past} to", "방침": "plan{past} to",
            "전망": "{be} expected to", "예상": "{be} expected to"}
_FUTURE_ETM = {("ᆯ", "ETM"), ("을", "ETM"), ("ㄹ", "ETM")}  # 할 것이다: will do
_BARE_NOUNS = {"today", "tomorrow", "yesterday", "now", "currently", "recently", "home",
               "tonight", "everyone", "everything", "someone", "nothing", "nobody"}
_PAST_EP = ("었", "았", "였", "ㅆ", "었었", "았었")
_PLURAL_SUFFIX = {"들"}
_DROP_SUFFIX = {"적", "님", "씨", "째", "간", "상", "별", "용", "형"}


def adverb(adjective: str) -> str:
    """'active' → 'actively', 'economic' → 'economically', 'possible' → 'possibly',
    'easy' → 'easily'; a phrase or a word already an adverb is left alone."""
    if " " in adjective or "-" in adjective or adjective.endswith("ly") or not adjective.isalpha():
        return adjective
    if adjective.endswith("ic"):
        return adjective + "ally"
    if adjective.endswith("le") and len(adjective) > 3:
        return adjective[:-1] + "y"
    if adjective.endswith("y") and len(adjective) > 2:
        return adjective[:-1] + "ily"
    if adjective in ("fast", "hard", "late", "early", "well", "long", "high", "low", "far"):
        return adjective
    return adjective + "ly"


def plural(gloss: str) -> str:
    """'lawmaker' → 'lawmakers' for 의원들; names, phrases and plurals are left alone."""
    if not gloss or " " in gloss or not gloss.isalpha() or not gloss.islower():
        return gloss
    if gloss.endswith(("s", "x", "ch", "sh")):
        return gloss if gloss.endswith("s") else gloss + "es"
    if gloss.endswith("y") and len(gloss) > 2 and gloss[-2] not in "aeiou":
        return gloss[:-1] + "ies"
    if gloss in ("people", "police", "staff", "media", "equipment", "information", "data",
                 "dead", "injured", "wounded", "missing", "elderly"):
        return gloss
    return gloss + "s"


def _tense_of(english: str, morphs: list[tuple[str, str]], at: int) -> str:
    """An untensed verb's form from its ending: a past relative (출연한 "appeared") is past;
    a linked clause (출연하고, 들어가서) takes the tense of the sentence's last verb, so it is
    marked for `ClauseOrder` to settle when the sentence ends."""
    first = _after_tense(morphs, at)
    if first[1] == "ETM" and first[0] in ("ᆫ", "은", "던"):
        return english_past(english)
    after = next((t for _, t in morphs[at:] if not t.startswith("E")), "")
    if first[1] == "EC" and after != "VX":
        return TENSE + english
    return english


def _verb_preposition(morphs: list[tuple[str, str]], i: int) -> tuple[str, int, bool] | None:
    """A particle + verb that English says with one preposition before the noun phrase:
    (its English, the index after the verb's endings, whether it modifies a following noun)."""
    form, tag = morphs[i]
    if not tag.startswith("J") or i + 1 >= len(morphs):
        return None
    stem = morphs[i + 1]
    rule = _VERB_PREPOSITIONS.get(stem[0])
    if rule is None or form not in rule[0] or stem[1] not in ("VV", "MAG", "VA"):
        return None
    j = i + 2
    while j < len(morphs) and morphs[j][1].startswith("E"):
        j += 1
    return rule[1], j, stem[0] not in _IN_PLACE and any(t == "ETM" for _, t in morphs[i + 2:j])


def _modal(morphs: list[tuple[str, str]], i: int) -> str | None:
    """The English of an auxiliary 하다/되다 after a verb's ending, or None if morphs[i] is
    not one: V-어야 하다 "must" (past "had to"), V-기로 하다 "decide to", V-게 되다 "" (the
    verb carries it)."""
    form, tag = morphs[i]
    if form not in ("하", "되") or tag not in ("VV", "VX") or i < 1:
        return None
    past = _past_follows(morphs, i + 1)
    before = morphs[i - 1]
    if form == "하" and before[1] == "EC" and before[0] in ("어야", "아야", "야", "여야"):
        return "had to" if past else "must"
    if form == "하" and i >= 2 and before == ("로", "JKB") and morphs[i - 2] == ("기", "ETN"):
        return "decided to" if past else "decide to"
    if form == "되" and before == ("게", "EC"):
        return ""
    return None


def _after_tense(morphs: list[tuple[str, str]], at: int) -> tuple[str, str]:
    """The morpheme after a stem's tense endings (EP), ("", "") at the end."""
    while at < len(morphs) and morphs[at][1] == "EP":
        at += 1
    return morphs[at] if at < len(morphs) else ("", "")


def _past_follows(morphs: list[tuple[str, str]], at: int) -> bool:
    """A past ending (았/었/였) among the two morphemes from `at`: 했다, 되었다."""
    return any(f in _PAST_EP for f, t in morphs[at:at + 2] if t == "EP")


def _ending(morphs: list[tuple[str, str]], at: int) -> str:
    """The tag of the first ending after a stem, past the tense (EP): EF, EC, ETM, ETN."""
    tag = _after_tense(morphs, at)[1]
    return tag if tag.startswith("E") else ""


def _be(english: list[str], ending: str, be: str) -> list[str]:
    """"be arrested": "was arrested" (`be` agrees with the subject) ending a clause,
    "arrested" before a noun (체포된 남성)."""
    rest = english[0].partition(" ")[2]
    if ending in ("EF", "EC"):
        return [f"{be} {rest}".strip(), *english[1:]]
    if ending in ("ETM", "ETN") and rest:
        return [rest, *english[1:]]
    return english


def _predicate(morphs: list[tuple[str, str]], at: int) -> bool:
    """The adjective ends a sentence or a quotation (작다, 작았다고), not a noun's modifier
    (작은) or a chain (작고 싸다, 작지 않다), where "is" would stand twice or wrongly."""
    form, tag = _after_tense(morphs, at)
    return tag == "EF" or form in QUOTE_ENDINGS


def _verb_like(english: str) -> bool:
    """A Sino-Korean noun + 하다 reads as a verb ("increase", "withdraw") unless its English
    is plainly a noun ("announcement", "agreement"): only then does it take the past."""
    head = english.split(" ")[0]
    return head.isalpha() and head.islower() and head not in _NOT_VERBS and (
        head in irregular() or head in cedict_verbs())


def _passive(english: list[str], morphs: list[tuple[str, str]], at: int,
             be: str) -> list[str]:
    """Noun + 되다 is the passive: 체포됐다 "was arrested", 체포된 남성 "arrested man"."""
    done = [participle(english[0]), *english[1:]]
    return done if _ending(morphs, at) in ("ETM", "ETN") else [be, *done]


def _time_preposition(words: list[str], particle: str, prep: str) -> str:
    """에 before a time is on/in/at as English has it: on Monday, on June 5, in June, in
    2016, in the morning, at night; any other particle or phrase keeps `prep`."""
    if particle not in ("에", "에는") or not words:
        return prep
    text = " ".join(w for w in words if w != ARTICLE)
    if text in _WEEKDAYS or _DAY_OF_MONTH.fullmatch(text):
        return "on"
    if text in ("night", "noon", "midnight", "dawn") or text.endswith(("p.m.", "a.m.")):
        return "at"
    if text in MONTHS or _YEARISH.fullmatch(text) or text in _PARTS_OF_DAY:
        return "in"
    return prep


def _is_name(words: list[str]) -> bool:
    """A short capitalised phrase (Ring, North Korea, Kim Jong Un) takes the possessive 's."""
    words = [w for w in words if w != ARTICLE]
    return 0 < len(words) <= 3 and all(w[:1].isupper() and w.replace(" ", "").isalpha()
                                       for w in words)


def _takes_article(out: list[str], english: str) -> bool:
    """A common noun opening a noun phrase may take "the" unless a determiner, possessive or
    number already stands before it."""
    if (not english[:1].islower() or english.split()[0] in _ARTICLE_BLOCKERS
            or english in _BARE_NOUNS):
        return False
    before = out[-1].split()[-1] if out and out[-1].strip() else ""
    return not (before.lower() in _ARTICLE_BLOCKERS or before[:1].isdigit())


class KoreanGlossTranslator(CjkToEnglishGloss):
    """ko → en word gloss (tier "gloss"); analyser and indexes load on first use."""

    name = "gloss-ko-bridge"
    src, tgt = "ko", "en"

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        self._overrides = overrides or {}
        self._merged: dict[str, str] | None = None
        self._cache: dict[str, list[str]] = {}

    def gloss(self, text: str) -> str:
        """As the base class, but the analyser reads the whole text with each number span
        standing in as one Latin-letter word, so 6월에 is "in June", 2000가구가 a subject,
        and a clause that runs across a number still has its verb moved."""
        if not text.strip():
            return ""
        text = with_latin_names(text)
        spans = find_cjk_numbers(text)
        parts, pos = [], 0
        for start, end, _ in spans:
            parts += [text[pos:start], _NUMBER_MARK]
            pos = end
        marked = "".join(parts) + text[pos:]
        numbers = [english for *_, english in spans]
        tokens = _kiwi().tokenize(marked)
        if sum(t.form == _NUMBER_MARK for t in tokens) != len(numbers):
            return super().gloss(text)  # the mark did not stay one word: chunk by chunk
        out: list[str] = []
        clauses = ClauseOrder(out, english_past)
        self._append(tokens, out, clauses, iter(numbers))
        clauses.end_clause("")
        clauses.settle_tense()
        return join_gloss(place_articles(out))

    def _tokens(self, chunk: str) -> list[str]:
        out: list[str] = []
        clauses = ClauseOrder(out, english_past)
        if chunk.strip():
            self._append(_kiwi().tokenize(chunk), out, clauses, iter(()))
        clauses.end_clause("")
        clauses.settle_tense()
        return out

    def _append(self, tokens: list, out: list[str], clauses: ClauseOrder,
                numbers: Iterator[str]) -> None:
        """Gloss the analyser's tokens onto `out`, telling `clauses` where subjects and
        verbs are; each number mark takes the next of `numbers`."""
        # a prefix (XPN) must touch its noun: "가 대피" after a number span is the subject
        # particle of the number (2,000 households가), not 加 + 대피
        morphs = [(next(numbers), "NUM") if t.form == _NUMBER_MARK else
                  (t.form, "J" if t.tag == "XPN" and (k + 1 == len(tokens)
                   or tokens[k + 1].start != t.start + t.len) else t.tag.split("-")[0])
                  for k, t in enumerate(tokens)]
        lexicon = self._lexicon()
        np_start = -1  # where the current noun phrase begins in `out`
        verb_start = -1  # where the last verb's English begins
        held: list[str] | None = None  # "A" of "A의 B", waiting for B to close
        held_of = True  # held is a genitive ("B of A"), not a phrase with its own preposition
        can_at = -1  # where "can" went for V-ㄹ 수 있다/없다
        prev_np = False  # the last morpheme was a pronoun (그의 → his)
        np_prep = False  # the noun phrase already opens with a preposition (회의 후 "after")
        subject_at = -1  # where the noun phrase before the last subject particle began
        i = 0

        def close_np() -> None:
            nonlocal held, np_start, np_prep
            if held is not None and not held_of:
                out.extend(held)  # 전쟁에 대한 보고서: "report about the war"
                held = None
            elif held is not None and np_start >= 0 and _is_name(held):
                if out[np_start:np_start + 1] in ([ARTICLE], ["the"]):
                    del out[np_start]
                held[-1] += "'s"  # 링의 CEO: "Ring's CEO", as English writes a name's
                out[np_start:np_start] = held
                held = None
            elif held is not None:
                out.extend(["of", *held] if np_start >= 0 else held)
                held = None
            np_start, np_prep = -1, False

        while i < len(morphs):
            form, tag = morphs[i]
            nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            if tag == "XPN" and nxt[1] in _NOUNS:  # 재 + 배포: the prefix is part of the word
                form, tag = form + nxt[0], nxt[1]
                i += 1
                nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            suffix = ""
            if tag == "NP" and nxt == ("들", "XSN"):  # 그 + 들 → 그들 they
                form = form + nxt[0]
                i += 1
                nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            while tag in ("NNG", "NNP") and nxt[1] in ("NNG", "NNP") and form + nxt[0] in lexicon:
                form = form + nxt[0]  # 도어 + 벨: the table's compound 도어벨 doorbell
                i += 1
                nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            while tag in _NOUNS and nxt[1] == "XSN":
                if form + nxt[0] in lexicon or nxt[0] not in _PLURAL_SUFFIX | _DROP_SUFFIX:
                    form = form + nxt[0]
                elif nxt[0] in _PLURAL_SUFFIX:
                    suffix = "plural"
                i += 1
                nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            if form.endswith("적") and form in lexicon and nxt == ("으로", "JKB"):
                close_np()  # 적극적으로 "actively": the adjective's adverb, no "to"
                clauses.words_added()
                out.append(adverb(lexicon[form]))
                i += 2
                continue
            if tag in _NOUNS and nxt[1] in ("XSV", "XSA") and f"{form}{nxt[0]}다" in lexicon:
                form, tag = form + nxt[0], "VA" if nxt[1] == "XSA" else "VV"  # 말하다 "say"
                i += 1
                nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            if ((form, tag) == ("것", "NNB") and i and morphs[i - 1] in _FUTURE_ETM
                    and nxt[1] == "VCP" and 0 <= verb_start < len(out)):
                out.insert(verb_start, "will")  # 철수할 것이다 → "will withdraw"
                i += 2  # the copula goes with it
                continue
            if (form in _PLANNED and i and morphs[i - 1] in _FUTURE_ETM and nxt[1] == "VCP"
                    and 0 <= verb_start < len(out)):
                # 방문할 예정이다 "is scheduled to visit", 할 계획이다 "plans to"
                was = i + 2 < len(morphs) and morphs[i + 2][0] in _PAST_EP
                be = clauses.be(was)
                out.insert(verb_start, _PLANNED[form].format(be=be, s="" if was else "s",
                                                             past="ed" if was else "s"))
                i += 2
                continue
            if (form, tag) == ("수", "NNB") and i and morphs[i - 1][1] == "ETM" and 0 <= verb_start:
                can_at = verb_start  # 들을 수 없었다 → "can not hear": modal before the verb
                out.insert(can_at, "can")
                verb_start = -1
                i += 1
                continue
            was_np, prev_np = prev_np, tag == "NP"
            if form in _CONJUNCTIONS and tag in ("NNG", "NNB") and morphs[i - 1][1] in ("ETM", "ETN"):
                # 들을 수 없었을 때 "when … could not hear", 출연한 이후 "after … appeared":
                # a clause ending in a noun of time or cause is an English subordinate clause
                clauses.subordinate(_CONJUNCTIONS[form])
                np_prep = True  # its 에/에는 says nothing more
                np_start = len(out)
                i += 1
                continue
            if form in _AFTER_NUMBER and i and morphs[i - 1][1] == "NUM" and np_start >= 0:
                word, number = _AFTER_NUMBER[form], out[-1]
                if number.startswith("the ") and np_start == len(out) - 1:
                    out[-1] = f"the {word} {number[4:]}"  # 18세기 말: "the late 18th century"
                else:
                    clauses.inserted(np_start)  # 2017년 말 "late 2017"
                    out.insert(np_start, word)
                i += 1
                continue
            if (form, tag) == ("예", "NNG") and morphs[i + 1:i + 3] == [("를", "JKO"), ("들", "VV")]:
                close_np()  # 예를 들어 "for example"
                clauses.words_added()
                out.append("for example")
                i += 3
                while i < len(morphs) and morphs[i][1].startswith("E"):
                    i += 1
                continue
            if (form in _POSTPOSITIONS and tag in ("NNG", "NNB") and np_start >= 0
                    and morphs[i - 1][1] in _NOUNS | {"XSN"}
                    and not (form in _ALSO_MODIFIERS and nxt[1] in ("NNG", "NNP"))):
                # 회의 후에 "after the meeting", 3년 동안 "for 3 years", 3명 이상 "more than
                # 3 people": a noun that follows its phrase in Korean leads it in English
                word = _POSTPOSITIONS[form]
                if form == "동안" and morphs[i - 1][1] != "NUM":
                    word = "during"
                if form == "중" and nxt[0] == "하나":  # 별장 중 하나: "one of the villas"
                    word = "one of"
                    i += 1
                elif form == "중" and (morphs[i - 1][0] == "들" or nxt[1] in ("NUM", "NR")):
                    word = "of"  # 직원들 중 여섯 명: "six of the employees"
                clauses.inserted(np_start)
                out.insert(np_start, word)
                np_prep = word not in ("one of", "of")  # its 에 says nothing more
                i += 1
                continue
            if tag in _NOUNS or tag in ("NP", "SL"):  # SL: a Latin name, ZMapp, QVC
                before = morphs[i - 1][0] if i else ""
                if before == "ᆫ" and i > 1:  # 지난 주: the stem before the ending
                    before = morphs[i - 2][0]
                english = self._morph(form, tag, before)
                if suffix and len(english) == 1:
                    english = [plural(english[0])]
                if english:
                    if np_start < 0:
                        np_start = len(out)
                        if (tag == "NNG" and nxt[1] not in ("XSV", "XSA")
                                and _takes_article(out, english[0])):
                            # after a case particle the phrase is a new argument ("the
                            # government the tax cut" → "the government cut the tax")
                            argument = i and morphs[i - 1][1] in ("JKS", "JKO", "JX", "JKB")
                            out.append("the" if argument else ARTICLE)
                    if nxt[1] in ("XSV", "XSA") and any(_is_hangul(e) for e in self.word(form)):
                        clauses.words_added()  # spelled out, not read: no tense to give it
                    elif nxt[1] in ("XSV", "XSA"):  # 발표 + 하지 않았다: "not" goes before it
                        verb_start = len(out)
                        clauses.verb_at(verb_start)
                        past = _past_follows(morphs, i + 2)
                        if _ending(morphs, i + 2) == "EF":
                            clauses.final_tense(past)
                        if nxt[1] == "XSV" and len(english) == 1 and " " not in english[0]:
                            verb = verb_from_noun(english[0], cedict_verbs())  # 철수 withdrawal
                            english = [verb] if verb else english
                        if ("겠", "EP") in morphs[i + 2:i + 4]:
                            english = ["will", *english]  # 인하하겠다: will cut
                        elif nxt == ("되", "XSV") and _verb_like(english[0]):
                            english = _passive(english, morphs, i + 2, clauses.be(past))  # 체포됐다
                        elif nxt[1] == "XSV" and past and _verb_like(english[0]):
                            english = [english_past(english[0]), *english[1:]]  # 결렬했다
                        elif nxt[1] == "XSV" and _verb_like(english[0]):
                            english = [_tense_of(english[0], morphs, i + 2),
                                       *english[1:]]
                        if nxt[1] == "XSA" and _predicate(morphs, i + 2):
                            out.append(clauses.be(past))  # 안전하다: "is safe"
                    else:
                        clauses.words_added()
                    out += english
                i += 1
                continue
            if tag == "JKG" and out and was_np and out[-1] in _POSSESSIVE:
                out[-1] = _POSSESSIVE[out[-1]]  # 그의 → his: no "of" swap
                np_start = len(out) - 1
                i += 1
                continue
            if (tag == "JKG" and form == "의" and np_start >= 0 and i
                    and morphs[i - 1][1] == "NUM" and out[np_start:] == [morphs[i - 1][0]]):
                # 16,700명의 사람들 "16,700 people", 24개의 시설 "24 facilities": a count
                # stands before its noun, no "of"
                counted = out[np_start].split()[-1]
                j = i + 1
                if j < len(morphs) and morphs[j][1] in ("NNG", "NNB"):
                    noun = self._morph(*morphs[j])
                    if noun and noun[0] in (counted, "person", "people"):
                        j += 1  # the count already says "people"
                        while j < len(morphs) and morphs[j] == ("들", "XSN"):
                            j += 1
                    elif noun and (counted in ("people", "person") or not counted.isalpha()):
                        if counted in ("people", "person"):  # 3명의 기자 "3 reporters"
                            out[np_start] = out[np_start].rsplit(" ", 1)[0]
                        out.extend(plural(w) if k == len(noun) - 1 else w
                                   for k, w in enumerate(noun))
                        j += 1
                        while j < len(morphs) and morphs[j] == ("들", "XSN"):
                            j += 1
                i = j
                continue
            if tag == "JKG" and form == "의" and np_start >= 0 and held is None:
                held, held_of = out[np_start:], True  # A의 B → B of A
                del out[np_start:]
                np_start = -1
                i += 1
                continue
            rule = _verb_preposition(morphs, i)
            if rule is not None and np_start >= 0 and held is None:
                # 전쟁에 대해 "about the war", 경찰에 의해 "by the police"; before a noun
                # (전쟁에 대한 보고서) the phrase follows it: "report about the war"
                english, after, modifier = rule
                start = np_start
                clauses.inserted(start)
                phrase = [english, *out[start:]]
                del out[start:]
                close_np()
                if modifier:
                    held, held_of = phrase, False
                else:
                    out.extend(phrase)
                    clauses.words_added()
                i = after
                continue
            if tag.startswith("J"):
                subject_at = np_start if tag == "JKS" else -1
                prep = _PARTICLES.get(form) if tag in ("JKB", "JX") else None
                if tag == "JC":
                    close_np()
                    out.append("and")
                elif prep and np_start >= 0 and not np_prep:
                    start = np_start
                    close_np()
                    clauses.inserted(start)
                    out.insert(start, _time_preposition(out[start:], form, prep))
                    if form in ("에", "에서"):
                        clauses.place_particle(start, form)
                else:
                    close_np()
                clauses.particle(form, tag, morphs[i - 1][1] if i else "")
                i += 1
                continue
            if tag == "VCP" and np_start >= 0 and nxt[1] in ("EF", "EC", "EP"):
                start = np_start  # 회의적이다: "is skeptical", a verb to move like any other
                close_np()
                clauses.inserted(start)
                if out[start:start + 1] in ([ARTICLE], ["the"]) and start + 1 < len(out):
                    # what the subject is: "he is a professor", not "the professor"
                    out[start] = "an" if out[start + 1][:1].lower() in "aeiou" else "a"
                out.insert(start, clauses.be(nxt == ("었", "EP")))
                clauses.verb_at(start)
                i += 1
                continue
            if not (tag in ("EP", "ETM") and morphs[i - 1][1] in ("VA", "EP") and np_start >= 0):
                close_np()  # (큰 문제: the adjective's phrase stays open for its noun)
            if (form, tag) == ("없", "VA") and morphs[i - 1][1] == "JKS" and subject_at >= 0:
                # 문제가 없다, 관련이 없는: "no problem", "no relevance"
                if out[subject_at:subject_at + 1] in ([ARTICLE], ["the"]):
                    del out[subject_at]
                clauses.inserted(subject_at)
                out.insert(subject_at, "no")
                if _ending(morphs, i + 1) == "EF":
                    clauses.final_tense(_past_follows(morphs, i + 1))
                i += 1
                continue
            modal = _modal(morphs, i)
            if modal is not None:  # 해야 한다 must, 하기로 했다 decided to, 하게 됐다 came to
                if modal and 0 <= verb_start < len(out):
                    out.insert(verb_start, modal)
                if _ending(morphs, i + 1) == "EF":
                    clauses.final_tense(_past_follows(morphs, i + 1))
                i += 1
                continue
            if tag in ("VV", "VA") and can_at >= 0 and form in ("있", "없"):
                if form == "없":
                    out.insert(can_at + 1, "not")
                can_at = -1
                i += 1
                continue
            can_at = -1
            if tag == "VA" and nxt == ("게", "EC"):
                english = self._verb(form, tag)  # 빠르게 "quickly", 조용하게 "quietly"
                if english:  # 어렵게 만들다 "make difficult": the adjective itself
                    clauses.words_added()
                    made = i + 2 < len(morphs) and morphs[i + 2][0] in ("만들", "하")
                    out.append(english[0] if made else adverb(english[0]))
                i += 2
                continue
            if tag in ("VV", "VA"):
                english = self._verb(form, tag)
                j = i + 1
                past = False
                while j < len(morphs) and morphs[j][1] in ("EP", "EC", "EF", "ETM", "ETN"):
                    past = past or (morphs[j][1] == "EP" and morphs[j][0] in _PAST_EP)
                    j += 1
                ending = _ending(morphs, i + 1)
                if ending == "EF":
                    clauses.final_tense(past)
                if past and tag == "VV" and english:
                    english = [english_past(english[0])] + english[1:]
                elif tag == "VV" and english and morphs[i + 1:i + 3] == [("고", "EC"), ("있", "VX")]:
                    was = i + 3 < len(morphs) and morphs[i + 3][0] in _PAST_EP  # 싸우고 있었다
                    english = [f"{clauses.be(was)} {gerund(english[0])}", *english[1:]]
                elif tag == "VV" and english and ("겠", "EP") not in morphs[i + 1:j]:
                    english = [_tense_of(english[0], morphs, i + 1), *english[1:]]
                if english and any(morphs[k] == ("겠", "EP") for k in range(i + 1, j)):
                    english = ["will", *english]  # 하겠다: will do
                if english and english[0].partition(" ")[0] == "be":
                    english = _be(english, _ending(morphs, i + 1), clauses.be(past))  # 체포되다, 있다
                elif (tag == "VA" and english and english[0].split()[0] not in _NOT_ADJECTIVES
                      and _predicate(morphs, i + 1)):
                    english = [clauses.be(past), *english]  # 작다: "is small"
                if form == "보이" and morphs[i - 1][1] == "JKO" and english:
                    english = ["showed" if past else "show"]  # 가능성을 보였다: showed promise
                if form == "지나" and morphs[i + 1:i + 2] == [("ᆫ", "ETM")]:
                    english = ["last"]  # 지난 주, 지난해: "last week", not "passed"
                verb_start = len(out)
                clauses.verb_at(verb_start)
                if tag == "VA" and english and _ending(morphs, i + 1) == "ETM":
                    # 큰 문제: the adjective opens the noun phrase ("a big issue" moves whole)
                    clauses.words_added()
                    np_start = len(out)
                    if _takes_article(out, english[0]):
                        out.append(ARTICLE)
                out += english
            elif tag in ("VX", "VCN") and form in _NEGATION:
                past = i + 1 < len(morphs) and morphs[i + 1] == ("었", "EP")
                not_ = "did not" if past and form != "아니" else "not"  # 하지 않았다
                at = verb_start if 0 <= verb_start <= len(out) else len(out)
                if at < len(out) and out[at].partition(" ")[0] in ("is", "was"):
                    rest = out[at].partition(" ")[2]  # 체포되지 않았다: was not arrested
                    out[at] = f"{'was' if past else out[at].split()[0]} not {rest}".strip()
                else:
                    out.insert(at, not_)
            elif tag == "VX" and form == "싶":
                out.insert(verb_start if 0 <= verb_start <= len(out) else len(out), "want to")
            elif tag == "EF" or (tag == "EC" and nxt[1] != "VX"):
                clauses.end_clause(form)
            elif tag == "SF":
                clauses.end_clause("")
                out += self._morph(form, tag)
                clauses.new_sentence()
            else:
                english = self._morph(form, tag)
                if english:
                    clauses.words_added()
                    if tag == "MM":  # 그 분야에서: "in the field", the determiner opens the phrase
                        np_start = len(out)
                out += english
            i += 1
        close_np()

    def _lexicon(self) -> dict[str, str]:
        if self._merged is None:
            self._merged = {**load_lexicon(), **self._overrides}
        return self._merged

    def _verb(self, form: str, tag: str) -> list[str]:
        if form.endswith("하") and len(form) > 1 and form + "다" not in self._lexicon():
            return self.word(form[:-1])  # 경고하다 → 경고 (警告) warn: the noun carries it
        english = self.word(form + "다", bridge_ok=False)
        return [] if any(_is_hangul(e) for e in english) else english

    def _morph(self, form: str, tag: str, before: str = "") -> list[str]:
        if tag == "NUM":
            return [form]
        if (form, tag) == ("보다", "MAG"):
            return ["more"]  # 보다 많은: the adverb, not the verb "see" spelled alike
        if form == "주" and before in _WEEK_BEFORE:
            return ["week"]  # 다음 주, 이번 주: the week, not the state
        if tag == "NNB" and form in _BOUND_NOUNS:
            return [_BOUND_NOUNS[form]] if _BOUND_NOUNS[form] else []
        if tag == "NP" and form in _PRONOUNS:
            return [_PRONOUNS[form]]
        if tag == "MM" and form in _DETERMINERS:
            return [_DETERMINERS[form]]
        if tag in _NOUNS or tag in ("MAG", "MAJ", "MM", "IC", "NP"):
            english = self.word(form, bridge_ok=tag in _NOUNS)
            if any(_is_hangul(e) for e in english):
                if tag in ("NNG", "NNP") and len(form) > 1:
                    return [romanize(form, proper=tag == "NNP")]
                return []
            return english
        if tag in ("VV", "VA"):
            return self._verb(form, tag)
        if tag in ("VX", "VCN") and form in _NEGATION:
            return ["not"]
        if tag == "JC":
            return ["and"]
        if tag == "SH":
            return self.word(form, bridge_ok=False)
        if tag in ("SL", "SN"):
            return [form]
        if tag.startswith("S") and tag != "SW":
            return [PUNCT.get(form, form)]
        if tag == "SW" and form in "%$&+":
            return [form]
        return []  # particles (J*), endings (E*), suffixes (XS*), copula: grammar, not words

    def word(self, word: str, bridge_ok: bool = True) -> list[str]:
        """English tokens for one word (cached; empty for words the lexicon drops)."""
        key = f"{word}\0{bridge_ok}"
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._lookup(word, bridge_ok)
        return hit

    def _lookup(self, word: str, bridge_ok: bool) -> list[str]:
        lexicon = self._lexicon()
        if word in lexicon:
            return [lexicon[word]] if lexicon[word] else []
        if word and all(not "가" <= c <= "힣" for c in word):  # hanja written as hanja
            return [s] if (s := best_sense(load_cedict().get(word, ()))) else [word]
        if bridge_ok and (english := bridge(word)):
            return [e for e in english if e]
        return [word.removesuffix("다") if not bridge_ok and word.endswith("다") else word]
