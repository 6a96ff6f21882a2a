"""A seeded, dated, multilingual (en/zh/ja/ko) synthetic news archive of any size.

Built from the public evaluation data in `pipeline.paths.evaldata_dir()` (read in place, never
copied): ECB+ articles, NTREX-128 and FLORES-200 devtest articles in every language (their
language versions stay together as real translations), and WMT newstest sources cut into
pseudo-articles of 8–15 consecutive lines (a share of them with their English reference as a
translation). Each article is one sentence per line, its headline first.

When the real articles run out, new ones are mixed from same-language articles that sit
near each other in their corpus (so roughly on one topic): the headline of one, a few
consecutive body sentences from each of 3–5 others, never more than half of any one body,
so a mix is neither a copy nor a container of its donors. Every article has distinct text
and a distinct body (the copy layer hashes the body), so nothing is an accidental exact
duplicate.

Then duplicates are injected at fixed rates of the archive size: exact copies under a new id
(`EXACT_SHARE`), reprints (same body, another headline line and another outlet,
`REPRINT_SHARE`) and near copies (one body sentence dropped, `NEAR_SHARE`).

Dates: about `DOCS_PER_DAY` articles a day. Articles of one topic (ECB+ subtopic, one
translated article, a run of WMT chunks, a batch of mixes around one seed) get neighbouring
dates, and copies follow their original within a few days, so events and translations fall
inside the pipeline's date window as they would in a real feed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.model import Document
from pipeline.paths import evaldata_dir

DOCS_PER_DAY = 200
START_DATE = dt.date(2024, 1, 1)
EXACT_SHARE, REPRINT_SHARE, NEAR_SHARE = 0.10, 0.05, 0.05
TOPIC_SPREAD_DAYS = 2.0  # the members of one topic fall within about this many days
COPY_DELAY_DAYS = 2.0  # a copy appears up to this many days after its original
WMT_CHUNK = (8, 15)  # lines per WMT pseudo-article
WMT_TRANSLATED_SHARE = 0.2  # WMT chunks that also appear as their English reference
MIX_LANGS = {"en": 0.40, "zh": 0.25, "ja": 0.20, "ko": 0.15}
MIX_DONOR_WINDOW = 6  # donors come from this many articles either side of the seed
MIX_DONORS = (3, 5)
MIX_RUN = (2, 4)  # consecutive sentences taken from one donor
MIX_BODY = (6, 14)
MIXES_PER_TOPIC = 10  # mixes around one seed topic share dates in batches of this size
MIN_NEAR_BODY = 5  # a near copy drops one of at least this many body sentences
REQUIRED = ("ecbplus-event-clusters", "ntrex128", "flores200-devtest", "wmt-news")
OUTLETS = {
    "en": ["Harbour Herald", "Northern Ledger", "Daily Courier", "Metro Wire", "Valley Post",
           "Capital Observer", "Coastal Times", "Evening Dispatch", "Union Chronicle",
           "Morning Bulletin", "River City News", "Summit Gazette"],
    "zh": ["东方日报", "华南晨报", "京城新闻网", "新时代周刊", "海峡时报", "长江商报",
           "中原晚报", "天下财经", "星岛快讯", "北方都市报", "南风新闻", "环球时讯"],
    "ja": ["東都新聞", "日本経済タイムズ", "関西日報", "北海道ニュース", "朝陽新聞",
           "中部ジャーナル", "九州新報", "湾岸タイムス", "全国通信", "夕刊ウェブ",
           "山陽新聞デジタル", "港町ニュース"],
    "ko": ["한빛일보", "서울타임스", "동해신문", "미래경제", "중앙뉴스통신", "남도일보",
           "새아침신문", "한강저널", "부산데일리", "온누리뉴스", "대한경제신문", "푸른뉴스"],
}


@dataclass(frozen=True)
class Article:
    """One real or mixed article before it becomes a Document."""

    key: str  # where it came from, e.g. `ecb:1_1ecb`, `ntrex:bbc.381790.ja`, `mix:ko:12`
    lang: str  # en | zh | ja | ko (NTREX zh-TW is zh, in traditional script)
    lines: tuple[str, ...]  # headline first, then one sentence a line
    topic: str  # articles of one topic get neighbouring dates

    @property
    def body(self) -> tuple[str, ...]:
        return self.lines[1:] if len(self.lines) > 1 else self.lines


@dataclass
class Archive:
    documents: list[Document]
    origin: dict[str, str]  # document id -> ecb | ntrex | flores | wmt | mix | exact | reprint | near
    original: dict[str, str]  # injected copy id -> the id it copies
    lang: dict[str, str]  # document id -> the language it was made in
    injected: Counter = field(default_factory=Counter)  # kind -> how many were made
    days: int = 0

    def describe(self) -> str:
        made = Counter(self.origin.values())
        langs = Counter(self.lang.values())
        return (f"{len(self.documents)} documents over {self.days} day{'s' * (self.days != 1)}; "
                + ", ".join(f"{k} {v}" for k, v in sorted(made.items())) + "; "
                + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))


def missing_data(folder: Path | None = None) -> list[Path]:
    """The evaluation data folders the archive needs that are not there."""
    folder = evaldata_dir() if folder is None else folder
    return [folder / name for name in REQUIRED if not (folder / name).is_dir()]


def _clean_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def _unquote_ko(line: str) -> str:
    """FLORES ko keeps CSV quoting on some lines: `"a ""b"" c"` is `a "b" c`."""
    if len(line) > 1 and line.startswith('"') and line.endswith('"'):
        return line[1:-1].replace('""', '"')
    return line


def _ecbplus() -> list[list[Article]]:
    from newsdigest_eval.public_data import read_ecbplus

    return [[Article(f"ecb:{row['id']}", "en", _clean_lines(row["text"]),
                     f"ecb:{row['subtopic']}")]
            for row in read_ecbplus(None)]


def _ntrex() -> list[list[Article]]:
    from newsdigest_eval.evaldata import ntrex_documents

    langs = ("en", "zh", "zh-TW", "ja", "ko")
    units: dict[str, list[Article]] = {}
    for doc in ntrex_documents(10**6, 10**6, langs=langs):
        doc_id, lang = doc.id.rsplit(".", 1)
        lines = _clean_lines(doc.text)
        if lines:
            units.setdefault(doc_id, []).append(
                Article(f"ntrex:{doc.id}", "zh" if lang == "zh-TW" else lang, lines,
                        f"ntrex:{doc_id}"))
    return list(units.values())


def _flores(folder: Path) -> list[list[Article]]:
    rows = (folder / "metadata.tsv").read_text("utf-8").split("\n")[1:]
    urls = [row.split("\t", 1)[0] for row in rows if row.strip()]
    text = {lang: (folder / f"{lang}.txt").read_text("utf-8").split("\n")
            for lang in ("en", "zh", "ja", "ko")}
    spans: list[tuple[str, int, int]] = []
    for i, url in enumerate(urls):
        if spans and spans[-1][0] == url and spans[-1][2] == i:
            spans[-1] = (url, spans[-1][1], i + 1)
        else:
            spans.append((url, i, i + 1))
    units = []
    for n, (url, lo, hi) in enumerate(spans):
        unit = []
        for lang, lines in text.items():
            sents = [_unquote_ko(s) if lang == "ko" else s for s in lines[lo:hi]]
            body = tuple(s.strip() for s in sents if s.strip())
            if body:
                unit.append(Article(f"flores:{n}.{lang}", lang, body, f"flores:{url}"))
        units.append(unit)
    return units


def _wmt(folder: Path, rng: random.Random) -> list[list[Article]]:
    units = []
    for src in sorted(folder.glob("*.src")):
        name = src.name[: -len(".src")]  # newstest2020.ja-en
        lang = name.rsplit(".", 1)[1].split("-")[0]
        src_lines = src.read_text("utf-8").split("\n")
        ref_lines = src.with_suffix(".ref").read_text("utf-8").split("\n")
        start, chunk = 0, 0
        while start < len(src_lines):
            end = min(len(src_lines), start + rng.randint(*WMT_CHUNK))
            topic = f"wmt:{name}:{chunk // 3}"  # neighbouring chunks: often one story
            unit = [Article(f"wmt:{name}:{chunk}.{lang}", lang,
                            _clean_lines("\n".join(src_lines[start:end])), topic)]
            if rng.random() < WMT_TRANSLATED_SHARE:
                unit.append(Article(f"wmt:{name}:{chunk}.en", "en",
                                    _clean_lines("\n".join(ref_lines[start:end])), topic))
            units.append([a for a in unit if a.lines])
            start, chunk = end, chunk + 1
    return units


@cache
def real_units(seed: int = 0) -> tuple[tuple[Article, ...], ...]:
    """Every real article, as translation units (the language versions of one article)."""
    folder = evaldata_dir()
    units = (_ecbplus() + _ntrex() + _flores(folder / "flores200-devtest")
             + _wmt(folder / "wmt-news", random.Random(seed)))
    return tuple(tuple(u) for u in units if u)


class _Distinct:
    """Refuses an article whose text or body (what the copy layer hashes) was seen before."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def add(self, lines: tuple[str, ...], body: tuple[str, ...] | None = None) -> bool:
        """Record a new text (and body, unless None: a reprint keeps its original's body)."""
        keys = ["T" + "\n".join(lines)] + ([] if body is None else ["B" + "\n".join(body)])
        if any(k in self.seen for k in keys):
            return False
        self.seen.update(keys)
        return True


