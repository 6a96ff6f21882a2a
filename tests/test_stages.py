"""The stage registry is the pipeline's own order, and every entry leads to real code."""

from __future__ import annotations

import importlib
import json

from pipeline.cli import main
from pipeline.run import DOCUMENT_STAGES, process_document
from pipeline.stages import BY_NAME, STAGES, StageClock, describe_stages, stages_of


def _resolve(where: str):
    module, _, attr = where.partition(":")
    target = importlib.import_module(module)
    for part in attr.split("."):
        target = getattr(target, part)
    return target


def test_every_stage_names_the_code_that_does_it():
    assert len(BY_NAME) == len(STAGES)
    for stage in STAGES:
        assert callable(_resolve(stage.where)), stage.name


def test_the_document_stages_run_in_the_registrys_order(monkeypatch):
    import pipeline.run as run_module
    from pipeline.model import Document

    assert [name for name, _ in DOCUMENT_STAGES] == [s.name for s in stages_of("document")]
    ran = []

    def recorded(name, call):
        def stage(doc, config):
            ran.append(name)
            return call(doc, config)
        return name, stage

    monkeypatch.setattr(run_module, "DOCUMENT_STAGES",
                        tuple(recorded(name, call) for name, call in DOCUMENT_STAGES))
    process_document(Document(id="d", source="t", text="Officials said on Monday that the "
                                                        "bridge would reopen in May.\n"))
    assert ran == [s.name for s in stages_of("document")]


def test_a_run_times_its_stages_under_their_names_in_order(tmp_path):
    from pipeline.config import Config
    from pipeline.run import run
    from tests.test_daily import SEEDS

    result = run([SEEDS], Config(), out_dir=tmp_path)
    names = list(result.seconds)
    order = [s.name for s in STAGES]
    assert names == sorted(names, key=order.index)
    assert {"copies", "document vectors", "translations", "statistics", "events",
            "sentence vectors", "summaries", "framing", "digest", "render"} <= set(names)
    assert json.loads((tmp_path / "digest.json").read_text("utf-8"))["events"]


def test_the_clock_refuses_a_name_that_is_no_stage():
    clock = StageClock()
    try:
        with clock("summarise"):
            pass
    except AssertionError as exc:
        assert "summarise" in str(exc)
    else:
        raise AssertionError("an unknown stage name was timed")


def test_newsdigest_stages_prints_the_table(capsys):
    assert main(["stages"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == describe_stages()
    assert out.index("segment") < out.index("copies") < out.index("summaries")
