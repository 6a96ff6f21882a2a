"""The per-document stages on a process pool give what they give one by one, in order."""

from __future__ import annotations

import pytest

from newsdigest_eval.evaldata import ntrex_documents
from pipeline import run as run_module
from pipeline.config import Config
from pipeline.model import Digest, digest_to_dict
from pipeline.run import POOL_MIN_DOCUMENTS, process_documents


@pytest.fixture(scope="module")
def ntrex(evaldata):
    if not (evaldata / "ntrex128").is_dir():
        pytest.skip("evaldata/ntrex128 is not there")
    return lambda: ntrex_documents(50, 6, folder=evaldata / "ntrex128")  # 200 documents


def _as_json(docs):
    return digest_to_dict(Digest(documents=docs, events=[], langs=("en", "zh")))["documents"]


def test_pool_and_one_by_one_agree_on_real_articles(ntrex):
    docs = ntrex()
    assert len(docs) >= POOL_MIN_DOCUMENTS
    pooled, pooled_problems = process_documents(docs, Config(workers=2))
    serial, serial_problems = process_documents(ntrex(), Config(workers=1))
    assert pooled_problems == serial_problems == []
    assert [d.id for d in pooled] == [d.id for d in docs]
    assert _as_json(pooled) == _as_json(serial)
    assert {d.main_lang for d in pooled} == {"en", "zh", "ja", "ko"}


def test_a_document_failing_in_a_worker_is_reported_and_the_rest_kept(ntrex, monkeypatch):
    doomed = {d.id for d in ntrex()[3::40]}  # five Korean versions, most in the pool's share

    def explode(doc, _config):
        if doc.id in doomed:
            raise RuntimeError("boom")

    monkeypatch.setattr(run_module, "DOCUMENT_STAGES",
                        (*run_module.DOCUMENT_STAGES, ("explode", explode)))
    docs = ntrex()
    kept, problems = process_documents(docs, Config(workers=2))
    failed = [d.id for d in docs if d.id in doomed]
    assert len(failed) == 5 and len(problems) == 5
    assert all("could not be processed (RuntimeError: boom)" in p for p in problems)
    assert all(f"[{doc_id}]" in p for doc_id, p in zip(failed, problems))
    assert [d.id for d in kept] == [d.id for d in docs if d.id not in failed]
