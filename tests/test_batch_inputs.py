"""Streamed batch inputs: every format gives the same Documents; bad input is one problem."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import itertools
import json
import shutil
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import read_inputs
from pipeline.ingest import stream as batch_inputs
from pipeline.ingest.stream import FIELDS, Item, describe_inputs, iter_inputs, record_date
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
LANGS = {"000": "en-US", "001": "en", "002": "en", "003": "zh-Hans", "004": "en"}


def seed_records() -> list[dict[str, Any]]:
    """One record per seed: first line as title, the rest as text; typed dates."""
    records = []
    for i, path in enumerate(SEED_FILES):
        lines = path.read_text("utf-8").strip().splitlines()
        prefix = path.stem[:3]
        records.append(
            {
                "id": f"seed-{prefix}",
                "title": lines[0].strip(),
                "text": "\n".join(lines[1:]).strip(),
                "date": dt.date(2025, 6, 8 + i),
                "url": f"https://news.example.com/{path.stem}" if i % 2 == 0 else None,
                "outlet": "Example Wire" if i != 3 else None,
                "lang": LANGS[prefix],
            }
        )
    return records


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in record.items()}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    lines = (json.dumps(_jsonable(r), ensure_ascii=False) for r in records)
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


def write_csv(path: Path, records: list[dict[str, Any]], fields=FIELDS) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(fields))
        writer.writeheader()
        for record in records:
            writer.writerow({k: "" if v is None else v for k, v in _jsonable(record).items()})
    return path


def write_parquet(path: Path, records: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=2)
    return path


def write_hf(path: Path, records: list[dict[str, Any]]) -> Path:
    import datasets

    datasets.Dataset.from_list(records).save_to_disk(str(path))
    return path


def read_all(inputs) -> tuple[list[Item], list, list]:
    items = list(iter_inputs(inputs))
    docs = [i.document for i in items if i.document is not None]
    problems = [p for i in items for p in i.problems]
    return items, docs, problems


def comparable(doc) -> Any:
    return dataclasses.replace(doc, source="")


# --------------------------------------------------------------------------- formats


def test_all_record_formats_give_identical_documents(tmp_path):
    records = seed_records()
    paths = {
        "jsonl": write_jsonl(tmp_path / "a.jsonl", records),
        "csv": write_csv(tmp_path / "b.csv", records),
        "parquet": write_parquet(tmp_path / "c.parquet", records),
        "hf": write_hf(tmp_path / "hf", records),
    }
    by_format = {}
    for name, path in paths.items():
        _, docs, problems = read_all([path])
        assert problems == [], name
        assert len(docs) == len(records), name
        by_format[name] = docs
    reference = [comparable(d) for d in by_format["jsonl"]]
    for name, docs in by_format.items():
        assert [comparable(d) for d in docs] == reference, name

    first = by_format["jsonl"][0]
    assert first.id == "seed-000"
    assert first.title == "Can the U.S. Catch Up in the Critical Minerals Race?"
    assert first.text.startswith(first.title + "\n\n美国能否在关键矿产竞赛中迎头赶上?")
    assert first.date == dt.date(2025, 6, 8)
    assert first.declared_lang == "en"
    assert first.url == f"https://news.example.com/{SEED_FILES[0].stem}"
    zh = by_format["parquet"][3]
    assert (zh.declared_lang, zh.outlet, zh.url) == ("zh", None, None)
    assert zh.title == "Workflow"

    assert by_format["jsonl"][1].source == f"{paths['jsonl']}:2"
    assert by_format["csv"][1].source.startswith(f"{paths['csv']}:")
    assert by_format["parquet"][1].source == f"{paths['parquet']}#1"
    assert by_format["hf"][0].source == f"{paths['hf']}#0"


def test_directory_of_text_files_matches_read_inputs(tmp_path):
    archive = tmp_path / "archive"
    (archive / "zh").mkdir(parents=True)
    for path in SEED_FILES:
        target = archive / ("zh" if path.stem.startswith("003") else "") / path.name
        shutil.copy(path, target)
    (archive / ".hidden.txt").write_text("not news", "utf-8")
    (archive / "notes.pdf").write_bytes(b"%PDF-1.4")

    _, docs, problems = read_all([archive])
    expected = read_inputs([archive])
    assert problems == expected.problems == []
    assert [d.source for d in docs] == [d.source for d in expected.documents]
    assert [comparable(d) for d in docs] == [comparable(d) for d in expected.documents]
    assert [d.id for d in docs][-1] == "003_82d14f98d0ce453e"  # zh/ sorts after the files
    assert docs[-1].date == dt.date(2025, 6, 9)  # dateline "Sou Hu Cai Jing·2025-06-09 08:45"


def test_folder_mixes_formats_in_path_order_and_finds_hf_datasets(tmp_path):
    records = seed_records()
    root = tmp_path / "archive"
    (root / "b").mkdir(parents=True)
    write_jsonl(root / "a.jsonl", records[:1])
    write_csv(root / "b" / "x.csv", records[1:2])
    write_parquet(root / "b.parquet", records[2:3])
    write_hf(root / "c_hf", records[3:4])
    shutil.copy(SEED_FILES[4], root / "d.txt")
    _, docs, problems = read_all([root])
    assert problems == []
    assert [d.id for d in docs] == ["seed-000", "seed-001", "seed-002", "seed-003", "d"]
    assert docs[3].source == f"{root / 'c_hf'}#0"


def test_dataset_dict_splits_in_name_order(tmp_path):
    import datasets

    records = seed_records()
    for record in records:
        record["date"] = record["date"].isoformat()  # dates as strings work too
    dd = datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_list(records[:3]),
            "test": datasets.Dataset.from_list(records[3:]),
        }
    )
    dd.save_to_disk(str(tmp_path / "dd"))
    _, docs, problems = read_all([tmp_path / "dd"])
    assert problems == []
    assert [d.id for d in docs] == ["seed-003", "seed-004", "seed-000", "seed-001", "seed-002"]
    assert docs[0].source == f"{tmp_path / 'dd' / 'test'}#0"
    assert docs[0].date == dt.date(2025, 6, 11)
    # a pattern matching the dict and its split folders still reads each row once
    _, again, _ = read_all([str(tmp_path / "**")])
    assert [d.id for d in again] == [d.id for d in docs]


def test_glob_patterns_sorted_and_recursive(tmp_path):
    records = seed_records()
    (tmp_path / "2025" / "06").mkdir(parents=True)
    write_jsonl(tmp_path / "2025" / "06" / "b.jsonl", records[2:4])
    write_jsonl(tmp_path / "2025" / "a.jsonl", records[:2])
    write_jsonl(tmp_path / "2025" / "c.jsonl", records[4:])
    (tmp_path / "2025" / "readme.pdf").write_bytes(b"%PDF")
    _, docs, problems = read_all([str(tmp_path / "2025" / "*.jsonl")])
    assert problems == []
    assert [d.id for d in docs] == ["seed-000", "seed-001", "seed-004"]
    _, docs, problems = read_all([str(tmp_path / "**" / "*.jsonl")])
    assert problems == []
    assert [d.id for d in docs] == [f"seed-00{i}" for i in (2, 3, 0, 1, 4)]  # by path parts


# --------------------------------------------------------------------------- bad input


def test_bad_jsonl_lines_each_one_problem(tmp_path):
    records = seed_records()
    good = [json.dumps(_jsonable(r), ensure_ascii=False) for r in records[:3]]
    lines = [
        good[0],
        json.dumps({"id": "no-text", "title": "only a title"}),
        json.dumps({"id": "int-text", "text": 42}),
        json.dumps(_jsonable({**records[1], "date": "2999-01-01"}), ensure_ascii=False),
        '{"id": "broken", "text": "unterminated',
        "",
        "[1, 2]",
        good[2],
    ]
    path = tmp_path / "bad.jsonl"
    data = "\n".join(lines).encode() + b"\n" + b'{"text": "caf\xe9"}\n'
    path.write_bytes(data)
    items, docs, problems = read_all([path])
    assert [d.id for d in docs] == ["seed-000", "seed-001", "seed-002"]
    assert [str(p) for p in problems] == [
        f'{path}:2: missing or empty "text" field, line skipped',
        f"{path}:3: field 'text' is not a string (int), line skipped",
        f"{path}:4: impossible date 2999-01-01 ignored",
        f"{path}:5: invalid JSON (Unterminated string starting at), line skipped",
        f"{path}:7: not a JSON object (list), line skipped",
        f"{path}:9: not valid UTF-8 (byte 0xe9 at column 14), line skipped",
    ]
    assert [p.fatal for p in problems] == [True, True, False, True, True, True]
    kept = docs[1]
    assert kept.date is None and kept.warnings == ["impossible date 2999-01-01 ignored"]
    assert sum(i.document is None for i in items) == 5


def test_bad_typed_rows_in_parquet_and_hf(tmp_path):
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = seed_records()
    table = pa.table(
        {
            "id": ["p1", "p2", "p3", "p4"],
            "text": [records[0]["text"], None, "   ", records[1]["text"]],
            "date": [dt.date(2025, 6, 8), dt.date(2025, 6, 9), None, dt.date(1850, 1, 1)],
        }
    )
    pq.write_table(table, tmp_path / "typed.parquet")
    pq.write_table(pa.table({"id": [1, 2], "text": [10, 20]}), tmp_path / "ints.parquet")
    datasets.Dataset.from_dict(
        {"text": [records[2]["text"]], "date": [dt.datetime(2999, 1, 1, 12, 0)]}
    ).save_to_disk(str(tmp_path / "hf"))

    _, docs, problems = read_all(
        [tmp_path / "typed.parquet", tmp_path / "ints.parquet", tmp_path / "hf"]
    )
    assert [d.id for d in docs] == ["p1", "p4", "hf-0"]
    assert docs[1].date is None and docs[2].date is None
    t, i, h = tmp_path / "typed.parquet", tmp_path / "ints.parquet", tmp_path / "hf"
    assert [str(p) for p in problems] == [
        f'{t}#1: missing or empty "text" field, row skipped',
        f'{t}#2: missing or empty "text" field, row skipped',
        f"{t}#3: impossible date 1850-01-01 ignored",
        f"{i}#0: field 'text' is not a string (int), row skipped",
        f"{i}#1: field 'text' is not a string (int), row skipped",
        f"{h}#0: impossible date 2999-01-01 ignored",
    ]


def test_unreadable_inputs_are_one_problem_and_the_stream_goes_on(tmp_path):
    records = seed_records()
    bodies = [{"id": r["id"], "title": r["title"], "body": r["text"]} for r in records[:2]]
    write_csv(tmp_path / "no_text.csv", bodies, fields=("id", "title", "body"))
    (tmp_path / "corrupt.parquet").write_bytes(b"PAR1 this is not parquet at all PAR1")
    write_parquet(tmp_path / "good.parquet", records[:1])
    (tmp_path / "empty.jsonl").write_text("\n\n", "utf-8")
    gz = gzip.compress(write_jsonl(tmp_path / "src.jsonl", records).read_bytes())
    (tmp_path / "cut.jsonl.gz").write_bytes(gz[: len(gz) * 2 // 3])
    (tmp_path / "src.jsonl").unlink()
    args = [
        tmp_path / "no_text.csv",
        tmp_path / "corrupt.parquet",
        tmp_path / "missing.jsonl",
        str(tmp_path / "nothing-*.jsonl"),
        tmp_path / "empty.jsonl",
        tmp_path / "cut.jsonl.gz",
        tmp_path / "good.parquet",
    ]
    _, docs, problems = read_all(args)
    fatal = [p for p in problems if p.fatal]
    by_file = {Path(p.path).name: p.message for p in fatal}
    assert (
        by_file["no_text.csv"]
        == "no 'text' column in the CSV header (found 'id', 'title', 'body'), skipped"
    )
    assert by_file["corrupt.parquet"].startswith("cannot read (ArrowInvalid: ")
    assert by_file["missing.jsonl"] == "no such file or directory"
    assert by_file["nothing-*.jsonl"] == "no files match this pattern"
    assert by_file["empty.jsonl"] == "no records (empty or only blank lines), skipped"
    assert "rest skipped" in by_file["cut.jsonl.gz"]
    assert by_file["cut.jsonl.gz"].startswith("reading stopped after ")
    assert len(fatal) == 6
    # rows of the cut gzip before the damage are kept; good.parquet after it is read
    cut_docs = [d for d in docs if d.source.startswith(str(tmp_path / "cut.jsonl.gz"))]
    assert 1 <= len(cut_docs) < len(records)
    assert docs[-1].source == f"{tmp_path / 'good.parquet'}#0"
    assert docs[-1].id == "seed-000~2"  # the cut file had seed-000 already


def test_unreadable_file_permissions(tmp_path):
    import os

    path = write_jsonl(tmp_path / "locked.jsonl", seed_records()[:1])
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        (item,) = iter_inputs([path])
    finally:
        path.chmod(0o644)
    assert item.document is None
    assert str(item.problems[0]) == f"{path}: cannot read (Permission denied), skipped"


def test_duplicate_ids_renamed_across_files(tmp_path):
    records = seed_records()
    a = write_jsonl(tmp_path / "a.jsonl", records[:2])
    b = write_csv(tmp_path / "b.csv", records[:2])
    _, docs, problems = read_all([a, b, a])  # a named twice: read once
    assert [d.id for d in docs] == ["seed-000", "seed-001", "seed-000~2", "seed-001~2"]
    assert [str(p) for p in problems] == [
        f"{b}:2: duplicate id 'seed-000' (also in {a}:1), renamed 'seed-000~2'",
        f"{docs[3].source}: duplicate id 'seed-001' (also in {a}:2), renamed 'seed-001~2'",
    ]
    assert docs[2].warnings == [f"duplicate id 'seed-000' (also in {a}:1), renamed 'seed-000~2'"]


def test_record_date_rules():
    latest = dt.date(2026, 1, 2)
    assert record_date("2025-06-09 08:45", latest) == (dt.date(2025, 6, 9), None)
    assert record_date("2025年6月9日", latest) == (dt.date(2025, 6, 9), None)
    assert record_date(dt.datetime(2025, 6, 9, 23, 0), latest) == (dt.date(2025, 6, 9), None)
    assert record_date(None, latest) == (None, None)
    assert record_date("  ", latest) == (None, None)
    assert record_date("2026-01-02", latest) == (dt.date(2026, 1, 2), None)
    assert record_date("2026-01-03", latest) == (None, "impossible date 2026-01-03 ignored")
    assert record_date("2025-02-30", latest) == (None, "impossible date 2025-02-30 ignored")
    assert record_date("0000-00-00", latest) == (None, "impossible date 0000-00-00 ignored")
    assert record_date(dt.date(1899, 12, 31), latest)[1] == "impossible date 1899-12-31 ignored"
    assert record_date("yesterday", latest) == (None, "unrecognised date 'yesterday' ignored")
    assert record_date(20250609, latest) == (
        None,
        "field 'date' is not a string or date (int), ignored",
    )


def test_describe_inputs(tmp_path):
    records = seed_records()
    write_parquet(tmp_path / "a.parquet", records)
    write_hf(tmp_path / "hf", records[:2])
    shutil.copy(SEED_FILES[0], tmp_path / "a.txt")
    summary = describe_inputs([tmp_path, tmp_path / "missing"])
    assert (summary.files, summary.rows, summary.problems) == (3, len(records) + 3, 1)
    assert summary.bytes > 0
    write_jsonl(tmp_path / "b.jsonl", records)
    assert describe_inputs([tmp_path]).rows is None


# --------------------------------------------------------------------------- streaming


def _big_jsonl(path: Path, rows: int) -> Path:
    paragraphs = [
        line.strip()
        for seed in SEED_FILES
        for line in seed.read_text("utf-8").splitlines()
        if len(line.strip()) > 200
    ]
    with path.open("w", encoding="utf-8") as out:
        for n in range(rows):
            text = " ".join(paragraphs[(n + k) % len(paragraphs)] for k in range(5))
            record = {"id": f"r{n}", "text": text, "date": "2025-06-09", "outlet": "Wire"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory) -> Path:
    return _big_jsonl(tmp_path_factory.mktemp("big") / "big.jsonl", 20_000)


def test_iter_inputs_is_lazy(big_jsonl, monkeypatch):
    calls = []
    real = batch_inputs.record_document

    def counting(*args, **kwargs):
        calls.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_inputs, "record_document", counting)
    stream = iter_inputs([big_jsonl])
    assert isinstance(stream, Iterator)
    assert calls == []  # nothing is read before the first next()
    start = time.perf_counter()
    first = list(itertools.islice(stream, 5))
    assert time.perf_counter() - start < 1.0
    assert [i.document.id for i in first] == ["r0", "r1", "r2", "r3", "r4"]
    assert calls == [1, 2, 3, 4, 5]  # no read-ahead past the items taken
    stream.close()


def test_memory_stays_flat_over_20k_rows(big_jsonl):
    assert big_jsonl.stat().st_size > 40_000_000  # reading it whole would blow the bound
    count = 0
    tracemalloc.start()
    try:
        for item in iter_inputs([big_jsonl]):
            assert item.document is not None
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 30_000_000, f"peak {peak / 1e6:.1f} MB"


def test_csv_long_fields_and_ragged_rows(tmp_path):
    long_text = "\n\n".join([SEED_FILES[2].read_text("utf-8")] * 60)  # > csv's 128 KiB default
    assert len(long_text) > 131_072
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text"])
        writer.writerow(["long", long_text])
        writer.writerow(["ragged", "short text", "spill"])
    _, docs, problems = read_all([path])
    assert [d.id for d in docs] == ["long", "ragged"]
    assert docs[0].text == long_text.replace("\r\n", "\n")
    assert [p.message for p in problems] == ["row has 3 fields, header 2: extra ones ignored"]
    assert docs[0].source == f"{path}:2"  # the line a multi-line record starts on
    assert docs[1].source == f"{path}:{problems[0].line}" and not problems[0].fatal
