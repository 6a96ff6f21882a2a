"""Shared fixtures: the seed texts run through the pipeline once per test session."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pipeline.paths import evaldata_dir

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
# caches (dictionary indexes, embeddings) stay inside the checkout, not in the user's home
os.environ.setdefault("NEWSDIGEST_CACHE", str(ROOT / ".pytest_cache" / "newsdigest"))
SEEDS = ROOT / "seeds"
EVALDATA = evaldata_dir()


def seed_line(prefix: str, needle: str) -> str:
    """The stripped line of seed `<prefix>_*.txt` that contains `needle`: tests run on real text."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return next(line for line in path.read_text("utf-8").splitlines() if needle in line).strip()


def seed_sentence(prefix: str, needle: str) -> str:
    """The English sentence of that seed line containing `needle`, list bullets dropped."""
    line = seed_line(prefix, needle).strip(" •")
    return next(s for s in re.split(r"(?<=[a-z][.?!])\s+", line) if needle in s)


@pytest.fixture(scope="session")
def seed_docs():
    """The seeds after the per-document stages (segment, language, roles, metadata...)."""
    from pipeline.ingest import read_inputs
    from pipeline.run import process_document

    docs = read_inputs([SEEDS]).documents
    for doc in docs:
        process_document(doc)
    return {d.id[:3]: d for d in docs}


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The whole pipeline on seeds/, written to a temporary output folder."""
    from pipeline.config import Config
    from pipeline.run import run

    out = tmp_path_factory.mktemp("digest")
    result = run([SEEDS], Config(), out_dir=out)
    return result, out


@pytest.fixture(scope="session")
def evaldata() -> Path:
    return EVALDATA
