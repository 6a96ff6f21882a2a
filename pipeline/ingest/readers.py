"""One reader per input format, each turning a file's bytes into `Document`s plus problems.

Readers never raise for bad input: a broken file or JSONL line becomes a `Problem` so that
one bad item never stops a whole batch. Fatal problems mean "this file/line produced no
document"; non-fatal ones are warnings that are also copied into `Document.warnings` so the
digest can show readers what may be off about a text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pipeline.ingest.dates import find_dates, parse_date
from pipeline.ingest.encoding import Decoded, UndecodableError, decode_bytes
from pipeline.model import Document

__all__ = [
    "READERS",
    "SUPPORTED_SUFFIXES",
    "FileResult",
    "Page",
    "Problem",
    "block_paragraphs",
    "extract_page",
    "read_file",
    "record_document",
]

MAX_FILE_MB = 20.0  # default for Config.max_file_mb: no news article comes near it
_HEADER_CHARS = 500  # a dateline ("Sou Hu Cai Jing·2025-06-09 08:45") sits near the top
_MD_TITLE = re.compile(r"\A\s*#(?!#)[ \t]+(?P<title>[^\n]*?)[ \t]*#*[ \t]*(?:\n|\Z)")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
# fmt: off
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
    "tr", "table", "section", "article", "header", "footer", "ul", "ol", "br", "td", "th",
    "figcaption", "address",
})
# fmt: on


@dataclass
class Problem:
    """Something wrong with an input; `fatal` means the file or line was skipped."""

    path: str
    line: int | None
    message: str
    fatal: bool

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass
class FileResult:
    """What one file yielded: documents with their JSONL line (None for whole files)."""

    documents: list[tuple[Document, int | None]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def too_large(size: int, max_mb: float, what: str) -> str | None:
    """The skip reason for an input over the size limit (`Config.max_file_mb`), else None."""
    if size <= max_mb * 1_000_000:
        return None
    return f"{what} too large ({size / 1_000_000:.1f} MB; limit max_file_mb = {max_mb:g})"


def _decode(
    data: bytes,
    display: str,
    result: FileResult,
    declared: str | list[str | None] | None = None,
) -> Decoded | None:
    """Decode or record a fatal problem; decoding warnings become non-fatal problems."""
    try:
        decoded = decode_bytes(data, declared)
    except UndecodableError as err:
        result.problems.append(Problem(display, None, f"{err}, skipped", True))
        return None
    result.problems.extend(Problem(display, None, w, False) for w in decoded.warnings)
    return decoded


def _header_date(text: str) -> dt.date | None:
    """A fully stated date near the top of a plain-text article (its dateline), if any."""
    for mention in find_dates(text[:_HEADER_CHARS]):
        if mention.has_year:
            return mention.date
    return None


# --------------------------------------------------------------------------- text / markdown


def read_text(path: Path, display: str, data: bytes) -> FileResult:
    """.txt / .md: the decoded text as-is; a markdown ``# Heading`` first line is the title."""
    result = FileResult()
    decoded = _decode(data, display, result)
    if decoded is None:
        return result
    if not decoded.text.strip():
        result.problems.append(Problem(display, None, "no text (only whitespace), skipped", True))
        return result
    title = None
    if path.suffix.lower() in (".md", ".markdown"):
        match = _MD_TITLE.match(decoded.text)
        title = match.group("title").strip() or None if match else None
    doc = Document(
        id=path.stem,
        text=decoded.text,
        source=display,
        title=title,
        date=_header_date(decoded.text),
        encoding=decoded.encoding,
        warnings=list(decoded.warnings),
    )
    result.documents.append((doc, None))
    return result


# --------------------------------------------------------------------------- HTML


def _element_text(el: Any) -> str:
    """Text of a trafilatura XML element in document order, keeping <lb/> line breaks."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        parts.append("\n" if node.tag == "lb" else node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(el)
    return "".join(parts)


def _body_paragraphs(body: Any) -> list[str]:
    """Paragraphs from trafilatura's XML body: one per block, one per list item/table row.
    A list item keeps a bullet: the cleaner tells a box of bullets (an AI summary, a
    sidebar) from the prose after it by that (`clean.is_list_item`)."""
    paragraphs: list[str] = []
    for child in body:
        if child.tag == "list":
            items = [f"• {text}" for item in child.iter("item")
                     if (text := _element_text(item)).strip()]
        elif child.tag == "table":
            items = [" ".join(_element_text(c).strip() for c in row) for row in child.iter("row")]
        else:
            items = [_element_text(child)]
        for item in items:
            lines = [" ".join(line.split()) for line in item.split("\n")]
            text = "\n".join(line for line in lines if line)
            if text:
                paragraphs.append(text)
    return paragraphs


class _FlatText(HTMLParser):
    """Visible text from a tag stream: no tree, so no depth limit (libxml2 stops building
    at 256 levels, and a page of 20,000 nested <div>s then has no text at all)."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self.skipping.append(tag)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _flat_paragraphs(html: str) -> list[str]:
    parser = _FlatText()
    parser.feed(html)
    parser.close()
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", "".join(parser.parts)))
    return [b for b in blocks if b]


