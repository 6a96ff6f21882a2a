"""The same-event score: log-odds that two documents report one event, fitted on pairs.

Evidence for a pair (a, b), each part a sum of dot products so that a cluster's mean score
against another comes from its sums (average linkage, `linkage.average_linkage`):
- embedding cosine after each language's mean is subtracted, weighted per language pair
  (en-en, en-zh, ..., ko-ko): cosines of independent reports across languages sit lower than
  within one, and one threshold for all splits events along language lines;
- a bias per language pair;
- TF-IDF cosine of terms (words, character pairs: mostly within a language);
- cross-script names (`pipeline.names`: glossary ids, Han, hangul readings, romanised
  skeletons), TF-IDF weighted, and whether both documents name anyone at all: two reports
  that name people and places but share none weigh against a merge;
- number values (`dedup.facts.number_values`: 1.2 million = 120万 = 120만), the same way;
- days apart (capped at a week); a pair with one undated document has no time evidence,
  a pair of two undated ones has its own weight.
The weights are fitted by logistic regression (`python -m newsdigest_eval.calibrate_linking
--write`) and shipped in `pipeline/data/linking.toml`.
"""

from __future__ import annotations

import itertools
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse

from pipeline.cluster.linkage import row_products

LANGS = ("en", "zh", "ja", "ko", "und")
LANG_PAIRS = tuple(itertools.combinations_with_replacement(LANGS[:4], 2))
DAY_CAP = 7
UNDATED = -1
# "undated": both documents undated. Not "either": every ECB+ article is undated, so that
# weight was the English set's base rate, and it kept every undated page out of its event
SCALAR_FEATURES = ("lex", "names", "names_both", "numbers", "numbers_both", "days", "undated")
FEATURES = (tuple(f"emb:{a}-{b}" for a, b in LANG_PAIRS)
            + tuple(f"bias:{a}-{b}" for a, b in LANG_PAIRS) + SCALAR_FEATURES)


def lang_index(lang: str) -> int:
    return LANGS.index(lang) if lang in LANGS else len(LANGS) - 1


@dataclass
class Profile:
    """A document, or an event as the sums of its documents."""

    lang_vectors: np.ndarray  # (len(LANGS), d): centred vectors summed by language
    lang_counts: np.ndarray  # (len(LANGS),)
    terms: sparse.csr_matrix  # (1, H) TF-IDF rows summed
    names: sparse.csr_matrix
    numbers: sparse.csr_matrix
    has_names: float
    has_numbers: float
    days: Counter[int] = field(default_factory=Counter)  # date ordinal (UNDATED) -> documents
    own: float = 0.0  # Σ of each document's score with itself (what cohesion leaves out)
    # names and figures specific enough to place an undated page (`specific_keys`), summed
    specific: sparse.csr_matrix | None = None

    @property
    def size(self) -> float:
        return float(self.lang_counts.sum())

    def add(self, other: Profile) -> None:
        """Add `other` in: every field is rebound to a new sum, never changed in place, so a
        profile copied with `dataclasses.replace` can be added to without touching its
        source."""
        self.lang_vectors = self.lang_vectors + other.lang_vectors
        self.lang_counts = self.lang_counts + other.lang_counts
        self.terms = self.terms + other.terms
        self.names = self.names + other.names
        self.numbers = self.numbers + other.numbers
        self.has_names += other.has_names
        self.has_numbers += other.has_numbers
        if other.specific is not None:
            self.specific = other.specific if self.specific is None \
                else self.specific + other.specific
        self.days = self.days + other.days
        self.own += other.own


def specific_keys(keys: Counter[str] | dict[str, int]) -> list[str]:
    """The link keys that can place an undated page in an event: names other than
    countries (`g:gpe:`), figures other than small ones and years (3.4% and 2024 are in half
    the news; 7.62 million births or 6,186 are not)."""
    out = []
    for key in keys:
        if key.startswith("v:"):
            value = float(key[2:])
            small = abs(value) < 100 and len(key[2:].replace(".", "").lstrip("0")) < 3
            if small or (value.is_integer() and 1900 <= value <= 2100):
                continue
        elif key.startswith("g:gpe:"):
            continue
        out.append(key)
    return out


