"""`newsdigest models`: which translation models this machine has, and converting them to
CTranslate2 (the `ctranslate2` translator: int8 on the CPU, faster and lighter than torch).

    newsdigest models list
    newsdigest models convert opus-mt-zh-en            # <store>/opus-mt-zh-en -> ...-ct2
    newsdigest models convert path/to/model --out path/to/model-ct2 --quantization int8

A converted folder holds CTranslate2's model.bin and vocabulary, the original tokenizer files
(sentencepiece models, vocab.json, tokenizer configs) and newsdigest.json, which records the
pair, family, prefix and hub id from models/manifest.toml when the model is listed there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
from pathlib import Path

from pipeline.translate.manifest import (
    CT2_SUFFIX,
    ModelEntry,
    load_manifest,
    manifest_path,
    store_dir,
)

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
                 "bfloat16", "float32")
META_FILE = "newsdigest.json"
# tokenizer files copied beside the converted model (CTranslate2 keeps only its vocabulary)
_TOKENIZER_FILES = ("*.spm", "*.model", "vocab.json", "tokenizer.json", "tokenizer_config.json",
                    "special_tokens_map.json", "added_tokens.json")

MODELS_HELP = """\
List the translation models of models/manifest.toml and whether the store
($NEWSDIGEST_MODELS, else models/store) holds them, or convert a downloaded transformers
model for the `ctranslate2` translator (int8 on the CPU: faster and lighter than torch).
The CTranslate2 version of <store>/NAME goes to <store>/NAME-ct2, where the translator
finds it.

examples:
  newsdigest models list
  newsdigest models convert opus-mt-zh-en
  newsdigest models convert ~/models/opus-mt-zh-en --out ~/models/opus-mt-zh-en-ct2
