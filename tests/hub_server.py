"""A local model hub on 127.0.0.1 that answers what `huggingface_hub` asks when it downloads
(`HF_ENDPOINT` points at it): the model info API with file metadata, and `resolve` URLs with
HEAD, ranges (resumed transfers) and the hub's error headers. Faults are set per file:
a transfer that drops after some bytes, one that stalls, bytes that do not match the listed
checksum, a listed file that answers 404.

    with HubServer() as hub:
        hub.add_repo("Helsinki-NLP/opus-mt-zh-en", "fff3…", folder)
        hub.faults["pytorch_model.bin"] = Fault(drop_after=50_000)
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

LFS_NAMES = re.compile(r"\.(bin|safetensors|spm|model)$")  # stored in LFS on the hub


@dataclass
class Fault:
    drop_after: int | None = None  # close the connection after this many bytes, once
    always: bool = False  # drop every transfer of the file, not only the first
    stall_after: int | None = None  # send this many bytes, then wait (until the test ends)
    corrupt: bool = False  # flip a byte: the listed checksum no longer matches
    missing: bool = False  # listed in the model info, 404 when fetched
    used: bool = False


@dataclass
class Repo:
    commit: str
    files: dict[str, bytes]

    def sibling(self, name: str) -> dict:
        data = self.files[name]
        blob = hashlib.sha1(f"blob {len(data)}\0".encode() + data).hexdigest()
        row = {"rfilename": name, "size": len(data), "blobId": blob}
        if LFS_NAMES.search(name):
            row["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                          "pointerSize": 134}
        return row

    def etag(self, name: str) -> str:
        row = self.sibling(name)
        return row["lfs"]["sha256"] if "lfs" in row else row["blobId"]


@dataclass
class Hub:
    repos: dict[str, Repo] = field(default_factory=dict)
    faults: dict[str, Fault] = field(default_factory=dict)  # by file name, any repo
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, Range
    stop: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    hub: Hub
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        hub = self.hub
        hub.requests.append((self.command, self.path, self.headers.get("Range")))
        path = self.path.split("?", 1)[0]
        api = re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/([^/]+))?", path)
        if api:
            return self._info(api.group(1), api.group(2) or "main")
        res = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if not res:
            return self._error(404, "RepoNotFound", "no such route")
        repo = self._repo(res.group(1), res.group(2))
        if repo is None:
            return
        name = res.group(3)
        fault = hub.faults.get(name, Fault())
        if name not in repo.files or fault.missing:
            return self._error(404, "EntryNotFound", f"{name} not found", repo.commit)
        data = repo.files[name]
        start = 0
        ranged = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if ranged and not head:
            start = int(ranged.group(1))
        self.send_response(206 if start else 200)
        self.send_header("X-Repo-Commit", repo.commit)
        self.send_header("ETag", f'"{repo.etag(name)}"')
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        if head:
            return
        body = data[start:]
        if fault.corrupt:
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        if fault.drop_after is not None and (fault.always or not fault.used):
            fault.used = True
            self.wfile.write(body[:fault.drop_after])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)  # the transfer breaks mid-file
            return
        if fault.stall_after is not None:
            self.wfile.write(body[:fault.stall_after])
            self.wfile.flush()
            hub.stop.wait(60)
            self.close_connection = True
            return
        self.wfile.write(body)

    def _repo(self, repo_id: str, revision: str) -> Repo | None:
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            self._error(404, "RepoNotFound", f"Repository {repo_id} not found")
            return None
        if revision not in (repo.commit, "main"):
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
            return None
        return repo

    def _info(self, repo_id: str, revision: str) -> None:
        repo = self._repo(repo_id, revision)
        if repo is None:
            return
        body = json.dumps({"id": repo_id, "modelId": repo_id, "sha": repo.commit,
                           "private": False, "siblings": [repo.sibling(n) for n in
                                                          sorted(repo.files)]}).encode()
        self._send(200, body, {"Content-Type": "application/json"})

    def _error(self, status: int, code: str, message: str, commit: str | None = None) -> None:
        headers = {"X-Error-Code": code, "X-Error-Message": message,
                   "Content-Type": "application/json"}
        if commit:
            headers["X-Repo-Commit"] = commit
        self._send(status, json.dumps({"error": message}).encode(), headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a dropped transfer resets its connection on purpose


class HubServer:
    """`with HubServer() as hub:` answers the hub API at `hub.endpoint`."""

    def __init__(self) -> None:
        self.state = Hub()
        handler = type("Handler", (_Handler,), {"hub": self.state})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def faults(self) -> dict[str, Fault]:
        return self.state.faults

    @property
    def requests(self) -> list[tuple[str, str, str | None]]:
        return self.state.requests

    def add_repo(self, repo_id: str, commit: str, folder: Path) -> None:
        """Serve every file of `folder` as `repo_id` at `commit`."""
        files = {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}
        self.state.repos[repo_id] = Repo(commit, files)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.stop.set()
        time.sleep(0.05)
        self.httpd.shutdown()
        self.httpd.server_close()