def single_profile(vector: np.ndarray, lang: str, terms: sparse.csr_matrix,
                   names: sparse.csr_matrix, numbers: sparse.csr_matrix,
                   ordinal: int, specific: sparse.csr_matrix) -> Profile:
    vectors = np.zeros((len(LANGS), len(vector)))
    counts = np.zeros(len(LANGS))
    vectors[lang_index(lang)] = vector
    counts[lang_index(lang)] = 1
    return Profile(vectors, counts, terms, names, numbers, float(names.nnz > 0),
                   float(numbers.nnz > 0), Counter({ordinal: 1}), specific=specific)


@dataclass(frozen=True)
class LinkModel:
    weights: dict[str, float]
    threshold: float  # on the mean score of two clusters' document pairs
    gap: float = 0.0  # the cohesion rule on this scale (`linkage.GapRule`); 0: off
    sure: float = float("inf")

    @property
    def rule(self):
        from pipeline.cluster.linkage import GapRule

        return GapRule(self.gap, self.sure)

    def language_matrix(self, prefix: str) -> np.ndarray:
        """A symmetric LANGS × LANGS matrix of per-pair weights (und pairs weigh 0)."""
        out = np.zeros((len(LANGS), len(LANGS)))
        for a, b in LANG_PAIRS:
            i, j = LANGS.index(a), LANGS.index(b)
            out[i, j] = out[j, i] = self.weights.get(f"{prefix}:{a}-{b}", 0.0)
        return out


@lru_cache(maxsize=1)
def default_model() -> LinkModel:
    data = tomllib.loads(resources.files("pipeline.data").joinpath("linking.toml")
                         .read_text("utf-8"))
    return LinkModel({k: float(v) for k, v in data["weights"].items()},
                     float(data["threshold"]), float(data.get("gap", 0.0)),
                     float(data.get("sure", float("inf"))))


def _stack(rows: list[sparse.csr_matrix]) -> sparse.csr_matrix:
    return sparse.vstack(rows, format="csr")


def _day_histograms(a: list[Profile], b: list[Profile]) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray, np.ndarray]:
    """(documents of each unit of a by day, the same of b, min(days apart, DAY_CAP) /
    DAY_CAP between two dated days, 1 between two undated ones) over the days either has."""
    keys = sorted({d for p in a + b for d in p.days})
    index = {d: n for n, d in enumerate(keys)}

    def histogram(units: list[Profile]) -> np.ndarray:
        h = np.zeros((len(units), len(keys)))
        for row, unit in enumerate(units):
            for day, count in unit.days.items():
                h[row, index[day]] = count
        return h

    dated = np.array([k != UNDATED for k in keys])
    ordinals = np.array(keys, dtype=np.float64)
    apart = np.minimum(np.abs(ordinals[:, None] - ordinals[None, :]), DAY_CAP) / DAY_CAP
    apart *= dated[:, None] & dated[None, :]
    both_undated = np.outer(~dated, ~dated).astype(np.float64)
    return histogram(a), histogram(b), apart, both_undated


def _day_blocks(a: list[Profile], b: list[Profile]) -> tuple[np.ndarray, np.ndarray]:
    """(Σ over dated document pairs of min(days apart, DAY_CAP) / DAY_CAP, pairs of two
    undated documents)."""
    ha, hb, apart, both_undated = _day_histograms(a, b)
    return ha @ apart @ hb.T, ha @ both_undated @ hb.T