"""


class ConvertError(RuntimeError):
    """A conversion that cannot be done; the message is one line for the user."""


def add_models_parser(subparsers) -> argparse.ArgumentParser:
    """Add `models` (with `list` and `convert`) to the CLI's subparsers; returns its parser."""
    models = subparsers.add_parser(
        "models", help="list translation models; convert them for CTranslate2",
        description=MODELS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = models.add_subparsers(dest="models_command", required=True, metavar="{list,convert}")
    sub.add_parser("list", help="manifest models and which of them the store holds",
                   description="Every model of models/manifest.toml, its pair, and whether its "
                   "transformers folder and its CTranslate2 folder (NAME-ct2) are in the store.")
    conv = sub.add_parser(
        "convert", help="convert a transformers model folder to CTranslate2",
        description="Convert a transformers seq2seq model (a folder, or the name of a manifest "
        "model in the store) to CTranslate2, with its tokenizer files and a newsdigest.json.")
    conv.add_argument("source", metavar="SRC_FOLDER_OR_MANIFEST_NAME",
                      help="a model folder, or a models/manifest.toml name found in the store")
    conv.add_argument("--out", type=Path, metavar="DIR",
                      help="output folder (default: the source folder's name + -ct2, beside it)")
    conv.add_argument("--quantization", default="int8", choices=QUANTIZATIONS, metavar="TYPE",
                      help="weight type: " + ", ".join(QUANTIZATIONS) + " (default: int8)")
    return models


def run_models(args: argparse.Namespace) -> int:
    """Run `models list|convert`: 0 done, 1 with a one-line message on stderr."""
    try:
        if args.models_command == "list":
            print(list_models())
            return 0
        if args.models_command == "convert":
            out = convert_model(args.source, args.out, args.quantization)
            print(f"converted {args.source} -> {out} ({args.quantization})")
            return 0
        raise ConvertError(f"unknown models command {args.models_command!r}")
    except (ConvertError, OSError, ValueError) as exc:
        message = " ".join(str(exc).split())  # one line
        print(f"newsdigest: models {args.models_command}: {message}", file=sys.stderr)
        return 1


# ---------------------------------------------------------------------- list


def list_models(store: Path | None = None, path: Path | None = None) -> str:
    """One line per manifest model: pair, and which folders the store holds."""
    store = store or store_dir()
    entries = load_manifest(path)
    if not entries:
        return f"no models listed (no manifest at {path or manifest_path()})"
    width = max(len(e.name) for e in entries)
    lines = [f"store: {store}"]
    for e in entries:
        hf = "yes" if (store / e.name / "config.json").is_file() else "no"
        ct2 = "yes" if (store / f"{e.name}{CT2_SUFFIX}" / "model.bin").is_file() else "no"
        lines.append(f"{e.name:<{width}}  {e.src}->{e.tgt}  transformers: {hf:<3}  "
                     f"ctranslate2: {ct2:<3}  ({e.hub})")
    return "\n".join(lines)


# ---------------------------------------------------------------------- convert


def resolve_source(source: str, store: Path | None = None,
                   path: Path | None = None) -> tuple[Path, ModelEntry | None]:
    """The transformers folder to convert and its manifest entry (None if not listed)."""
    store = store or store_dir()
    entries = load_manifest(path)
    folder = Path(source).expanduser()
    if folder.is_dir():
        entry = next((e for e in entries if e.name == folder.name), None) or next(
            (e for e in entries if e.hub.rsplit("/", 1)[-1] == folder.name), None)
        return folder, entry
    entry = next((e for e in entries if e.name == source), None)
    if entry is None:
        known = ", ".join(e.name for e in entries) or "none"
        raise ConvertError(f"{source}: no such folder, nor a model of the manifest "
                           f"(known: {known})")
    folder = store / entry.name
    if not folder.is_dir():
        raise ConvertError(f"{entry.name} is not in the store (looked in {folder}); get it with "
                           f"`huggingface-cli download {entry.hub} --local-dir {folder}` first")
    return folder, entry


def convert_model(source: str | Path, out: Path | None = None, quantization: str = "int8",
                  *, store: Path | None = None, path: Path | None = None) -> Path:
    """Convert a transformers model folder (or manifest name) to CTranslate2; returns the
    output folder. Raises ConvertError with a one-line reason."""
    folder, entry = resolve_source(str(source), store, path)
    if not (folder / "config.json").is_file():
        raise ConvertError(f"{folder} is not a transformers model folder (no config.json)")
    if quantization not in QUANTIZATIONS:
        raise ConvertError(f"unknown quantization {quantization!r}; "
                           f"one of {', '.join(QUANTIZATIONS)}")
    out = Path(out).expanduser() if out else folder.with_name(folder.name + CT2_SUFFIX)
    if out.resolve() == folder.resolve():
        raise ConvertError(f"--out {out} is the source folder")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (
            (out / "model.bin").is_file() or (out / META_FILE).is_file()))):
        # the converter empties the output folder: never do that to something else
        raise ConvertError(f"{out} exists and is not a converted model; choose another --out")
    try:
        import ctranslate2
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise ConvertError("needs CTranslate2: pip install 'newsdigest[nmt,ct2]'") from exc
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder: never ask the hub
    config = _read_json(folder / "config.json")
    model_type = config.get("model_type", "")
    try:
        with _vocabulary_by_id(model_type):
            TransformersConverter(str(folder)).convert(str(out), quantization=quantization,
                                                       force=True)
    except ImportError as exc:
        raise ConvertError(f"converting needs transformers and torch: {exc} "
                           "(pip install 'newsdigest[nmt,ct2]')") from exc
    except Exception as exc:  # the converter raises many kinds: all mean "cannot convert"
        raise ConvertError(f"could not convert {folder}: {exc}") from exc
    for pattern in _TOKENIZER_FILES:
        for file in sorted(folder.glob(pattern)):
            if file.is_file():
                shutil.copy2(file, out / file.name)
    family = entry.family if entry else _family(model_type, folder)
    tok_config = _read_json(folder / "tokenizer_config.json")
    tok_max = tok_config.get("model_max_length") or 0
    from pipeline.translate.nmt_units import default_max_input_tokens

    meta = {
        "name": entry.name if entry else folder.name,
        "hub": entry.hub if entry else None,
        "src": entry.src if entry else None,
        "tgt": entry.tgt if entry else None,
        "family": family,
        "prefix": entry.prefix if entry else "",
        "model_type": model_type,
        "max_input_tokens": default_max_input_tokens(
            config.get("max_position_embeddings") or 0,
            tok_max if isinstance(tok_max, int) and tok_max < 100_000 else 0),
        "quantization": quantization,
        "converted_from": str(folder.resolve()),
        "ctranslate2": getattr(ctranslate2, "__version__", ""),
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return out


def _read_json(file: Path) -> dict:
    try:
        data = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _family(model_type: str, folder: Path) -> str:
    if model_type == "m2m_100":
        tok_class = str(_read_json(folder / "tokenizer_config.json").get("tokenizer_class", ""))
        return "nllb" if "Nllb" in tok_class else "m2m"
    return model_type


@contextlib.contextmanager
def _vocabulary_by_id(model_type: str):
    """M2M-100 and NLLB: have the converter write the vocabulary id by id.

    CTranslate2 4.x lists `tokenizer.get_vocab()` and pads with `madeupwordN`; with
    transformers 5 the M2M-100 language tokens (`__en__`) are not in that list, so they end up
    missing or as `madeupwordN` and the vocabulary no longer matches the model. Here every id
    of the model's embedding gets the tokenizer's token for it (language tokens included).
    """
    if model_type != "m2m_100":
        yield
        return
    from ctranslate2.converters.transformers import M2M100Loader

    def get_vocabulary(self, model, tokenizer) -> list[str]:
        by_id = {i: t for t, i in tokenizer.get_vocab().items()}
        by_id.update({i: t for t, i in (getattr(tokenizer, "lang_token_to_id", {}) or {}).items()})
        tokens, seen = [], set()
        for i in range(model.config.vocab_size):
            token = by_id.get(i)
            if token is None or token in seen:
                token = f"madeupword{i}"
            seen.add(token)
            tokens.append(token)
        return tokens

    original = M2M100Loader.get_vocabulary
    M2M100Loader.get_vocabulary = get_vocabulary
    try:
        yield
    finally:
        M2M100Loader.get_vocabulary = original
