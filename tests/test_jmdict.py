"""Our JMdict reader (`pipeline.lang.jmdict`) against jamdict's own `lookup`: the same
entries, in the same order, with the same spellings, priority tags, senses, misc tags,
name types and glosses, for every word a Japanese news text is made of."""

from __future__ import annotations

import multiprocessing

import pytest

from pipeline.lang import jmdict
from pipeline.lang.analysers import sudachi_tokenizer
from tests.conftest import SEEDS

jamdict = pytest.importorskip("jamdict")

# spellings, lemmas and normalised forms the gloss asks for, plus what a gloss never asks
# but the search must answer as jamdict does: an English gloss text, a name only JMnedict
# has, kana-only words, a word with many senses
_EXTRA = ["東京", "たべる", "食べる", "日本", "トヨタ", "山田", "ジョン", "イラン", "ソウル", "する",
          "取る", "person", "Tokyo", "NHK", "G7", "岸田", "首相", "記者会見", "まで", "ございます"]


def _queries() -> list[str]:
    words = set(_EXTRA)
    for path in sorted(SEEDS.glob("*")):
        text = path.read_text("utf-8")
        if not any("\u3040" <= c <= "\u30ff" for c in text):
            continue
        for m in sudachi_tokenizer("C").tokenize(text[:4000]):
            words.update((m.surface(), m.dictionary_form(), m.normalized_form()))
    return sorted(w for w in words if w.strip() and not any(c in w for c in "%?_@"))


def _theirs(entry, names: bool) -> tuple:
    return (entry.idseq,
            [(k.text, () if names else tuple(k.pri)) for k in entry.kanji_forms],
            [(k.text, () if names else tuple(k.pri)) for k in entry.kana_forms],
            [(tuple(g.text for g in s.gloss), () if names else tuple(s.misc),
              tuple(s.name_type) if names else ()) for s in entry.senses])


def _ours(entry: jmdict.Entry) -> tuple:
    return (entry.idseq, [(k.text, k.pri) for k in entry.kanji_forms],
            [(k.text, k.pri) for k in entry.kana_forms],
            [(s.gloss, s.misc, s.name_type) for s in entry.senses])


def test_words_and_names_as_jamdict_reads_them() -> None:
    reader = jamdict.Jamdict()
    queries = _queries()
    assert len(queries) > 150  # the seeds' Japanese article gives a real vocabulary
    found = 0
    for query in queries:
        words = jmdict.words(query)
        assert [_ours(e) for e in words] == [
            _theirs(e, False)
            for e in reader.lookup(query, lookup_chars=False, lookup_ne=False).entries], query
        names = jmdict.names(query)
        assert [_ours(e) for e in names] == [
            _theirs(e, True) for e in reader.lookup(query, lookup_chars=False).names], query
        found += bool(words) + bool(names)
    assert found > len(queries) // 2  # most words are in JMdict, many also name someone


def test_an_unknown_query_finds_nothing() -> None:
    assert jmdict.words("ｘｙｚｚｙ未知語") == [] and jmdict.names("ｘｙｚｚｙ未知語") == []


def _in_child(query: str) -> int:
    return len(jmdict.words(query))


def test_a_forked_process_opens_its_own_connection() -> None:
    """The pool's workers fork after the parent may have looked words up: each must read
    through a connection of its own (SQLite connections do not survive a fork)."""
    parent = len(jmdict.words("東京"))
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_in_child, ("東京",)) == parent > 0
