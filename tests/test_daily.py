"""The daily digest: --date/--since windows, ranking, and new/updated/seen against a previous
digest (`pipeline.daily`, docs/daily.md), on the seeds and on a small dated feed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.daily import (
    PreviousDigestError,
    Window,
    in_window,
    load_previous,
    parse_day,
    rank_events,
    select_events,
)
from pipeline.model import SCHEMA, Document, Event
from pipeline.render import render_html, render_markdown
from pipeline.run import run
from tests.conftest import SEEDS

D = dt.date
S000, S001, S002, S003, S004 = (next(SEEDS.glob(f"00{i}_*.txt")).stem for i in range(5))

# a feed over three days: one quake event reported on 06-07 (twice) and 06-08, prices on
# 06-08, football on 06-09, and an undated volcano
QUAKE = "A magnitude 6.1 earthquake struck off the coast of Kyushu"
FEED = {
    "quake-0607": ("2025-06-07", "Kyodo",
                   "Strong earthquake strikes off Kyushu, no tsunami warning",
                   (f"{QUAKE} in southern Japan on Saturday. The Japan Meteorological Agency said "
                    "no tsunami warning was issued. Trains on the Kyushu Shinkansen line were "
                    "halted for safety checks. No injuries were reported in Miyazaki or Kagoshima "
                    "prefectures.")),
    "quake-0607b": ("2025-06-07", "Asahi", "Magnitude 6.1 quake off Kyushu halts bullet trains",
                    ("An earthquake with a preliminary magnitude of 6.1 hit waters off Kyushu on "
                     "Saturday evening, the Japan Meteorological Agency said. Bullet train "
                     "services on the Kyushu Shinkansen were suspended while tracks were "
                     "inspected. The agency said there was no risk of a tsunami. Local officials "
                     "in Kagoshima reported minor damage to roads.")),
    "quake-0608": ("2025-06-08", "NHK",
                   "Kyushu earthquake: aftershocks rattle Miyazaki as trains resume",
                   ("Several aftershocks rattled Miyazaki prefecture on Sunday, a day after a "
                    "magnitude 6.1 earthquake struck off Kyushu. The Japan Meteorological Agency "
                    "warned of further quakes of similar strength for about a week. Kyushu "
                    "Shinkansen services resumed after safety checks. Officials said no tsunami "
                    "was expected.")),
    "cpi-0608": ("2025-06-08", "Xinhua", "China consumer prices rise 0.3% in May",
                 ("China's consumer price index rose 0.3 percent in May from a year earlier, the "
                  "National Bureau of Statistics said on Sunday. Food prices fell while energy "
                  "costs climbed. Producer prices declined for a twentieth month. Economists "
                  "said weak domestic demand keeps inflation subdued.")),
    "football-0609": ("2025-06-09", "Reuters",
                      "Spain beat Portugal on penalties to win Nations League",
                      ("Spain beat Portugal on penalties to win the UEFA Nations League final in "
                       "Munich on Monday. The match ended 2-2 after extra time. Goalkeeper Unai "
                       "Simon saved two penalties in the shootout. Portugal captain Cristiano "
                       "Ronaldo scored earlier in the match before being substituted.")),
    "volcano-undated": (None, None, "Volcano erupts in Iceland near Grindavik",
                        ("A volcano erupted on the Reykjanes peninsula in Iceland near the town "
                         "of Grindavik. Lava fountains rose dozens of meters into the air. "
                         "Authorities evacuated the Blue Lagoon spa as a precaution. Flights at "
                         "Keflavik airport were not affected.")),
}


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    lines = []
    for doc_id, (date, outlet, title, text) in FEED.items():
        record = {"id": doc_id, "title": title, "text": text}
        record |= {"date": date} if date else {}
        record |= {"outlet": outlet} if outlet else {}
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _json(out: Path) -> dict:
    return json.loads((out / "digest.json").read_text(encoding="utf-8"))


def _event_of(digest: dict, doc_id: str) -> dict:
    return next(e for e in digest["events"] if doc_id in e["documents"])


@pytest.fixture(scope="module")
def seeds_of_0608(tmp_path_factory):
    """The seeds with --date 2025-06-08, recording which events were summarised."""
    import pipeline.compose as run_module  # where run summarises events

    summarised: list[str] = []
    real = run_module.summarize_event

    def recording(event, *args, **kwargs):
        summarised.append(event.id)
        return real(event, *args, **kwargs)

    out = tmp_path_factory.mktemp("d0608")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(run_module, "summarize_event", recording)
        result = run([SEEDS], Config(), out_dir=out, window=Window.of(D(2025, 6, 8)))
    return result, out, summarised


# --------------------------------------------------------------------------- units


def test_window_and_day_parsing():
    assert Window.of(D(2025, 6, 8)) == Window(D(2025, 6, 8), D(2025, 6, 8))
    assert Window.of(since=D(2025, 6, 8)) == Window(D(2025, 6, 8), None)
    assert not Window.of().bounded and Window.of().describe() == "all events"
    assert Window.of(D(2025, 6, 8)).describe() == "events of 2025-06-08"
    assert Window.of(since=D(2025, 6, 8)).describe() == "events since 2025-06-08"
    assert Window(D(2025, 6, 8), None).contains(D(2030, 1, 1))
    assert not Window(D(2025, 6, 8), D(2025, 6, 8)).contains(D(2025, 6, 9))
    with pytest.raises(ValueError):
        Window.of(D(2025, 6, 8), D(2025, 6, 1))
    assert parse_day("2025-06-08") == D(2025, 6, 8)
    assert parse_day("yesterday", today=D(2025, 6, 1)) == D(2025, 5, 31)
    assert parse_day("today", today=D(2025, 6, 1)) == D(2025, 6, 1)
    for bad in ("2025-13-01", "2025-02-30", "June 8", "20250608", ""):
        with pytest.raises(ValueError, match="not a date"):
            parse_day(bad)


def _docs(**dates: dt.date | None) -> dict[str, Document]:
    return {i: Document(id=i, text=i, source=i, date=d) for i, d in dates.items()}


def test_membership_counts_copies_and_leaves_undated_out():
    docs = _docs(a=D(2025, 6, 7), b=D(2025, 6, 8), u=None)
    window = Window.of(D(2025, 6, 8))
    assert in_window(Event("e1", ["a"], copies=["b"]), docs, window)  # a copy dated that day
    assert not in_window(Event("e2", ["a"]), docs, window)
    assert not in_window(Event("e3", ["u"]), docs, window)  # undated: out of a dated window
    assert in_window(Event("e3", ["u"]), docs, Window.of())  # no window: every event
    kept, report, notices = select_events([Event("e2", ["a"]), Event("e3", ["u"])], docs, window)
    assert kept == []
    assert [(x["event"], x["reason"], x["dates"]) for x in report["left_out"]] == [
        ("e2", "outside-window", ["2025-06-07", "2025-06-07"]), ("e3", "undated", [])]
    assert report["events_left_out"] == {"undated": 1, "outside-window": 1}
    assert any("1 undated event left out" in n for n in notices)
    assert any(n.startswith("no event in the window") for n in notices)


def test_rank_sources_then_recency_then_size_then_id():
    docs = _docs(old1=D(2025, 6, 1), old2=D(2025, 6, 1), old3=D(2025, 6, 2), new=D(2025, 6, 9),
                 mid=D(2025, 6, 5), mid2=D(2025, 6, 5), later=D(2025, 6, 20), u=None)
    three = Event("e-three", ["old1", "old2", "old3"], independent_sources=3)
    newer = Event("e-newer", ["new"], independent_sources=1)
    mid = Event("e-mid", ["mid"], independent_sources=1)
    mid_copy = Event("e-mid-copy", ["mid2"], copies=["u"], independent_sources=1)
    undated = Event("e-undated", ["u"], independent_sources=1)
    ranked = rank_events([undated, mid, newer, mid_copy, three], docs)
    assert [e.id for e in ranked] == ["e-three", "e-newer", "e-mid-copy", "e-mid", "e-undated"]
    assert [e.rank for e in ranked] == [1, 2, 3, 4, 5]
    # recency is read inside the window: a later article does not make yesterday's event newer
    late = Event("e-late", ["mid", "later"], independent_sources=1)
    window = Window(D(2025, 6, 1), D(2025, 6, 10))
    assert [e.id for e in rank_events([late, newer], docs, window)] == ["e-newer", "e-late"]
    assert [e.id for e in rank_events([late, newer], docs)] == ["e-late", "e-newer"]


def test_previous_digest_errors_are_one_line(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(PreviousDigestError, match="no such file"):
        load_previous(missing)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(PreviousDigestError, match="not valid JSON"):
        load_previous(bad)
    bad.write_text(json.dumps({"schema": "other@1", "events": []}), encoding="utf-8")
    with pytest.raises(PreviousDigestError, match="not a newsdigest digest"):
        load_previous(bad)
    bad.write_text(json.dumps({"schema": SCHEMA, "events": [{"id": "e", "documents": "a"}]}),
                   encoding="utf-8")
    with pytest.raises(PreviousDigestError, match=r"events\[0\]"):
        load_previous(bad)
    (tmp_path / "digest.json").write_text(json.dumps({"schema": SCHEMA, "events": []}),
                                          encoding="utf-8")
    assert load_previous(tmp_path).events == 0  # a folder: its digest.json


# --------------------------------------------------------------------------- seeds, end to end


def test_date_keeps_that_days_events_and_lists_the_rest(seeds_of_0608, seed_run):
    result, out, summarised = seeds_of_0608
    digest, full = _json(out), _json(seed_run[1])
    assert result.exit_code == 0
    assert [e["documents"] for e in digest["events"]] == [[S000]]
    event = digest["events"][0]
    assert event["rank"] == 1 and "status" not in event
    assert summarised == [event["id"]]  # left-out events are never summarised or translated
    window = digest["window"]
    assert (window["start"], window["end"], window["label"]) == (
        "2025-06-08", "2025-06-08", "events of 2025-06-08")
    # the day as known at its end (what `batch` writes for it): the 06-09 article and the
    # undated ones are not clustered, and are listed as such
    assert window["events_in_run"] == 1 and window["events_kept"] == 1
    assert window["not_clustered"] == sorted(d["id"] for d in digest["documents"] if d["id"] != S000)
    assert S003 in window["not_clustered"] and S002 in window["not_clustered"]
    statuses = {d["id"]: (d["event"], d["cluster_status"]) for d in digest["documents"]}
    assert statuses[S000][0] == {d["id"]: d["event"] for d in full["documents"]}[S000]
    assert all(statuses[i] == (None, "after-window") for i in window["not_clustered"])
    assert any("4 documents dated after 2025-06-08 or undated not clustered" in n
               for n in digest["notices"])
    md = (out / "digest.md").read_text(encoding="utf-8")
    assert md.startswith("# News digest: events of 2025-06-08\n")
    assert ("**Window:** events of 2025-06-08; 0 events left out; 4 documents dated after it or "
            "undated not clustered") in md
    html = (out / "digest.html").read_text(encoding="utf-8")
    assert "<title>News digest: events of 2025-06-08</title>" in html


def test_without_window_events_are_ranked_by_sources_then_recency(seed_run):
    digest = _json(seed_run[1])
    order = [e["documents"] for e in digest["events"]]
    assert sorted(order[0]) == sorted([S001, S004])  # two independent sources, undated
    assert order[1:] == [[S003], [S000], [S002]]  # one each: 06-09, 06-08, undated
    assert [e["rank"] for e in digest["events"]] == [1, 2, 3, 4]
    assert digest["window"]["label"] == "all events" and digest["window"]["left_out"] == []
    assert "**Window:**" not in (seed_run[1] / "digest.md").read_text(encoding="utf-8")


def test_previous_marks_new_and_seen(seeds_of_0608, tmp_path):
    _, previous, _ = seeds_of_0608
    result = run([SEEDS], Config(), out_dir=tmp_path, previous=previous / "digest.json")
    digest = _json(tmp_path)
    status = {tuple(sorted(e["documents"])): e["status"] for e in digest["events"]}
    assert status == {(S000,): "seen", (S003,): "new", (S002,): "new",
                      tuple(sorted([S001, S004])): "new"}
    seen = _event_of(digest, S000)
    assert seen["new_documents"] == [] and seen["previous_events"] == [seen["id"]]
    assert _event_of(digest, S003)["new_documents"] == [S003]
    assert digest["window"]["previous"] == {
        "path": str(previous / "digest.json"), "events": 1,
        "window": {"start": "2025-06-08", "end": "2025-06-08"}}
    assert digest["window"]["status_counts"] == {"new": 3, "updated": 0, "seen": 1}
    assert result.exit_code == 0
    md = (tmp_path / "digest.md").read_text(encoding="utf-8")
    assert md.count("`NEW`") == 6  # contents and heading of each of the three new events
    assert "- **Compared with:** " in md and "(events of 2025-06-08): 3 new, 0 updated, 1 seen" in md
    html = (tmp_path / "digest.html").read_text(encoding="utf-8")
    assert html.count('class="status status-new"') == 6


def test_rerun_against_its_own_output_is_all_seen(seed_run, tmp_path):
    code = main(["run", str(SEEDS), "--out", str(tmp_path), "--quiet",
                 "--previous", str(seed_run[1])])
    digest = _json(tmp_path)
    assert code == 0
    assert {e["status"] for e in digest["events"]} == {"seen"}
    assert all(e["new_documents"] == [] for e in digest["events"])
    md = (tmp_path / "digest.md").read_text(encoding="utf-8")
    assert "`NEW`" not in md and "`UPDATED`" not in md


def test_updated_lists_the_articles_the_previous_digest_lacked(tmp_path):
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps({"schema": SCHEMA, "events": [
        {"id": "evt-old", "documents": [S001], "copies": []},
        {"id": "evt-000", "documents": [S000]}]}), encoding="utf-8")
    out = tmp_path / "out"
    run([SEEDS], Config(), out_dir=out, previous=previous)
    digest = _json(out)
    updated = _event_of(digest, S004)
    assert updated["status"] == "updated"
    assert updated["new_documents"] == [S004] and updated["previous_events"] == ["evt-old"]
    assert _event_of(digest, S000)["status"] == "seen"
    assert _event_of(digest, S003)["status"] == "new"
    md = (out / "digest.md").read_text(encoding="utf-8")
    assert "`UPDATED`" in md and f"new articles: {S004}".replace("_", "\\_") in md
    assert 'class="status status-updated"' in (out / "digest.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- a dated feed


def test_feed_date_keeps_the_day_and_links_earlier_articles(feed, tmp_path):
    run([feed], Config(), out_dir=tmp_path, window=Window.of(D(2025, 6, 8)))
    digest = _json(tmp_path)
    kept = [sorted(e["documents"]) for e in digest["events"]]
    # the quake event gathers the 06-07 articles too (clustering read the days before) and
    # its three sources rank it above the prices story
    assert kept == [["quake-0607", "quake-0607b", "quake-0608"], ["cpi-0608"]]
    assert digest["window"]["left_out"] == []
    # the next day's article and the undated page are not clustered: the day as known then
    assert digest["window"]["not_clustered"] == ["football-0609", "volcano-undated"]


def test_feed_since_ranks_sources_then_newer_first(feed, tmp_path):
    run([feed], Config(), out_dir=tmp_path, window=Window.of(since=D(2025, 6, 7)))
    digest = _json(tmp_path)
    order = [(e["independent_sources"], e["documents"][0] if len(e["documents"]) == 1 else "quake")
             for e in digest["events"]]
    # three sources beat a newer single source; equal sources: the newer event first
    assert order == [(3, "quake"), (1, "football-0609"), (1, "cpi-0608")]
    assert [x["documents"] for x in digest["window"]["left_out"]] == [["volcano-undated"]]


# --------------------------------------------------------------------------- the command line


def test_cli_since_and_summary_line(tmp_path, capsys):
    code = main(["run", str(SEEDS), "--since", "2025-06-09", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 0
    assert [e["documents"] for e in _json(tmp_path)["events"]] == [[S003]]
    assert "1 events since 2025-06-09 (3 left out)" in err
    assert "note: 2 undated events left out of the window" in err


@pytest.mark.parametrize("argv, message", [
    (["--date", "2025-06-08", "--since", "2025-06-01"], "not allowed with argument"),
    (["--date", "June 8"], "argument --date: not a date: 'June 8'"),
    (["--since", "2025-02-30"], "argument --since: not a date"),
])
def test_cli_rejects_bad_window_flags(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(SEEDS), *argv])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{oops", "not valid JSON (line 1"),
    (json.dumps({"schema": "someone/else@2"}), "not a newsdigest digest (schema 'someone/else@2'"),
    (json.dumps([1, 2]), "not a newsdigest digest (no schema key"),
])
def test_cli_bad_previous_is_a_clear_error_and_writes_nothing(content, message, tmp_path, capsys):
    previous = tmp_path / "previous.json"
    if content is not None:
        previous.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["run", str(SEEDS), "--previous", str(previous), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"newsdigest: --previous {previous}: ") and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


# --------------------------------------------------------------------------- rendering


def test_markers_and_left_out_titles_are_escaped():
    title = "Quake <script>alert(1)</script> *hits*"
    d = {
        "schema": SCHEMA, "langs": ["en", "zh"],
        "window": {"start": "2025-06-08", "end": None, "label": "events since 2025-06-08",
                   "events_left_out": {"undated": 1, "outside-window": 0},
                   "left_out": [{"event": "evt-u", "reason": "undated", "dates": [],
                                 "documents": ["u<1>"], "copies": []}],
                   "previous": {"path": "prev/<digest>.json", "events": 2},
                   "status_counts": {"new": 1, "updated": 1, "seen": 0}},
        "documents": [{"id": "u<1>", "title": title, "lang": "en", "segments": []}],
        "events": [
            {"id": "evt-a", "title": {"en": "A & B"}, "documents": [], "rank": 1,
             "status": "updated", "new_documents": ["x<y>"], "previous_events": ["evt-0"]},
            {"id": "evt-b", "title": {"en": "C"}, "documents": [], "rank": 2, "status": "new",
             "new_documents": [], "previous_events": []},
        ],
    }
    md = render_markdown(d)
    assert md.startswith("# News digest: events since 2025-06-08\n")
    assert "1. [A & B](#event-1) `UPDATED`" in md and "2. [C](#event-2) `NEW`" in md
    assert "## 1. A & B `UPDATED`" in md
    assert "new articles: x&lt;y>" in md  # md_escape: `<` becomes an entity, `>` is inert
    assert "Quake &lt;script>alert(1)&lt;/script> \\*hits\\*" in md and "<script>" not in md
    assert "prev/&lt;digest>.json" in md
    html = render_html(d)
    assert "<script>" not in html and "Quake &lt;script&gt;" in html
    assert '<span class="status status-updated"' in html and ">UPDATED</span>" in html
    assert "new articles: x&lt;y&gt;" in html and "prev/&lt;digest&gt;.json" in html
