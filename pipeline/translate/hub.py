"""Fetching manifest models from the model hub into the store (`newsdigest models get`).

The pinned commit of models/manifest.toml is listed with `huggingface_hub` (file sizes and
checksums; the user's token for gated models) and its files fetched into
`<store>/.partial/<name>` by `transfer`, which resumes an interrupted file with a Range
request, also in a later run after the process was killed (huggingface_hub 2.5's own
downloader restarts such a file from zero in a new process). Every file is checked against the hub's own checksum (sha256 for LFS files, the
git blob id for the others), the checksums are recorded in `<name>/newsdigest-download.json`,
and only then is the folder moved to `<store>/<name>` in one rename: the store never holds a
half-downloaded or unverified model, whatever stops the command.

`HF_ENDPOINT` names another hub (a mirror, or the tests' local server). This is the one
command that goes online for models, so it ignores the offline switch the CLI sets for every
other command.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.translate.manifest import (
    ModelEntry,
    json_object,
    model_folder,
    replace_folder,
    store_dir,
)

RECORD_FILE = "newsdigest-download.json"
PARTIAL_DIR = ".partial"
DEFAULT_ENDPOINT = "https://huggingface.co"
# what a translator needs; weights: the first of WEIGHTS the commit has (never both, nor the
# TensorFlow, Flax or Rust copies some repositories also carry)
WANTED = ("*.json", "*.spm", "*.model", "README.md")
WEIGHTS = ("model.safetensors", "pytorch_model.bin")


class GetError(RuntimeError):
    """A model that could not be fetched; the message is one line for the user."""


@dataclass
class Fetched:
    entry: ModelEntry
    folder: Path
    commit: str
    files: dict[str, dict] = field(default_factory=dict)  # name -> {size, sha256}
    already: bool = False  # the store held this revision: nothing was downloaded


def hub_endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def read_record(folder: Path) -> dict:
    """The folder's download record, or {} when absent or unreadable."""
    return json_object(Path(folder) / RECORD_FILE)


def wanted_files(siblings) -> list:
    """The repository files a translator needs, in a stable order."""
    names = {s.rfilename for s in siblings}
    weights = next((w for w in WEIGHTS if w in names), None)
    keep = [s for s in siblings if "/" not in s.rfilename and (
        s.rfilename == weights or any(fnmatch.fnmatch(s.rfilename, p) for p in WANTED))]
    return sorted(keep, key=lambda s: s.rfilename)


