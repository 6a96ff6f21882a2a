"""The pipeline, in order. This file is the one place the stage order lives.

Per document: segment → language → clean (roles) → metadata → fallback title → repeated
sentences → entities. Across documents: copies → document embeddings → translations →
events (and stories) → sentence embeddings of event members → summaries and titles
(translating only what readers will see) → render. A document whose stage fails is reported
and dropped; the run goes on.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.backends import build_backends, build_embedder
from pipeline.clean import clean_document, load_rules
from pipeline.cluster import clustering_report, embedding_text
from pipeline.cluster.features import EMBED_CHARS, cached_terms, link_keys
from pipeline.compose import build_digest, summarise_events
from pipeline.config import Config
from pipeline.corpus import CorpusPass, PassResult, cluster_days, publication_days
from pipeline.daily import PreviousDigest, Window, load_previous, select_events
from pipeline.dedup import mark_repeated_segments
from pipeline.dedup.copies import copy_print
from pipeline.embed import Embedder
from pipeline.entities import annotate_document
from pipeline.framing.actors import keep_segment_names
from pipeline.ingest import read_inputs
from pipeline.langid import assign_languages
from pipeline.machine import available_cores, one_thread_per_worker
from pipeline.metadata import fill_metadata
from pipeline.model import SUPPORTED_LANGS, Digest, Document, Event, digest_to_dict
from pipeline.segment import segment_document
from pipeline.stages import StageClock, stages_of
from pipeline.summarize.extractive import display_text, headline, is_summary_worthy

TITLE_FALLBACK_CHARS = 140


def _segment(doc: Document, config: Config) -> None:
    """Sentence segments, at most `max_segments` (a 1M-character line must not cost every
    later stage its length): the rest is dropped with a warning that says where."""
    segment_document(doc, config.max_segments)
    if len(doc.segments) > config.max_segments:
        cut = doc.segments[config.max_segments].start
        doc.warnings.append(
            f"{LIMIT} max_segments: more than {config.max_segments} segments, kept the "
            f"first {config.max_segments} (text from character {cut} of {len(doc.text)} "
            f"not read)")
        del doc.segments[config.max_segments:]


LIMIT = "limit"  # how a warning from a processing limit starts
NO_LANGUAGE = "language: none of en, zh, ja, ko identified; the text is shown untranslated"


def _language(doc: Document, config: Config) -> None:
    assign_languages(doc)
    if doc.content_segments and doc.main_lang not in SUPPORTED_LANGS:
        doc.warnings.append(NO_LANGUAGE)


def processing_warnings(doc: Document) -> list[str]:
    """What the per-document stages found wrong (a limit cut the text, no language the
    pipeline reads); reading problems are reported by the readers."""
    return [w for w in doc.warnings if w.startswith(LIMIT + " ") or w == NO_LANGUAGE]


def _clean(doc: Document, config: Config) -> None:
    clean_document(doc, load_rules(config.boilerplate_rules))


def _fallback_title(doc: Document) -> None:
    """Untitled articles get their lead sentence, cut to headline length."""
    if not doc.title:
        lead = next((s.text for _, s in doc.content_segments if s.role == "body"), "")
        doc.title = headline(lead, TITLE_FALLBACK_CHARS) or None


def _plain(stage: Callable[[Document], object]) -> Callable[[Document, Config], object]:
    return lambda doc, _config: stage(doc)


_DOCUMENT_CALLS: dict[str, Callable[[Document, Config], object]] = {
    "segment": _segment,
    "language": _language,
    "clean": _clean,
    "metadata": _plain(fill_metadata),
    "title": _plain(_fallback_title),
    "repeats": _plain(mark_repeated_segments),
    "entities": _plain(annotate_document),
    "segmenter names": _plain(keep_segment_names),
    "link keys": _plain(link_keys),
    "terms": _plain(cached_terms),
    "copy prints": _plain(copy_print),
}
# in the registry's order (`pipeline.stages`)
DOCUMENT_STAGES: tuple[tuple[str, Callable[[Document, Config], object]], ...] = tuple(
    (stage.name, _DOCUMENT_CALLS[stage.name]) for stage in stages_of("document"))


@dataclass
class RunResult:
    digest: Digest
    problems: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage after reading

    @property
    def exit_code(self) -> int:
        """0 clean, 2 partial (some input skipped or repaired), 1 nothing usable."""
        if not self.digest.documents:
            return 1
        return 2 if self.problems else 0


def _progress(items: Sequence, label: str, show: bool) -> Iterable:
    return _progress_iter(items, len(items), label, show)


def _progress_iter(items: Iterable, total: int, label: str, show: bool) -> Iterable:
    if not show:
        yield from items
        return
    from rich.progress import track

    yield from track(items, total=total, description=label, transient=True)


def process_document(doc: Document, config: Config | None = None) -> None:
    config = config or Config()
    for _, stage in DOCUMENT_STAGES:
        stage(doc, config)


def _process_or_report(doc: Document, config: Config) -> tuple[Document | None, str | None]:
    try:
        process_document(doc, config)
    except Exception as exc:  # noqa: BLE001 - one bad document never stops the run
        return None, (f"{doc.source} [{doc.id}]: could not be processed "
                      f"({type(exc).__name__}: {exc})")
    return doc, None


# documents processed in this process before the pool starts: they load the tools (spaCy
# pipelines, lingua, jieba, Sudachi, the dictionaries) that forked workers then share
WARM_DOCUMENTS = 32
POOL_MIN_DOCUMENTS = 200  # below this, starting workers costs more than it saves
POOL_CHUNK = 16


def worker_count(config: Config) -> int:
    if config.workers:
        return max(1, config.workers)
    return available_cores()


def process_documents(docs: Sequence[Document], config: Config, show: bool = False,
                      tick: Callable[[int], None] | None = None,
                      ) -> tuple[list[Document], list[str]]:
    """The per-document stages on every document, in input order: (kept, problems).

    They are independent per document, so large batches run on a process pool (one worker
    per core): the first documents are processed here, so forked workers inherit the loaded
    tools instead of loading them again. Results are the same as one by one (tested).
    `tick(done)` is called as documents finish (for callers that show their own progress).
    """
    workers = worker_count(config)
    parallel = (workers > 1 and len(docs) >= POOL_MIN_DOCUMENTS
                and "fork" in multiprocessing.get_all_start_methods())
    head = docs[:WARM_DOCUMENTS] if parallel else docs
    results = [_process_or_report(doc, config)
               for doc in _counted(_progress(head, "reading", show), tick, 0)]
    if parallel:
        with multiprocessing.get_context("fork").Pool(
                workers, initializer=one_thread_per_worker) as pool:
            done = pool.imap(functools.partial(_process_or_report, config=config),
                             docs[WARM_DOCUMENTS:], chunksize=POOL_CHUNK)
            results += list(_counted(_progress_iter(done, len(docs) - WARM_DOCUMENTS, "reading",
                                                    show), tick, len(head)))
    kept = [doc for doc, _ in results if doc is not None]
    return kept, [problem for _, problem in results if problem]


def _counted(results: Iterable, tick: Callable[[int], None] | None, already: int) -> Iterable:
    for done, result in enumerate(results, already + 1):
        if tick:
            tick(done)
        yield result


# texts per embedder call: the torch engine batches by padded width inside a call, so larger
# calls fill its batches (512 documents a call embed 25% faster than 64)
EMBED_BATCH = 512


def embed_documents(docs: list[Document], embedder: Embedder, show: bool,
                    chars: int = EMBED_CHARS) -> None:
    """One vector per kept document, from its title and lead (`embedding_text`), in batches."""
    todo = [d for d in docs if d.duplicate_of is None and d.content_segments]
    batches = [todo[i : i + EMBED_BATCH] for i in range(0, len(todo), EMBED_BATCH)]
    for batch in _progress(batches, "embedding", show):
        for doc, vector in zip(batch, embedder.embed([embedding_text(d, chars) for d in batch])):
            doc.vector = vector


def embed_segments(docs: list[Document], embedder: Embedder) -> None:
    """Sentence vectors for the documents summaries are drawn from (only those: they cost),
    and there only for titles and sentences a summary may use (`is_summary_worthy`):
    fragments, questions and host chatter are never compared."""
    segs = [seg for d in docs for _, seg in d.content_segments if seg.vector is None
            and (seg.role == "title" or (seg.role == "body" and is_summary_worthy(seg)))]
    for start in range(0, len(segs), EMBED_BATCH):
        chunk = segs[start : start + EMBED_BATCH]
        for seg, vector in zip(chunk, embedder.embed([display_text(s.text) for s in chunk])):
            seg.vector = vector


def summary_sources(events: list[Event], by_id: dict[str, Document], config: Config
                    ) -> list[Document]:
    """The documents whose sentences get vectors: every event's members (summaries) and
    copies (the framing reads each copy's own sentences), or only multi-document events'
    (`Config.sentence_vectors = "multi"`: one article is then summarised by position and
    coverage)."""
    multi_only = config.sentence_vectors == "multi"
    return [by_id[m] for e in events for m in e.documents + e.copies
            if m in by_id and (not multi_only or len(e.documents) > 1)]


def find_duplicates(docs: list[Document], config: Config,
                    embed: Callable[[list[Document]], None],
                    embed_texts: Callable[[list[str]], object] | None = None,
                    clock: StageClock | None = None) -> PassResult:
    """The first sweep of `pipeline.corpus` over the documents, day by day: copies (no
    model needed), document vectors by `embed` (so callers choose how progress is shown)
    for what is left, then translations (confirmed sentence by sentence with
    `embed_texts`, the embedder's own call); returns the marks and corpus statistics."""
    corpus = CorpusPass(config, embed, embed_texts, clock)
    for day, day_docs in publication_days(docs):
        corpus.add_day(day, day_docs)
    return corpus.finish()


def group_events(docs: list[Document], config: Config,
                 embed: Callable[[list[Document]], None],
                 embed_texts: Callable[[list[str]], object] | None = None,
                 until: dt.date | None = None, clock: StageClock | None = None) -> list[Event]:
    """The cross-document stages in order: duplicates, embeddings, translations, events
    (up to the day `until`, when a window ends there)."""
    result = find_duplicates(docs, config, embed, embed_texts, clock)
    return cluster_days(docs, config.cluster_params(), result, until, clock)


def events_to_summarise(documents: Sequence[Document], config: Config
                        ) -> tuple[list[Document], list[Event], dict[str, Document]]:
    """Documents already read (a development set, a test's pages) through the per-document
    stages, duplicates and events, with the sentence vectors summaries need: (documents,
    events, documents by id), ready for `summarize_event`."""
    embedder = build_embedder(config)
    docs, _ = process_documents(documents, config)
    events = group_events(docs, config,
                          lambda batch: embed_documents(batch, embedder, False,
                                                        config.embed_chars), embedder.embed)
    by_id = {d.id: d for d in docs}
    embed_segments(summary_sources(events, by_id, config), embedder)
    return docs, events, by_id


def run(paths: Sequence[str | Path], config: Config, out_dir: Path | None = None,
        show_progress: bool = False, *, window: Window | None = None,
        previous: PreviousDigest | str | Path | None = None) -> RunResult:
    """The whole pipeline. `window` keeps the events dated in it and `previous` (an earlier
    digest.json, or its folder) marks each event new/updated/seen: see `pipeline.daily`."""
    # the previous digest and the backends come first: a bad file, name or option fails
    # before any work is done
    if previous is not None and not isinstance(previous, PreviousDigest):
        previous = load_previous(previous)
    backends = build_backends(config)
    embedder, router, generator = backends.embedder, backends.router, backends.generator
    ingested = read_inputs(paths, config.max_file_mb)
    problems = [str(p) for p in ingested.problems]
    docs, failed = process_documents(ingested.documents, config, show_progress)
    problems += failed + [f"{d.source} [{d.id}]: {w}" for d in docs
                          for w in processing_warnings(d)]

    clock = StageClock()
    events = group_events(docs, config,
                          lambda batch: embed_documents(batch, embedder, show_progress,
                                                        config.embed_chars), embedder.embed,
                          window.end if window is not None else None, clock)
    by_id = {d.id: d for d in docs}
    # the daily digest's choice, after clustering over every document and before anything
    # is summarised or translated: events outside the window cost nothing more
    with clock("window"):
        events, window_report, window_notices = select_events(events, by_id, window, previous)
    with clock("sentence vectors"):
        embed_segments(summary_sources(events, by_id, config), embedder)
    summarise_events(_progress(events, "summarising", show_progress), by_id, config, router,
                     generator, clock)
    with clock("digest"):
        digest = build_digest(docs, events, config, router, generator, errors=problems,
                              notices=window_notices,
                              clustering=clustering_report(docs, config.cluster_params()),
                              window=window_report)
    result = RunResult(digest, problems)
    if out_dir is not None:
        from pipeline.render.files import write_digest

        with clock("render"):
            result.outputs = write_digest(digest_to_dict(digest), Path(out_dir))
    result.seconds = clock.ordered()
    return result
