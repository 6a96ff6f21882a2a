"""`newsdigest models`: fetching translation models from the hub, which ones this machine
has and which backend serves each pair, and converting them to CTranslate2 (the
`ctranslate2` translator: int8 on the CPU, faster and lighter than torch).

    newsdigest models get opus-mt-zh-en --ct2          # download, verify, convert
    newsdigest models get --for zh,ja,ko               # the recommended set for those and en
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
    LANGS,
    Manifest,
    ModelEntry,
    best_present,
    is_present,
    json_object,
    load_manifest,
    manifest_path,
    read_manifest,
    replace_folder,
    store_dir,
)

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
                 "bfloat16", "float32")
META_FILE = "newsdigest.json"
# tokenizer files copied beside the converted model (CTranslate2 keeps only its vocabulary)
_TOKENIZER_FILES = ("*.spm", "*.model", "vocab.json", "tokenizer.json", "tokenizer_config.json",
                    "special_tokens_map.json", "added_tokens.json")

MODELS_HELP = """\
Fetch the translation models of models/manifest.toml from the model hub into the store
($NEWSDIGEST_MODELS, else models/store), list what the store holds and which backend
serves each language pair, or convert a downloaded transformers model for the
`ctranslate2` translator (int8 on the CPU: faster and lighter than torch). The
CTranslate2 version of <store>/NAME goes to <store>/NAME-ct2, where the translator finds
it. The default translator (`auto`) uses whatever the store holds: no config change.

examples:
  newsdigest models get --for zh,ja,ko --ct2
  newsdigest models get opus-mt-zh-en
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
    sub = models.add_subparsers(dest="models_command", required=True,
                                metavar="{get,list,convert}")
    get = sub.add_parser(
        "get", help="download manifest models (resumable, verified) into the store",
        description="Download manifest models at their pinned revision with huggingface_hub "
        "(resumes an interrupted transfer, checks every file against the hub's checksum, "
        "records the checksums in NAME/newsdigest-download.json) and say which pairs they "
        "now serve. HF_ENDPOINT names another hub (a mirror). Needs "
        "`pip install 'newsdigest[nmt]'` (and ct2 for --ct2).")
    get.add_argument("names", nargs="*", metavar="NAME", help="manifest model names")
    get.add_argument("--for", dest="langs", metavar="LANGS",
                     help="the recommended models for every pair among these languages and "
                     "English, e.g. zh,ja,ko")
    get.add_argument("--ct2", action="store_true",
                     help="also convert each to CTranslate2 int8 (NAME-ct2), the faster backend")
    get.add_argument("--force", action="store_true",
                     help="download again even when the store holds the pinned revision")
    get.add_argument("--quiet", action="store_true", help="no progress bars")
    sub.add_parser("list", help="manifest models, what the store holds, each pair's backend",
                   description="Every model of models/manifest.toml (pairs, licence, size, "
                   "published score, whether its transformers folder and its CTranslate2 "
                   "folder NAME-ct2 are in the store), then for each language pair the best "
                   "backend present: a model, a pivot through English, or the gloss.")
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
    """Run `models get|list|convert`: 0 done, 1 with a one-line message on stderr."""
    try:
        if args.models_command == "get":
            return get_models(args.names, args.langs, ct2=args.ct2, force=args.force,
                              progress=not args.quiet)
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


# ---------------------------------------------------------------------- get


def models_for(langs: str, manifest: Manifest) -> list[ModelEntry]:
    """The recommended model of every pair among `langs` and English, each once, in
    manifest order. Raises ConvertError for a language newsdigest does not translate."""
    wanted = [lang.strip() for lang in langs.split(",") if lang.strip()]
    bad = [lang for lang in wanted if lang not in LANGS]
    if bad or not wanted:
        raise ConvertError(f"--for {langs!r}: languages among {', '.join(LANGS)}, "
                           "comma-separated")
    group = ["en"] + [lang for lang in wanted if lang != "en"]
    names = {m.name for s in group for t in group if s != t
             for m in [manifest.recommended(s, t)] if m is not None}
    return [e for e in manifest.models if e.name in names]


