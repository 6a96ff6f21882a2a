"""`newsdigest models get` against a local model hub (tests/hub_server.py, `HF_ENDPOINT`):
a tiny random Marian built here is served as `Helsinki-NLP/opus-mt-zh-en` at the manifest's
pinned commit. Downloading, checksums and their record, a transfer that drops and resumes
with a range request, a killed download (the store keeps nothing half-done; the rerun
resumes), `--ct2`, then `newsdigest translate` on it with tier nmt; a name the manifest does
not know, a repository and a file the hub does not have, and a corrupt file each give one
line and leave the store as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("huggingface_hub")
pytest.importorskip("transformers")
pytest.importorskip("ctranslate2")

from pipeline.cli import main
from pipeline.models_cli import ConvertError, models_for
from pipeline.translate.hub import PARTIAL_DIR, RECORD_FILE
from pipeline.translate.manifest import read_manifest
from tests.conftest import ROOT
from tests.hub_server import Fault, HubServer
from tests.tiny_models import build_tiny_marian, seed_zh_texts, tiny_corpus

ENTRY = read_manifest(ROOT / "models" / "manifest.toml").entry("opus-mt-zh-en")
WEIGHTS = "model.safetensors"


@pytest.fixture(scope="module")
def tiny_marian(tmp_path_factory) -> Path:
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-zh-en"), *tiny_corpus(seed_zh_texts()))


@pytest.fixture
def hub(tiny_marian, monkeypatch):
    with HubServer() as server:
        server.add_repo(ENTRY.hub, ENTRY.revision, tiny_marian)
        monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
        yield server


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    store = tmp_path / "store"
    monkeypatch.setenv("NEWSDIGEST_MODELS", str(store))
    return store


def _get(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(["models", "get", *argv, "--quiet"])
    out, err = capsys.readouterr()
    return rc, out, err


def _error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("newsdigest:")]
    assert len(lines) == 1, err
    return lines[0]


def _ranges(hub: HubServer, name: str) -> list[str]:
    return [r for m, p, r in hub.requests if m == "GET" and p.endswith("/" + name) and r]


def test_get_downloads_verifies_records_and_says_what_it_serves(hub, store, tiny_marian,
                                                                 capsys):
    rc, out, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 0, err
    assert f"fetched {ENTRY.hub}@{ENTRY.revision[:12]}" in out
    assert "checksums verified" in out and "now serves zh→en" in out
    assert "zh→en  transformers opus-mt-zh-en, BLEU 36.1" in out  # the pair table
    folder = store / "opus-mt-zh-en"
    record = json.loads((folder / RECORD_FILE).read_text("utf-8"))
    assert record["commit"] == ENTRY.revision and record["hub"] == ENTRY.hub
    for name, row in record["files"].items():
        data = (tiny_marian / name).read_bytes()
        assert (folder / name).read_bytes() == data
        assert row == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                       "verified": True}
    assert not (store / PARTIAL_DIR / "opus-mt-zh-en").exists()
    assert not (folder / ".cache").exists()
    # pinned: every request named the manifest's commit, never a branch
    assert all(ENTRY.revision in path for _, path, _ in hub.requests)

    hub.requests.clear()
    rc, out, _ = _get(capsys, "opus-mt-zh-en")
    assert rc == 0 and "already in the store" in out and not hub.requests


def test_dropped_transfer_resumes_with_a_range_request(hub, store, tiny_marian, capsys):
    hub.faults[WEIGHTS] = Fault(drop_after=200_000)
    rc, _, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 0, err
    ranges = _ranges(hub, WEIGHTS)
    assert len(ranges) == 1 and int(ranges[0].split("=")[1].rstrip("-")) > 100_000
    assert (store / "opus-mt-zh-en" / WEIGHTS).read_bytes() == (tiny_marian / WEIGHTS).read_bytes()


def test_killed_download_leaves_the_store_as_it_was_and_the_rerun_resumes(
        hub, store, tiny_marian, capsys):
    hub.faults[WEIGHTS] = Fault(stall_after=300_000)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "models", "get",
                             "opus-mt-zh-en", "--quiet"], cwd=ROOT, env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = store / PARTIAL_DIR / "opus-mt-zh-en"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        done = sum(p.stat().st_size for p in partial.rglob("*.incomplete")) \
            if partial.exists() else 0
        if done >= 200_000:
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the download ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (store / "opus-mt-zh-en").exists()  # nothing half-done in the store
    rc = main(["models", "list"])
    assert rc == 0 and "zh→en  gloss" in capsys.readouterr().out

    hub.faults.clear()
    rc, _, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 0, err
    ranges = _ranges(hub, WEIGHTS)
    assert ranges and int(ranges[-1].split("=")[1].rstrip("-")) >= 200_000  # resumed
    assert (store / "opus-mt-zh-en" / WEIGHTS).read_bytes() == (tiny_marian / WEIGHTS).read_bytes()


def test_ct2_then_translate_uses_the_model_with_tier_nmt(hub, store, monkeypatch, capsys):
    rc, out, err = _get(capsys, "opus-mt-zh-en", "--ct2")
    assert rc == 0, err
    assert "converted to CTranslate2 int8" in out
    assert "zh→en  ctranslate2 opus-mt-zh-en" in out
    assert (store / "opus-mt-zh-en-ct2" / "model.bin").is_file()
    assert not (store / "opus-mt-zh-en-ct2.partial").exists()

    from pipeline.backends import build_router
    from pipeline.config import Config

    router = build_router(Config(), None)
    assert router.describe("zh", "en") == "ctranslate2"
    lines = seed_zh_texts()[:3]
    done = router.translate(lines, "zh", "en")
    assert [t.tier for t in done] == ["nmt"] * 3 and all(t.text for t in done)
    assert {t.backend for t in done} == {"ctranslate2"}

    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["translate", "--from", "zh", "--to", "en"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 3 and all(out.splitlines())
    assert "gloss" not in err  # no offline notice: the model did it


def test_a_name_the_manifest_does_not_know_is_one_line(hub, store, capsys):
    rc, _, err = _get(capsys, "opus-mt-xx-en")
    assert rc == 1
    line = _error_line(err)
    assert "opus-mt-xx-en: not a model of" in line and "opus-mt-zh-en" in line
    assert not store.exists() or not any(store.iterdir())


def test_a_repository_the_hub_does_not_have_is_one_line(hub, store, tmp_path, monkeypatch,
                                                        capsys):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[[model]]\nname = "gone"\nfamily = "marian"\nhub = "nobody/gone"\n'
                        f'revision = "{"a" * 40}"\nsrc = "zh"\ntgt = "en"\n', "utf-8")
    monkeypatch.setenv("NEWSDIGEST_MANIFEST", str(manifest))
    rc, _, err = _get(capsys, "gone")
    assert rc == 1
    assert "has no model nobody/gone (404)" in _error_line(err)
    assert not (store / "gone").exists()


def test_a_listed_file_that_answers_404_is_one_line_and_the_store_is_unchanged(
        hub, store, capsys):
    hub.faults["source.spm"] = Fault(missing=True)
    rc, _, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 1
    line = _error_line(err)
    assert "source.spm: not found (404) on the hub at" in line
    assert not (store / "opus-mt-zh-en").exists()


def test_a_corrupt_file_is_removed_and_named_and_the_rerun_gets_it(hub, store, tiny_marian,
                                                                   capsys):
    hub.faults[WEIGHTS] = Fault(corrupt=True)
    rc, _, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 1
    line = _error_line(err)
    assert f"{WEIGHTS} is corrupt (checksum" in line and "run the command again" in line
    assert not (store / "opus-mt-zh-en").exists()
    assert not (store / PARTIAL_DIR / "opus-mt-zh-en" / WEIGHTS).exists()

    hub.faults.clear()
    rc, _, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 0, err
    assert (store / "opus-mt-zh-en" / WEIGHTS).read_bytes() == (tiny_marian / WEIGHTS).read_bytes()


def test_an_unreachable_hub_is_one_line(store, monkeypatch, capsys):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: refused
    rc, _, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 1
    assert "cannot fetch from the hub at http://127.0.0.1:9" in _error_line(err)


def test_for_languages_picks_the_recommended_model_of_every_pair():
    manifest = read_manifest(ROOT / "models" / "manifest.toml")
    names = {e.name for e in models_for("zh,ja,ko", manifest)}
    assert names == {"opus-mt-zh-en", "opus-mt-ja-en", "opus-mt-ko-en", "opus-mt-en-zh",
                     "opus-tatoeba-en-ja", "nllb-200-distilled-600M"}
    assert {e.name for e in models_for("zh", manifest)} == {"opus-mt-zh-en", "opus-mt-en-zh"}
    with pytest.raises(ConvertError, match="--for .fr."):
        models_for("fr", manifest)


def test_translate_on_the_gloss_names_the_command_for_its_pair(store, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("日本政府は新しい経済対策を発表した。\n"))
    assert main(["translate", "--from", "ja", "--to", "en"]) == 0
    err = capsys.readouterr().err
    assert "ja→en: translated with the offline dictionary gloss (tier gloss)" in err
    assert "newsdigest models get opus-mt-ja-en --ct2" in err


def test_a_transfer_that_never_gets_through_is_one_line_and_keeps_nothing(
        hub, store, monkeypatch, capsys):
    """Every try of the weights drops before a byte: six tries in a row bring nothing, one
    line says so, and the store is unchanged. (A drop after progress does not count: the
    next try resumes, see the test above.)"""
    import pipeline.translate.hub as hub_module

    monkeypatch.setattr(hub_module.time, "sleep", lambda s: None)
    hub.faults[WEIGHTS] = Fault(drop_after=0, always=True)
    rc, _, err = _get(capsys, "opus-mt-zh-en")
    assert rc == 1
    line = _error_line(err)
    assert f"{WEIGHTS}: transfer failed 6 times in a row with no new byte" in line
    assert not (store / "opus-mt-zh-en").exists()
    assert len([r for r in hub.requests if r[0] == "GET" and r[1].endswith(WEIGHTS)]) == 6
