"""Whom each outlet lets speak: speech attributed to an actor in one sentence ("X said",
"according to X", "X は…と述べた", "X 表示", "X에 따르면", a pronoun, a bare quotation).

Which voices an outlet quotes is a large part of how it frames an event; every attribution
keeps the sentence and cue behind it so a reader can check it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.framing.actors import (
    ACTOR_TYPES,
    Actor,
    actor_spans,
    display_name,
    english_names,
    glossary_spans,
)
from pipeline.framing.common import CJK, cjk_lang
from pipeline.lang.analysers import jieba
from pipeline.lang.scripts import HAN, HANGUL, KATAKANA
from pipeline.model import Document, per_document
from pipeline.summarize.extractive import display_text

QUOTE_MIN_WORDS = 3  # a quotation alone attributes speech only when it is this long
QUOTE_MIN_CJK = 6
MAX_EVIDENCE = 3  # sentences kept per quoted actor

EN_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|stated|added|adds|noted|highlighted|highlights|"
    r"acknowledged|acknowledges|argued|argues|warned|warns|urged|urges|insisted|insists|"
    r"explained|explains|claimed|indicated|indicates|stressed|stresses|emphasi[sz]ed|"
    r"emphasi[sz]es|described|describes|referred to|refers to|wrote|writes|reported|"
    r"commented|asserted|asserts|confirmed|confirms|denied|denies|suggested|suggests|"
    r"predicted|predicts|cautioned|cautions|recalled|remarked|conceded|concedes|"
    r"call(?:ed|s)? (?:on|for)\b|called(?= [\"“‘'])|[Aa]ccording to)\b")
_ZH_SPEECH = frozenset([
    "表示", "称", "说", "指出", "认为", "强调", "透露", "宣称", "声称", "坦言", "直言", "呼吁", "警告", "回应", "介绍", "提到",
    "告诉", "报道", "表态", "说道", "谈到", "重申", "批评", "承认", "否认", "解释", "补充", "称赞", "形容", "评论"
])
_ZH_CUE_CHARS = re.compile("[" + "".join(sorted({w[0] for w in _ZH_SPEECH} | {"据"})) + "]")
_JA_SPEECH = re.compile(
    r"と(?:述べ|語っ|語り|話し|話す|強調し|指摘し|説明し|発表し|主張し|訴え|表明し|明らかにし|"
    r"言っ|言い|批判し|警告し|呼びかけ|報じ|し(?:てい|た))|報じ|によると|によれば")
_KO_SPEECH = re.compile(
    r"(?:말했|밝혔|강조했|전했|설명했|주장했|지적했|언급했|덧붙였|발표했|말한|밝힌|비판했|"
    r"경고했|촉구했)|에 따르면|에따르면")
_QUOTE = re.compile(r"[\"“]([^\"”]{2,})[\"”]|(?<![A-Za-z])['‘]([^'’]{2,}?)['’](?![A-Za-z])|"
                    r"「([^」]{2,})」|『([^』]{2,})』")
_ROLE_EN = re.compile(
    r"\b((?:[A-Z][\w.]*\s+){0,3}(?:[a-z]+\s+)?(?i:spokes(?:person|man|woman)|officials?|"
    r"analysts?|experts?|sources?|diplomats?|executives?|economists?|observers?|president|"
    r"minister|ministry|government|administration|lawmakers?|critics|researchers?|"
    r"industry figures|delegates?))\b")
_ROLE_CJK = re.compile(r"(发言人|官员|分析人士|专家|消息人士|知情人士|報道官|当局者|関係者|専門家|"
                       r"대변인|관계자|전문가|당국자)")
_PRONOUN_EN = re.compile(r"^(?:[,\s]*(?:and|but)?\s*)(he|she)$", re.IGNORECASE)
_PRONOUN_CJK = re.compile(r"(?:^|[，,\s])(?:他|她)\s*$|同氏|彼は|彼女は|그는|그녀는")
_RELATIVE = re.compile(r",\s+(?:which|who|whom|where|but|and|while|whereas)\s+")
_CLAUSE_EN = re.compile(r"[;:!?\"“”]|(?<![A-Za-z])['‘’](?![A-Za-z])")
_CLAUSE_CJK = re.compile(r"[，。；！？：,;:!?“”「」『』]")


_ZH_SOURCE = re.compile(r"([^，,。；;：:\s]{2,12}?)(?:报道|称|消息|透露|表示|介绍|援引|的)")
_CJK_SOURCE_BEFORE = re.compile(rf"([{KATAKANA}{HAN}A-Za-z0-9{HANGUL}]{{2,12}})\s*$")


def _source_actor(m: re.Match[str], text: str) -> Actor:
    word = m.group(1)
    return Actor(m.start(1), m.end(1), f"name:{word}", word, "NAME", word)


@dataclass(frozen=True)
class Quote:
    actor: Actor
    document: str
    segment: int
    cue: str
    how: str  # verb | according | quote | pronoun
    quote: str | None


def _quotes_in(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        out.append((m.start(), m.end(), inner.strip(" ,.")))
    return out


def _inside(pos: int, spans: Sequence[tuple[int, int, str]]) -> bool:
    return any(s < pos < e for s, e, _ in spans)


def _speakers(cands: list[Actor], nearest: bool) -> Actor | None:
    """The speaker among actors of a subject span: a person, else an organisation."""
    for types in (("PERSON", "NAME"), ("ORG",)):
        found = [a for a in cands if a.type in types]
        if found:
            return found[-1] if nearest else found[0]
    return None


def _role(span_text: str, offset: int, lang: str) -> Actor | None:
    """An unnamed source ("the US president", "officials", 发言人) as a ROLE actor."""
    if lang == "en" or not CJK.search(span_text):
        matches = list(_ROLE_EN.finditer(span_text))
        if not matches:
            return None
        m = matches[-1]
        phrase = re.sub(r"^(?:the|a|an|some|other)\s+", "", m.group(1).strip(), flags=re.IGNORECASE)
    else:
        m = _ROLE_CJK.search(span_text)
        if m is None:
            return None
        phrase = m.group(1)
    return Actor(offset + m.start(1), offset + m.end(1), "role:" + phrase.lower(),
                 phrase, "ROLE", m.group(1))


def _subject_actor(text: str, lang: str, actors: list[Actor], start: int, end: int,
                   nearest: bool) -> Actor | None:
    """Who speaks in text[start:end] (the clause before the cue): a person or organisation;
    else an unnamed role; else a country ("China said")."""
    cands = [a for a in actors if a.start >= start and a.end <= end and a.type in ACTOR_TYPES]
    if lang == "en" and "," in text[start:end]:
        head_end = start + text[start:end].index(",")  # "X, an adviser to Y, said": X
        head = _speakers([a for a in cands if a.end <= head_end], nearest)
        if head is not None:
            return head
    found = _speakers(cands, nearest)
    if found is not None:
        return found
    role = _role(text[start:end], start, lang)
    if role is not None:
        return role
    gpe = [a for a in cands if a.type == "GPE"]
    return (gpe[-1] if nearest else gpe[0]) if gpe else None


def _person_before(history: list[list[Actor]]) -> Actor | None:
    """The one person named in the nearest earlier sentence that names any (pronoun target)."""
    for actors in reversed(history[-2:]):
        people = {a.key: a for a in actors if a.type in ("PERSON", "NAME")}
        if people:
            return next(iter(people.values())) if len(people) == 1 else None
    return None


def _cues(text: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, cue) of every speech cue in the sentence."""
    if lang == "zh":
        out, pos = [], 0
        if not _ZH_CUE_CHARS.search(text):
            return out
        for word in jieba().lcut(text, HMM=False):  # words, so 称 is not read in 名称
            if word in _ZH_SPEECH:
                out.append((pos, pos + len(word), word))
            elif word in ("据", "根据"):
                out.append((pos, pos + len(word), "据"))
            pos += len(word)
        return out
    pattern = {"ja": _JA_SPEECH, "ko": _KO_SPEECH}.get(lang, EN_SPEECH)
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


