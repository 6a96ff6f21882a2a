"""NMT speed on this machine's CPU cores for the models we recommend, with random weights.

Why: choosing between OPUS-MT, OPUS-MT-tc-big, NLLB-200-distilled-600M and M2M-100 (418M),
and between transformers and CTranslate2, needs their cost on 2 cores (tokens/s, RAM,
disk), and the real weights cannot be downloaded here. Speed depends on the shapes, not on
the values: each architecture is built from a config with the real model's sizes, seeded
random weights (`torch.manual_seed(0)`), saved as fp32 safetensors, converted to CTranslate2
int8, and both are timed on the same workload.

Workload: `--sentences` (32) sources of `--src-len` (30) token ids each, counting `</s>` and,
for M2M/NLLB, the source-language tag (random ids from the vocabulary, special ids left out;
seeded), in batches of `--batch` (8), beam `--beams` (4) and greedy, after one warm-up
batch per mode. The output length is FIXED at `--tgt-len` (36) tokens (transformers:
min_new_tokens = max_new_tokens; CTranslate2: min_decoding_length = max_decoding_length),
since random weights would otherwise stop at a random length. The decoding options are
those of pipeline/translate (no_repeat_ngram_size=3, repetition_penalty=1.2, early stopping;
M2M/NLLB: the target-language token forced first / given as target prefix). The target
tokens counted are those actually returned (the forced language token included).
Engines: transformers, torch fp32, `torch.set_num_threads(2)`; CTranslate2 int8,
`inter_threads=1, intra_threads=2`. Each (model, engine) runs in a fresh subprocess: its
load time and peak RSS (imports included; the CTranslate2 process never imports torch) are
its own. Disk: the fp32 safetensors folder and the int8 CTranslate2 folder.

Sizes, checked against published config.json files (search of stored Hugging Face pages):
- marian, Helsinki-NLP/opus-mt-zh-en: d_model 512, 6+6 layers, 8 heads, ffn 2048, swish,
  vocab_size = decoder_vocab_size 65001 (pad 65000 last), max_position_embeddings 512,
  shared embeddings. https://huggingface.co/KennStack01/Helsinki-NLP-opus-mt-zh-en/blame/9fda419633c964b3375e439f8aa090f12d507960/config.json
  (a copy of the original; opus-mt-en-zh and opus-mt-ko-en copies give the same numbers).
- tc-big, Helsinki-NLP/opus-mt-tc-big-ko-en: the ko-en config.json itself was not found.
  The tc-big family configs (opus-mt-tc-big-en-fr, -en-es, -gmw-gmw) all read d_model 1024,
  6+6 layers, 16 heads, ffn 4096, relu, max_position_embeddings 1024, shared embeddings,
  https://huggingface.co/Helsinki-NLP/opus-mt-tc-big-en-es/blame/d92f8dddd96775b6d4161248366dffb5e3bd851f/config.json
  Vocabulary 32001: UNVERIFIED, estimated (the en-ko model.safetensors is 418 MB in fp16,
  i.e. ~209M parameters = the 176M of the layers + ~32k x 1024 embeddings).
- nllb, facebook/nllb-200-distilled-600M: M2M100, d_model 1024, 12+12 layers, 16 heads,
  ffn 4096, relu, vocab_size 256206, max_position_embeddings 1024, scale_embedding true
  (fine-tuned copies of it, e.g. https://huggingface.co/InfAI/facebook_nllb-200-distilled-600m_text2sparql/blame/main/config.json;
  the original repository's page was not among the stored ones).
- m2m, facebook/m2m100_418M: M2M100, d_model 1024, 12+12 layers, 16 heads, ffn 4096, relu,
  vocab_size 128112, max_position_embeddings 1024, scale_embedding true (fine-tuned copies,
  e.g. https://huggingface.co/tartuNLP/nmt-all-to-liv-base/blame/134a6528e99e1e9ee75682031daca96f271faf4e/config.json).

Another heavy job on the machine slows every number (the load average is printed).
`--scale 0.1` shrinks every size (debugging only).

usage: python benchmarks/nmt_speed.py [--models marian,tc-big,nllb,m2m]
                                      [--engines transformers,ct2] [--sentences 32]
                                      [--batch 8] [--src-len 30] [--tgt-len 36] [--beams 4]
                                      [--keep DIR] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

THREADS = 2


@dataclass(frozen=True)
class Arch:
    label: str
    family: str  # "marian" or "m2m_100"
    vocab: int
    d_model: int
    layers: int
    heads: int
    ffn: int
    positions: int
    activation: str


ARCHS = {
    "marian": Arch("opus-mt (Marian base, opus-mt-zh-en)", "marian", 65001, 512, 6, 8, 2048,
                   512, "swish"),
    "tc-big": Arch("opus-mt-tc-big (Marian big, tc-big-ko-en)", "marian", 32001, 1024, 6, 16,
                   4096, 1024, "relu"),
    "nllb": Arch("nllb-200-distilled-600M (M2M-100)", "m2m_100", 256206, 1024, 12, 16, 4096,
                 1024, "relu"),
    "m2m": Arch("m2m100_418M (M2M-100)", "m2m_100", 128112, 1024, 12, 16, 4096, 1024, "relu"),
}
M2M_LANGS = 256  # the last ids of an M2M/NLLB vocabulary hold language codes: no source ids


def scaled(arch: Arch, scale: float) -> Arch:
    """`arch` shrunk by `scale` (widths stay multiples of 8 per head) for quick debugging."""
    if scale == 1.0:
        return arch
    unit = arch.heads * 8

    def width(n: int) -> int:
        return max(unit, round(n * scale / unit) * unit)

    return Arch(arch.label, arch.family, max(2 * M2M_LANGS, int(arch.vocab * scale)),
                width(arch.d_model), max(1, round(arch.layers * scale)), arch.heads,
                width(arch.ffn), arch.positions, arch.activation)


# ---------------------------------------------------------------- ids and tokens (both engines)

def special_ids(arch: Arch) -> dict[str, int]:
    """OPUS layout (eos 0, unk 1, pad last) or fairseq layout (bos 0, pad 1, eos 2, unk 3)."""
    if arch.family == "marian":
        return {"eos": 0, "unk": 1, "pad": arch.vocab - 1}
    return {"bos": 0, "pad": 1, "eos": 2, "unk": 3, "src_lang": arch.vocab - 20,
            "tgt_lang": arch.vocab - 10}


def token(arch: Arch, i: int) -> str:
    """The vocabulary entry of id `i`: special tokens by name, every other id `tN`."""
    names = {"eos": "</s>", "unk": "<unk>", "pad": "<pad>", "bos": "<s>",
             "src_lang": "__zh__", "tgt_lang": "__en__"}
    by_id = {v: names[k] for k, v in special_ids(arch).items()}
    return by_id.get(i, f"t{i}")


def sources(arch: Arch, count: int, length: int) -> list[list[int]]:
    """Seeded random sources of exactly `length` ids, `</s>` (and the language tag) included."""
    import numpy as np

    ids = special_ids(arch)
    rng = np.random.default_rng(0)
    if arch.family == "marian":
        body = rng.integers(2, arch.vocab - 1, size=(count, length - 1))
        return [[*row.tolist(), ids["eos"]] for row in body]
    body = rng.integers(4, arch.vocab - M2M_LANGS, size=(count, length - 2))
    return [[ids["src_lang"], *row.tolist(), ids["eos"]] for row in body]


# ---------------------------------------------------------------- build and convert

class _Vocabulary:
    """What CTranslate2's converter reads from a tokenizer, without a tokenizer: the
    converter calls `AutoTokenizer.from_pretrained` (a random model has no sentencepiece
    files) and then only reads the vocabulary list and the special tokens. `_Converter`
    hands it this object instead, one entry per embedding row (Marian: `<pad>` last, which
    the converter drops; M2M: the language tokens at their ids, no `madeupwordN`)."""

    def __init__(self, arch: Arch) -> None:
        self.special_tokens_map: dict = {}
        self.tokens = [token(arch, i) for i in range(arch.vocab)]
        self.bos_token, self.eos_token, self.unk_token = "<s>", "</s>", "<unk>"
        self.pad_token = "<pad>"
        self.unk_token_id = special_ids(arch)["unk"]

    def get_vocab(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tokens)}

    def convert_ids_to_tokens(self, i: int) -> str:
        return self.tokens[i]


def build(arch: Arch, folder: Path, ct2: Path | None) -> dict:
    """Random fp32 model saved in `folder` (safetensors); int8 CTranslate2 copy in `ct2`."""
    import torch
    import transformers as tf

    ids = special_ids(arch)
    shape = {"vocab_size": arch.vocab, "d_model": arch.d_model, "encoder_layers": arch.layers,
             "decoder_layers": arch.layers, "encoder_attention_heads": arch.heads,
             "decoder_attention_heads": arch.heads, "encoder_ffn_dim": arch.ffn,
             "decoder_ffn_dim": arch.ffn, "max_position_embeddings": arch.positions,
             "activation_function": arch.activation, "scale_embedding": True}
    if arch.family == "marian":
        config = tf.MarianConfig(**shape, decoder_vocab_size=arch.vocab,
                                 share_encoder_decoder_embeddings=True, pad_token_id=ids["pad"],
                                 eos_token_id=ids["eos"], decoder_start_token_id=ids["pad"],
                                 forced_eos_token_id=ids["eos"])
        model_class = tf.MarianMTModel
    else:
        config = tf.M2M100Config(**shape, pad_token_id=ids["pad"], bos_token_id=ids["bos"],
                                 eos_token_id=ids["eos"], decoder_start_token_id=ids["eos"])
        model_class = tf.M2M100ForConditionalGeneration
    start = time.perf_counter()
    torch.manual_seed(0)
    model = model_class(config)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(folder)
    del model
    gc.collect()
    result = {"params_m": round(params / 1e6, 1), "build_s": round(time.perf_counter() - start, 1)}
    if ct2 is not None:
        from ctranslate2.converters import TransformersConverter

        class _Converter(TransformersConverter):
            def load_tokenizer(self, *args, **kwargs):
                return _Vocabulary(arch)

        start = time.perf_counter()
        _Converter(str(folder)).convert(str(ct2), quantization="int8", force=True)
        result["convert_s"] = round(time.perf_counter() - start, 1)
    return result


# ---------------------------------------------------------------- the two engines

def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_transformers(arch: Arch, folder: Path, args: argparse.Namespace) -> dict:
    import torch
    from transformers import AutoModelForSeq2SeqLM
    from transformers.utils import logging

    logging.disable_progress_bar()
    torch.set_num_threads(THREADS)
    start = time.perf_counter()
    model = AutoModelForSeq2SeqLM.from_pretrained(folder, dtype=torch.float32).eval()
    load = time.perf_counter() - start
    ids = special_ids(arch)
    extra = {"forced_bos_token_id": ids["tgt_lang"]} if arch.family == "m2m_100" else {}
    batches = [torch.tensor(b) for b in _batches(sources(arch, args.sentences, args.src_len),
                                                  args.batch)]

    def one(batch, beams: int) -> int:
        options = {"early_stopping": True} if beams > 1 else {}
        with torch.inference_mode():
            out = model.generate(input_ids=batch, attention_mask=torch.ones_like(batch),
                                 num_beams=beams, do_sample=False, min_new_tokens=args.tgt_len,
                                 max_new_tokens=args.tgt_len, no_repeat_ngram_size=3,
                                 repetition_penalty=1.2, **options, **extra)
        return out.shape[0] * (out.shape[1] - 1)  # minus the decoder start token

    result = {"load_s": round(load, 2)}
    for mode, beams in (("beam", args.beams), ("greedy", 1)):
        result[mode] = _timed(lambda b, k=beams: one(b, k), batches)
    return result


def run_ct2(arch: Arch, folder: Path, args: argparse.Namespace) -> dict:
    import ctranslate2

    start = time.perf_counter()
    translator = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8",
                                        inter_threads=1, intra_threads=THREADS)
    load = time.perf_counter() - start
    texts = [[token(arch, i) for i in row] for row in sources(arch, args.sentences, args.src_len)]
    batches = _batches(texts, args.batch)
    prefix = [token(arch, special_ids(arch)["tgt_lang"])] if arch.family == "m2m_100" else None

    def one(batch, beams: int) -> int:
        results = translator.translate_batch(
            batch, target_prefix=[prefix] * len(batch) if prefix else None, beam_size=beams,
            min_decoding_length=args.tgt_len, max_decoding_length=args.tgt_len,
            repetition_penalty=1.2, no_repeat_ngram_size=3)
        return sum(len(r.hypotheses[0]) for r in results)

    result = {"load_s": round(load, 2)}
    for mode, beams in (("beam", args.beams), ("greedy", 1)):
        result[mode] = _timed(lambda b, k=beams: one(b, k), batches)
    return result


def _timed(translate, batches: list) -> dict:
    """One warm-up batch, then every batch timed: rates over the timed batches."""
    translate(batches[0])
    start = time.perf_counter()
    target = sum(translate(b) for b in batches)
    seconds = time.perf_counter() - start
    sentences = sum(len(b) for b in batches)
    src = sum(len(row) for b in batches for row in b)
    return {"seconds": round(seconds, 2), "src_tok_s": round(src / seconds, 1),
            "sent_s": round(sentences / seconds, 2), "tgt_tok_s": round(target / seconds, 1),
            "tgt_per_sentence": round(target / sentences, 1)}


# ---------------------------------------------------------------- driver

def _size_mb(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6, 1)


def _child(args: list[str]) -> dict:
    """This script in a fresh process; its last stdout line is its JSON result."""
    done = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _one(args: argparse.Namespace) -> None:
    arch = scaled(ARCHS[args.one], args.scale)
    folder = Path(args.dir)
    if args.engine == "build":
        result = build(arch, folder / "hf", folder / "ct2" if args.with_ct2 else None)
    elif args.engine == "transformers":
        result = run_transformers(arch, folder / "hf", args)
    else:
        result = run_ct2(arch, folder / "ct2", args)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["load_avg"] = round(os.getloadavg()[0], 1)  # above ~2.5: another job was running
    print(json.dumps(result))


def _row(cells: list, widths: list[int]) -> str:
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                     for i, (c, w) in enumerate(zip(cells, widths)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(ARCHS),
                        help=f"comma-separated subset of {', '.join(ARCHS)}")
    parser.add_argument("--engines", default="transformers,ct2")
    parser.add_argument("--sentences", type=int, default=32)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--src-len", type=int, default=30)
    parser.add_argument("--tgt-len", type=int, default=36)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--keep", metavar="DIR", help="build the models here and keep them "
                        "(a model already built there with the same sizes is reused)")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every size (debugging)")
    parser.add_argument("--one", choices=list(ARCHS), help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=["build", "transformers", "ct2"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--with-ct2", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return _one(args)
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(models) - set(ARCHS) | set(engines) - {"transformers", "ct2"}
    if unknown:
        parser.error(f"unknown model or engine: {', '.join(sorted(unknown))}")
    common = ["--sentences", str(args.sentences), "--batch", str(args.batch), "--src-len",
              str(args.src_len), "--tgt-len", str(args.tgt_len), "--beams", str(args.beams),
              "--scale", str(args.scale)]
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nmt_speed_"))
    print(f"{args.sentences} sentences x {args.src_len} source tokens, {args.tgt_len} target "
          f"tokens, batch {args.batch}, beam {args.beams} and greedy, {THREADS} threads, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    started = time.monotonic()
    rows = []
    try:
        for name in models:
            arch = scaled(ARCHS[name], args.scale)
            folder = root / name
            stamp = folder / "arch.json"
            want_ct2 = "ct2" in engines
            reuse = (stamp.is_file() and json.loads(stamp.read_text()) == arch.__dict__
                     and (folder / "hf").is_dir() and (not want_ct2 or (folder / "ct2").is_dir()))
            if reuse:
                built = json.loads((folder / "built.json").read_text())
            else:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                built = _child(["--one", name, "--engine", "build", "--dir", str(folder),
                                *(["--with-ct2"] if want_ct2 else []), *common])
                (folder / "built.json").write_text(json.dumps(built))
                stamp.write_text(json.dumps(arch.__dict__))
            print(f"{name}: {arch}\n  built: {built}", flush=True)
            for engine in engines:
                result = _child(["--one", name, "--engine", engine, "--dir", str(folder),
                                 *common])
                disk = _size_mb(folder / ("hf" if engine == "transformers" else "ct2"))
                print(f"  {engine}: {json.dumps(result)}", flush=True)
                for mode in ("beam", "greedy"):
                    rows.append((arch.label, engine, mode, built["params_m"], disk,
                                 result["load_s"], result["peak_rss_mb"], result[mode]))
            if not args.keep:
                shutil.rmtree(folder)  # free the disk before the next model
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    _print_tables(rows, args.beams)
    print(f"\ntotal {time.monotonic() - started:.0f} s, load average now "
          f"{os.getloadavg()[0]:.1f}")


def _print_tables(rows: list, beams: int) -> None:
    names = {"transformers": "transformers fp32", "ct2": "CTranslate2 int8"}
    head = ["architecture", "engine", "search", "params M", "disk MB", "load s", "src tok/s",
            "sent/s", "tgt tok/s", "tgt/sent", "peak RSS MB"]
    table = [[label, names[engine], f"beam {beams}" if mode == "beam" else "greedy", params,
              disk, load, r["src_tok_s"], r["sent_s"], r["tgt_tok_s"], r["tgt_per_sentence"],
              rss] for label, engine, mode, params, disk, load, rss, r in rows]
    widths = [max(len(str(c)) for c in col) for col in zip(head, *table)]
    print()
    print(_row(head, widths))
    for line in table:
        print(_row(line, widths))
    print("\n| architecture | engine | params (M) | disk (MB) | src tok/s | sentences/s "
          "| peak RSS (MB) |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for line in table:
        label, engine, search, params, disk, _, src, sent, _, _, rss = line
        print(f"| {label} | {engine}, {search} | {params} | {disk} | {src} | {sent} | {rss} |")


if __name__ == "__main__":
    main()
