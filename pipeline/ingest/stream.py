"""The one input layer: every input `newsdigest run` and `batch` read, streamed one `Item`
at a time, whatever the archive size.

`pipeline.ingest.read_inputs` gathers this stream into a list for a run; `batch` consumes
it as it comes. Every input is a generator: JSONL is read line by line,
CSV through `csv.reader` over a text stream, Parquet in 1024-row batches and saved Hugging
Face datasets through their memory-mapped Arrow files, so memory stays flat as the archive
grows (only the set of ids seen, for renaming duplicates, grows with it).

Records (JSONL lines, CSV rows, Parquet/HF rows) share the JSONL fields ``id, title, text,
date, url, outlet, lang`` (only ``text`` is required) and go through the same
`record_document`, so identical records give identical Documents whatever their format.
Bad content never raises: an unusable file or row is an `Item` without a document whose
problem says where and why, and the stream goes on. See docs/batch.md ("Inputs").
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import glob
import gzip
import io
import json
import os
import re
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.fetch.store import ArticleStore, StoreSelection, is_store
from pipeline.ingest.dates import parse_date
from pipeline.ingest.encoding import Decoded
from pipeline.ingest.readers import (
    MAX_FILE_MB,
    READERS,
    Problem,
    read_file,
    record_document,
    too_large,
)
from pipeline.model import Document

__all__ = [
    "BATCH_SUFFIXES",
    "FIELDS",
    "InputSummary",
    "Item",
    "describe_inputs",
    "is_hf_dataset",
    "iter_inputs",
    "record_date",
]

FIELDS: tuple[str, ...] = ("id", "title", "text", "date", "url", "outlet", "lang")
# record formats, streamed (checked before READERS, which also names .jsonl)
_RECORD_SUFFIXES: dict[str, str] = {
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".parquet": "parquet",
}
BATCH_SUFFIXES: tuple[str, ...] = tuple(dict.fromkeys((*READERS, *_RECORD_SUFFIXES)))
PARQUET_BATCH_ROWS = 1024
EARLIEST_DATE = dt.date(1900, 1, 1)  # dates.py never finds earlier ones either
FUTURE_SLACK = dt.timedelta(days=1)  # time zones: "tomorrow" somewhere is today here
_CSV_FIELD_LIMIT = 1 << 30  # the default 128 KiB is shorter than some articles
_UTF8 = Decoded(text="", encoding="utf-8")  # what record_document needs to know of the file
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_SURROGATE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)


@dataclass
class Item:
    """One streamed input: a document, or None when the file/row was unusable; its problems
    (warnings with fatal=False, the reason it was skipped with fatal=True).

    `path`/`line` say where it came from, as its problems do: the file and JSONL/CSV line,
    or ``file#row`` (0-based) for Parquet and HF rows, with no line.
    """

    document: Document | None
    problems: list[Problem]
    path: str = ""
    line: int | None = None


@dataclass
class InputSummary:
    """What `describe_inputs` found without reading any rows (for a progress display)."""

    files: int = 0  # files and HF datasets that will be read
    bytes: int = 0  # their size on disk
    rows: int | None = 0  # rows, when every input knows it (Parquet/HF metadata, 1 per page)
    problems: int = 0  # arguments that will be one fatal problem (missing, no match...)


@dataclass
class _Unit:
    """One thing to read: a file or HF dataset folder, or a problem with an argument."""

    kind: str  # jsonl | csv | parquet | hf | store | file | unsupported | error
    path: Path
    display: str
    message: str = ""
    selection: StoreSelection | None = None  # which articles of a store


@dataclass
class _Context:
    latest: dt.date  # the last plausible date
    max_mb: float = MAX_FILE_MB  # a text/HTML file or one record larger is skipped
    seen: set[Path] = field(default_factory=set)  # resolved files/datasets already read


# --------------------------------------------------------------------------- dates


def record_date(raw: Any, latest: dt.date) -> tuple[dt.date | None, str | None]:
    """A record's ``date`` value to a date (or None) and a warning (or None).

    Strings go through `parse_date`; ``datetime``/``date`` values (typed Parquet/HF columns)
    are taken as they are. A date that cannot be right (``2025-02-30``, before 1900, after
    `latest`) is an impossible date: the document is kept, undated, with a warning.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, dt.datetime):  # before dt.date: a datetime is a date too
        date, shown = raw.date(), raw.date().isoformat()
    elif isinstance(raw, dt.date):
        date, shown = raw, raw.isoformat()
    elif isinstance(raw, str):
        shown = raw.strip()
        ymd = _YMD.match(shown)
        if ymd:
            try:
                date = dt.date(int(ymd[1]), int(ymd[3]), int(ymd[4]))
            except ValueError:
                return None, f"impossible date {shown} ignored"
        else:
            found = parse_date(shown)
            if found is None:
                return None, f"unrecognised date {raw!r} ignored"
            date = found
    else:
        return None, f"field 'date' is not a string or date ({type(raw).__name__}), ignored"
    if not EARLIEST_DATE <= date <= latest:
        return None, f"impossible date {shown} ignored"
    return date, None