def _clause_start(text: str, pos: int, lang: str) -> int:
    pattern = _CLAUSE_CJK if cjk_lang(lang) else _CLAUSE_EN
    starts = [m.end() for m in pattern.finditer(text, 0, pos)]
    return starts[-1] if starts else 0


def _clause_end(text: str, pos: int, lang: str) -> int:
    pattern = _CLAUSE_CJK if cjk_lang(lang) else _CLAUSE_EN
    m = pattern.search(text, pos)
    return m.start() if m else len(text)


def sentence_quotes(text: str, lang: str, actors: list[Actor],
                    history: list[list[Actor]] | Callable[[], list[list[Actor]]],
                    document: str = "", segment: int = 0) -> list[Quote]:
    """Attributed speech in one sentence: "X said", "according to X", "X は…と述べた",
    "X 表示", "X에 따르면", a pronoun ("He said") resolved to the one person of the sentence
    before, and, without any cue, a quotation of `QUOTE_MIN_WORDS`+ words with one
    person or organisation named outside it."""
    quoted = _quotes_in(text)
    quote_text = max((q for _, _, q in quoted), key=len, default=None)
    out: list[Quote] = []
    cjk = cjk_lang(lang) and bool(CJK.search(text))
    previous = 0  # a second cue's subject starts after the first cue
    for start, end, cue in _cues(text, lang if cjk else "en"):
        floor, previous = previous, end
        if _inside(start, quoted):
            continue
        speaker, how = None, "verb"
        if cue.lower() in ("according to", "据"):  # the source follows the cue
            stop = _clause_end(text, end, lang if cjk else "en")
            comma = re.search(r"[,，、]", text[end:stop])
            stop = end + comma.start() if comma else stop
            speaker = _subject_actor(text, lang, actors, end, stop, nearest=False)
            how = "according"
            source = _ZH_SOURCE.match(text, end) if cue == "据" else None
            if speaker is None and source:  # 据新华社报道: a source no segmenter knows
                speaker = _source_actor(source, text)
        elif cue in ("によると", "によれば", "에 따르면", "에따르면"):  # the source precedes it
            begin = _clause_start(text, start, lang)
            speaker = _subject_actor(text, lang, actors, begin, start, nearest=True)
            how = "according"
            source = _CJK_SOURCE_BEFORE.search(text, 0, start)
            if speaker is None and source:  # 共同通信によると, 연합뉴스에 따르면
                speaker = _source_actor(source, text)
        elif not cjk and cue.startswith("described") and text[:start].rstrip().endswith(","):
            continue  # ", described as 'very positive'": passive, no speaker
        else:
            begin = max(floor, _clause_start(text, start, lang if cjk else "en"))
            if not cjk:  # ", which the US president called": the relative clause's subject
                rel = [r for r in _RELATIVE.finditer(text, begin, start)
                       if "," not in text[r.end():start]]  # not "X, who heads Y, said"
                begin = rel[-1].end() if rel else begin
            subject = text[begin:start]
            outside = [a for a in actors if not _inside(a.start, quoted)]
            speaker = _subject_actor(text, lang, outside, begin, start,
                                     nearest=cjk and lang == "zh")
            if speaker is None and not cjk and not subject.strip(" ,—–"):
                # inverted: '"...," said Wade Senti'
                stop = _clause_end(text, end, "en")
                speaker = _subject_actor(text, lang, actors, end, min(stop, end + 60), False)
            pronoun = (_PRONOUN_EN.match(subject.strip()) if not cjk
                       else _PRONOUN_CJK.search(subject))
            if speaker is None and pronoun:
                earlier = history() if callable(history) else history
                speaker, how = _person_before(earlier), "pronoun"
            if speaker is None and cjk and not subject.strip():
                # "万斯未点名中国，称……": the dropped subject is the sentence's one speaker
                named = {a.key: a for a in outside if a.end <= start and a.type in
                         ("PERSON", "NAME", "ORG")}
                speaker = next(iter(named.values())) if len(named) == 1 else None
        if speaker is not None and all(q.actor.key != speaker.key for q in out):
            out.append(Quote(speaker, document, segment, cue, how, quote_text))
    if not out and quoted:
        longest = max(quoted, key=lambda q: len(q[2]))
        long_enough = (len(CJK.findall(longest[2])) >= QUOTE_MIN_CJK if cjk
                       else len(longest[2].split()) >= QUOTE_MIN_WORDS)
        words = re.findall(r"[A-Za-z]+", longest[2])
        titled = len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
        outside = [a for a in actors if not _inside(a.start, quoted)]
        people = {a.key for a in outside if a.type in ("PERSON", "NAME", "ORG")}
        # one candidate only, and not a Title Cased name of a plan or an agreement
        speaker = _speakers(outside, nearest=False) if long_enough and not titled and \
            len(people) == 1 else None
        if speaker is not None:
            out.append(Quote(speaker, document, segment, "quotation", "quote", longest[2]))
    return out


