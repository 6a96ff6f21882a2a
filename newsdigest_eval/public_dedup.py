"""Document dedup on a set built by script from the evaluation data: precision/recall per kind.

A news archive holds the same story many times: re-posted verbatim, padded with a site's
boilerplate, trimmed to fit, reprinted by another outlet under its own headline, restyled
(case, quotes, a number) and translated. The set is made of
- distinct ECB+ articles as bases, each with one variant; the kinds take turns: `exact`
  (the same text under a new id), `boilerplate` (cookie banner, newsletter sign-up, related
  list, copyright footer, share labels: every other one in lines the packaged rules know, the
  rest in invented lines they do not), `trimmed` (the headline and the first 50–80 % of the
  sentences), `reprint` (the same body under another headline and outlet, sometimes behind a
  wire dateline), `surface` and `number` (house styles: near copies);
- NTREX-128 articles, whose English version is the base and whose zh, zh-TW, ja and ko
  versions are `translation` variants.
Other articles about the same ECB+ event (same names, same facts, another text) and the
versions of other NTREX articles are the hard negatives. Everything is seeded
(random.Random(0)) and the documents are shuffled, so a run is reproducible and order-free.
"""

from __future__ import annotations

import itertools
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsdigest_eval.base import SuiteResult
from newsdigest_eval.evaldata import ntrex_documents
from newsdigest_eval.metrics import pair_precision_recall
from newsdigest_eval.public_data import (
    Progress,
    duplicate_pairs,
    embed_all,
    evaldata_folder,
    process_all,
    read_ecbplus,
    same_label_pairs,
)
from pipeline.config import Config
from pipeline.dedup import shingles
from pipeline.model import Document

ECB_KINDS = ("exact", "boilerplate", "trimmed", "reprint", "surface", "number")
KINDS = (*ECB_KINDS, "translation")
# what `duplicate_kind` a pipeline that understood each variant would say
EXPECTED_LABELS = {"exact": "exact", "boilerplate": "exact, near or partial",
                   "trimmed": "partial", "reprint": "reprint",
                   "surface": "exact or near",  # normalisation folds case, quotes and spacing
                   "number": "near", "translation": "translation"}
NTREX_LANGS = ("en", "zh", "zh-TW", "ja", "ko")  # en is the base, the others translate it
NTREX_SENTENCES = 10**6  # full articles
MIN_NTREX_ARTICLES = 4
SEED = 0
# ECB+ holds wire copies and updated stories that quote an earlier one: a base overlapping an
# earlier pick this much (Jaccard, or the share of the smaller one inside the other) is skipped
DISTINCT_JACCARD = 0.3
DISTINCT_CONTAINMENT = 0.5
HEADLINE_CHARS = 100  # a longer first line is a sentence of the body, not a headline
MIN_SENTENCES_TO_TRIM = 4  # a trimmed copy keeps at least two sentences and cuts one
TRIM_SHARE = (0.5, 0.8)
DATE_LABEL_WORDS = 6  # a line with a date and fewer words is a dateline or label, not prose

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# a free-standing number: not part of a time (4:59), an age (33-year-old), a percentage or a price
_NUMBER = re.compile(
    r"(?<![\w.,:/$-])(\d{1,3}(?:,\d{3})+|\d+\.\d+|\d{5,}|\d{1,2})(?![\w:%/-]|[.,]\d)")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December")
_DATE = re.compile(rf"\b({_MONTHS}) (\d{{1,2}}), (\d{{4}})\b")
_WORD = re.compile(r"[A-Za-z]{2,}")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# a date or time label (`First Published: June 13, 2013 4:59 PM`, `14 / 09 / 2013`, `MON 22 JUL`)
_DATE_LABEL = re.compile(
    rf"(?i)\b({_MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?\s*\d|"
    rf"\d\s*\b({_MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b|"
    r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}|\d{1,2}:\d\d\s*[ap]\.?m\b")
_FUNCTION_WORDS = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "into",
                            "of", "on", "or", "that", "the", "to", "was", "were", "who", "with"))
_SENTENCE_END = tuple(".!?\"”’")

# ------------------------------------------------------------------ invented outlets and lines
# Every name and line below was made up for this set: no outlet's or site's real text.

OUTLETS = ("Lakeside Ledger", "Ridgeline Courier", "Pinecrest Daily", "Harborview Post",
           "Coastal Evening Star", "Granite Valley Times", "Northfield Chronicle",
           "Meadowbrook Gazette")
