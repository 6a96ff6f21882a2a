"""Names across scripts: keys that Osaka, 大阪 and 오사카, or Hualien, 花蓮 and 화롄, share.

The glossary gives one id to the names it knows; every other name gets keys from how it is
written and read, so that reports of one event in four languages meet on its people and
places without a translation:
- `h:` the Han characters, folded to simplified (大阪 in Chinese and Japanese text);
- `k:` the hangul reading of Han characters (the hanja bridge: 李在明 / 이재명, 安東 / 안동);
- `r:` a romanised skeleton: pinyin (pypinyin) for Chinese, Hepburn (pykakasi) for
  Japanese, Revised Romanization (korean-romanizer) for Korean, the letters themselves for
  English; first letter and consonants only, with spellings folded (sh/s, ch/c, r/l, v/u)
  so that Hualien and huālián, Ishikawa and 이시카와 (isikawa) give one key.
A person's given name alone is keyed too (Rhee Chang-yong / 이창용 → changyong), since
Korean surnames are romanised irregularly.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from pipeline.dedup.text import fold_script, to_traditional
from pipeline.lang.scripts import HAN, HANGUL, KANA_CHAR
from pipeline.model import Document

_HAN = re.compile(f"^[{HAN}]+$")
_HANGUL = re.compile(f"^[{HANGUL}]+$")
_KANA = KANA_CHAR
_NOT_LETTER = re.compile(r"[^a-z]")
# administrative suffixes (花莲县 / 花蓮縣 / 石川県 / 천안시): the place is the stem
_HAN_SUFFIX = re.compile(r"(?<=..)[省市县縣県区區郡州镇鎮村町府]$")
_HANGUL_SUFFIX = re.compile(r"(?<=..)[시도군구현성]$")
_FOLDS = (("sh", "s"), ("ch", "c"), ("zh", "z"), ("ts", "s"), ("r", "l"), ("v", "u"),
          ("ou", "o"), ("oo", "o"), ("uu", "u"), ("eo", "o"), ("ie", "ia"))
MIN_SKELETON = 3  # shorter skeletons (Ueda → ud) collide: the folded spelling is kept


def skeleton(latin: str) -> str:
    """First letter and consonants of a romanised name, spellings folded; names whose
    skeleton is too short to tell apart keep their folded letters."""
    s = _NOT_LETTER.sub("", latin.lower())
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)
    if not s:
        return ""
    cons = s[0] + re.sub(r"[aeiouyw]", "", s[1:])
    return cons if len(cons) >= MIN_SKELETON else s


@cache
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def _hangul_reading(han: str) -> str | None:
    import hanja

    reading = hanja.translate(to_traditional(han), "substitution")
    return reading if _HANGUL.match(reading) else None


def romanised(surface: str, lang: str) -> str:
    if _HANGUL.match(surface):
        from korean_romanizer.romanizer import Romanizer

        return Romanizer(surface).romanize()
    if lang == "ja" or _KANA.search(surface):
        return "".join(part["hepburn"] for part in _kakasi().convert(surface))
    if _HAN.match(surface):
        from pypinyin import lazy_pinyin

        return "".join(lazy_pinyin(surface))
    return surface


@lru_cache(maxsize=65536)
def name_keys(surface: str, lang: str, person: bool = False) -> frozenset[str]:
    """The keys of one name as written in a text of language `lang`."""
    words = [w for w in re.split(r"[\s·・]+", surface.strip()) if w]
    keys: set[str] = set()
    if len(words) > 1:  # 우에다 가즈오, Kazuo Ueda, Hualien County: each word and the whole
        for word in words:
            if word.lower() not in _COMMON:
                keys |= _word_keys(word, lang, False)
        keys.add("r:" + skeleton("".join(romanised(w, lang) for w in words)))
    elif words:
        keys = _word_keys(words[0], lang, person)
    return frozenset(k for k in keys if len(k) > 3)


def _word_keys(name: str, lang: str, person: bool) -> set[str]:
    keys: set[str] = set()
    if _HAN.match(name):
        name = _HAN_SUFFIX.sub("", name)
        keys.add("h:" + fold_script(name))
        reading = _hangul_reading(name)
        if reading:
            keys.add("k:" + reading)
        if person and len(name) >= 3:  # 李昌镛: the given name; 植田和男: the surname
            part = name[:2] if lang == "ja" else name[1:]
            keys.add("r:" + skeleton(romanised(part, lang)))
    elif _HANGUL.match(name):
        name = _HANGUL_SUFFIX.sub("", name)
        keys.add("k:" + name)
        if person and len(name) == 3:
            keys.add("r:" + skeleton(romanised(name[1:], "ko")))
    elif "-" in name and name.isascii():  # Chang-yong, Jae-myung
        keys.add("r:" + skeleton(name))
    latin = romanised(name, lang)
    if latin.isascii():
        keys.add("r:" + skeleton(latin))
    return keys


# words of English names that say what kind of thing it is, not which one
_COMMON = frozenset(["county", "province", "prefecture", "city", "state", "island", "islands",
    "peninsula", "river", "mountain", "sea", "bay", "district", "region", "ministry",
    "department", "bank", "group", "company", "corp", "inc", "ltd", "co", "university", "party",
    "agency", "office", "council", "committee", "commission", "of", "the", "and", "for"])


# capitalised English words that name no one: sentence starters, months, days, titles
_EN_WORD = re.compile(r"(?<![\w.'’-])[A-Z][a-z]{3,}(?:-[a-z]+)?(?![\w'’-])")


@cache
def _english_common() -> frozenset[str]:
    from pipeline.framing.actors import _ORG_WORDS, _TITLE_WORDS
    from pipeline.framing.common import stop_words

    months = "january february march april may june july august september october november " \
             "december monday tuesday wednesday thursday friday saturday sunday"
    return frozenset(stop_words() | _TITLE_WORDS | _ORG_WORDS | _COMMON | set(months.split()))


def document_names(doc: Document) -> Counter[str]:
    """Name keys over a document's content sentences: glossary ids as `g:` keys, names the
    segmenters find (and, in English, single capitalised words) as script-free keys."""
    from pipeline.framing.actors import actor_spans

    common = _english_common()
    counts: Counter[str] = Counter()
    for _, seg in doc.content_segments:
        actors = actor_spans(seg.text, seg.lang)
        for actor in actors:
            if actor.type == "ROLE":
                continue
            if not actor.key.startswith("name:"):
                counts["g:" + actor.key] += 1
                continue
            counts.update(name_keys(actor.surface, seg.lang, actor.type == "PERSON"))
        if seg.lang == "en":
            covered = [(a.start, a.end) for a in actors]
            for m in _EN_WORD.finditer(seg.text):
                if m.group().lower() not in common and not any(
                        s <= m.start() < e for s, e in covered):
                    counts.update(name_keys(m.group(), "en"))
    return counts


def same_name_groups(names: list[tuple[str, str, str, bool]]) -> dict[str, str]:
    """(actor key, surface, language, is a person) of names found in one event → a key for each, shared
    by the names that are one name in several scripts (Osaka / 大阪 / 오사카): those whose
    keys (`name_keys`) meet, transitively. The shared key is an English one where there is
    one (it reads in every digest), else the smallest."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for key, surface, lang, person in names:
        find(key)
        for k in name_keys(surface, lang, person):
            if k in owner:
                a, b = find(owner[k]), find(key)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[k] = key
    english = {key for key, surface, _, _ in names if surface.isascii()}
    members: dict[str, list[str]] = {}
    for key in parent:
        members.setdefault(find(key), []).append(key)
    out = {}
    for group in members.values():
        best = min(group, key=lambda k: (k not in english, k))
        out.update({k: best for k in group})
    return out
