"""JMdict and JMnedict (the SQLite file jamdict-data ships, in jamdict's schema): the one
place that opens it.

The ja → en gloss looks words and names up one query at a time (`words`, `names`). They
find entries with jamdict's own search (a kanji or kana spelling, or an English gloss,
equal to the query; entries in the order jamdict returns them) but read only the fields a
gloss uses, a few queries per lookup: jamdict's `lookup` builds every entry field by field
(about 28 queries per entry, and a word search before every name search), which was 7% of
an archive's event workers. A test holds the two readers to the same answers. One read-only
connection per process and thread (SQLite connections cross neither a fork nor a thread).
The reverse (en → ja) gloss reads the whole file once into its index (`db_path`, and
`data_version` to key that index's cache).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

_LOCAL = threading.local()

# jamdict's exact-match searches (`jmdict_sqlite._build_search_query`,
# `jmnedict_sqlite._build_ne_search_query`), so the same entries come back in the same order
_WORD_IDS = ("SELECT idseq FROM Entry WHERE (idseq IN (SELECT idseq FROM Kanji WHERE text == ?)"
             " OR idseq IN (SELECT idseq FROM Kana WHERE text == ?) OR idseq IN (SELECT idseq"
             " FROM sense JOIN sensegloss ON sense.ID == sensegloss.sid WHERE text == ?))")
_NAME_IDS = ("SELECT idseq FROM NEEntry WHERE idseq IN (SELECT idseq FROM NEKanji WHERE text"
             " == ?) OR idseq IN (SELECT idseq FROM NEKana WHERE text == ?) OR idseq IN (SELECT"
             " idseq FROM NETranslation JOIN NETransGloss ON NETranslation.ID =="
             " NETransGloss.tid WHERE NETransGloss.text == ?) or idseq in (SELECT idseq FROM"
             " NETranslation JOIN NETransType ON NETranslation.ID == NETransType.tid WHERE"
             " NETransType.text == ?)")


@dataclass(frozen=True)
class Form:
    """A kanji or kana spelling with its priority tags (news1, ichi1 …; none for names)."""

    text: str
    pri: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sense:
    """A sense's glosses in order, its misc tags (words) or name types (names)."""

    gloss: tuple[str, ...]
    misc: tuple[str, ...] = ()
    name_type: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    idseq: int
    kanji_forms: tuple[Form, ...]
    kana_forms: tuple[Form, ...]
    senses: tuple[Sense, ...]


def words(query: str) -> list[Entry]:
    """JMdict entries spelled `query` (or glossed as it), in jamdict's order."""
    con = _connection()
    ids = [row[0] for row in con.execute(_WORD_IDS, (query, query, query))]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    kanji = _forms(con, "Kanji", "KJP", marks, ids)
    kana = _forms(con, "Kana", "KNP", marks, ids)
    senses = _senses(con, "Sense", "idseq", marks, ids,
                     ("misc", "sid"), ("SenseGloss", "sid"))
    return [Entry(i, kanji.get(i, ()), kana.get(i, ()),
                  tuple(Sense(gloss, misc) for misc, gloss in senses.get(i, ())))
            for i in ids]


def names(query: str) -> list[Entry]:
    """JMnedict entries spelled `query` (or translated or typed as it), in jamdict's order."""
    con = _connection()
    ids = [row[0] for row in con.execute(_NAME_IDS, (query, query, query, query))]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    kanji = _forms(con, "NEKanji", None, marks, ids)
    kana = _forms(con, "NEKana", None, marks, ids)
    senses = _senses(con, "NETranslation", "idseq", marks, ids,
                     ("NETransType", "tid"), ("NETransGloss", "tid"))
    return [Entry(i, kanji.get(i, ()), kana.get(i, ()),
                  tuple(Sense(gloss, (), types) for types, gloss in senses.get(i, ())))
            for i in ids]


def _forms(con: sqlite3.Connection, table: str, tags: str | None, marks: str,
           ids: list[int]) -> dict[int, tuple[Form, ...]]:
    """Each entry's spellings in row order, with their priority tags from `tags`."""
    rows = con.execute(f"SELECT idseq, ID, text FROM {table} WHERE idseq IN ({marks})"
                       " ORDER BY idseq, ID", ids).fetchall()
    pri: dict[int, list[str]] = defaultdict(list)
    if tags is not None and rows:
        form_marks = ",".join("?" * len(rows))
        for kid, text in con.execute(f"SELECT kid, text FROM {tags} WHERE kid IN ({form_marks})"
                                     " ORDER BY kid, rowid", [r[1] for r in rows]):
            pri[kid].append(text)
    out: dict[int, list[Form]] = defaultdict(list)
    for idseq, form_id, text in rows:
        out[idseq].append(Form(text, tuple(pri.get(form_id, ()))))
    return {i: tuple(forms) for i, forms in out.items()}


def _senses(con: sqlite3.Connection, table: str, key: str, marks: str, ids: list[int],
            tags: tuple[str, str], glosses: tuple[str, str]
            ) -> dict[int, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Each entry's senses in row order as (tags, glosses), both in row order."""
    rows = con.execute(f"SELECT {key}, ID FROM {table} WHERE {key} IN ({marks})"
                       f" ORDER BY {key}, ID", ids).fetchall()
    if not rows:
        return {}
    sense_marks = ",".join("?" * len(rows))
    sense_ids = [r[1] for r in rows]

    def texts(table_and_key: tuple[str, str]) -> dict[int, list[str]]:
        name, column = table_and_key
        found: dict[int, list[str]] = defaultdict(list)
        for sid, text in con.execute(f"SELECT {column}, text FROM {name} WHERE {column} IN"
                                     f" ({sense_marks}) ORDER BY {column}, rowid", sense_ids):
            found[sid].append(text)
        return found

    tag_texts, gloss_texts = texts(tags), texts(glosses)
    out: dict[int, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
    for entry_id, sense_id in rows:
        out[entry_id].append((tuple(tag_texts.get(sense_id, ())),
                              tuple(gloss_texts.get(sense_id, ()))))
    return out


def _connection() -> sqlite3.Connection:
    found = getattr(_LOCAL, "connection", None)
    if found is None or found[0] != os.getpid():  # a forked child opens its own
        con = sqlite3.connect(f"file:{db_path()}?mode=ro", uri=True)
        found = _LOCAL.connection = (os.getpid(), con)
    return found[1]


def db_path() -> Path:
    """The SQLite file jamdict reads; jamdict-data ships it inside its package."""
    import jamdict_data

    return Path(jamdict_data.JAMDICT_DB_PATH)


def data_version() -> str:
    """The installed jamdict-data release ("unknown" outside an installed environment)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jamdict-data")
    except PackageNotFoundError:
        return "unknown"
