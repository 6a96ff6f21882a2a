"""English verb forms for the CJK → English glosses: past, past participle, gerund.

Chinese, Japanese and Korean mark tense and voice with particles and endings (了, た, 았),
English on the verb, so every gloss inflects the verb it chose. One table of irregular and
consonant-doubling verbs (pipeline/data/english_verbs.toml) serves all three.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def irregular() -> dict[str, list[str]]:
    """base → [past, past participle] for verbs that do not just add -ed (say → said)."""
    text = resources.files("pipeline.data").joinpath("english_verbs.toml").read_text("utf-8")
    return tomllib.loads(text)["irregular"]


def _double_final(word: str) -> bool:
    """stop → stopp-ed, plan → plann-ed: one short vowel before one final consonant."""
    return bool(re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", word))


def past(verb: str) -> str:
    """'announce' → 'announced', 'hold talks' → 'held talks' (the first word inflects)."""
    head, _, rest = verb.partition(" ")
    if head in irregular():
        head = irregular()[head][0]
    elif head.endswith("e"):
        head += "d"
    elif re.search(r"[^aeiou]y$", head):
        head = head[:-1] + "ied"
    elif _double_final(head):
        head += head[-1] + "ed"
    else:
        head += "ed"
    return f"{head} {rest}".strip()


def participle(verb: str) -> str:
    """'take' → 'taken', 'arrest' → 'arrested'."""
    head, _, rest = verb.partition(" ")
    if head in irregular():
        return f"{irregular()[head][1]} {rest}".strip()
    return past(verb)


def gerund(verb: str) -> str:
    """'make' → 'making', 'run' → 'running', 'die' → 'dying'."""
    head, _, rest = verb.partition(" ")
    if head == "be":
        head = "being"
    elif head.endswith("ie"):
        head = head[:-2] + "ying"
    elif head.endswith("e") and not head.endswith(("ee", "ye", "oe")) and len(head) > 2:
        head = head[:-1] + "ing"
    elif _double_final(head) or irregular().get(head, [""])[0] == head + head[-1] + "ed":
        head += head[-1] + "ing"  # commit → committing, as committed
    else:
        head += "ing"
    return f"{head} {rest}".strip()


@lru_cache(maxsize=1)
def past_forms() -> frozenset[str]:
    """said, told, held...: forms that are already past and must not be inflected again."""
    return frozenset(f for forms in irregular().values() for f in forms)


# noun ending → verb endings to try: withdrawal → withdraw, investigation → investigate,
# decision → decide, reduction → reduce, failure → fail, recovery → recover
_NOUN_TO_VERB = (("ication", ("y",)), ("ation", ("ate", "e", "")), ("ition", ("ite", "")),
                 ("ction", ("ct", "ce")), ("ssion", ("ss", "t")), ("sion", ("de", "d", "se")),
                 ("tion", ("te", "")), ("ment", ("",)), ("ial", ("y",)), ("al", ("", "e")),
                 ("ance", ("", "e")), ("ence", ("e", "")), ("ure", ("", "e")), ("ery", ("er",)),
                 ("th", ("",)), ("ing", ("", "e")))


def verb_from_noun(noun: str, verbs: frozenset[str] | set[str]) -> str | None:
    """The verb an English action noun comes from, if `verbs` knows it: 'withdrawal' →
    'withdraw', 'cancellation' → 'cancel', 'decision' → 'decide'; None otherwise."""
    if noun in verbs:
        return noun
    for ending, replacements in _NOUN_TO_VERB:
        if noun.endswith(ending):
            stem = noun[: -len(ending)]
            for tail in replacements:
                for candidate in (stem + tail, stem[:-1] + tail if stem[-1:] == stem[-2:-1] else ""):
                    if candidate and candidate in verbs:
                        return candidate
    return None
