"""Evaluation metrics: small pure functions that the suites compose.

Each one is deterministic and answers one question (how close is a summary to a reference,
which reference facts does it state, does it invent numbers or names, how good is a
clustering). CJK text is tokenised with word segmenters, never with tools that drop it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from math import comb
from typing import NamedTuple

from pipeline.claims import (  # noqa: F401 - the metric and the pipeline's check share them
    Faithfulness,
    _has,
    _norm,
    amounts,
    claims,
    faithfulness,
)
from pipeline.tokens import tokenize


class PRF(NamedTuple):
    """Precision, recall and their harmonic mean (0 when both are 0)."""

    precision: float
    recall: float
    f1: float


def _prf(p: float, r: float) -> PRF:
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


# --------------------------------------------------------------------------------- ROUGE


def _prf_dict(overlap: int, n_cand: int, n_ref: int) -> dict[str, float]:
    prf = _prf(overlap / n_cand if n_cand else 0.0, overlap / n_ref if n_ref else 0.0)
    return dict(zip(("precision", "recall", "f"), prf, strict=True))


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(zip(*(tokens[i:] for i in range(n))))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        prev_diag = 0
        for j, y in enumerate(b, 1):
            prev_diag, row[j] = row[j], prev_diag + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def rouge(candidate: str, reference: str, lang: str) -> dict[str, dict[str, float]]:
    """ROUGE-1/2/L (precision, recall, f) over `tokenize` tokens.

    Computed here, the way `rouge-score` computes them (clipped n-gram counts, LCS), because
    rouge-score's own tokenizer keeps only [a-z0-9] and so scores every CJK summary 0.
    """
    cand, ref = tokenize(candidate, lang), tokenize(reference, lang)
    out = {}
    for n in (1, 2):
        c, r = _ngrams(cand, n), _ngrams(ref, n)
        out[f"rouge{n}"] = _prf_dict(sum((c & r).values()), c.total(), r.total())
    out["rougeL"] = _prf_dict(_lcs(cand, ref), len(cand), len(ref))
    return out


# ------------------------------------------------------------------------ chrF and BLEU

# sacrebleu tokenizers. ja-mecab/ko-mecab need MeCab (sacrebleu[ja]/[ko]), not installed:
# character level keeps ja/ko scores comparable on every machine; "13a" would see a Japanese
# sentence as one token.
BLEU_TOKENIZERS = {"zh": "zh", "ja": "char", "ko": "char", "en": "13a"}


def _pair(hyps: Sequence[str], refs: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
    return list(hyps), [list(refs)]


def chrf(hyps: Sequence[str], refs: Sequence[str]) -> float:
    """Corpus chrF (sacrebleu defaults, 0-100): character n-grams need no CJK tokenizer."""
    from sacrebleu.metrics import CHRF

    return CHRF().corpus_score(*_pair(hyps, refs)).score


def bleu(hyps: Sequence[str], refs: Sequence[str], tgt_lang: str,
         tokenize: str | None = None) -> float:
    """Corpus BLEU (0-100) with the tokenizer of `BLEU_TOKENIZERS[tgt_lang]` unless given."""
    from sacrebleu.metrics import BLEU

    name = tokenize or BLEU_TOKENIZERS.get(tgt_lang, "13a")
    return BLEU(tokenize=name).corpus_score(*_pair(hyps, refs)).score


# ------------------------------------------------------------------------------ amounts

# --------------------------------------------------------------------------- fact recall


@dataclass
class Fact:
    """A reference fact. Each entity and keyword may list aliases separated by "|" (any
    language): "Project Vault|金库计划"; a number is written any way `amounts` reads."""

    id: str
    text: str
    numbers: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


@dataclass
class FactScore:
    recall: float
    found: list[str]  # fact ids, in the order given
    missed: list[str]
    where: dict[str, int] = field(default_factory=dict)  # fact id → first sentence index


def _stem(word: str) -> str:
    """Light English suffix stripping: tariffs → tariff, reserves → reserv, prices → pric."""
    if not word.isascii():
        return word
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            return word[: -len(suffix)] + repl
    return word


def _keyword(alias: str, text: str) -> bool:
    """Each word of the alias matches consecutive words by stem: tariff ~ tariffs,
    mining ~ mining, policies ~ policy; stems of 4+ letters also match as prefixes."""
    words = _norm(alias).lower().split()
    if not words:
        return False
    if not all(w.isascii() for w in words):
        return _norm(alias).lower() in text.lower()
    stems = [_stem(w) for w in words]
    tokens = [_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())]

    def same(stem: str, token: str) -> bool:
        return token == stem or (len(stem) >= 4 and token.startswith(stem))

    n = len(stems)
    return any(all(same(stems[k], tokens[i + k]) for k in range(n))
               for i in range(len(tokens) - n + 1))


def fact_stated(fact: Fact, text: str) -> bool:
    """All numbers (by value; one `amounts` cannot read, such as "hundreds of billions", as
    text), one entity (any alias) and half the keywords (rounded up)."""
    text = _norm(text)
    found = amounts(text)
    for number in fact.numbers:
        wanted = amounts(number)
        if not (wanted <= found if wanted else _norm(number).lower() in text.lower()):
            return False
    if fact.entities and not any(_has(_norm(a), text)
                                 for e in fact.entities for a in e.split("|")):
        return False
    hits = sum(any(_keyword(a, text) for a in k.split("|")) for k in fact.keywords)
    return 2 * hits >= len(fact.keywords)


def fact_recall(summary_sentences: Sequence[str], facts: Sequence[Fact]) -> FactScore:
    """Share of `facts` a summary states (see `fact_stated`).

    A fact may be stated in one sentence or across two adjacent ones (a name, then "it is
    worth $12 billion"), never pieced together from distant sentences.
    """
    if not facts:
        raise ValueError("no facts to recall")
    sents = list(summary_sentences)
    windows = list(enumerate(sents))
    windows += [(i, f"{a} {b}") for i, (a, b) in enumerate(pairwise(sents))]
    where = {}
    for fact in facts:
        hit = next((i for i, text in windows if fact_stated(fact, text)), None)
        if hit is not None:
            where[fact.id] = hit
    found = [f.id for f in facts if f.id in where]
    missed = [f.id for f in facts if f.id not in where]
    return FactScore(len(found) / len(facts), found, missed, where)


# ---------------------------------------------------------------- sets, labels, clusters


def precision_recall(pred: Iterable[Hashable], gold: Iterable[Hashable]) -> PRF:
    """Set precision/recall/F1 (boilerplate segments, ...). Empty pred → precision 1.0 and
    empty gold → recall 1.0: nothing claimed wrongly, nothing missed."""
    p, g = set(pred), set(gold)
    hit = len(p & g)
    return _prf(hit / len(p) if p else 1.0, hit / len(g) if g else 1.0)


def pair_precision_recall(pred_pairs: Iterable[Iterable[Hashable]],
                          gold_pairs: Iterable[Iterable[Hashable]]) -> PRF:
    """Duplicate pairs, unordered: (a, b) and (b, a) are one pair."""
    return precision_recall({frozenset(p) for p in pred_pairs}, {frozenset(p) for p in gold_pairs})


def accuracy(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> float:
    """Share of gold items labelled as in gold (language per segment); a missing one is
    wrong. That is the recall of the (item, label) set."""
    return precision_recall(pred.items(), gold.items()).recall


def _check_items(pred: Mapping, gold: Mapping) -> None:
    if not gold or pred.keys() != gold.keys():
        raise ValueError("pred and gold must assign the same, non-empty set of items")


def bcubed(pred: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """B-cubed (Bagga & Baldwin): per item, the share of its predicted cluster that is in its
    gold cluster (precision) and the reverse (recall), averaged over items."""
    _check_items(pred, gold)
    members: dict[tuple[int, Hashable], set[Hashable]] = {}
    for side, assign in enumerate((pred, gold)):
        for item, label in assign.items():
            members.setdefault((side, label), set()).add(item)
    p = r = 0.0
    for item in gold:
        mine, true = members[(0, pred[item])], members[(1, gold[item])]
        both = len(mine & true)
        p += both / len(mine)
        r += both / len(true)
    return _prf(p / len(gold), r / len(gold))


def adjusted_rand_index(pred: Mapping[Hashable, Hashable],
                        gold: Mapping[Hashable, Hashable]) -> float:
    """Hubert & Arabie's ARI: pair agreement corrected for chance (0 ≈ random, 1 = same).

    (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E), E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2);
    1.0 when the denominator is 0 (both partitions all-singletons or one cluster).
    """
    _check_items(pred, gold)
    index = sum(comb(c, 2) for c in Counter((pred[i], gold[i]) for i in gold).values())
    a = sum(comb(c, 2) for c in Counter(gold.values()).values())
    b = sum(comb(c, 2) for c in Counter(pred.values()).values())
    pairs = comb(len(gold), 2)
    expected = a * b / pairs if pairs else 0.0
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)
