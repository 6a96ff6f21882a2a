"""How much of each output language's summaries is the reader's own language, on the linking
development set (independent coverage of one event in en, zh, ja, ko; `eval/linking`).

Runs the pipeline's stages (documents, events, sentence vectors, summaries and titles) with
the offline defaults for two language pairs of output, (en, zh) and (ja, ko), and prints per
output language:
- `gloss_share_native`: the share of summary sentences of tier `gloss` in events that have a
  source in that language (an article written in it, or an outlet's own edition in it);
  issue 20's target for English is ≤ 0.10;
- `gloss_share_all`: the same over every event;
- `foreign_share_native`: sentences not written in that language at all (gloss, machine
  translation, or shown untranslated where no backend serves the pair);
- `facts_share_native`: the share shown as fact lines (`summarize.fact_lines`);
- `titles_gloss_native` / `titles_gloss_only`: titles of tier `gloss` in events with and
  without a source in that language (an event with none should get a fact-line title,
  `titles_facts_only`; `--drop en` leaves the English articles out to make such events);
- `events_native`, `events_without`: how many events have / lack a source in that language.

usage: python benchmarks/digest_languages.py [--split test|calibration|all] [--drop en]
                                             [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsdigest_eval.linking_set import load_linking_set
from pipeline.config import Config
from pipeline.model import Event
from pipeline.run import events_to_summarise
from pipeline.summarize import summarize_event
from pipeline.translate import TranslationRouter

PAIRS = (("en", "zh"), ("ja", "ko"))


def _has_source(event: Event, lang: str, langs_of: dict[str, str]) -> bool:
    return any(langs_of.get(m) == lang for m in event.documents + event.copies)


def figures_for(events: list[Event], lang: str, langs_of: dict[str, str]) -> dict[str, float]:
    native = [e for e in events if _has_source(e, lang, langs_of)]
    without = [e for e in events if not _has_source(e, lang, langs_of)]

    def share(group: list[Event], tier: str = "gloss") -> float:
        lines = [s for e in group for s in e.summary.get(lang, [])]
        hits = [s.tier != "original" or s.lang != lang if tier == "foreign" else s.tier == tier
                for s in lines]
        return sum(hits) / len(lines) if lines else 0.0

    def titles(group: list[Event], tier: str = "gloss") -> float:
        got = [e.title[lang] for e in group if lang in e.title]
        return sum(t.tier == tier for t in got) / len(got) if got else 0.0

    return {f"{lang}.gloss_share_native": share(native), f"{lang}.gloss_share_all": share(events),
            f"{lang}.facts_share_native": share(native, "facts"),
            f"{lang}.foreign_share_native": share(native, "foreign"),
            f"{lang}.titles_gloss_native": titles(native),
            f"{lang}.titles_gloss_only": titles(without),
            f"{lang}.titles_facts_only": titles(without, "facts"),
            f"{lang}.events_native": len(native), f"{lang}.events_without": len(without)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["test", "calibration", "all"])
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--drop", default="", help="leave out the articles in these languages "
                        "(en,zh): events with no source in a language, as a reader of it sees")
    args = parser.parse_args()
    ls = load_linking_set(None if args.split == "all" else args.split)
    dropped = {lang for lang in args.drop.split(",") if lang}
    ls.documents = [d for d in ls.documents if ls.gold[d.id].lang not in dropped]
    base = Config()
    t0 = time.perf_counter()
    docs, events, by_id = events_to_summarise(ls.documents, base)
    langs_of = {d.id: d.main_lang for d in docs}
    figures: dict[str, float] = {}
    for pair in PAIRS:
        config = Config(langs=pair)
        router = TranslationRouter(config.translators, None, config.translator_options)
        for event in events:
            event.summary, event.title = {}, {}
            summarize_event(event, by_id, config, router)
        for lang in pair:
            figures.update(figures_for(events, lang, langs_of))
    for name, value in figures.items():
        print(f"{name:32s} {value:8.4g}")
    print(f"{len(docs)} documents, {len(events)} events, {time.perf_counter() - t0:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, sort_keys=True), "utf-8")


if __name__ == "__main__":
    main()
