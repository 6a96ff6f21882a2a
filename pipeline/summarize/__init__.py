"""Per-event bilingual summaries and titles.

For each output language the extractive selector runs with a small preference for sentences
already in that language; a chosen sentence is shown in its original words when it, or a
paraphrase cited with it, is in the output language, and otherwise goes through the
translation router (lazily: only chosen sentences and titles are ever translated). Every text
carries its tier.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from pipeline.config import Config
from pipeline.embed.base import normalise
from pipeline.model import Document, Event, Source, SummarySentence, Translation, base_lang
from pipeline.summarize.abstractive import (
    Generator,
    LLMGenerator,
    abstractive_summary,
    abstractive_title,
)
from pipeline.summarize.check import check_translation
from pipeline.summarize.extractive import (
    Reading,
    Selected,
    headline,
    lead_sentences,
    read_candidates,
    select,
    summary_text,
)
from pipeline.summarize.fact_lines import fact_line
from pipeline.summarize.script import sentence_in_script

NOTE_LEAD = ("no sentence met the summary filters (all fragments, questions or talk): the "
             "lead sentences of the most central article are shown")
NOTE_NO_BODY = "its articles have no body text beyond their titles: no summary"
from pipeline.translate import TranslationRouter
from pipeline.translate.base import ModelUnavailable


def by_centrality(members: list[Document]) -> list[Document]:
    """Most representative document first: it leads the summary order and gives the title."""
    vectors = [d.vector for d in members if d.vector is not None]
    if len(vectors) < 2:
        return list(members)
    centroid = normalise(np.mean(vectors, axis=0))[0]
    # rounded: two members are equally central by construction, and float noise (a vector
    # read back from a checkpoint) must not decide their order; the id does
    return sorted(
        members,
        key=lambda d: (-round(float(d.vector @ centroid), 6) if d.vector is not None else 0.0,
                       d.id),
    )


# gloss directions whose sentences stay glosses rather than fact lines: English → Chinese keeps
# English's word order and the reverse gloss picks whole Chinese words; the seeds'
# hand-written Chinese summaries find 0.775 of their facts in it, 0.25 in fact lines. A title
# is a fact line in every direction (a headline's gloss is the worst of it).
READABLE_GLOSS = frozenset({("en", "zh")})


def _in_lang(text: str, src: str, lang: str, sources: list[Source],
             router: TranslationRouter, read: tuple[str, ...] = (),
             date: dt.date | None = None,
             title: bool = False) -> tuple[SummarySentence, Translation | None]:
    """The text in `lang`: itself when already there, else through the router. When the
    reader reads `src` (`read`), the source words are kept beside the translation. A
    dictionary gloss is shown as a fact line (`fact_lines`: who, what, when, figures, read
    exactly; `date` resolves a bare day) with the gloss folded and the original beside,
    except in the `READABLE_GLOSS` directions; a `title` always; so is a text no backend
    translates at all (into Korean, offline)."""
    if src == lang:
        return SummarySentence(text, lang, "original", sources), None
    result = router.translate([text], src, lang)[0]
    if result.untranslated or (result.tier == "gloss"
                               and (title or (src, lang) not in READABLE_GLOSS)):
        line = fact_line(text, src, lang, date, title=title)
        if line is not None and check_translation(line, [s.text for s in sources]).passed:
            original = Source(sources[0].document, sources[0].segment, src, text)
            if result.untranslated:
                return _fact_sentence(line, lang, sources, original), None
            return _fact_sentence(line, lang, sources, original, result.text), result
    check = None
    if not result.untranslated:
        verdict = check_translation(result.text, [s.text for s in sources])
        if not verdict.passed:  # a dropped or altered figure or name: show the source words
            return SummarySentence(text, src, "original", sources, untranslated=True,
                                   check=verdict.to_dict("untranslated")), None
        check = verdict.to_dict("kept")
    sentence = SummarySentence(
        result.text,
        lang if not result.untranslated else src,
        result.tier,
        sources,
        backend=result.backend,
        untranslated=result.untranslated,
        original=(Source(sources[0].document, sources[0].segment, src, text)
                  if src in read and not result.untranslated else None),
        check=check,
    )
    return sentence, result


def summary_in(picked: list[Selected], lang: str, router: TranslationRouter,
               read: tuple[str, ...] = ()) -> list[SummarySentence]:
    out = []
    used: set[tuple[str, int]] = set()
    for sel in picked:
        native = next((s for s in sel.sources if s.lang == lang
                       and (s.document, s.segment) not in used), None)
        if native is not None:  # its own source first: the text shown is that sentence's
            used.add((native.document, native.segment))
            sources = [native] + [s for s in sel.sources if s is not native]
            out.append(SummarySentence(summary_text(native.text), lang, "original", sources))
            continue
        primary = sel.primary
        sentence, translation = _in_lang(summary_text(primary.seg.text), primary.seg.lang, lang,
                                         sel.sources, router, read, primary.doc.date)
        if translation is not None:
            primary.seg.translations[lang] = translation
        out.append(sentence)
    return out


def _titles(doc: Document) -> list[tuple[str, str, list[Source]]]:
    """(text, lang, sources) per title paragraph of a document."""
    paras: dict[int, list[int]] = {}
    for index, seg in doc.content_segments:
        if seg.role == "title":
            paras.setdefault(seg.paragraph, []).append(index)
    out = []
    for indices in paras.values():
        segs = [doc.segments[i] for i in indices]
        text = " ".join(s.text for s in segs)
        out.append((text, segs[0].lang, [Source(doc.id, i, doc.segments[i].lang,
                                                doc.segments[i].text) for i in indices]))
    return out


def event_title(members: list[Document], lang: str, router: TranslationRouter,
                summary: list[SummarySentence],
                read: tuple[str, ...] = ()) -> SummarySentence | None:
    titled = [(doc, _titles(doc)) for doc in members]
    for _, titles in titled:
        for text, title_lang, sources in titles:
            if title_lang == lang:
                return SummarySentence(text, lang, "original", sources)
    for doc, titles in titled:  # no title in `lang`: a gloss-only event gets a fact title
        if titles:
            text, title_lang, sources = titles[0]
            title = _in_lang(text, title_lang, lang, sources, router, read, doc.date,
                             title=True)[0]
            return title if title.tier != "gloss" else _lead_fact_title(doc, lang) or title
    # untitled: the lead sentence of the most central article, which news writes to carry
    # the event (the summary's first sentence is chosen for coverage, not for that)
    lead = next((Source(doc.id, i, seg.lang, seg.text) for doc in members
                 for i, seg in doc.content_segments if seg.role == "body"), None)
    if lead is None:
        if not summary:
            return None
        lead = summary[0].sources[0]
    # cut the original, then translate: the same cut in every language
    return _in_lang(headline(lead.text), lead.lang, lang, [lead], router, read,
                    title=True)[0]


LEAD_SENTENCES = 3  # where news puts who and what


def _lead_fact_title(doc: Document, lang: str) -> SummarySentence | None:
    """A fact title from the article's first sentences, when its headline states nothing
    that carries over exactly (a headline of words only: "Shock and grief in the town")."""
    body = [(i, s) for i, s in doc.content_segments if s.role == "body"][:LEAD_SENTENCES]
    for index, seg in body:
        line = fact_line(seg.text, seg.lang, lang, doc.date, title=True)
        if line is not None:
            source = Source(doc.id, index, seg.lang, seg.text)
            return _fact_sentence(line, lang, [source], source)
    return None


def _fact_sentence(line: str, lang: str, sources: list[Source], original: Source,
                   gloss: str | None = None) -> SummarySentence:
    """A fact line as a summary sentence: the original beside it, its gloss folded."""
    return SummarySentence(line, lang, "facts", sources, backend="fact-line",
                           original=original, detail=gloss)


class GuardedGenerator:
    """A generator that fails once for the whole run: after the first error every event keeps
    its extractive summary, and `notice` says why (the run goes on)."""

    def __init__(self, generator: Generator) -> None:
        self.generator = generator
        self.name = generator.name
        self.notice: str | None = None

    def generate(self, system: str, user: str) -> str:
        if self.notice is not None:
            raise ModelUnavailable(self.notice)
        try:
            return self.generator.generate(system, user)
        except Exception as exc:  # noqa: BLE001 - any backend failure leaves the extractive text
            self.notice = (f"summarizer {self.name}: {exc}; extractive summaries and titles "
                           "are shown instead")
            raise ModelUnavailable(self.notice) from None


def build_generator(config: Config) -> GuardedGenerator | None:
    """The configured summarizer: None for "extractive", else a guarded LLM generator."""
    if config.summarizer == "extractive":
        return None
    if config.summarizer != "llm":
        raise ValueError(f"unknown summarizer {config.summarizer!r}; use extractive or llm")
    return GuardedGenerator(LLMGenerator(config.summarizer_options))


LIMIT_NOTE = "limit max_event_documents"


def with_editions(members: list[Document], event: Event, docs: dict[str, Document],
                  lang: str) -> list[Document]:
    """The members, each followed by its outlets' own editions in `lang` folded into the
    event as translations: a human translation is the reader's own language, so its
    sentences and title serve the summary in `lang` (cited as the edition)."""
    editions: dict[str, list[Document]] = {}
    for copy_id in event.copies:
        copy = docs.get(copy_id)
        if (copy is not None and copy.duplicate_kind == "translation"
                and copy.main_lang == lang and copy.content_segments):
            root = copy
            while root.duplicate_of in docs and root.id not in event.documents:
                root = docs[root.duplicate_of]
            editions.setdefault(root.id, []).append(copy)
    if not editions:
        return members
    return [d for m in members for d in [m] + sorted(editions.get(m.id, []), key=lambda c: c.id)]


def note_prefix(out: str) -> str:
    """How a summary's note in output language `out` starts (`foreign_note`)."""
    return f"{out} summary:"


