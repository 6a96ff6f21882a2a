"""`newsdigest run --summarizer llm` end to end against a local chat-completions server.

The fake model rewrites each evidence sentence it is sent (citing it), slips a wrong figure
into one, and obeys an instruction planted in the evidence; the claim check must keep the
first, replace the second and never show the third.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.cli import main
from tests.conftest import SEEDS


class FakeSummarizer:
    def __init__(self) -> None:
        self.prompts: list[str] = []

    def answer(self, body: dict) -> str:
        system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
        self.prompts.append(user)
        if "headline" in system:
            first = user.split("<<<ARTICLE\n", 1)[1].splitlines()[0]
            return first.split(",")[0][:80]
        lines = re.findall(r"^\[S(\d+)\] \((\w+)\) (.*?)(?: = \(\w+\) .*)?$", user, re.MULTILINE)
        out = []
        for number, _, text in lines:
            if "$12 billion" in text:
                text = text.replace("$12 billion", "$21 billion")
            out.append(f"{text} [S{number}]")
        if lines:
            out.append(f"The reserve is worth $99 billion. [S{lines[0][0]}]")
        return "\n".join(out)


@pytest.fixture
def endpoint(monkeypatch):
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    model = FakeSummarizer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            reply = model.answer(body)
            data = json.dumps({"choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": reply}}]},
                              ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                     daemon=True).start()
    model.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield model
    server.shutdown()
    server.server_close()


def _run(tmp_path, url: str) -> dict:
    config = tmp_path / "llm.toml"
    config.write_text(f'summarizer = "llm"\n[summarizer_options]\nbase_url = "{url}"\n'
                      'model = "fake"\nretries = 0\ntimeout = 5\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--config", str(config), "--quiet"]) == 0
    return json.loads((out / "digest.json").read_text("utf-8"))


def test_llm_summaries_are_checked_sentence_by_sentence(tmp_path, endpoint):
    digest = _run(tmp_path, endpoint.url)
    assert digest["backends"]["summarizer"] == "llm"
    english = [s for e in digest["events"] for s in e["summary"]["en"]]
    generated = [s for s in english if s["tier"] == "llm"]
    assert generated and all(s["check"]["action"] == "kept" for s in generated)
    assert all(s["backend"] == "llm" for s in generated)
    replaced = [s for s in english if s.get("check", {}).get("action") == "replaced"]
    wrong = next(s for s in replaced if "$21 billion" in s["check"]["generated"])
    assert wrong["check"]["unsupported"] == ["num:21000000000"]
    assert "$12 billion" in wrong["text"]
    assert not any("$99 billion" in s["text"] for s in english)
    assert any(e["title_detail"]["en"]["tier"] == "llm" for e in digest["events"])
    assert all("<<<ARTICLE" in p and "ARTICLE>>>" in p for p in endpoint.prompts)


def test_an_unreachable_endpoint_leaves_extractive_summaries_and_a_notice(tmp_path):
    digest = _run(tmp_path, "http://127.0.0.1:9/v1")  # discard port: nothing listens
    assert all(s["tier"] != "llm" for e in digest["events"] for s in e["summary"]["en"])
    assert any(n.startswith("summarizer llm:") for n in digest["notices"])


def test_batch_uses_the_same_generator_as_run(tmp_path, endpoint):
    """`newsdigest batch` builds its backends where `run` does (`pipeline.backends`), so
    `summarizer = "llm"` writes checked LLM summaries into every day digest too."""
    from tests.test_batch import _archive

    config = tmp_path / "llm.toml"
    config.write_text(f'summarizer = "llm"\n[summarizer_options]\nbase_url = "{endpoint.url}"\n'
                      'model = "fake"\nretries = 0\ntimeout = 5\n', encoding="utf-8")
    out = tmp_path / "out"
    code = main(["batch", str(_archive(tmp_path)), "--out", str(out), "--config", str(config),
                 "--quiet"])
    assert code in (0, 2)  # 2: the archive's planted bad rows
    days = sorted(out.glob("days/*/digest.json")) or sorted(out.rglob("digest.json"))
    assert days
    tiers = [s["tier"] for day in days
             for e in json.loads(day.read_text("utf-8"))["events"] for s in e["summary"]["en"]]
    assert "llm" in tiers
    assert endpoint.prompts