def _surname_aliases(doc: Document) -> dict[str, Actor]:
    """Last word of each untyped English name in the document → that name, when unique."""
    seen: dict[str, set[Actor]] = {}
    for _, seg in doc.content_segments:
        if CJK.search(seg.text):
            continue
        for actor in english_names(display_text(seg.text), glossary_spans(seg.text), {}):
            if actor.type == "NAME":
                last = actor.name.split()[-1]
                seen.setdefault(last, set()).add(Actor(0, 0, actor.key, actor.name, "NAME", ""))
    return {last: next(iter(a)) for last, a in seen.items() if len(a) == 1}


def _earlier(actors_of: Callable[[int], list[Actor]], k: int) -> list[list[Actor]]:
    return [actors_of(j) for j in range(max(0, k - 2), k)]


def document_quotes(doc: Document) -> list[Quote]:
    """Attributed speech in every content sentence of a document, in text order."""
    return list(_document_quotes(doc))


@per_document
def _document_quotes(doc: Document) -> list[Quote]:
    aliases = _surname_aliases(doc)
    sentences = []
    for index, seg in doc.content_segments:
        text = display_text(seg.text)
        lang = seg.lang if seg.lang != "und" else ("en" if not CJK.search(text) else "zh")
        sentences.append((index, text, lang))
    found: dict[int, list[Actor]] = {}  # names are looked for only where speech is

    def actors_of(k: int) -> list[Actor]:
        if k not in found:
            _, text, lang = sentences[k]
            found[k] = actor_spans(text, lang, aliases)
        return found[k]

    out: list[Quote] = []
    for k, (index, text, lang) in enumerate(sentences):
        if _cues(text, lang) or _quotes_in(text):
            # pronoun targets, looked for only when a pronoun speaks (CJK names cost a
            # segmenter pass: about 10 ms a sentence with jieba's HMM)
            history = functools.partial(_earlier, actors_of, k)
            out += sentence_quotes(text, lang, actors_of(k), history, doc.id, index)
    return out