def foreign_note(summary: list[SummarySentence], lang: str, out: str) -> str | None:
    """How many sources in other languages a summary in `lang` (shown as output language
    `out`: zh-TW for traditional Chinese) drew on, and how."""
    foreign = [s for s in summary if s.tier != "original" or s.lang != lang]
    if not foreign:
        return None
    docs = {s.sources[0].document for s in foreign}
    langs = sorted({s.sources[0].lang for s in foreign})
    tiers = sorted({"untranslated" if s.untranslated else s.tier for s in foreign})
    return (f"{note_prefix(out)} {len(foreign)} of {len(summary)} sentences from "
            f"{len(docs)} source{'s' if len(docs) > 1 else ''} in {', '.join(langs)} "
            f"({', '.join(tiers)}): no {lang} source states their facts")


def summarize_event(event: Event, docs: dict[str, Document], config: Config,
                    router: TranslationRouter, generator: Generator | None = None) -> None:
    """Extractive summary and title per output language; with a `generator`, abstractive
    ones held to the extractive evidence by the claim check (`abstractive.py`)."""
    members = by_centrality([docs[i] for i in event.documents])
    event.documents = [d.id for d in members]
    if len(members) > config.max_event_documents:  # cost grows with size; the centre is enough
        event.notes.append(f"{LIMIT_NOTE}: {len(members)} documents, the summary and framing "
                           f"read the {config.max_event_documents} most central")
        members = members[:config.max_event_documents]
    readings: dict[tuple[str, ...], Reading | None] = {}  # by the documents read
    for out in config.langs:  # `out` names the script too (zh-TW); `lang` the language
        lang = base_lang(out)
        readers = with_editions(members, event, docs, lang)
        key = tuple(d.id for d in readers)
        if key not in readings:
            readings[key] = read_candidates(readers, config.paraphrase_similarity)
        picked = select(readers, config.summary_min, config.summary_max,
                        config.paraphrase_similarity, lang, config.summary_budget(out),
                        readings[key]) if readings[key] is not None else []
        if not picked:
            picked = lead_sentences(readers, config.summary_min, config.summary_budget(out),
                                    lang)
            note = (NOTE_LEAD if picked else NOTE_NO_BODY)
            if note not in event.notes:
                event.notes.append(note)
        summary = summary_in(picked, lang, router, config.read_langs)
        title = event_title(readers, lang, router, summary, config.read_langs)
        if generator is not None:
            try:
                summary = abstractive_summary(picked, summary, lang, generator, docs,
                                              config.summary_max, config.summary_budget(out))
                title = abstractive_title(summary, lang, generator, docs) or title
            except ModelUnavailable:
                pass  # GuardedGenerator.notice tells the run
        # one note per output language, replaced when an event is summarised again (a
        # batch rerun after a kill restores events that were summarised before it)
        event.notes = [n for n in event.notes if not n.startswith(note_prefix(out))]
        note = foreign_note(summary, lang, out)
        if note is not None:
            event.notes.append(note)
        event.summary[out] = [sentence_in_script(s, out) for s in summary]
        if title is not None:
            event.title[out] = sentence_in_script(title, out)