def get_models(names: list[str], langs: str | None, *, ct2: bool = False, force: bool = False,
               progress: bool = True, store: Path | None = None) -> int:
    """`models get`: each model downloaded (and converted); one line per failure, the others
    still fetched. 0 when all arrived, 1 otherwise."""
    from pipeline.translate.hub import GetError, get_model

    manifest = read_manifest()
    store = store or store_dir()
    entries = models_for(langs, manifest) if langs else []
    for name in names:
        entry = manifest.entry(name)
        if entry is None:
            known = ", ".join(e.name for e in manifest.models) or "none"
            print(f"newsdigest: models get: {name}: not a model of {manifest_path()} "
                  f"(known: {known})", file=sys.stderr)
            return 1
        entries.append(entry)
    if not entries:
        raise ConvertError("name a model or give --for LANGS (see `newsdigest models list`)")
    failed = 0
    for entry in dict.fromkeys(entries):
        try:
            fetched = get_model(entry, store, progress=progress, force=force)
            size = sum(f["size"] for f in fetched.files.values()) / 1e6
            print(f"{entry.name}: " + ("already in the store" if fetched.already else
                  f"fetched {entry.hub}@{fetched.commit[:12]} ({len(fetched.files)} files, "
                  f"{size:,.1f} MB, checksums verified)") + f" -> {fetched.folder}")
            if ct2 and (force or not is_present(entry, store, ct2=True)):
                out = convert_model(entry.name, store=store)
                print(f"{entry.name}: converted to CTranslate2 int8 -> {out}")
        except (GetError, ConvertError, OSError) as exc:
            failed += 1
            message = " ".join(str(exc).split())
            print(f"newsdigest: models get: {message}", file=sys.stderr)
            continue
        served = ", ".join(f"{s}→{t}" for s, t in entry.pairs)
        print(f"{entry.name}: now serves {served}"
              + (f" ({entry.licence} licence)" if entry.licence else ""))
    if not failed:
        print(pair_table(manifest, store))
    return 1 if failed else 0


# ---------------------------------------------------------------------- list


def list_models(store: Path | None = None, path: Path | None = None) -> str:
    """One line per manifest model (pairs, what the store holds), then each pair's route."""
    store = store or store_dir()
    manifest = read_manifest(path)
    if not manifest.models:
        return f"no models listed (no manifest at {path or manifest_path()})"
    width = max(len(e.name) for e in manifest.models)
    lines = [f"store: {store}"]
    for e in manifest.models:
        hf = "yes" if is_present(e, store) else "no"
        ct2 = "yes" if is_present(e, store, ct2=True) else "no"
        pairs = "all of " + "/".join(e.languages) if e.languages else f"{e.src}->{e.tgt}"
        scores = "; ".join(f"{s.pair} {s.describe()}" for s in e.scores[:1]) or "no score on card"
        lines.append(f"{e.name:<{width}}  {pairs:<16} transformers: {hf:<3} ctranslate2: "
                     f"{ct2:<3} {e.size_mb:>5} MB  {e.licence or '?'}  {scores}  ({e.hub})")
    return "\n".join(lines + ["", pair_table(manifest, store)])


def pair_table(manifest: Manifest, store: Path | None = None) -> str:
    """For each pair, what `--translator auto` uses with this store: the best model present
    (CTranslate2 before transformers), else two halves through English, else the gloss."""
    from pipeline.translate import TRANSLATORS
    from pipeline.translate.advice import get_command

    best = best_present(manifest, store)
    gloss = TRANSLATORS["gloss"]({})

    def route(src: str, tgt: str) -> str:
        if (src, tgt) in best:
            entry, fmt = best[src, tgt]
            score = entry.score(src, tgt)
            return (f"{'ctranslate2' if fmt == 'ct2' else 'transformers'} {entry.name}"
                    + (f", {score.describe()}" if score else ""))
        if any(g.supports(src, tgt) for g in gloss):
            return "gloss (dictionary, word by word)"
        halves = (route(src, "en"), route("en", tgt)) if "en" not in (src, tgt) else ()
        if halves and "untranslated" not in halves:
            return f"pivot through en: {halves[0]} + {halves[1]}"
        return "untranslated"

    lines = ["pair   route (`--translator auto`)"]
    for src in LANGS:
        for tgt in LANGS:
            if src != tgt:
                line = f"{src}→{tgt}  {route(src, tgt)}"
                better = manifest.recommended(src, tgt)
                if (src, tgt) not in best and better is not None:
                    line += f"  [{get_command([better.name], ct2=True)}]"
                lines.append(line)
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
                           f"`newsdigest models get {entry.name} --ct2` (downloads, converts)")
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
        # it is replaced whole: never do that to something else
        raise ConvertError(f"{out} exists and is not a converted model; choose another --out")
    try:
        import ctranslate2
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise ConvertError("needs CTranslate2: pip install 'newsdigest[nmt,ct2]'") from exc
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder: never ask the hub
    config = json_object(folder / "config.json")
    model_type = config.get("model_type", "")
    # written beside, then renamed into place: a killed conversion leaves no half model
    final, out = out, out.with_name(out.name + ".partial")
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
    tok_config = json_object(folder / "tokenizer_config.json")
    tok_max = tok_config.get("model_max_length") or 0
    from pipeline.translate.nmt_units import default_max_input_tokens

    meta = {
        "name": entry.name if entry else folder.name,
        "hub": entry.hub if entry else None,
        "src": (entry.src or None) if entry else None,
        "tgt": (entry.tgt or None) if entry else None,
        "languages": list(entry.languages) if entry else [],
        "revision": entry.revision if entry else None,
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
    replace_folder(out, final)
    return final


def _family(model_type: str, folder: Path) -> str:
    if model_type == "m2m_100":
        tok_class = str(json_object(folder / "tokenizer_config.json").get("tokenizer_class", ""))
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
