"""Per-event bilingual summaries and titles.

For each output language the extractive selector runs with a small preference for sentences
already in that language; a chosen sentence is shown in its original words when it, or a
paraphrase cited with it, is in the output language, and otherwise goes through the
translation router (lazily: only chosen sentences and titles are ever translated). Every text
carries its tier.
"""

from __future__ import annotations

import numpy as np

from pipeline.config import Config
from pipeline.embed.base import normalise
from pipeline.model import Document, Event, Source, SummarySentence, Translation
from pipeline.summarize.extractive import Selected, display_text, headline, select
from pipeline.translate import TranslationRouter


def by_centrality(members: list[Document]) -> list[Document]:
    """Most representative document first: it leads the summary order and gives the title."""
    vectors = [d.vector for d in members if d.vector is not None]
    if len(vectors) < 2:
        return list(members)
    centroid = normalise(np.mean(vectors, axis=0))[0]
    return sorted(
        members,
        key=lambda d: (-(float(d.vector @ centroid)) if d.vector is not None else 0.0, d.id),
    )


def _in_lang(text: str, src: str, lang: str, sources: list[Source],
             router: TranslationRouter,
             read: tuple[str, ...] = ()) -> tuple[SummarySentence, Translation | None]:
    """The text in `lang`: itself when already there, else through the router. When the
    reader reads `src` (`read`), the source words are kept beside the translation."""
    if src == lang:
        return SummarySentence(text, lang, "original", sources), None
    result = router.translate([text], src, lang)[0]
    sentence = SummarySentence(
        result.text,
        lang if not result.untranslated else src,
        result.tier,
        sources,
        backend=result.backend,
        untranslated=result.untranslated,
        original=(Source(sources[0].document, sources[0].segment, src, text)
                  if src in read and not result.untranslated else None),
    )
    return sentence, result


def summary_in(picked: list[Selected], lang: str, router: TranslationRouter,
               read: tuple[str, ...] = ()) -> list[SummarySentence]:
    out = []
    used: set[tuple[str, int]] = set()
    for sel in picked:
        native = next((s for s in sel.sources if s.lang == lang
                       and (s.document, s.segment) not in used), None)
        if native is not None:
            used.add((native.document, native.segment))
            out.append(SummarySentence(display_text(native.text), lang, "original", sel.sources))
            continue
        primary = sel.primary
        sentence, translation = _in_lang(display_text(primary.seg.text), primary.seg.lang, lang,
                                         sel.sources, router, read)
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
    for _, titles in titled:
        if titles:
            text, title_lang, sources = titles[0]
            return _in_lang(text, title_lang, lang, sources, router, read)[0]
    if not summary:
        return None
    lead = summary[0].sources[0]  # cut the original, then translate: same cut in every language
    return _in_lang(headline(lead.text), lead.lang, lang, [lead], router, read)[0]


def summarize_event(event: Event, docs: dict[str, Document], config: Config,
                    router: TranslationRouter) -> None:
    members = by_centrality([docs[i] for i in event.documents])
    event.documents = [d.id for d in members]
    for lang in config.langs:
        picked = select(members, config.summary_min, config.summary_max,
                        config.paraphrase_similarity, lang)
        event.summary[lang] = summary_in(picked, lang, router, config.read_langs)
        title = event_title(members, lang, router, event.summary[lang], config.read_langs)
        if title is not None:
            event.title[lang] = title
