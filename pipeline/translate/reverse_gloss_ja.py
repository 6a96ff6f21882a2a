"""English → Japanese dictionary gloss: JMdict read backwards.

The offline way to give a Japanese reader a line for an English sentence. JMdict maps
Japanese → English, so the jamdict SQLite file is read once with a few whole-table queries
(not one lookup per word), inverted (English gloss → headword), ranked by JMdict's own
priority tags and cached on disk keyed by the jamdict-data version. A small curated table
(pipeline/data/gloss_en_ja.toml) wins for function words, news names and topic terms. The
English side (tokens, lemmas, longest phrase match, names) is shared with the zh reverse gloss.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.cache import cached
from pipeline.lang.jmdict import data_version, db_path
from pipeline.lang.scripts import HAN_CHAR
from pipeline.translate.gloss_ja import clean_gloss
from pipeline.translate.reverse_gloss import (
    Index,
    ReverseGloss,
    Table,
    lemmas,
    load_table,
    read_table,
)

_MAX_WORDS = 4
_INDEX_SCHEMA = 6
_TABLE = Path(__file__).resolve().parent.parent / "data" / "gloss_en_ja.toml"
_LOCK = threading.Lock()
_PUNCT_JA = {",": "、", ".": "。", "?": "？", "!": "！", ":": "：", ";": "；", "(": "（", ")": "）"}
_UNRANKED = 60
# Priority tag → rank (lower = more common). nfXX is the Mainichi frequency band (500 words
# each, so news1 ≈ nf01–nf24); ichi/spec/gai mark common words from other lists.
_TAG_RANK = {"news1": 24, "news2": 48, "ichi1": 14, "ichi2": 40, "spec1": 18, "spec2": 30,
             "gai1": 20, "gai2": 40}
_SKIP_MISC = {"archaism", "obsolete term", "obscure term", "rare", "dated term", "derogatory",
              "vulgar expression or word", "sensitive", "slang", "Internet slang", "manga slang",
              "children's language", "jocular, humorous term", "poetical term",
              "female term or language", "male term or language", "proverb", "quotation"}
_PENALTY_MISC = {"abbreviation": 15, "colloquialism": 10, "familiar language": 10,
                 "honorific or respectful (sonkeigo) language": 10, "yojijukugo": 10,
                 "humble (kenjougo) language": 10, "idiomatic expression": 5}
_AFFIX_POS = {"suffix", "prefix", "counter", "particle", "auxiliary verb", "auxiliary",
              "noun, used as a suffix", "noun, used as a prefix", "auxiliary adjective", "copula"}
_KANA_ALONE = "word usually written using kana alone"
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_KANJI = HAN_CHAR
_PRONOUNS = {"i", "you", "he", "she", "it", "we", "they", "one"}
_PREPOSITIONS = {"with", "to", "for", "of", "on", "in", "at", "by", "from", "about", "into"}
_MAX_SCORE = 80  # beyond this (an unranked word's second sense) English is the better gloss

# Forms in order with their priority tags; `irregular` = an out-dated or irregular spelling
# (ateji and gikun readings such as 煙草 = たばこ are regular).
_FORMS_SQL = """
SELECT k.idseq, 0, k.ID, k.text, (SELECT group_concat(p.text, ' ') FROM KJP p WHERE p.kid = k.ID),
       EXISTS (SELECT 1 FROM KJI i WHERE i.kid = k.ID AND i.text NOT LIKE 'ateji%') FROM Kanji k
UNION ALL
SELECT n.idseq, 1, n.ID, n.text, (SELECT group_concat(p.text, ' ') FROM KNP p WHERE p.kid = n.ID),
       EXISTS (SELECT 1 FROM KNI i WHERE i.kid = n.ID AND i.text NOT LIKE 'gikun%') FROM Kana n
ORDER BY 1, 2, 3
"""
_SENSES_SQL = """
SELECT s.idseq, s.ID,
       (SELECT group_concat(m.text, '|') FROM misc m WHERE m.sid = s.ID),
       (SELECT group_concat(p.text, '|') FROM pos p WHERE p.sid = s.ID),
       (SELECT group_concat(t.text, '|') FROM (SELECT text FROM stagk WHERE sid = s.ID
                                               UNION ALL SELECT text FROM stagr WHERE sid = s.ID) t)