def _mix(rng: random.Random, pool: list[Article], n: int, lang: str) -> Article | None:
    """Headline of one article, runs of body sentences from a few others nearby."""
    seed = rng.randrange(len(pool))
    lo, hi = max(0, seed - MIX_DONOR_WINDOW), min(len(pool), seed + MIX_DONOR_WINDOW + 1)
    nearby = [i for i in range(lo, hi) if i != seed]
    donors = rng.sample(nearby, min(len(nearby), rng.randint(*MIX_DONORS)))
    want = rng.randint(*MIX_BODY)
    body: list[str] = []
    for d in donors:
        sents = pool[d].body
        run = min(rng.randint(*MIX_RUN), len(sents) // 2)  # never most of a donor
        start = rng.randrange(len(sents) - run + 1)
        body += sents[start : start + run]
        if len(body) >= want:
            break
    body = [s for s in dict.fromkeys(body) if s != pool[seed].lines[0]]
    if len(body) < 3:
        return None
    return Article(f"mix:{lang}:{n}", lang, (pool[seed].lines[0], *body), pool[seed].topic)


def build_archive(size: int, seed: int = 0, per_day: int = DOCS_PER_DAY) -> Archive:
    """`size` dated Documents (about `per_day` a day): real articles first, then mixes,
    then injected copies."""
    rng = random.Random(seed)
    n_exact, n_reprint, n_near = (round(size * s) for s in (EXACT_SHARE, REPRINT_SHARE,
                                                            NEAR_SHARE))
    n_base = size - n_exact - n_reprint - n_near
    distinct = _Distinct()
    base: list[Article] = []
    units = list(real_units(seed))
    rng.shuffle(units)
    translations = 0  # language versions beyond the first of one real article
    for unit in units:
        taken = 0
        for article in unit:
            if len(base) < n_base and distinct.add(article.lines, article.body):
                base.append(article)
                taken += 1
        translations += max(0, taken - 1)
        if len(base) >= n_base:
            break
    # donors: real articles with ≥ 2 body sentences, in corpus order (neighbours share topics)
    donors = {lang: [a for u in real_units(seed) for a in u
                     if a.lang == lang and len(a.lines) >= 3] for lang in MIX_LANGS}
    mix_topics: Counter[str] = Counter()
    langs, weights = list(MIX_LANGS), list(MIX_LANGS.values())
    while len(base) < n_base:
        lang = rng.choices(langs, weights)[0]
        article = _mix(rng, donors[lang], len(base), lang)
        if article is None or not distinct.add(article.lines, article.body):
            continue
        batch = mix_topics[article.topic] // MIXES_PER_TOPIC
        mix_topics[article.topic] += 1
        base.append(Article(article.key, lang, article.lines, f"mix:{article.topic}:{batch}"))

    # (article, outlet, kind, original index in `entries` or None)
    entries: list[tuple[Article, str, str, int | None]] = [
        (a, rng.choice(OUTLETS[a.lang]), a.key.split(":", 1)[0], None) for a in base]
    by_lang: dict[str, list[int]] = {}
    for i, (a, _, _, _) in enumerate(entries):
        by_lang.setdefault(a.lang, []).append(i)
    injected: Counter[str] = Counter()
    for _ in range(n_exact):
        i = rng.randrange(len(base))
        entries.append((base[i], entries[i][1], "exact", i))
        injected["exact"] += 1
    made = 0
    while made < n_reprint:
        i = rng.randrange(len(base))
        a, outlet = base[i], entries[i][1]
        other = base[rng.choice(by_lang[a.lang])].lines[0]
        lines = (other, *a.body)
        if other == a.lines[0] or len(a.lines) < 2 or not distinct.add(lines):
            continue
        new_outlet = rng.choice([o for o in OUTLETS[a.lang] if o != outlet])
        entries.append((Article(a.key, a.lang, lines, a.topic), new_outlet, "reprint", i))
        made += 1
    injected["reprint"] = made
    long_enough = [i for i, a in enumerate(base) if len(a.body) >= MIN_NEAR_BODY
                   and len(a.lines) > 1]
    made = 0
    while made < n_near and long_enough:
        i = rng.choice(long_enough)
        a = base[i]
        drop = 1 + rng.randrange(len(a.body))
        lines = a.lines[:drop] + a.lines[drop + 1 :]
        if not distinct.add(lines, lines[1:]):
            continue
        entries.append((Article(a.key, a.lang, lines, a.topic), entries[i][1], "near", i))
        made += 1
    injected["near"] = made
    injected["translation"] = translations  # at most: kept as real versions

    # dates: topics get a random place on the time line, members a little jitter around it,
    # copies a little delay after their original; then the order is cut into equal days
    days = max(1, round(size / per_day))
    spread = TOPIC_SPREAD_DAYS / days
    centre: dict[str, float] = {}
    keys: list[float] = []
    for a, _, _, orig in entries:
        if orig is None:
            c = centre.setdefault(a.topic, rng.random())
            keys.append(c + rng.random() * spread)
        else:
            keys.append(keys[orig] + rng.random() * COPY_DELAY_DAYS / days)
    order = sorted(range(len(entries)), key=lambda i: (keys[i], i))
    day_of = {i: rank * days // len(entries) for rank, i in enumerate(order)}

    ids = list(range(len(entries)))
    rng.shuffle(ids)  # ids in no particular relation to dates or copies
    docs: list[Document] = []
    origin: dict[str, str] = {}
    original: dict[str, str] = {}
    doc_id = {i: f"syn{ids[i]:06d}" for i in range(len(entries))}
    for i, (a, outlet, kind, orig) in enumerate(entries):
        docs.append(Document(id=doc_id[i], text="\n".join(a.lines), source="synthetic",
                             date=START_DATE + dt.timedelta(days=day_of[i]), outlet=outlet))
        origin[doc_id[i]] = kind
        if orig is not None:
            original[doc_id[i]] = doc_id[orig]
    langs = {doc_id[i]: a.lang for i, (a, _, _, _) in enumerate(entries)}
    docs.sort(key=lambda d: d.id)  # the reading order: by id, unrelated to dates
    return Archive(docs, origin, original, langs, injected, days)
