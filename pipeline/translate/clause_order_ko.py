"""Subject–verb–object order for the Korean gloss.

Korean puts the verb last (그는 도어벨을 만들었다고 말했다: "he doorbell made said"); a
reader of English looks for the verb after its subject. The gloss writes words in Korean
order and tells this tracker where subjects, topics and verbs begin; at each clause end the
verb group moves to just after the clause's subject ("he made doorbell"). A reporting verb
after a quoted clause (…다고 말했다) moves to just after the sentence's topic ("he said made
doorbell"), the way English news writes "X said (that)…".
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from pipeline.translate.english_verbs import gerund, participle, past
from pipeline.translate.gloss_zh import PREPOSITIONS as ZH_GLOSS_PREPOSITIONS

SUBJECT_PARTICLES = {"이", "가", "께서"}  # JKS
TOPIC_PARTICLES = {"은", "는"}  # JX on a noun
# connective endings that close a quoted clause: 했다고 말했다, 하겠다며
QUOTE_ENDINGS = {"다고", "ᆫ다고", "는다고", "라고", "리라고", "냐고", "자고", "다며", "ᆫ다며", "는다며",
                 "라며", "다면서", "ᆫ다면서", "라면서"}
NOMINALS = {"NNG", "NNP", "NNB", "NR", "NP", "XR", "XSN", "SL", "SN", "SH", "SSC", "NUM"}  # 지맵(ZMapp)은


class ClauseOrder:
    """Positions in the gloss's output list for one chunk; `end_clause` moves the verb."""

    def __init__(self, out: list[str], to_past: Callable[[str], str]) -> None:
        self.out = out
        self.to_past = to_past
        self.sentence_topic: int | None = None
        self.sentence_start = 0
        self.past = False
        self._new_clause(quoted=False)

    def _new_clause(self, quoted: bool) -> None:
        self.start = len(self.out)
        self.subject: int | None = None
        self.topic: int | None = None
        self.verb: int | None = None
        self.quoted = quoted  # the clause before this one was a quotation
        self.place_marks: list[tuple[int, str]] = []  # where 에/에서 put "in", and which

    def new_sentence(self) -> None:
        self.settle_tense()
        self.sentence_topic = None
        self.sentence_start = len(self.out)
        self._new_clause(quoted=False)

    def final_tense(self, past: bool) -> None:
        """The sentence's closing verb is past (말했다) or not: linked clauses follow it."""
        self.past = past

    def settle_tense(self) -> None:
        """Verbs marked TENSE in this sentence take its last verb's tense (들어가서 … 했다:
        "entered … did")."""
        out = self.out
        for k in range(self.sentence_start, len(out)):
            if out[k].startswith(TENSE):
                out[k] = self.to_past(out[k][1:]) if self.past else out[k][1:]
        self.past = False

    def particle(self, form: str, tag: str, after: str) -> None:
        """A particle just closed a noun phrase (`after` = the tag of the morpheme before)."""
        if after not in NOMINALS:
            return
        if tag == "JKS" and form in SUBJECT_PARTICLES:
            self.subject = len(self.out)  # the last subject before the verb is the verb's
        elif tag == "JX" and form in TOPIC_PARTICLES and self.topic is None:
            self.topic = len(self.out)
            if self.sentence_topic is None:
                self.sentence_topic = self.topic

    def be(self, past: bool) -> str:
        """is/are/was/were for the clause's subject (they, lawmakers → are)."""
        mark = self.subject if self.subject is not None else self.topic
        word = self.out[mark - 1].split()[-1] if mark and self.out[mark - 1].strip() else ""
        plural = word in ("they", "we", "you", "people", "police", "children") or (
            word.endswith("s") and word.islower() and not word.endswith(("ss", "us", "is")))
        return ("were" if plural else "was") if past else ("are" if plural else "is")

    def verb_at(self, index: int) -> None:
        """The English of a predicate starts at `index` and runs to the end of the output."""
        self.verb = index

    def words_added(self) -> None:
        """Other words followed the verb: it was not the clause's last (a relative clause)."""
        self.verb = None

    def inserted(self, index: int) -> None:
        """A word went in at `index` (a preposition before its noun phrase): shift marks."""
        for name in ("subject", "topic", "verb", "sentence_topic"):
            mark = getattr(self, name)
            if mark is not None and mark > index:
                setattr(self, name, mark + 1)
        if self.start > index:
            self.start += 1
        self.place_marks = [(m + 1 if m > index else m, p) for m, p in self.place_marks]

    def place_particle(self, index: int, particle: str) -> None:
        """에/에서 became "in" at `index`; the clause's verb decides at its end (학교에 갔다
        "went to the school", 시리아에서 철수했다 "withdrew from Syria")."""
        self.place_marks.append((index, particle))

    def subordinate(self, conjunction: str) -> None:
        """The clause so far ends in a noun of time or cause (…할 때, …한 후, …하기 때문에):
        its verb moves after its own subject, the conjunction opens it, and a topic before it
        stays the main clause's (그는 [집에 갈 때] 울었다: "he when went home cried")."""
        out = self.out
        if self.verb is not None and self.start <= self.verb < len(out):
            self._settle_places(out[self.verb:])
        verb = self.verb
        at = self.topic if self.topic is not None else self.start
        target = self.subject if self.subject is not None and self.subject >= at else at
        if verb is not None and self.start <= target < verb:
            self._move_verb(verb, target)
        out.insert(at, conjunction)
        topic = self.topic
        self._new_clause(quoted=False)
        self.topic = topic

    def end_clause(self, ending: str) -> None:
        """A final or connective ending closed the clause: move its verb group forward."""
        verb, out = self.verb, self.out
        if verb is not None and self.start <= verb < len(out):
            self._settle_places(out[verb:])
            verb = self.verb  # earlier if a dropped preposition stood before it
            target = self.subject if self.subject is not None else self.topic
            if target is None and self.quoted:
                target = self.sentence_topic  # 그는 […다고] 말했다: he said …
            if target is not None and (self.start <= target < verb
                                       or (self.quoted and target < verb)):
                after = self._move_verb(verb, target)
                if after < len(out) and out[after] == ARTICLE:
                    out[after] = "the"  # the verb's object: "made the doorbell"
        self._new_clause(quoted=ending in QUOTE_ENDINGS)

    def _move_verb(self, verb: int, target: int) -> int:
        """The verb group (from `verb` to the end) goes in at `target`; returns where the
        words after it now start."""
        words = self.out[verb:]
        del self.out[verb:]
        self.out[target:target] = words
        return target + len(words)

    def _settle_places(self, verb_words: list[str]) -> None:
        table = particle_verbs()
        words = [w.lstrip(TENSE) for phrase in verb_words for w in phrase.split()]
        for mark, particle in sorted(self.place_marks, reverse=True):
            preps = table.get(particle, {})
            prep = next((preps[w] for w in words if w in preps), None)
            if prep is None or not 0 <= mark < len(self.out) or self.out[mark] != "in":
                continue
            if prep:
                self.out[mark] = prep
            else:  # 회의에 참석했다: "attended the meeting", no preposition
                del self.out[mark]
                self._removed(mark)

    def _removed(self, index: int) -> None:
        """A word at `index` went out: shift the marks after it back."""
        for name in ("subject", "topic", "verb", "sentence_topic"):
            mark = getattr(self, name)
            if mark is not None and mark > index:
                setattr(self, name, mark - 1)