# --------------------------------------------------------------------------- finding inputs


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for suffix, kind in _RECORD_SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    return "file" if path.suffix.lower() in READERS else None


def _stem(path: Path) -> str:
    """File name without its format suffix (``a.jsonl.gz`` -> ``a``): default id prefix."""
    name = path.name
    for suffix in _RECORD_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def is_hf_dataset(path: Path) -> bool:
    """A folder written by `Dataset.save_to_disk` or `DatasetDict.save_to_disk`."""
    if (path / "dataset_dict.json").is_file():
        return True
    return (path / "state.json").is_file() and (path / "dataset_info.json").is_file()


def _resolved(path: Path) -> Path:
    """The path that identifies a file read twice (a symlink loop must not crash)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return f"{type(err).__name__}: {err}"


def _walk(directory: Path) -> Iterator[_Unit]:
    """Supported files and HF datasets under `directory`, lazily, in path-component order.

    Sorting the entries of each folder by name and descending in place gives the same order
    as sorting all paths by their components (`pipeline.ingest._walk`), without listing the
    whole tree first. Hidden entries and symlinked folders are skipped, as os.walk does.
    """
    try:
        with os.scandir(directory) as entries:
            ordered = sorted(entries, key=lambda e: e.name)
    except OSError as err:
        message = f"cannot list folder ({_reason(err)}), skipped"
        yield _Unit("error", directory, str(directory), message)
        return
    for entry in ordered:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if entry.is_symlink():
                continue
            if is_store(path):
                yield _Unit("store", path, str(path), selection=StoreSelection(path))
            elif is_hf_dataset(path):
                yield _Unit("hf", path, str(path))
            else:
                yield from _walk(path)
        elif kind := _kind(path):
            yield _Unit(kind, path, str(path))


def _units(inputs: Sequence[str | Path | StoreSelection]) -> Iterator[_Unit]:
    """Each argument to what it names: folder, article store (all of it, or the articles a
    `StoreSelection` names), HF dataset, file, or glob pattern."""
    for arg in inputs:
        if isinstance(arg, StoreSelection):
            if is_store(arg.path):
                yield _Unit("store", arg.path, str(arg.path), selection=arg)
            else:
                yield _Unit("error", arg.path, str(arg.path), "no article store here "
                            "(fill one with `newsdigest fetch SOURCES --store DIR`)")
            continue
        path = Path(arg)
        if path.is_dir():
            if is_store(path):
                yield _Unit("store", path, str(path), selection=StoreSelection(path))
                continue
            if is_hf_dataset(path):
                yield _Unit("hf", path, str(path))
                continue
            found = False
            for unit in _walk(path):
                found = found or unit.kind != "error"
                yield unit
            if not found:
                expected = " ".join(BATCH_SUFFIXES)
                yield _Unit("error", path, str(path), f"no {expected} files found")
        elif path.is_file():
            # named explicitly: even hidden or unsupported files get a verdict
            yield _Unit(_kind(path) or "unsupported", path, str(path))
        elif path.exists():
            yield _Unit("error", path, str(arg), "not a regular file or folder, skipped")
        elif glob.has_magic(str(arg)):
            yield from _glob(str(arg))
        else:
            yield _Unit("error", path, str(arg), "no such file or directory")


def _glob(pattern: str) -> Iterator[_Unit]:
    """Supported files and HF datasets matching `pattern` (``**`` allowed), sorted.

    Plain folders that match are not walked (``archive/**`` would read everything twice);
    hidden names only match a pattern that spells the dot, as in the shell.
    """
    matches = sorted(glob.glob(pattern, recursive=True), key=lambda m: Path(m).parts)
    found = False
    for match in matches:
        path = Path(match)
        if path.is_dir():
            if is_hf_dataset(path):
                found = True
                yield _Unit("hf", path, match)
        elif kind := _kind(path):
            found = True
            yield _Unit(kind, path, match)
    if not found:
        if matches:
            message = f"no {' '.join(BATCH_SUFFIXES)} files match this pattern"
        else:
            message = "no files match this pattern"
        yield _Unit("error", Path(pattern), pattern, message)


# --------------------------------------------------------------------------- records


def _record_item(
    record: dict[str, Any],
    stem: str,
    display: str,
    number: int,
    where: tuple[str, int | None],
    unit: str,
    ctx: _Context,
) -> Item:
    """One record to an Item; `number` is its line (JSONL/CSV) or 0-based row (Parquet/HF).

    `where` is its (path, line) for problems; `unit` names it in messages ("line", "row").
    """
    path, line = where

    def skipped(reason: str) -> Item:
        return Item(None, [Problem(path, line, f"{reason}, {unit} skipped", True)], path, line)

    body = record.get("text")
    if body is None or (isinstance(body, str) and not body.strip()):
        return skipped('missing or empty "text" field')
    if not isinstance(body, str):
        return skipped(f"field 'text' is not a string ({type(body).__name__})")
    big = too_large(len(body.encode("utf-8", "surrogatepass")), ctx.max_mb, "text")
    if big:
        return skipped(big)
    date, date_warning = record_date(record.get("date"), ctx.latest)
    doc, warnings = record_document({**record, "date": None}, stem, display, number, _UTF8)
    if doc is None:  # cannot happen after the checks above; never crash if it does
        return skipped('missing or empty "text" field')
    doc.source = f"{display}:{number}" if line is not None else path
    doc.date = date
    if date_warning:  # where record_document puts its date warning: first
        doc.warnings.insert(0, date_warning)
        warnings.insert(0, date_warning)
    return Item(doc, [Problem(path, line, w, False) for w in warnings], path, line)


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _jsonl_items(path: Path, display: str, ctx: _Context) -> Iterator[Item]:
    """JSONL, line by line; each line is decoded as UTF-8 on its own (a BOM is allowed)."""
    stem = _stem(path)
    records = 0
    with _open_binary(path) as stream:
        for lineno, raw in enumerate(stream, start=1):
            if lineno == 1:
                if raw.startswith(_WIDE_BOMS):
                    message = "UTF-16/UTF-32 JSONL is not supported (convert it to UTF-8), skipped"
                    yield Item(None, [Problem(display, None, message, True)], display)
                    return
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                records += 1
                byte = raw[err.start]
                message = (
                    f"not valid UTF-8 (byte 0x{byte:02x} at column {err.start + 1}), line skipped"
                )
                yield Item(None, [Problem(display, lineno, message, True)], display, lineno)
                continue
            if not text.strip():
                continue
            records += 1
            try:  # without its line end, as read_jsonl sees it (same messages)
                record = json.loads(text.removesuffix("\n").removesuffix("\r"))
            except json.JSONDecodeError as err:
                message = f"invalid JSON ({err.msg}), line skipped"
                yield Item(None, [Problem(display, lineno, message, True)], display, lineno)
                continue
            if not isinstance(record, dict):
                message = f"not a JSON object ({type(record).__name__}), line skipped"
                yield Item(None, [Problem(display, lineno, message, True)], display, lineno)
                continue
            yield _record_item(record, stem, display, lineno, (display, lineno), "line", ctx)
    if not records:
        message = "no records (empty or only blank lines), skipped"
        yield Item(None, [Problem(display, None, message, True)], display)


def _csv_items(path: Path, display: str, ctx: _Context) -> Iterator[Item]:
    """CSV with a header naming the fields (``text`` required); UTF-8, with or without BOM."""
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    stem = _stem(path)
    with (
        _open_binary(path) as binary,
        io.TextIOWrapper(binary, "utf-8-sig", errors="surrogateescape", newline="") as text,
    ):
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            yield Item(None, [Problem(display, None, "empty file, skipped", True)], display)
            return
        names = [name.strip() for name in header]
        if "text" not in names:
            shown = ", ".join(repr(_SURROGATE.sub("\ufffd", n)) for n in names[:12])
            message = f"no 'text' column in the CSV header (found {shown}), skipped"
            yield Item(None, [Problem(display, 1, message, True)], display, 1)
            return
        rows = 0
        previous = reader.line_num
        for values in reader:
            lineno, previous = previous + 1, reader.line_num  # a quoted field spans lines
            if not values:
                continue  # blank line
            rows += 1
            if any(_SURROGATE.search(v) for v in values):
                message = "not valid UTF-8, row skipped"
                yield Item(None, [Problem(display, lineno, message, True)], display, lineno)
                continue
            record = dict(zip(names, values, strict=False))
            item = _record_item(record, stem, display, lineno, (display, lineno), "row", ctx)
            if len(values) > len(names) and item.document is not None:
                extra = f"row has {len(values)} fields, header {len(names)}: extra ones ignored"
                item.document.warnings.append(extra)
                item.problems.append(Problem(display, lineno, extra, False))
            yield item
    if not rows:
        yield Item(None, [Problem(display, None, "no rows, skipped", True)], display)


def _table_items(batches: Iterator[Any], stem: str, display: str, ctx: _Context) -> Iterator[Item]:
    """Rows of Arrow record batches/tables, numbered from 0 as ``display#row``."""
    row = 0
    for batch in batches:
        for record in batch.to_pylist():
            where = f"{display}#{row}"
            yield _record_item(record, stem, display, row, (where, None), "row", ctx)
            row += 1
    if not row:
        yield Item(None, [Problem(display, None, "no rows, skipped", True)], display)


def _no_text_column(display: str, names: Sequence[str]) -> Item:
    shown = ", ".join(repr(n) for n in list(names)[:12])
    message = f"no 'text' column (found {shown}), skipped"
    return Item(None, [Problem(display, None, message, True)], display)


def _parquet_items(path: Path, display: str, ctx: _Context) -> Iterator[Item]:
    """Parquet in batches of 1024 rows; only the known fields' columns are read."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        names = parquet.schema_arrow.names
        if "text" not in names:
            yield _no_text_column(display, names)
            return
        columns = [name for name in FIELDS if name in names]
        batches = parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns)
        yield from _table_items(batches, _stem(path), display, ctx)


def _hf_items(path: Path, display: str, ctx: _Context) -> Iterator[Item]:
    """A saved HF Dataset, or each split of a DatasetDict in name order (``DIR/split#row``)."""
    import datasets

    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        splits = []
        for name in sorted(loaded):
            ctx.seen.add((path / name).resolve())  # `DIR/**` also matches the split folders
            splits.append((loaded[name], f"{path.name}-{name}", f"{display}/{name}"))
    else:
        splits = [(loaded, path.name, display)]
    for dataset, stem, split_display in splits:
        if "text" not in dataset.column_names:
            yield _no_text_column(split_display, dataset.column_names)
            continue
        columns = [name for name in FIELDS if name in dataset.column_names]
        tables = dataset.select_columns(columns).with_format("arrow").iter(PARQUET_BATCH_ROWS)
        yield from _table_items(tables, stem, split_display, ctx)


def _store_items(path: Path, display: str, ctx: _Context,
                 selection: StoreSelection | None = None) -> Iterator[Item]:
    """An article store's articles (those `selection` names), as records named
    ``DIR#id``; a teaser (the page could not be read) or an article dated by its fetch
    time says so in its warnings."""
    selection = selection or StoreSelection(path)
    store = ArticleStore(path, create=False)
    try:
        for number, record in enumerate(store.records(selection.since, selection.until), 1):
            where = f"{display}#{record['id']}"
            item = _record_item(record, path.name, display, number, (where, None), "article",
                                ctx)
            if item.document is not None:
                if record["status"] == "teaser":
                    item.document.warnings.append(
                        f"only the feed's summary: the page could not be read "
                        f"({(record['note'] or '').removeprefix('page: ')})")
                if record["day_from"] == "fetched":
                    item.document.warnings.append("no publication date in the feed or the "
                                                  "page: dated by the day it was fetched")
            yield item
    finally:
        store.close()


# --------------------------------------------------------------------------- whole files


def _plausible(doc: Document, problems: list[Problem], display: str, ctx: _Context) -> None:
    """Undate a document whose date cannot be right (see `record_date`)."""
    if doc.date is not None and not EARLIEST_DATE <= doc.date <= ctx.latest:
        message = f"impossible date {doc.date.isoformat()} ignored"
        doc.date = None
        doc.warnings.append(message)
        problems.append(Problem(display, None, message, False))


def _file_items(path: Path, display: str, ctx: _Context) -> Iterator[Item]:
    """.txt/.md/.html: one small file, one document, through `read_file`."""
    read = read_file(path, display, ctx.max_mb)
    if not read.documents:
        yield Item(None, read.problems, display)
        return
    for doc, _ in read.documents:
        problems = list(read.problems)
        _plausible(doc, problems, display, ctx)
        yield Item(doc, problems, display)


def _unsupported_items(path: Path, display: str, ctx: _Context) -> Iterator[Item]:
    kind = "".join(path.suffixes[-2:]) or path.name
    message = f"unsupported file type '{kind}' (expected {', '.join(BATCH_SUFFIXES)}), skipped"
    yield Item(None, [Problem(display, None, message, True)], display)


_READERS: dict[str, Callable[[Path, str, _Context], Iterator[Item]]] = {
    "jsonl": _jsonl_items,
    "csv": _csv_items,
    "parquet": _parquet_items,
    "hf": _hf_items,
    "store": _store_items,
    "file": _file_items,
    "unsupported": _unsupported_items,
}


def _read_unit(unit: _Unit, ctx: _Context) -> Iterator[Item]:
    """A reader's items; whatever it raises becomes one fatal problem for that input."""
    count = 0
    reader = _READERS[unit.kind]
    if unit.kind == "store":
        reader = functools.partial(_store_items, selection=unit.selection)
    try:
        for item in reader(unit.path, unit.display, ctx):
            count += 1
            yield item
    except Exception as err:  # noqa: BLE001 - a broken file must not stop the batch
        if count:
            message = f"reading stopped after {count} records ({_reason(err)}), rest skipped"
        else:
            message = f"cannot read ({_reason(err)}), skipped"
        yield Item(None, [Problem(unit.display, None, message, True)], unit.display)


# --------------------------------------------------------------------------- the stream


def _unique_id(doc_id: str, taken: Container[str]) -> str:
    """First free ``id~N`` (N >= 2): stable, readable, and clearly derived from the original."""
    n = 2
    while f"{doc_id}~{n}" in taken:
        n += 1
    return f"{doc_id}~{n}"


def iter_inputs(inputs: Sequence[str | Path | StoreSelection] | str | Path,
                max_mb: float = MAX_FILE_MB) -> Iterator[Item]:
    """Stream folders, globs, files and HF datasets as Items, in a reproducible order.

    Nothing is read before the first ``next()``; after that, one row (or one Parquet batch,
    or one whole text/HTML file) at a time. Ids are made unique over the whole stream
    exactly as `read_inputs` does (``~2``, ``~3``... and a warning).
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]  # one path, not a sequence of one-character paths
    ctx = _Context(latest=dt.date.today() + FUTURE_SLACK, max_mb=max_mb)
    taken: dict[str, str] = {}  # id -> source that claimed it
    for unit in _units(inputs):
        if unit.kind == "error":
            yield Item(None, [Problem(unit.display, None, unit.message, True)], unit.display)
            continue
        resolved = _resolved(unit.path)
        if resolved in ctx.seen:
            continue  # named twice (directly and via its folder or a pattern): read once
        ctx.seen.add(resolved)
        for item in _read_unit(unit, ctx):
            doc = item.document
            if doc is not None:
                if doc.id in taken:
                    new_id = _unique_id(doc.id, taken)
                    message = (
                        f"duplicate id '{doc.id}' (also in {taken[doc.id]}), renamed '{new_id}'"
                    )
                    doc.id = new_id
                    doc.warnings.append(message)
                    item.problems.append(Problem(item.path, item.line, message, False))
                taken[doc.id] = doc.source
            yield item


def describe_inputs(inputs: Sequence[str | Path | StoreSelection] | str | Path
                    ) -> InputSummary:
    """Count what `iter_inputs` will read without reading rows: files, bytes, rows if known.

    Rows are known from Parquet metadata and HF datasets, and are 1 per text/HTML file; one
    JSONL or CSV file makes them unknown (None).
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    summary = InputSummary()
    seen: set[Path] = set()
    for unit in _units(inputs):
        if unit.kind == "error":
            summary.problems += 1
            continue
        resolved = _resolved(unit.path)
        if resolved in seen:
            continue
        seen.add(resolved)
        summary.files += 1
        try:
            if unit.kind in ("hf", "store"):
                summary.bytes += sum(p.stat().st_size for p in unit.path.rglob("*") if p.is_file())
            else:
                summary.bytes += unit.path.stat().st_size
        except OSError:
            pass
        rows = _known_rows(unit)
        summary.rows = None if rows is None or summary.rows is None else summary.rows + rows
    return summary


def _known_rows(unit: _Unit) -> int | None:
    try:
        if unit.kind == "parquet":
            import pyarrow.parquet as pq

            with pq.ParquetFile(unit.path) as parquet:
                return int(parquet.metadata.num_rows)
        if unit.kind == "store":
            store = ArticleStore(unit.path, create=False)
            try:
                return store.count()
            finally:
                store.close()
        if unit.kind == "hf":
            import datasets

            loaded = datasets.load_from_disk(str(unit.path))
            if isinstance(loaded, datasets.DatasetDict):
                return sum(d.num_rows for d in loaded.values())
            return int(loaded.num_rows)
    except Exception:  # noqa: BLE001 - unknown is fine; iter_inputs will report the problem
        return None
    return {"file": 1, "unsupported": 0}.get(unit.kind)
