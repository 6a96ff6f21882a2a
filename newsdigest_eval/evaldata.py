"""Evaluation data outside the checkout (FLORES, NTREX, ...), shared by tests and benchmarks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.model import Document
from pipeline.paths import evaldata_dir

# pipeline/ sits at the repository root; the data lives beside the checkout, in ../shared
# NTREX names its files by locale; every other language is `<lang>.txt`
_NTREX_FILES = {"zh": "zh-CN.txt", "zh-TW": "zh-TW.txt"}


def ntrex_documents(
    articles: int,
    sentences: int,
    langs: Sequence[str] = ("en", "zh", "ja", "ko"),
    folder: Path | None = None,
) -> list[Document]:
    """The first `articles` NTREX-128 articles, first `sentences` sentences each.

    NTREX gives the same news article in every language, so each language version becomes
    one Document (id `<docid>.<lang>`, source `<lang>`): a known set of translated copies
    for cross-lingual dedup. `folder` defaults to `evaldata_dir() / "ntrex128"`.
    """
    folder = evaldata_dir() / "ntrex128" if folder is None else folder
    ids = (folder / "docids.txt").read_text(encoding="utf-8").split("\n")
    lines = {  # en is always read: the ids are cut to its length
        lang: (folder / _NTREX_FILES.get(lang, f"{lang}.txt")).read_text("utf-8").split("\n")
        for lang in dict.fromkeys(("en", *langs))
    }
    order: dict[str, list[int]] = {}
    for i, doc_id in enumerate(ids[: len(lines["en"])]):
        if doc_id:
            order.setdefault(doc_id, []).append(i)
    docs = []
    for doc_id in list(order)[:articles]:
        for lang in langs:
            text = "\n".join(lines[lang][i] for i in order[doc_id][:sentences])
            docs.append(Document(id=f"{doc_id}.{lang}", text=text, source=lang))
    return docs