def get_model(entry: ModelEntry, store: Path | None = None, *, endpoint: str | None = None,
              progress: bool = True, force: bool = False) -> Fetched:
    """Download `entry` at its pinned revision into the store; returns what was fetched.
    Raises GetError with a one-line reason; the store is unchanged then (what arrived so far
    stays in <store>/.partial/<name> for the next try to resume)."""
    store = Path(store or store_dir())
    endpoint = (endpoint or hub_endpoint()).rstrip("/")
    folder = model_folder(entry, store)
    record = read_record(folder)
    if not force and (folder / "config.json").is_file() and \
            record.get("revision") == entry.revision:
        return Fetched(entry, folder, record.get("commit", ""), record.get("files", {}), True)
    try:
        import huggingface_hub  # noqa: F401
    except ImportError as exc:
        raise GetError("needs huggingface_hub: pip install 'newsdigest[nmt]'") from exc
    partial = store / PARTIAL_DIR / entry.name
    partial.mkdir(parents=True, exist_ok=True)
    with _online():
        commit, files = _download(entry, partial, endpoint, progress)
    fetched = Fetched(entry, folder, commit, files)
    (partial / RECORD_FILE).write_text(json.dumps({
        "name": entry.name, "hub": entry.hub, "revision": entry.revision, "commit": commit,
        "endpoint": endpoint, "fetched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "files": files}, indent=2) + "\n", "utf-8")
    shutil.rmtree(partial / ".verified", ignore_errors=True)
    replace_folder(partial, folder)
    return fetched


def _download(entry: ModelEntry, partial: Path, endpoint: str,
              progress: bool) -> tuple[str, dict[str, dict]]:
    from huggingface_hub import HfApi, hf_hub_url
    from huggingface_hub.utils import build_hf_headers

    from pipeline.progress import ProgressBar

    where = f"the hub at {endpoint}"
    try:
        info = HfApi(endpoint=endpoint).model_info(entry.hub, revision=entry.revision,
                                                   files_metadata=True)
    except Exception as exc:
        raise GetError(f"{entry.name}: {_why(exc, entry, where)}") from exc
    siblings = wanted_files(info.siblings or [])
    if not any(s.rfilename == "config.json" for s in siblings):
        raise GetError(f"{entry.name}: {entry.hub}@{entry.revision[:12]} on {where} has no "
                       "config.json: not a transformers model")
    commit = info.sha or entry.revision
    headers = build_hf_headers()  # the user's token, if logged in (gated models)
    files: dict[str, dict] = {}
    with ProgressBar(progress and sys.stderr.isatty()) as bar:
        for sibling in siblings:
            path = partial / sibling.rfilename
            size = sibling.lfs.size if sibling.lfs else sibling.size
            if not _complete(path, partial, commit):
                url = hf_hub_url(entry.hub, sibling.rfilename, revision=commit,
                                 endpoint=endpoint)
                try:
                    transfer(url, path, size, headers,
                             lambda done, total, n=sibling.rfilename: bar(n, done, total))
                except TransferError as exc:
                    raise GetError(f"{entry.name}: {sibling.rfilename}: {exc} on {where}; "
                                   "the store is unchanged") from exc
            files[sibling.rfilename] = _verify(path, sibling, entry)
            _mark_complete(path, partial, commit)
    return commit, files


class TransferError(RuntimeError):
    """A file that could not be fetched (HTTP status, network); one line."""


def transfer(url: str, dest: Path, size: int | None, headers: dict[str, str],
             report=lambda done, total: None, retries: int = 5) -> None:
    """GET `url` into `dest` through `dest.incomplete`, resuming from what an earlier,
    interrupted try left there (a Range request; a server that ignores it restarts the file).
    A dropped connection, a 429 or a 5xx is tried again, resuming, with a doubling pause;
    it fails after `retries` + 1 tries in a row that brought no new byte."""
    import httpx

    part = dest.with_name(dest.name + ".incomplete")
    if size is not None and part.is_file() and part.stat().st_size > size:
        part.unlink()  # longer than the file: not a prefix of it
    timeout = httpx.Timeout(30.0, connect=10.0)
    fruitless = 0
    while True:
        have = part.stat().st_size if part.is_file() else 0
        ask = dict(headers, **({"Range": f"bytes={have}-"} if have else {}),
                   **{"Accept-Encoding": "identity"})
        try:
            with httpx.stream("GET", url, headers=ask, timeout=timeout,
                              follow_redirects=True) as response:
                if response.status_code == 416 and have == size:
                    break  # everything was there already
                if response.status_code in RETRY_STATUS:
                    raise _Transient(f"HTTP {response.status_code}")
                if response.status_code >= 400:
                    raise TransferError(_status_text(response.status_code))
                mode = "ab" if response.status_code == 206 else "wb"
                done = have if mode == "ab" else 0
                # unbuffered: whatever was received is on disk if the process is killed
                with part.open(mode, buffering=0) as fh:
                    for chunk in response.iter_bytes():  # as it arrives: nothing held back
                        fh.write(chunk)
                        done += len(chunk)
                        report(done, size)
            if size is None or part.stat().st_size == size:
                break
            raise _Transient("the connection closed early")
        except (httpx.TransportError, httpx.StreamError, _Transient) as exc:
            grew = (part.stat().st_size if part.is_file() else 0) > have
            fruitless = 0 if grew else fruitless + 1
            if fruitless > retries:
                why = str(exc) if isinstance(exc, _Transient) else type(exc).__name__
                raise TransferError(f"transfer failed {fruitless} times in a row with no new "
                                    f"byte ({why}); what arrived is kept for the next try"
                                    ) from exc
            time.sleep(min(8.0, 0.5 * 2 ** fruitless))
    part.replace(dest)


RETRY_STATUS = {408, 429, 500, 502, 503, 504}


class _Transient(Exception):
    """A try that may work again: a retryable status or a short body."""


def _status_text(status: int) -> str:
    if status == 404:
        return "not found (404)"
    if status in (401, 403):
        return f"refused (HTTP {status}: a gated model needs `hf auth login`)"
    return f"answered HTTP {status}"


def _complete(path: Path, partial: Path, commit: str) -> bool:
    """Whether an earlier try fetched and verified this file at this commit."""
    return path.is_file() and (partial / ".verified" / f"{path.name}.{commit}").is_file()


def _mark_complete(path: Path, partial: Path, commit: str) -> None:
    marks = partial / ".verified"
    marks.mkdir(exist_ok=True)
    (marks / f"{path.name}.{commit}").touch()


def _verify(path: Path, sibling, entry: ModelEntry) -> dict:
    """The file's size and sha256, checked against the hub's size and checksum. A mismatch
    removes the file, so the next try fetches it anew."""
    size = path.stat().st_size
    sha256, blob = hashlib.sha256(), hashlib.sha1()
    blob.update(f"blob {size}\0".encode())
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            sha256.update(chunk)
            blob.update(chunk)
    lfs = getattr(sibling, "lfs", None)
    expected = lfs.sha256 if lfs else sibling.blob_id
    got = sha256.hexdigest() if lfs else blob.hexdigest()
    expected_size = lfs.size if lfs else sibling.size
    problem = None
    if expected_size is not None and size != expected_size:
        problem = f"{size} bytes where the hub lists {expected_size}"
    elif expected and got != expected:
        problem = f"checksum {got[:12]}… where the hub lists {expected[:12]}…"
    if problem:
        path.unlink(missing_ok=True)
        raise GetError(f"{entry.name}: {sibling.rfilename} is corrupt ({problem}); it was "
                       "removed and the store is unchanged: run the command again")
    return {"size": size, "sha256": sha256.hexdigest(), "verified": bool(expected)}


def _why(exc: Exception, entry: ModelEntry, where: str) -> str:
    """One line for a hub client error."""
    from huggingface_hub import errors

    if isinstance(exc, errors.RevisionNotFoundError):
        return f"{where} has no revision {entry.revision} of {entry.hub}"
    if isinstance(exc, errors.RepositoryNotFoundError):
        return f"{where} has no model {entry.hub} (404)"
    if isinstance(exc, errors.HfHubHTTPError) and exc.response is not None:
        return f"{where} answered HTTP {exc.response.status_code}"
    if isinstance(exc, errors.OfflineModeIsEnabled):
        return f"cannot reach {where}: offline mode is set"
    first = " ".join(str(exc).split())[:200]
    return f"cannot fetch from {where}: {type(exc).__name__}: {first}"


@contextlib.contextmanager
def _online():
    """The hub client allowed online, whatever HF_HUB_OFFLINE says: `models get` is the
    command that goes online for models."""
    from huggingface_hub import constants

    offline = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = False
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE = offline
