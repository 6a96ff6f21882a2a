"""No network by default: the offline pipeline opens no socket; backends that can reach a
network declare it (`pipeline.network`) and a run that selects one says so."""

from __future__ import annotations

import json
import socket
import traceback
from typing import ClassVar

from conftest import SEEDS

from pipeline.config import Config
from pipeline.network import network_uses
from pipeline.run import run


class _Blocked(socket.socket):
    opened: ClassVar[list[tuple]] = []

    def __init__(self, *args, **kwargs):
        _Blocked.opened.append((args, traceback.format_stack()[-6:]))
        raise OSError("sockets are blocked in this test")


def test_the_default_pipeline_opens_no_socket(monkeypatch, tmp_path):
    """Any socket at all fails it, local ones included. One library is imported first:
    urllib3 (trafilatura's) binds a socket to ::1 once, at import, to learn whether the host
    has IPv6; that probe never leaves the machine."""
    import urllib3  # noqa: F401

    _Blocked.opened.clear()
    monkeypatch.setattr(socket, "socket", _Blocked)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: _Blocked(socket.AF_INET, socket.SOCK_STREAM))
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda *a, **k: _Blocked.opened.append(("getaddrinfo", a)) or [])
    result = run([SEEDS], Config(workers=1), out_dir=tmp_path)
    assert _Blocked.opened == []
    digest = json.loads((tmp_path / "digest.json").read_text("utf-8"))
    assert len(digest["events"]) >= 3 and result.exit_code == 0
    assert not [n for n in digest["notices"] if n.startswith("network:")]


def test_backends_that_need_a_network_say_so():
    assert network_uses(Config()) == []
    uses = network_uses(Config(translators=("llm", "gloss"), summarizer="llm",
                               embedder="sentence-transformers"))
    assert [u.split(" may ")[0] for u in uses] == [
        "network: translator llm", "network: summarizer llm",
        "network: embedder sentence-transformers"]
    assert all("connect to" in u for u in uses)
