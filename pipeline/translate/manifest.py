"""The model manifest (models/manifest.toml) and the local store users download models into.

The manifest says which models exist, which pairs each serves, which hub commit to fetch
and what its card publishes; the store says which of them this machine has. Only the
intersection is offered to the router, so a user enables a model by downloading it
(`newsdigest models get`), with no config change. For each pair the best present model
wins: the manifest's recommendation for the pair, then the others in manifest order.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipeline.paths import project_root

LANGS = ("en", "zh", "ja", "ko")
CT2_SUFFIX = "-ct2"  # <store>/<name>-ct2: the CTranslate2 version of <store>/<name>


@dataclass(frozen=True)
class Score:
    """A score the model's card publishes for one pair."""

    pair: str  # "zh-en"
    test: str
    bleu: float | None = None
    chrf: float | None = None

    def describe(self) -> str:
        parts = [f"BLEU {self.bleu:g}" if self.bleu is not None else "",
                 f"chrF {self.chrf:g}" if self.chrf is not None else ""]
        return f"{', '.join(p for p in parts if p)} ({self.test})"


@dataclass(frozen=True)
class ModelEntry:
    name: str  # also the folder name in the store
    family: str
    hub: str
    src: str = ""  # one pair (Marian) ...
    tgt: str = ""
    languages: tuple[str, ...] = ()  # ... or every pair among these (NLLB, M2M-100)
    prefix: str = ""
    revision: str = "main"
    licence: str = ""
    size_mb: int = 0
    card: str = ""
    note: str = ""
    scores: tuple[Score, ...] = field(default=(), compare=False)

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every (src, tgt) it translates, among en/zh/ja/ko."""
        if self.languages:
            return tuple(itertools.permutations(self.languages, 2))
        return ((self.src, self.tgt),)

    def serves(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self.pairs

    def score(self, src: str, tgt: str) -> Score | None:
        """The card's first published score for the pair, if any."""
        return next((s for s in self.scores if s.pair == f"{src}-{tgt}"), None)


@dataclass(frozen=True)
class Manifest:
    models: tuple[ModelEntry, ...]
    recommend: dict[str, str]  # "zh-en" -> model name

    def entry(self, name: str) -> ModelEntry | None:
        return next((e for e in self.models if e.name == name), None)

    def ranked(self, src: str, tgt: str) -> list[ModelEntry]:
        """The models serving the pair, best first: the recommended one, then manifest order."""
        best = self.recommend.get(f"{src}-{tgt}")
        serving = [e for e in self.models if e.serves(src, tgt)]
        return sorted(serving, key=lambda e: e.name != best)

    def recommended(self, src: str, tgt: str) -> ModelEntry | None:
        ranked = self.ranked(src, tgt)
        return ranked[0] if ranked else None


def manifest_path() -> Path:
    """$NEWSDIGEST_MANIFEST, else models/manifest.toml of the checkout; a wheel installed
    elsewhere carries a copy in pipeline/data/ (linked there from models/)."""
    env = os.environ.get("NEWSDIGEST_MANIFEST")
    if env:
        return Path(env).expanduser()
    local = project_root() / "models" / "manifest.toml"
    if local.is_file():
        return local
    return Path(str(resources.files("pipeline.data").joinpath("manifest.toml")))


def store_dir() -> Path:
    """$NEWSDIGEST_MODELS, else models/store beside the manifest."""
    env = os.environ.get("NEWSDIGEST_MODELS")
    return Path(env).expanduser() if env else project_root() / "models" / "store"


def read_manifest(path: Path | None = None) -> Manifest:
    """The manifest's models and per-pair recommendations (empty if no file is found).
    Raises ValueError naming the entry when an entry is malformed."""
    path = path or manifest_path()
    if not path.is_file():
        return Manifest((), {})
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    fields = set(ModelEntry.__dataclass_fields__) - {"scores", "languages"}
    models = []
    for row in data.get("model", []):
        try:
            entry = ModelEntry(
                **{k: v for k, v in row.items() if k in fields},
                languages=tuple(row.get("languages", ())),
                scores=tuple(Score(**s) for s in row.get("score", ())))
        except TypeError as exc:
            raise ValueError(f"{path}: model {row.get('name', '?')!r}: {exc}") from exc
        bad = [lang for pair in entry.pairs for lang in pair if lang not in LANGS]
        if bad or not entry.name or not entry.hub:
            raise ValueError(f"{path}: model {entry.name or '?'!r} needs a name, a hub id and "
                             f"src/tgt or languages among {', '.join(LANGS)}")
        models.append(entry)
    return Manifest(tuple(models), dict(data.get("recommend", {})))


def load_manifest(path: Path | None = None) -> list[ModelEntry]:
    """Every `[[model]]` entry (an empty list if no manifest is found at all)."""
    return list(read_manifest(path).models)


def model_folder(entry: ModelEntry, store: Path | None = None, *, ct2: bool = False) -> Path:
    """Where the store keeps the model: <store>/<name>, or <store>/<name>-ct2 converted."""
    return (store or store_dir()) / (entry.name + (CT2_SUFFIX if ct2 else ""))


def is_present(entry: ModelEntry, store: Path | None = None, *, ct2: bool = False) -> bool:
    """A transformers folder holds config.json; a CTranslate2 folder holds model.bin."""
    return (model_folder(entry, store, ct2=ct2) / ("model.bin" if ct2 else "config.json")).is_file()


def available_models(store: Path | None = None,
                     path: Path | None = None) -> list[tuple[ModelEntry, Path]]:
    """Manifest entries whose folder in the store holds a model (a config.json)."""
    return [(e, model_folder(e, store)) for e in load_manifest(path) if is_present(e, store)]


def available_ct2_models(store: Path | None = None,
                         path: Path | None = None) -> list[tuple[ModelEntry, Path]]:
    """Manifest entries whose converted folder `<store>/<name>-ct2` holds a CTranslate2
    model (a model.bin); `newsdigest models get --ct2` or `models convert` writes it."""
    return [(e, model_folder(e, store, ct2=True)) for e in load_manifest(path)
            if is_present(e, store, ct2=True)]


def best_present(manifest: Manifest, store: Path | None = None,
                 formats: tuple[str, ...] = ("ct2", "hf")
                 ) -> dict[tuple[str, str], tuple[ModelEntry, str]]:
    """Per pair, the best model the store holds in one of `formats`, and which: "ct2" (the
    converted int8 folder, several times faster on the CPU, so first by default) or "hf"
    (the transformers folder). Models are ranked per pair by `Manifest.ranked`."""
    chosen = {}
    for src, tgt in itertools.permutations(LANGS, 2):
        for entry in manifest.ranked(src, tgt):
            fmt = next((f for f in formats if is_present(entry, store, ct2=f == "ct2")), None)
            if fmt:
                chosen[src, tgt] = (entry, fmt)
                break
    return chosen


def replace_folder(new: Path, final: Path) -> None:
    """Put the finished folder `new` at `final` by renames: a model in the store is whole,
    the previous version or the new one, never a mix, whenever the process stops."""
    old = new.with_name(new.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def json_object(file: Path) -> dict:
    """A JSON object file of the store (a model's config, a download or conversion record),
    or {} when it is absent, unreadable or not an object."""
    try:
        data = json.loads(Path(file).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