def scalar_blocks(a: list[Profile], b: list[Profile]) -> dict[str, np.ndarray]:
    """The features other than the per-language ones, each an |a| × |b| matrix of sums."""
    days, undated = _day_blocks(a, b)
    out = {"days": days, "undated": undated}
    for name in ("terms", "names", "numbers"):
        left = _stack([getattr(p, name) for p in a])
        right = _stack([getattr(p, name) for p in b])
        out["lex" if name == "terms" else name] = (left @ right.T).toarray()
    for name in ("names", "numbers"):
        left = np.array([getattr(p, f"has_{name}") for p in a])
        right = np.array([getattr(p, f"has_{name}") for p in b])
        out[f"{name}_both"] = np.outer(left, right)
    return out


def feature_blocks(a: list[Profile], b: list[Profile]) -> dict[str, np.ndarray]:
    """Every feature as an |a| × |b| matrix (for fitting: one pair per cell of documents)."""
    out = scalar_blocks(a, b)
    va = np.stack([p.lang_vectors for p in a])
    vb = np.stack([p.lang_vectors for p in b])
    ca = np.stack([p.lang_counts for p in a])
    cb = np.stack([p.lang_counts for p in b])
    for x, y in LANG_PAIRS:
        i, j = LANGS.index(x), LANGS.index(y)
        emb = va[:, i] @ vb[:, j].T
        bias = np.outer(ca[:, i], cb[:, j])
        if i != j:
            emb = emb + va[:, j] @ vb[:, i].T
            bias = bias + np.outer(ca[:, j], cb[:, i])
        out[f"emb:{x}-{y}"], out[f"bias:{x}-{y}"] = emb, bias
    return out


def score_sums(a: list[Profile], b: list[Profile], model: LinkModel) -> np.ndarray:
    """Σ over document pairs of the same-event score, for every unit of `a` against every
    unit of `b` (the per-language parts as one product: Σ_LM W[L,M] a[L]·b[M])."""
    weights = model.weights
    out = sum(weights.get(name, 0.0) * block for name, block in scalar_blocks(a, b).items())
    emb_w, bias_w = model.language_matrix("emb"), model.language_matrix("bias")
    va = np.stack([p.lang_vectors for p in a])  # (|a|, L, d)
    vb = np.stack([p.lang_vectors for p in b])
    mixed = np.einsum("lm,ild->imd", emb_w, va)  # each unit's vectors seen from every language
    out = out + mixed.reshape(len(a), -1) @ vb.reshape(len(b), -1).T
    ca = np.stack([p.lang_counts for p in a])
    cb = np.stack([p.lang_counts for p in b])
    return out + ca @ bias_w @ cb.T


def self_scores(units: list[Profile], model: LinkModel) -> np.ndarray:
    """`score_sums` of each unit with itself (the diagonal of `score_sums(units, units)`,
    without the pairs between units)."""
    if not units:
        return np.zeros(0)
    weights = model.weights
    days, _, apart, both_undated = _day_histograms(units, [])
    out = (weights.get("days", 0.0) * np.einsum("ik,kl,il->i", days, apart, days)
           + weights.get("undated", 0.0) * np.einsum("ik,kl,il->i", days, both_undated, days))
    for name in ("terms", "names", "numbers"):
        squares = row_products(_stack([getattr(p, name) for p in units]))
        out = out + weights.get("lex" if name == "terms" else name, 0.0) * squares
        if name != "terms":
            has = np.array([getattr(p, f"has_{name}") for p in units])
            out = out + weights.get(f"{name}_both", 0.0) * has * has
    emb_w, bias_w = model.language_matrix("emb"), model.language_matrix("bias")
    vectors = np.stack([p.lang_vectors for p in units])
    out = out + np.einsum("lm,ild,imd->i", emb_w, vectors, vectors)
    counts = np.stack([p.lang_counts for p in units])
    return out + np.einsum("il,lm,im->i", counts, bias_w, counts)


def with_own_scores(profiles: list[Profile], model: LinkModel) -> list[Profile]:
    """Single documents' profiles with `own` set to their score with themselves."""
    for p, own in zip(profiles, self_scores(profiles, model), strict=True):
        p.own = float(own)
    return profiles
