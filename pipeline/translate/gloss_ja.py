"""Japanese → English dictionary gloss: SudachiPy morphemes looked up in JMdict / JMnedict.

The offline floor for Japanese: particles and auxiliaries are dropped by part of speech,
lemmas are glossed with their first JMdict sense, person names come from JMnedict (using the
reading Sudachi gives to pick 片山 = Katayama, not Kakuyama). Word order stays Japanese.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

from pipeline.translate.gloss_zh import PUNCT, CjkToEnglishGloss

JA_OVERRIDES: dict[str, str] = {
    "米国": "US", "米": "US", "氏": "", "さん": "", "様": "", "さま": "", "君": "", "ちゃん": "",
    "たち": "", "達": "", "ら": "", "こと": "", "事": "", "もの": "", "物": "", "の": "",
    "よう": "like", "ため": "for", "為": "for", "等": "etc.", "など": "etc.", "予定": "plan",
    "会談": "talks", "首脳": "leader", "発表": "announce", "述べる": "say", "言う": "say",
    "できる": "can", "出来る": "can", "ある": "exist", "有る": "exist", "いう": "", "的": "",
    "中": "in", "日": "Japan", "政権": "administration", "副大統領": "Vice President",
    "大統領": "President", "首相": "Prime Minister", "トランプ": "Trump", "お": "", "ご": "",
    "御": "", "下さる": "please", "くださる": "please", "訪問": "visit", "取り組み": "effort",
    "取組": "effort", "レアアース": "rare earth",
}
_PHRASES = {"について": "about", "における": "in", "において": "in", "に対して": "against",
            "に対する": "against", "によって": "by", "による": "by", "により": "by",
            "として": "as", "とともに": "together with", "にとって": "for", "に関する": "on",
            "に関して": "on", "に向けて": "toward", "に向けた": "toward", "ための": "for",
            "かどうか": "whether"}
_PARTICLES = {"から": "from", "まで": "until", "より": "than", "へ": "to", "や": "and",
              "だけ": "only", "しか": "only", "ので": "because", "けれど": "but",
              "けれども": "but", "ば": "if", "ても": "even if", "でも": "even"}
_NEGATION = {"ない", "ぬ", "ず", "ん", "無い"}
_AUX_VERBS = {"する", "為る", "いる", "居る", "おる", "ある", "有る", "いく", "行く",
              "くる", "来る", "しまう", "仕舞う", "おく", "置く", "みる", "見る", "くれる",
              "もらう", "貰う", "いただく", "頂く", "なる", "成る"}
_MAX_WORDS = 4
_LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.\-'&/+]*[A-Za-z0-9])?")


def clean_gloss(gloss: str) -> str:
    """'(political) administration' → 'administration'; 'to state' → 'state'."""
    g = gloss
    for _ in range(2):
        g = re.sub(r"\([^()]*\)", " ", g)
    g = re.sub(r"\s+", " ", g).strip(" ,;:.")
    words = [w for w in g.removeprefix("to ").split() if w not in ("sb", "sth", "one's")]
    return " ".join(words)


def _hira(kata: str) -> str:
    """Katakana → hiragana (Sudachi readings are katakana, JMdict kana forms hiragana)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kata)


def _pick_gloss(senses: Sequence[Any]) -> str | None:
    """First gloss of the first sense, unless a short one follows in the same sense."""
    for sense in senses:
        glosses = [c for g in sense.gloss if (c := clean_gloss(g.text))]
        if glosses:
            short = [g for g in glosses if len(g.split()) <= _MAX_WORDS]
            return (short or glosses)[0]
    return None


