"""The linking development set (`eval/linking/`): independent coverage of 42 events in en,
zh, ja and ko, written for this project from fact sheets, with a calibration and a test
split by event group (see `eval/linking/README.md`).

Each article carries its gold event and, for a reprint or an outlet's own translated
edition, the article it copies; the pipeline sees none of that, nor the language: only what
a page gives (title, text, date, url, outlet).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.encoding import Decoded
from pipeline.ingest.readers import record_document
from pipeline.model import Document
from pipeline.paths import project_root

SPLITS = ("calibration", "test")
COPY_KINDS = ("reprint", "translation")


def default_folder() -> Path:
    return project_root() / "eval" / "linking"


@dataclass
class Article:
    """One article's gold: its event, language, outlet and what it copies, if anything."""

    id: str
    event: str
    lang: str
    outlet: str
    kind: str  # original | reprint | translation
    of: str | None


@dataclass
class LinkingSet:
    documents: list[Document]
    gold: dict[str, Article]
    split_of_event: dict[str, str]
    group_of_event: dict[str, str] = field(default_factory=dict)

    def event_of(self) -> dict[str, str]:
        return {doc_id: a.event for doc_id, a in self.gold.items()}


def event_splits(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(split of each event, group of each event) from `events.toml`."""
    data = tomllib.loads((folder / "events.toml").read_text("utf-8"))
    split: dict[str, str] = {}
    group: dict[str, str] = {}
    for g in data["group"]:
        for event_id, *_ in g["events"]:
            split[event_id] = g["split"]
            group[event_id] = g["name"]
    return split, group


def load_linking_set(split: str | None = "test", folder: Path | None = None) -> LinkingSet:
    """The documents of one split (`None`: both), in file order, and their gold."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    folder = default_folder() if folder is None else Path(folder)
    split_of, group_of = event_splits(folder)
    docs: list[Document] = []
    gold: dict[str, Article] = {}
    for path in sorted((folder / "articles").glob("*.toml")):
        records = tomllib.loads(path.read_text("utf-8")).get("article", [])
        for n, record in enumerate(records, 1):
            event = record["event"]
            if event not in split_of:
                raise ValueError(f"{path.name}: article {record.get('id')} has unknown event "
                                 f"{event!r}")
            if split is not None and split_of[event] != split:
                continue
            # ids are written per file: the file's name keeps two writers' ids apart
            page = {k: record.get(k) for k in ("title", "text", "date", "url", "outlet")}
            page["id"] = f"{path.stem}:{record['id']}"
            doc, _ = record_document(page, path.stem, f"linking:{path.name}", n,
                                     Decoded(record["text"], "utf-8", []))
            if doc is None:
                continue
            if doc.id in gold:
                raise ValueError(f"{path.name}: duplicate article id {doc.id}")
            docs.append(doc)
            of = record.get("of") or None
            gold[doc.id] = Article(doc.id, event, record["lang"], record["outlet"],
                                   record.get("kind", "original"),
                                   f"{path.stem}:{of}" if of else None)
    return LinkingSet(docs, gold, split_of, group_of)
