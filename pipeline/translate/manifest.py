"""The model manifest (models/manifest.toml) and the local store users download models into.

The manifest says which models exist and which pair each serves; the store says which of
them this machine has. Only the intersection is offered to the router, so a user enables a
model by downloading it, with no config change.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pipeline.paths import project_root


@dataclass(frozen=True)
class ModelEntry:
    name: str  # also the folder name in the store
    family: str
    hub: str
    src: str
    tgt: str
    prefix: str = ""


def manifest_path() -> Path:
    """models/manifest.toml of the checkout; a wheel installed elsewhere carries a copy in
    pipeline/data/ (linked there from models/)."""
    local = project_root() / "models" / "manifest.toml"
    if local.is_file():
        return local
    return Path(str(resources.files("pipeline.data").joinpath("manifest.toml")))


def store_dir() -> Path:
    """$NEWSDIGEST_MODELS, else models/store beside the manifest."""
    env = os.environ.get("NEWSDIGEST_MODELS")
    return Path(env).expanduser() if env else project_root() / "models" / "store"


def load_manifest(path: Path | None = None) -> list[ModelEntry]:
    """Every `[[model]]` entry (an empty list if no manifest is found at all)."""
    path = path or manifest_path()
    if not path.is_file():
        return []
    with path.open("rb") as fh:
        rows = tomllib.load(fh).get("model", [])
    fields = set(ModelEntry.__dataclass_fields__)
    return [ModelEntry(**{k: v for k, v in row.items() if k in fields}) for row in rows]


def available_models(store: Path | None = None,
                     path: Path | None = None) -> list[tuple[ModelEntry, Path]]:
    """Manifest entries whose folder in the store holds a model (a config.json)."""
    store = store or store_dir()
    found = []
    for entry in load_manifest(path):
        folder = store / entry.name
        if (folder / "config.json").is_file():
            found.append((entry, folder))
    return found


CT2_SUFFIX = "-ct2"  # <store>/<name>-ct2: the CTranslate2 version of <store>/<name>


def available_ct2_models(store: Path | None = None,
                         path: Path | None = None) -> list[tuple[ModelEntry, Path]]:
    """Manifest entries whose converted folder `<store>/<name>-ct2` holds a CTranslate2
    model (a model.bin); `newsdigest models convert <name>` writes it."""
    store = store or store_dir()
    found = []
    for entry in load_manifest(path):
        folder = store / f"{entry.name}{CT2_SUFFIX}"
        if (folder / "model.bin").is_file():
            found.append((entry, folder))
    return found