def block_paragraphs(html: str) -> list[str]:
    """All visible text of <body>, split at block elements: for pages trafilatura rejects,
    and for the HTML fragments feeds carry; through a flat tag stream when lxml's tree has
    none (pathologically deep nesting)."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (ValueError, TypeError, SyntaxError):
        return _flat_paragraphs(html)
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
    body = root.find("body")
    text = (body if body is not None else root).text_content()
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return [b for b in blocks if b] or _flat_paragraphs(html)


def _iso_date(value: Any) -> dt.date | None:
    """trafilatura/htmldate give "YYYY-MM-DD"; anything else is ignored."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass
class Page:
    """What one HTML page holds: its main text as paragraphs (the headline first) and the
    metadata trafilatura finds (`url` is the page's canonical or og:url when it names one)."""

    paragraphs: list[str]
    title: str | None
    date: dt.date | None
    outlet: str | None
    url: str | None
    author: str | None
    encoding: str
    warnings: list[str]  # decoding warnings first, then extraction ones

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def page_charset(data: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares in its first 4 KB, if any."""
    charset = _META_CHARSET.search(data[:4096])
    return charset.group(1).decode("ascii") if charset else None


def extract_page(data: bytes, display: str, result: FileResult,
                 declared: tuple[str | None, ...] = ()) -> Page | None:
    """An HTML page's main text via trafilatura (no nav, cookie banners, sidebars, footers)
    and its metadata; None, with a fatal problem in `result`, when it has no text.

    `declared` are charsets the transport states (an HTTP header), trusted before the
    page's own ``<meta>``; each is only used when the bytes decode strictly with it.
    """
    import trafilatura  # deferred: costs ~0.3 s to import, and only HTML inputs need it

    decoded = _decode(data, display, result, [*declared, page_charset(data)])
    if decoded is None:
        return None
    warnings = list(decoded.warnings)
    extracted = None
    try:
        extracted = trafilatura.bare_extraction(
            decoded.text, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as err:  # noqa: BLE001 - a parser bug on one page must not stop a batch
        warnings.append(f"trafilatura failed ({type(err).__name__}: {err})")
    body = getattr(extracted, "body", None)
    paragraphs = _body_paragraphs(body) if body is not None else []
    meta = extracted
    if not paragraphs:
        paragraphs = block_paragraphs(decoded.text)
        if not paragraphs:
            result.problems.append(Problem(display, None, "no text found in HTML, skipped", True))
            return None
        warnings.append("no main text found by trafilatura; used all text of <body>")
        try:
            meta = trafilatura.extract_metadata(decoded.text)
        except Exception:  # noqa: BLE001 - metadata is optional
            meta = None
    title = _clean_str(getattr(meta, "title", None))
    if title and " ".join(paragraphs[0].split()) != " ".join(title.split()):
        paragraphs.insert(0, title)  # so the headline is segmented like JSONL titles are
    new_warnings = warnings[len(decoded.warnings) :]  # decoding ones are recorded already
    result.problems.extend(Problem(display, None, w, False) for w in new_warnings)
    return Page(paragraphs, title, _iso_date(getattr(meta, "date", None)),
                _clean_str(getattr(meta, "sitename", None)),
                _clean_str(getattr(meta, "url", None)),
                _clean_str(getattr(meta, "author", None)), decoded.encoding, warnings)


def read_html(path: Path, display: str, data: bytes) -> FileResult:
    """.html / .htm: one document from the page's main text and metadata (`extract_page`)."""
    result = FileResult()
    page = extract_page(data, display, result)
    if page is None:
        return result
    doc = Document(
        id=path.stem,
        text=page.text,
        source=display,
        title=page.title,
        date=page.date,
        outlet=page.outlet,
        url=page.url,
        encoding=page.encoding,
        warnings=page.warnings,
    )
    result.documents.append((doc, None))
    return result


# --------------------------------------------------------------------------- JSONL


def _clean_str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(record: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """JSON may escape lone surrogates ("\\ud800"), which no UTF-8 writer accepts: they would
    fail the document at its first write. Replaced in every string field, and counted."""
    count = 0
    clean = dict(record)
    for key, value in record.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            clean[key], n = _SURROGATE.subn("\ufffd", value)
            count += n
    return clean, count


def _lang_code(value: Any) -> str | None:
    """BCP-47-ish tag to its primary subtag: "zh-Hans" -> "zh", "ja_JP" -> "ja"."""
    text = _clean_str(value)
    return re.split(r"[-_]", text)[0].lower() if text else None


def record_document(
    record: dict[str, Any], stem: str, display: str, lineno: int, decoded: Decoded
) -> tuple[Document | None, list[str]]:
    """One record to a Document (None if it has no text) and its warnings.

    Shared by every record format (JSONL here, CSV/Parquet/HF datasets in `pipeline.batch`)
    so that identical records give identical Documents whatever file they came in.
    """
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return None, []
    warnings = list(decoded.warnings)
    record, replaced = _without_surrogates(record)
    if replaced:
        warnings.append(f"{replaced} lone surrogate(s) (\\ud800-\\udfff, not text) replaced "
                        "with U+FFFD")
    body = record["text"]
    raw_id = record.get("id")
    doc_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and str(raw_id).strip() else ""
    title = _clean_str(record.get("title"))
    text = body
    if title and not body.lstrip().startswith(title):
        text = f"{title}\n\n{body}"
    date = None
    raw_date = record.get("date")
    if raw_date not in (None, ""):
        date = parse_date(raw_date) if isinstance(raw_date, str) else None
        if date is None:
            warnings.append(f"unrecognised date {raw_date!r} ignored")
    for key in ("title", "url", "outlet", "lang"):
        if record.get(key) not in (None, "") and not isinstance(record.get(key), str):
            warnings.append(f"field {key!r} is not a string, ignored")
    doc = Document(
        id=doc_id or f"{stem}-{lineno}",
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        source=f"{display}:{lineno}",
        title=title,
        date=date,
        outlet=_clean_str(record.get("outlet")),
        url=_clean_str(record.get("url")),
        declared_lang=_lang_code(record.get("lang")),
        encoding=decoded.encoding,
        warnings=warnings,
    )
    return doc, warnings[len(decoded.warnings) :]


def read_jsonl(path: Path, display: str, data: bytes, max_mb: float = MAX_FILE_MB) -> FileResult:
    """.jsonl: one Document per line; bad lines are per-line problems, blank lines ignored.
    A JSONL file is an archive, so the size limit applies to each line (record)."""
    result = FileResult()
    decoded = _decode(data, display, result)
    if decoded is None:
        return result
    for lineno, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip():
            continue
        big = too_large(len(line.encode("utf-8")), max_mb, "record")
        if big:
            result.problems.append(Problem(display, lineno, f"{big}, line skipped", True))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            result.problems.append(
                Problem(display, lineno, f"invalid JSON ({err.msg}), line skipped", True)
            )
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            result.problems.append(
                Problem(display, lineno, f"not a JSON object ({kind}), line skipped", True)
            )
            continue
        if not isinstance(record.get("text"), (str, type(None))):
            kind = type(record["text"]).__name__
            result.problems.append(Problem(
                display, lineno, f"field 'text' is not a string ({kind}), line skipped", True))
            continue
        doc, warnings = record_document(record, path.stem, display, lineno, decoded)
        if doc is None:
            result.problems.append(
                Problem(display, lineno, 'missing or empty "text" field, line skipped', True)
            )
            continue
        result.problems.extend(Problem(display, lineno, w, False) for w in warnings)
        result.documents.append((doc, lineno))
    if not result.documents and not result.problems:
        message = "no records (only blank lines), skipped"
        result.problems.append(Problem(display, None, message, True))
    return result


# --------------------------------------------------------------------------- dispatch

READERS: dict[str, Callable[[Path, str, bytes], FileResult]] = {
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)


def read_file(path: Path, display: str, max_mb: float = MAX_FILE_MB) -> FileResult:
    """Read one file with the reader for its extension; unreadable files become problems,
    and so does a text/HTML file over `max_mb` (checked before it is read)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        expected = ", ".join(SUPPORTED_SUFFIXES)
        kind = path.suffix or path.name
        message = f"unsupported file type '{kind}' (expected {expected}), skipped"
        return FileResult(problems=[Problem(display, None, message, True)])
    try:
        big = None if reader is read_jsonl else too_large(path.stat().st_size, max_mb, "file")
        if big:
            return FileResult(problems=[Problem(display, None, f"{big}, skipped", True)])
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        message = f"cannot read file ({reason}), skipped"
        return FileResult(problems=[Problem(display, None, message, True)])
    if reader is read_jsonl:
        return read_jsonl(path, display, data, max_mb)
    return reader(path, display, data)