class JMdictGlossTranslator(CjkToEnglishGloss):
    """ja → en word gloss (tier "gloss"); one Jamdict and one Sudachi tokenizer per thread."""

    name = "gloss-jmdict"
    src, tgt = "ja", "en"

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        self._overrides = {**JA_OVERRIDES, **(overrides or {})}
        self._local = threading.local()
        self._words: dict[tuple[str, str], str | None] = {}
        self._names: dict[tuple[str, str, str], str | None] = {}



    # ------------------------------------------------------------------ per-thread resources
    def _jam(self) -> Any:
        jam = getattr(self._local, "jam", None)
        if jam is None:
            from jamdict import Jamdict

            jam = self._local.jam = Jamdict()
        return jam

    def _sudachi(self) -> Any:
        tok = getattr(self._local, "tok", None)
        if tok is None:
            from sudachipy import Dictionary

            sudachi = Dictionary(dict="core")
            make = getattr(sudachi, "tokenizer", None) or sudachi.create  # create(): <0.7
            tok = self._local.tok = make()
        return tok

    # ------------------------------------------------------------------ glossing
    def _tokens(self, chunk: str) -> list[str]:
        """Latin runs (G7, F-35) stay whole; Japanese runs go through Sudachi."""
        out: list[str] = []
        pos = 0
        for m in _LATIN.finditer(chunk):
            out += self._japanese(chunk[pos:m.start()])
            out.append(m.group())
            pos = m.end()
        return out + self._japanese(chunk[pos:])

    def _japanese(self, chunk: str) -> list[str]:
        if not chunk.strip():
            return []
        from sudachipy import SplitMode

        ms = list(self._sudachi().tokenize(chunk, SplitMode.C))
        out: list[str] = []
        last_content = 0  # where the last content word's gloss starts, for "not" placement
        i = 0
        while i < len(ms):
            phrase = next((k for k in (4, 3, 2) if "".join(m.surface() for m in ms[i:i + k])
                           in _PHRASES), 0)
            if phrase:
                out.append(_PHRASES["".join(m.surface() for m in ms[i:i + phrase])])
                i += phrase
                continue
            m = ms[i]
            if m.part_of_speech()[2] == "人名":
                j = i
                while j < len(ms) and ms[j].part_of_speech()[2] == "人名":
                    j += 1
                last_content = len(out)
                out.append(self._person(ms[i:j]))
                i = j
                continue
            prev = ms[i - 1] if i else None
            words = self._morpheme(m, prev)
            if words == ["not"]:
                out.insert(last_content, "not")  # 行かない: "not go", not "go not"
            elif words:
                if not m.part_of_speech()[0].startswith(("助", "補助記号")):
                    last_content = len(out)
                out += words
            i += 1
        return _glue_prefixes(out)

    def _morpheme(self, m: Any, prev: Any) -> list[str]:
        surface, lemma = m.surface(), m.dictionary_form()
        pos = m.part_of_speech()
        if not surface.strip():
            return []
        if pos[0] in ("補助記号", "記号", "空白"):
            mark = PUNCT.get(surface, surface)
            return [mark] if mark else []
        if pos[0] == "助詞":
            if pos[1] == "接続助詞" and surface in ("が", "から"):
                return ["but" if surface == "が" else "because"]
            return [_PARTICLES[surface]] if surface in _PARTICLES else []
        if lemma in _NEGATION and (pos[0] == "助動詞" or pos[1] == "非自立可能"):
            return ["not"]
        if pos[0] == "助動詞":
            return ["want to"] if lemma == "たい" else []
        if pos[0] == "動詞" and pos[1] == "非自立可能" and lemma in _AUX_VERBS:
            after_te = prev is not None and prev.surface() in ("て", "で")
            if lemma in ("する", "為る") or after_te or prev is None or prev.part_of_speech()[
                    2] == "サ変可能":
                return []
        word = self._word(m)
        if word is not None:
            return [word] if word else []
        pieces = m.split(_mode_a())
        if len(pieces) > 1:
            return [w for p in pieces for w in self._morpheme(p, None)]
        return [surface]  # unknown: show the original rather than guess

    def _word(self, m: Any) -> str | None:
        """Gloss for a morpheme's lemma, or None when JMdict lacks it."""
        lemma, norm = m.dictionary_form(), m.normalized_form()
        for key in dict.fromkeys((m.surface(), lemma, norm)):
            if key in self._overrides:
                return self._overrides[key]
        reading = _hira(m.reading_form())
        key = (lemma, reading)
        if key not in self._words:
            found = self._lookup(lemma, reading)
            if found is None and norm != lemma and not re.search("[ァ-ヺ]", lemma):
                found = self._lookup(norm, reading)
            if found is None and m.part_of_speech()[1] == "固有名詞":
                found = self._name(lemma, reading, "place")
            self._words[key] = found
        return self._words[key]

    def _lookup(self, query: str, reading: str) -> str | None:
        if not query or re.search(r"[%?_]", query):
            return None
        entries = self._jam().lookup(query, lookup_chars=False, lookup_ne=False).entries
        if not entries:
            return None
        kana_query = not re.search(r"[\u3400-\u9fff]", query)

        def rank(entry: Any) -> tuple[int, int]:
            kanji = [k.text for k in entry.kanji_forms]
            kana = [k.text for k in entry.kana_forms]
            usually_kana = any("kana alone" in x for s in entry.senses[:1] for x in s.misc)
            if kana_query:
                spelled = query in kana and (usually_kana or not kanji)
            else:
                spelled = query in kanji
            return (0 if spelled else 1, 0 if reading in kana else 1)

        best = min(entries, key=rank)  # min is stable: JMdict order breaks ties
        return _pick_gloss(best.senses)

    def _person(self, ms: Sequence[Any]) -> str:
        """A run of 人名 morphemes: the full name in JMnedict, else each part by its reading."""
        full = "".join(m.surface() for m in ms)
        reading = "".join(_hira(m.reading_form()) for m in ms)
        found = self._name(full, reading, "person") if len(ms) > 1 else None
        if found:
            return found
        parts = []
        for m in ms:
            kind = {"姓": "surname", "名": "given"}.get(m.part_of_speech()[3], "person")
            parts.append(self._name(m.surface(), _hira(m.reading_form()), kind)
                         or self._word(m) or m.surface())
        return " ".join(parts)

    def _name(self, query: str, reading: str, kind: str) -> str | None:
        """Romanised name from JMnedict, preferring the entry read the way Sudachi reads it."""
        key = (query, reading, kind)
        if key in self._names:
            return self._names[key]
        found = None
        if query and not re.search(r"[%?_]", query):
            names = self._jam().lookup(query, lookup_chars=False).names
            types = {"surname": {"surname"}, "given": {"given", "fem", "masc"},
                     "place": {"place"}}.get(kind, set())

            def rank(n: Any) -> tuple[int, int]:
                ntypes = {t for s in n.senses for t in s.name_type}
                return (0 if reading in [k.text for k in n.kana_forms] else 1,
                        0 if ntypes & types or kind == "person" else 1)

            if names:
                best = min(names, key=rank)
                found = _pick_gloss(best.senses)
        self._names[key] = found
        return found


def _mode_a() -> Any:
    from sudachipy import SplitMode

    return SplitMode.A


def _glue_prefixes(words: list[str]) -> list[str]:
    """JMdict prefixes end in '-' (再 → 're-'): attach them to the next word."""
    out: list[str] = []
    for w in words:
        if out and out[-1].endswith("-") and w[:1].isalpha():
            out[-1] += w
        else:
            out.append(w)
    return out