WIRES = ("Meridian Wire", "Allied Newsdesk", "Continental Press Service", "Transit Press",
         "Compass News Agency")
CITIES = ("WASHINGTON", "NEW YORK", "LOS ANGELES", "LONDON", "CHICAGO", "SYDNEY")
KICKERS = ("UPDATE 1-", "UPDATE 2-", "CORRECTED-", "WRAPUP-")
RELATED_HEADLINES = (
    "City council votes to extend library opening hours",
    "Rowing club takes regional title for third year",
    "Weather office warns of heavy rain over the weekend",
    "New ferry route to start in the spring",
    "School board delays decision on bus contracts",
    "Museum reopens after two-year renovation",
    "Farmers market moves to the old rail yard",
    "Hospital adds twenty beds to its emergency ward",
    "Marathon organisers announce a new course",
    "Bridge repairs to close two lanes for a month",
    "Volunteers plant four hundred trees along the river",
    "Bus fares to rise in January, transit board says",
)

# lines the packaged rules (pipeline/data/boilerplate.toml) catch, block by block; a related
# header opens a section, so the invented headlines under it are caught as well
KNOWN: dict[str, tuple[tuple[str, ...], ...]] = {
    "cookie": (
        ("We use cookies to personalise content and to analyse our traffic.",
         "Accept all cookies", "Manage cookies"),
        ("This website uses cookies to improve your experience.",
         "Read our privacy policy to learn how your data is used.", "Accept", "Reject"),
    ),
    "newsletter": (("Subscribe", "Download the app"), ("Subscribe", "Open in app")),
    "related": (("Related articles",), ("Related stories",), ("More on this story",),
                ("You may also like",), ("Trending now",)),
    "copyright": (("© {year} {outlet}. All rights reserved.",),
                  ("Copyright {year} {outlet}.",
                   "This material may not be published, broadcast or redistributed.")),
    "share": (("Share", "Listen"), ("Share",), ("Play", "Share")),
}
# plausible lines the rules do not know
UNKNOWN: dict[str, tuple[tuple[str, ...], ...]] = {
    "cookie": (
        ("This page keeps small files on your device to remember your settings.",
         "You can change your choice at any time in the settings menu.",
         "Continue", "Only necessary"),
        ("We and our partners keep track of how you read so the pages load faster for you.",
         "Fine by me", "Let me choose"),
    ),
    "newsletter": (
        ("Get our morning briefing delivered to your inbox every weekday.",
         "Enter your email address", "Sign me up", "No spam. Unsubscribe whenever you like."),
        ("Never miss a story: the evening digest lands at six o'clock.",
         "Your email", "Join now"),
    ),
    "related": (("More from the newsroom",), ("Elsewhere on the site",),
                ("What others are reading",), ("Readers also viewed",)),
    "copyright": (
        ("Reproduction in any form requires the written consent of the publisher.",),
        ("{outlet}, {year}. Licensed to subscribers for personal use only.",),
    ),
    "share": (("Tweet", "Email", "Print"), ("Copy link", "Send by email"),
              ("Post", "Print this page")),
}
BLOCKS = ("cookie", "newsletter", "related", "copyright", "share")
FOOT_ORDER = ("share", "related", "newsletter", "copyright", "cookie")


def _words(value: int) -> str:
    """0–99 in words, as house styles spell them: 3 → three, 33 → thirty-three."""
    if value < 20:
        return _ONES[value]
    tens, ones = divmod(value, 10)
    return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")


def _reformat_number(token: str) -> str:
    """`20,000` → `20000`, `12345` → `12,345`, `2.6` → `2.60`, `33` → `thirty-three`,
    `May 2, 2013` → `2 May 2013`: the same value in another house style."""
    date = _DATE.fullmatch(token)
    if date:
        return f"{date[2]} {date[1]} {date[3]}"
    if "," in token:
        return token.replace(",", "")
    if "." in token:
        return token + "0"
    if len(token) >= 5:
        return f"{int(token):,}"
    return _words(int(token))


# ------------------------------------------------------------------ variants
# Each takes the base's lines and a seeded rng and returns the variant's lines, its outlet
# and a few words on what was done, or None where the kind does not apply to this base.

Made = tuple[list[str], str, str]


def _headline_index(lines: list[str]) -> int | None:
    """The headline: the first short line of three words that is not a date label, before
    the first sentence-long line (ECB+ pages open with dates and labels as well); None when
    the page starts with its body."""
    for i, line in enumerate(lines[:-1]):
        if len(line) >= HEADLINE_CHARS:
            return None
        if len(_WORD.findall(line)) >= 3 and not _DATE_LABEL.search(line):
            return i
    return None