FROM Sense s ORDER BY s.idseq, s.ID
"""
_GLOSS_SQL = "SELECT sid, text FROM SenseGloss WHERE lang = 'eng' ORDER BY sid, rowid"


class _Form(NamedTuple):
    text: str
    rank: int
    irregular: bool


class _Entry(NamedTuple):
    kanji: list[_Form]
    kana: list[_Form]

    @property
    def rank(self) -> int:
        return min((f.rank for f in self.kanji + self.kana), default=_UNRANKED)

    @property
    def latin(self) -> bool:
        """ＥＵ, ＣＤ, Ｔシャツ: Japanese spells these in Latin letters too, so keep the English."""
        return any(_LATIN.search(f.text) for f in self.kanji + self.kana)


@cache
def priority_rank(tag_text: str) -> int:
    """'news1 nf01' → 1, 'ichi1' → 14, '' → 60; each extra list that agrees takes 3 off."""
    tags = tag_text.split()
    ranks = [int(t[2:]) if t.startswith("nf") else _TAG_RANK.get(t, _UNRANKED) for t in tags]
    families = {t[:-1] for t in tags if t[:-1] in ("news", "ichi", "spec", "gai")}
    return min(ranks, default=_UNRANKED) - 3 * max(len(families) - 1, 0)


def headword(entry: _Entry, kana_alone: bool, allowed: set[str] | None = None) -> str | None:
    """The spelling a reader expects: the kanji form carrying the priority, else the first
    kana form; words usually written in kana (misc tag) and kana-ranked words use kana."""
    def usable(forms: list[_Form]) -> list[_Form]:
        ok = [f for f in forms if not f.irregular]
        return [f for f in ok if allowed is None or f.text in allowed] or ok

    kanji, kana = usable(entry.kanji), usable(entry.kana)
    if kanji and not kana_alone:
        ranked = [f for f in kanji if f.rank < _UNRANKED]
        if ranked:
            return min(ranked, key=lambda f: f.rank).text  # min is stable: first on ties
        if not kana or all(f.rank >= _UNRANKED for f in kana):
            return kanji[0].text
    return kana[0].text if kana else None


def _read(con: sqlite3.Connection) -> tuple[dict[int, _Entry], dict[int, list[str]]]:
    entries: dict[int, _Entry] = defaultdict(lambda: _Entry([], []))
    for idseq, kind, _id, text, tags, irregular in con.execute(_FORMS_SQL):
        form = _Form(text, priority_rank(tags or ""), bool(irregular))
        (entries[idseq].kana if kind else entries[idseq].kanji).append(form)
    glosses: dict[int, list[str]] = defaultdict(list)
    for sid, text in con.execute(_GLOSS_SQL):
        glosses[sid].append(text)
    return entries, glosses


def build_index() -> Index:
    """Invert JMdict: every short English gloss → its most common, most central headword.

    Score = entry priority + a penalty by where the gloss sits (first gloss of the first sense
    costs nothing) + penalties for affixes and marked usage; ties go to the older entry.
    """
    con = sqlite3.connect(f"file:{db_path()}?mode=ro", uri=True)
    try:
        entries, glosses = _read(con)
        senses = con.execute(_SENSES_SQL).fetchall()
    finally:
        con.close()
    best: dict[tuple[bool, str], tuple[int, int, str]] = {}
    sense_pos = 0
    previous = None
    for idseq, sid, misc, pos, restrict in senses:
        sense_pos = sense_pos + 1 if idseq == previous else 0
        previous = idseq
        marks = set((misc or "").split("|"))
        entry = entries.get(idseq)
        if entry is None or marks & _SKIP_MISC or entry.latin:
            continue
        allowed = set(restrict.split("|")) if restrict else None
        head = headword(entry, _KANA_ALONE in marks, allowed)
        if head is None:
            continue
        rank = entry.rank + sum(_PENALTY_MISC.get(m, 0) for m in marks)
        rank += 20 if set((pos or "").split("|")) & _AFFIX_POS else 0
        for gloss_pos, raw in enumerate(glosses.get(sid, ())):
            key = clean_gloss(raw)
            words = key.lower().split()
            if not key[:1].isalnum() or len(words) > _MAX_WORDS or len(words) > 1 and (
                    words[0] in _PRONOUNS or words[-1] in _PREPOSITIONS):
                continue  # 'he said' → って, 'agreements with' → 同調: frames, not words
            proper = key[0].isupper()
            slot = (proper, key if proper else key.lower())
            if proper and key.isupper() and not _KANJI.search(head):
                continue  # PDF → ピーディーエフ helps nobody; USA → 米国 does
            place = 0 if sense_pos == gloss_pos == 0 else 12 if sense_pos == 0 else 24
            score = rank + place + 4 * sense_pos + min(gloss_pos, 5)
            old = best.get(slot)
            if score <= _MAX_SCORE and (old is None or (score, idseq, head) < old):
                best[slot] = (score, idseq, head)  # ties: the older (core EDICT) entry
    return _finish(best)


def _finish(best: dict[tuple[bool, str], tuple[int, int, str]]) -> Index:
    """Drop a plural key whose singular ranks at least as well: the shared matcher tries the
    word as written first, and 'colleagues' → 儕輩 (a rare word) must not hide 仲間."""
    index = Index({}, {})
    for (proper, key), (score, _idseq, head) in sorted(best.items()):
        if not proper and key.endswith("s"):
            *rest, last = key.split(" ")
            singular = [" ".join([*rest, lem]) for lem in lemmas(last, {})[1:]]
            if any(best.get((False, k), (score + 1,))[0] <= score for k in singular):
                continue
        (index.proper if proper else index.common)[key] = head
    return index


@lru_cache(maxsize=1)
def load_index() -> Index:
    """The inverted index, built once from the SQLite file and then read from the cache dir."""
    with _LOCK:
        return cached(f"reverse-index-jamdict-data{data_version()}-s{_INDEX_SCHEMA}",
                      build_index)


@lru_cache(maxsize=1)
def load_table_ja() -> Table:
    """The curated English → Japanese phrases; irregular English forms come from the zh table."""
    cased, folded, irregular = read_table(_TABLE)
    return cased, folded, {**load_table()[2], **irregular}


class ReverseJMdictGlossTranslator(ReverseGloss):
    """en → ja word gloss (tier "gloss"); English word order, no spaces between Japanese."""

    name = "gloss-jmdict-reverse"
    tgt = "ja"
    punct = _PUNCT_JA
    quotes = ("「", "」")
    index = staticmethod(load_index)
    table = staticmethod(load_table_ja)