def quoted_summary(quotes: list[Quote], outlet_of: dict[str, str]) -> list[dict[str, Any]]:
    by_key: dict[str, list[Quote]] = {}
    for q in quotes:
        by_key.setdefault(q.actor.key, []).append(q)
    out = []
    for key, items in by_key.items():
        names = Counter(q.actor.name for q in items)
        name = display_name(key) if not key.startswith(("name:", "role:")) else \
            min(names, key=lambda n: (-names[n], n))
        # the whole tuple decides: a set's order follows the process's string hashes
        evidence = sorted({(q.document, q.segment, q.cue, q.how, q.quote) for q in items},
                          key=lambda e: (e[0], e[1], e[2], e[3], e[4] or ""))
        out.append({
            "actor": name,
            "key": key,
            "type": items[0].actor.type,
            "mentions": len({(q.document, q.segment) for q in items}),
            "cues": sorted({q.cue for q in items}),
            "outlets": sorted({outlet_of.get(q.document, q.document) for q in items}),
            "evidence": [{"document": d, "segment": s, "cue": c, "how": h, "quote": t}
                         for d, s, c, h, t in evidence[:MAX_EVIDENCE]],
        })
    return sorted(out, key=lambda a: (-a["mentions"], a["actor"].lower(), a["key"]))