def _split(lines: list[str]) -> tuple[list[str], list[str]]:
    """(header lines up to and including the headline, the rest)."""
    h = _headline_index(lines)
    return (lines[: h + 1], lines[h + 1 :]) if h is not None else ([], list(lines))


def _lead(body: list[str]) -> int:
    """The first real sentence of the body (not a date or an `Updated ...` label)."""
    return next((i for i, line in enumerate(body)
                 if len(line) >= HEADLINE_CHARS // 2 and line.endswith(_SENTENCE_END)),
                max(range(len(body)), key=lambda i: len(body[i])))


def _exact(lines: list[str], outlet: str, _rng: random.Random) -> Made:
    return list(lines), outlet, "identical text"


def _surface(lines: list[str], outlet: str, rng: random.Random) -> Made:
    """House style: headline case, curly quotes, doubled spaces, a lost full stop."""
    out = list(lines)
    out[0] = out[0].upper() if rng.random() < 0.5 else out[0].lower()
    for i in range(1, len(out)):
        line = out[i].replace('"', "\u201c", 1).replace('"', "\u201d", 1)
        if rng.random() < 0.3:
            line = line.replace(" ", "  ", 3)
        if rng.random() < 0.2 and line.endswith("."):
            line = line[:-1]
        out[i] = line
    return out, outlet, "case, quotes, spacing"


def _number(lines: list[str], rng: random.Random) -> list[str] | None:
    """One number or date restyled (never in the headline nor in a date label such as
    `22 Jul 2013`, which no house style spells out); None when there is none."""
    spots = []
    for i, line in enumerate(lines[1:], 1):
        if _DATE_LABEL.search(line) and len(_WORD.findall(line)) < DATE_LABEL_WORDS:
            continue
        dates = list(_DATE.finditer(line))
        spots += [(i, m) for m in dates]
        spots += [(i, m) for m in _NUMBER.finditer(line)
                  if not any(d.start() <= m.start() < d.end() for d in dates)]
    if not spots:
        return None
    i, m = rng.choice(spots)
    out = list(lines)
    styled = _reformat_number(m.group())
    if m.start() == 0:  # a sentence starts with a capital, in words too
        styled = styled[:1].upper() + styled[1:]
    out[i] = out[i][: m.start()] + styled + out[i][m.end() :]
    return out


def _number_variant(lines: list[str], outlet: str, rng: random.Random) -> Made | None:
    out = _number(lines, rng)
    if out is None:
        return None
    changed = next(new for old, new in zip(lines, out) if old != new)
    return out, outlet, f"restyled in: {changed[:60]}"


def _trimmed(lines: list[str], outlet: str, rng: random.Random) -> Made | None:
    """The headline and the first 50–80 % of the sentences (at least one cut)."""
    head, body = _split(lines)
    if len(body) < MIN_SENTENCES_TO_TRIM:
        return None
    keep = min(len(body) - 1, max(2, round(len(body) * rng.uniform(*TRIM_SHARE))))
    return head + body[:keep], outlet, f"kept {keep}/{len(body)} sentences"


def _lead_headline(sentence: str, rng: random.Random) -> str:
    words = sentence.split()[: rng.randint(6, 10)]
    while len(words) > 3 and words[-1].lower().strip(",;:") in _FUNCTION_WORDS:
        words.pop()
    words = [w[:1].upper() + w[1:] if w[:1].islower() else w for w in words]
    return " ".join(words).rstrip(",;:.-")


def _reprint(lines: list[str], outlet: str, rng: random.Random) -> Made:
    """Same body under another headline and outlet, sometimes behind a wire dateline."""
    wire = rng.choice([w for w in WIRES if w != outlet])
    head, body = _split(lines)
    lead = _lead(body)
    style = rng.choice(("lead", "kicker", "suffix")) if head else "lead"
    if style == "kicker":
        headline = rng.choice(KICKERS) + head[-1]
    elif style == "suffix":
        headline = f"{head[-1]} | {wire}"
    else:
        headline = _lead_headline(body[lead], rng)
    detail = f"{style} headline, outlet {wire}"
    if rng.random() < 0.5:
        body[lead] = f"{rng.choice(CITIES)} ({wire}) - {body[lead]}"
        detail += ", dateline"
    return [*head[:-1], headline, *body], wire, detail


def _fill(block: tuple[str, ...], outlet: str, year: str,
          rng: random.Random) -> list[str]:
    lines = [line.format(outlet=outlet, year=year) for line in block]
    if len(block) == 1 and block[0] in {b[0] for b in KNOWN["related"] + UNKNOWN["related"]}:
        lines += rng.sample(RELATED_HEADLINES, rng.randint(2, 4))
    return lines


def _boilerplate(lines: list[str], outlet: str, rng: random.Random,
                 known: bool) -> Made:
    """The article padded with two to four blocks of site furniture, where sites put them:
    a cookie banner on top or at the foot, share labels under the headline or at the foot,
    a newsletter box mid-article or at the foot, related links and the copyright at the foot."""
    pool = KNOWN if known else UNKNOWN
    names = sorted(rng.sample(BLOCKS, rng.randint(2, 4)), key=BLOCKS.index)
    year = (_YEAR.findall(" ".join(lines)) or ["2013"])[0]
    top: list[str] = []
    after_head: list[str] = []
    middle: list[str] = []
    foot: dict[str, list[str]] = {}
    for name in names:
        block = _fill(rng.choice(pool[name]), outlet, year, rng)
        if name == "cookie" and rng.random() < 0.5:
            top += block
        elif name == "share" and rng.random() < 0.5:
            after_head += block
        elif name == "newsletter" and len(lines) > 3 and rng.random() < 0.5:
            middle += block
        else:
            foot[name] = block
    bottom = [line for name in FOOT_ORDER for line in foot.get(name, [])]
    head, body = _split(lines)
    half = max(1, len(body) // 2)
    out = top + head + after_head + body[:half] + middle + body[half:] + bottom
    where = "known" if known else "unknown"
    return out, outlet, f"{where} lines: {', '.join(names)}"


VARIANTS: dict[str, Callable[[list[str], str, random.Random], Made | None]] = {
    "exact": _exact,
    "trimmed": _trimmed,
    "reprint": _reprint,
    "surface": _surface,
    "number": _number_variant,
}


# ------------------------------------------------------------------ the set


@dataclass
class DedupSet:
    """The documents (shuffled) and, per variant id, its kind, its base and what was done."""

    docs: list[Document]
    variants: dict[str, tuple[str, str]]
    details: dict[str, str] = field(default_factory=dict)
    skipped: int = 0  # ECB+ articles not used as bases: copies of an earlier pick
    ntrex_articles: int = 0


def _bases(records: list[dict[str, Any]], wanted: int) -> tuple[list[dict[str, Any]], int]:
    """The first `wanted` articles that are not copies of an earlier pick; also the skip count."""
    picked: list[tuple[dict[str, Any], set[str]]] = []
    skipped = 0
    for record in records:
        if len(picked) == wanted:
            break
        grams = shingles(" ".join(record["text"].split("\n")[1:]))
        if any(len(grams & g) / max(1, len(grams | g)) >= DISTINCT_JACCARD
               or len(grams & g) / max(1, min(len(grams), len(g))) >= DISTINCT_CONTAINMENT
               for _, g in picked):
            skipped += 1
            continue
        picked.append((record, grams))
    return [r for r, _ in picked], skipped


def ntrex_article_count(limit: int | None) -> int:
    return 10**6 if limit is None else max(MIN_NTREX_ARTICLES, limit // 10)


def build_set(limit: int | None) -> DedupSet:
    """`limit` ECB+ documents (half bases, half variants; all articles when None) plus
    `limit // 10` NTREX articles (at least four; all when None) in five versions each."""
    rng = random.Random(SEED)
    wanted = max(2, (limit or 2 * 982) // 2)
    bases, skipped = _bases(read_ecbplus(None), wanted)
    out = DedupSet(docs=[], variants={}, skipped=skipped)
    owed: list[str] = []  # kinds whose turn came on a base they do not apply to
    padded = 0  # boilerplate variants so far: even ones in known lines, odd ones in unknown
    for index, record in enumerate(bases):
        lines = [line.strip() for line in record["text"].split("\n") if line.strip()]
        outlet = rng.choice(OUTLETS)
        owed.append(ECB_KINDS[index % len(ECB_KINDS)])
        made: Made | None = None
        for kind in owed:
            if kind == "boilerplate":
                made = _boilerplate(lines, outlet, rng, known=padded % 2 == 0)
                padded += 1
            else:
                made = VARIANTS[kind](lines, outlet, rng)
            if made is not None:
                owed.remove(kind)
                break
        if made is None:  # nothing owed applies to this base: a house style always does
            kind, made = "surface", _surface(lines, outlet, rng)
        base_id = record["id"]
        out.docs.append(Document(id=base_id, text="\n".join(lines),
                                 source=f"ecbplus:{base_id}", outlet=outlet))
        variant_lines, variant_outlet, detail = made
        variant_id = f"{base_id}~{kind}"
        out.docs.append(Document(id=variant_id, text="\n".join(variant_lines),
                                 source="synthetic", outlet=variant_outlet))
        out.variants[variant_id] = (kind, base_id)
        out.details[variant_id] = detail
    folder = evaldata_folder("ntrex128")
    versions = ntrex_documents(ntrex_article_count(limit), NTREX_SENTENCES, langs=NTREX_LANGS,
                               folder=folder)
    for doc in versions:
        article, lang = doc.id.rsplit(".", 1)
        doc.source = f"ntrex128:{doc.id}"
        out.docs.append(doc)
        if lang != "en":
            out.variants[doc.id] = ("translation", f"{article}.en")
            out.details[doc.id] = f"NTREX-128 {lang} version"
    out.ntrex_articles = len(versions) // len(NTREX_LANGS)
    rng.shuffle(out.docs)
    return out


def build_dedup_set(limit: int | None) -> tuple[list[Document], dict[str, tuple[str, str]], int]:
    """Documents (shuffled), variant id → (kind, original id), and how many ECB+ articles
    were skipped as bases (see `build_set`)."""
    built = build_set(limit)
    return built.docs, built.variants, built.skipped


# ------------------------------------------------------------------ scoring


def _group(doc_id: str, variants: dict[str, tuple[str, str]]) -> str:
    """The gold copy group: a base and its variants (an NTREX article's five versions)."""
    return variants[doc_id][1] if doc_id in variants else doc_id


def _label(variant: Document, base: Document, found: bool) -> str:
    """What the pipeline called the pair: the mark on whichever side points into it."""
    if not found:
        return f"missed ({variant.duplicate_kind} of other)" if variant.duplicate_kind \
            else "missed"
    if variant.duplicate_of is not None:
        return variant.duplicate_kind or "?"
    return f"{base.duplicate_kind} (base marked)" if base.duplicate_of else "chain"


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _kind_figures(kind: str, variants: dict[str, tuple[str, str]],
                  predicted: set[tuple[str, str]], gold: set[tuple[str, str]],
                  partners: dict[str, set[str]]) -> dict[str, float]:
    mine = [v for v, (k, _) in variants.items() if k == kind]
    if not mine:
        return {}
    recall = sum(tuple(sorted((v, variants[v][1]))) in predicted for v in mine) / len(mine)
    claimed = [tuple(sorted((v, o))) for v in mine for o in partners.get(v, ())]
    precision = sum(p in gold for p in claimed) / len(claimed) if claimed else 1.0
    return {f"dedup.{kind}.precision": precision, f"dedup.{kind}.recall": recall,
            f"dedup.{kind}.f1": _f1(precision, recall)}


def dedup_suite(limit: int | None, progress: Progress = None,
                config: Config | None = None) -> SuiteResult:
    """Precision/recall per kind of the whole duplicate stage (`find_duplicates`: copies,
    then embeddings, then translations) on `build_set(limit)`."""
    from pipeline.backends import build_embedder
    from pipeline.run import find_duplicates

    start = time.perf_counter()
    config = config or Config()
    result = SuiteResult(name="dedup")
    built = build_set(limit)
    subtopic = {r["id"]: r["subtopic"] for r in read_ecbplus(None)}
    docs, problems = process_all(built.docs, config, progress, "dedup: reading")
    embedder = build_embedder(config)
    find_duplicates(docs, config, lambda batch: embed_all(
        batch, embedder, progress, "dedup: embedding", config.embed_chars), embedder.embed)
    kept = {d.id for d in docs}
    by_id = {d.id: d for d in docs}
    variants = {v: (k, b) for v, (k, b) in built.variants.items() if v in kept and b in kept}
    predicted = duplicate_pairs(docs)
    gold = same_label_pairs({d: _group(d, variants) for d in kept})
    partners: dict[str, set[str]] = {}
    for a, b in predicted:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)

    overall = pair_precision_recall(predicted, gold)
    figures = {"dedup.pair_precision": overall.precision, "dedup.pair_recall": overall.recall,
               "dedup.pair_f1": overall.f1}
    for kind in KINDS:
        figures.update(_kind_figures(kind, variants, predicted, gold, partners))

    confusion: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    for v, (kind, b) in variants.items():
        found = tuple(sorted((v, b))) in predicted
        confusion[kind][_label(by_id[v], by_id[b], found)] += 1
        result.rows.append({"variant": v, "kind": kind, "original": b, "found": found,
                            "duplicate_of": by_id[v].duplicate_of,
                            "duplicate_kind": by_id[v].duplicate_kind,
                            "detail": built.details[v]})

    ecb_bases = sorted(d for d in kept if d not in variants and d in subtopic)
    same_event = [(a, b) for a, b in itertools.combinations(ecb_bases, 2)
                  if subtopic[a] == subtopic[b]]
    merged_events = [p for p in same_event if p in predicted]
    if same_event:
        figures["dedup.ecbplus.same_event.kept_apart_share"] = \
            1 - len(merged_events) / len(same_event)
    ntrex = sorted(d for d in kept if d.startswith(tuple(
        f"{b.rsplit('.', 1)[0]}." for v, (k, b) in variants.items() if k == "translation")))
    other_article = [(a, b) for a, b in itertools.combinations(ntrex, 2)
                     if a.rsplit(".", 1)[0] != b.rsplit(".", 1)[0]]
    merged_ntrex = [p for p in other_article if p in predicted]
    if other_article:
        figures["dedup.ntrex.other_article.kept_apart_share"] = \
            1 - len(merged_ntrex) / len(other_article)
    result.figures = {k: round(float(v), 4) for k, v in figures.items()}

    counts = Counter(k for k, _ in variants.values())
    padding = Counter(built.details[v].split()[0] for v, (k, _) in variants.items()
                      if k == "boilerplate")
    result.notes += problems + [
        (f"{len(docs)} documents: {len(ecb_bases)} distinct ECB+ articles (file order) plus one "
         f"variant each, and {built.ntrex_articles} NTREX-128 articles in "
         f"{', '.join(NTREX_LANGS)} (full text; en is the base); variants: "
         f"{', '.join(f'{counts[k]} {k}' for k in KINDS)}; the kinds take turns over the "
         "ECB+ bases, a kind that does not apply to a base (trimmed: fewer than "
         f"{MIN_SENTENCES_TO_TRIM} sentences; number: none) passes to the next one"),
        (f"boilerplate variants: {padding['known']} padded with lines the packaged rules know, "
         f"{padding['unknown']} with invented lines they do not know; trimmed keeps "
         f"{TRIM_SHARE[0]:.0%}–{TRIM_SHARE[1]:.0%} of the sentences; reprints take an invented "
         "outlet and headline (lead, kicker or outlet suffix), half of them a wire dateline"),
        (f"{built.skipped} ECB+ articles skipped as bases because they overlap an earlier pick "
         f"(shingle Jaccard ≥ {DISTINCT_JACCARD} or containment ≥ {DISTINCT_CONTAINMENT}: the "
         "corpus holds wire copies and updates that quote an earlier story)"),
        (f"negatives: {len(same_event)} same-event pairs of distinct ECB+ articles "
         f"({len(merged_events)} merged: {', '.join('~'.join(p) for p in merged_events[:5])}"
         f"), {len(other_article)} pairs of versions of different NTREX articles "
         f"({len(merged_ntrex)} merged: {', '.join('~'.join(p) for p in merged_ntrex[:5])})"),
        ("recall per kind: the (variant, base) pairs of that kind found in the closure of the "
         "duplicate marks; precision per kind: of the predicted pairs touching a variant of "
         "that kind, the share inside its gold group (base and variants; an NTREX article's "
         "five versions); pair_* over all pairs, bases included"),
        *(f"confusion {kind} (expected {EXPECTED_LABELS[kind]}): "
          + ", ".join(f"{n} {label}" for label, n in confusion[kind].most_common())
          for kind in KINDS if confusion[kind]),
        (f"seeded random.Random({SEED}), documents shuffled; thresholds: near_duplicate_jaccard "
         f"{config.near_duplicate_jaccard}, partial_containment {config.partial_containment}, "
         f"translation_cosine {config.translation_cosine}, embedder {config.embedder}"),
    ]
    bodiless = sorted(b for b in ecb_bases
                      if not any(seg.role == "body" for _, seg in by_id[b].content_segments))
    if bodiless:
        result.notes.append(
            f"{len(bodiless)} base article(s) have no body sentence after cleaning "
            f"({', '.join(bodiless[:5])}): copies are compared on the title alone")
    result.seconds = round(time.perf_counter() - start, 2)
    return result