TENSE = "\x04"  # prefix: this verb takes the tense of its sentence's last verb
ARTICLE = "\x03"  # where "the" may go: a common noun opens a noun phrase
PREPOSITIONS = ZH_GLOSS_PREPOSITIONS | {"until", "like", "than", "as"}
CLAUSE_OPENERS = {"", ",", ".", ":", ";", '"'}


def place_articles(out: list[str]) -> list[str]:
    """Each ARTICLE mark becomes "the" after a preposition or where a clause opens."""
    words: list[str] = []
    for word in out:
        if word == ARTICLE:
            before = next((w for w in reversed(words) if w.strip()), "")
            last = before.split()[-1].lower() if before else ""
            if last in PREPOSITIONS or last in CLAUSE_OPENERS:
                words.append("the")
            continue
        words.append(word)
    return words


@lru_cache(maxsize=1)
def particle_verbs() -> dict[str, dict[str, str]]:
    """particle → {English verb form → preposition} (gloss_ko_en.toml [particle_verbs]),
    every form of each verb listed: went, gone, goes, going all want "to"."""
    text = resources.files("pipeline.data").joinpath("gloss_ko_en.toml").read_text("utf-8")
    table = tomllib.loads(text)["particle_verbs"]
    return {particle: {form: prep for verb, prep in verbs.items()
                       for form in (verb, past(verb), participle(verb), gerund(verb),
                                    verb + ("es" if verb.endswith(("s", "sh", "ch")) else "s"))}
            for particle, verbs in table.items()}
