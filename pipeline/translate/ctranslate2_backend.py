"""Neural MT with CTranslate2 (the `ct2` extra): the transformers models, converted and run
int8-quantized on the CPU, several times faster and lighter than torch.

A model folder is what `newsdigest models convert` writes: `model.bin` and the vocabulary from
CTranslate2's converter, the sentencepiece model(s) of the original tokenizer copied beside
them, and `newsdigest.json` (pair, family, prefix, hub id of the original). Texts are cut and
put back together exactly as in the transformers backend (pipeline/translate/nmt_units.py):
sentences, chunks under the token limit, nothing truncated, units deduplicated and batched
longest first; decoding guards against the repetition loops small MT models fall into.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pipeline.translate import nmt_units
from pipeline.translate.advice import how_to_get
from pipeline.translate.base import ModelUnavailable
from pipeline.translate.manifest import json_object
from pipeline.translate.nmt_units import FAMILIES

META_FILE = "newsdigest.json"  # written by `newsdigest models convert`

# tokenizer files per family: (source side, target side); the first name present wins.
# Sentencepiece models, else (NLLB/M2M saved by transformers 5) the `tokenizers` file.
_MULTI = ("sentencepiece.bpe.model", "spm.128k.model", "sentencepiece.model", "tokenizer.json")
_TOKENIZER_FILES = {
    "marian": (("source.spm",), ("target.spm",)),
    "nllb": (_MULTI, _MULTI),
    "m2m": (_MULTI, _MULTI),
}
_LANG_CODE = re.compile(r">>.+?<<")  # a multi-target Marian model's target token, >>cmn_Hans<<
# any language token M2M-100 (__sr__) or NLLB (srp_Cyrl) may emit, not only our four
_ANY_LANG_TOKEN = re.compile(r"__[a-z]{2,3}__|[a-z]{3}_[A-Z][a-z]{3}")
_SPECIAL = {"<pad>", "</s>", "<s>", "<unk>"}


def read_meta(folder: Path) -> dict:
    """The folder's newsdigest.json, or {} when absent or unreadable."""
    return json_object(Path(folder) / META_FILE)


class CTranslate2Translator(nmt_units.UnitTranslator):
    """One CTranslate2 model, loaded on first use, serving one pair (Marian) or every pair in
    `pairs` (NLLB, M2M-100: one copy in memory for all of them)."""

    name = "ctranslate2"
    tier = "nmt"

    def __init__(self, model: str, src: str, tgt: str, beam_size: int = 4,
                 max_new_tokens: int = 512, batch_size: int = 8, *, family: str | None = None,
                 prefix: str | None = None, hub_id: str | None = None,
                 max_input_tokens: int | None = None, compute_type: str = "int8",
                 pairs=None) -> None:
        """`model`: a folder written by `newsdigest models convert`. `max_new_tokens`: most
        tokens generated per unit, end token included (as in transformers), capped further by
        the input's length. `family`, `prefix`, `hub_id`, `max_input_tokens` default to what
        the convert step recorded in newsdigest.json."""
        self.model_id = str(model)
        self._set_pairs(src, tgt, pairs)
        self.beam_size = beam_size
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size
        self.compute_type = compute_type
        meta = read_meta(Path(self.model_id).expanduser())
        self.family = family or meta.get("family")
        self.prefix = (meta.get("prefix") or "") if prefix is None else prefix
        self.hub_id = hub_id or meta.get("hub")
        self.max_input_tokens = max_input_tokens or meta.get("max_input_tokens")
        self._meta = meta
        self.model = self.hub_id or Path(self.model_id).name  # the translation cache's model key
        self._net = None
        self._sp_src: _Pieces | None = None
        self._sp_tgt: _Pieces | None = None

    # ------------------------------------------------------------------ loading

    def _unavailable(self, why: str) -> ModelUnavailable:
        where = Path(self.model_id).expanduser()
        return ModelUnavailable(
            f"ctranslate2 {self.src}->{self.tgt}: {why} (looked in {where}). Get it with "
            f"{how_to_get(where, self.hub_id, ct2=True)} on a machine with the model hub "
            "(converting needs `pip install 'newsdigest[nmt,ct2]'`), or point NEWSDIGEST_MODELS "
            "at a store holding it (see models/manifest.toml)."
        )

    def load(self) -> None:
        """Load the model and its tokenizer once; every failure becomes a ModelUnavailable."""
        if self._net is not None:
            return
        path = Path(self.model_id).expanduser()
        if not path.is_dir():
            raise self._unavailable("model folder not found")
        if not (path / "model.bin").is_file():
            raise self._unavailable("no model.bin: not a CTranslate2 model folder")
        try:
            import ctranslate2
        except ImportError as exc:
            raise self._unavailable("needs `pip install newsdigest[ct2]`") from exc
        meta_pair = (self._meta.get("src"), self._meta.get("tgt"))
        if all(meta_pair) and self.family == "marian" and meta_pair != (self.src, self.tgt):
            raise self._unavailable(f"the folder holds a {meta_pair[0]}->{meta_pair[1]} model")
        self.family = self.family or _detect_family(path, self._meta)
        if self.family not in FAMILIES or self.family not in _TOKENIZER_FILES:
            raise self._unavailable(f"unsupported model family {self.family!r}")
        sides = []
        for names in _TOKENIZER_FILES[self.family]:
            found = next((path / n for n in names if (path / n).is_file()), None)
            if found is None:
                raise self._unavailable(f"no tokenizer model ({' or '.join(names)})")
            sides.append(found)
        try:
            sp_src = _Pieces(sides[0])
            sp_tgt = sp_src if sides[1] == sides[0] else _Pieces(sides[1])
        except ImportError as exc:
            raise self._unavailable("needs `pip install newsdigest[ct2]`") from exc
        except Exception as exc:
            raise self._unavailable(f"could not load the tokenizer {sides[0].name}: {exc}") from exc
        try:
            net = ctranslate2.Translator(str(path), device="cpu", compute_type=self.compute_type,
                                         inter_threads=1, intra_threads=nmt_units.usable_cores())
        except Exception as exc:  # RuntimeError, ValueError, OSError: all mean "not usable"
            raise self._unavailable(f"could not load the model: {exc}") from exc
        if self.max_input_tokens is None:
            self.max_input_tokens = nmt_units.default_max_input_tokens()
        self._sp_src, self._sp_tgt, self._net = sp_src, sp_tgt, net

    # ------------------------------------------------------------------ tokens

    def tokens(self, text: str, src: str | None = None) -> list[str]:
        """Source tokens of `text` as the model takes them (language tokens, pieces, `</s>`);
        `src`: the source language of a multilingual model (default: the first pair's)."""
        self.load()
        head: list[str] = []
        body = self.prefix + text
        if self.family == "marian":  # as MarianTokenizer: a leading >>id<< is one token
            code = _LANG_CODE.match(body)
            if code:
                head, body = [code.group(0)], _LANG_CODE.sub("", body)
        else:
            head = [FAMILIES[self.family].lang_token(src or self.src)]
        return head + self._sp_src.encode(body) + ["</s>"]

    def count(self, text: str) -> int:
        """Source tokens in `text`, without special tokens."""
        return len(self.tokens(text)) - 1 - (self.family != "marian")

    def plan(self, text: str) -> list[list[str]]:
        """Per line, the units to translate: sentences, cut further where over the limit."""
        self.load()
        return nmt_units.plan(text, self.count, self.max_input_tokens)

    def detokenize(self, pieces: Sequence[str]) -> str:
        """Target text of decoded pieces, without special or language tokens."""
        fam = FAMILIES[self.family]
        code = _ANY_LANG_TOKEN if fam.codes else _LANG_CODE
        keep = [p for p in pieces if p not in _SPECIAL and not code.fullmatch(p)]
        return self._sp_tgt.decode(keep).strip()

    # ------------------------------------------------------------------ generation

    def _generate(self, units: list[str], src: str, tgt: str) -> list[str]:
        """Translate units longest first in batches; results in the input order."""
        fam = FAMILIES[self.family]
        target_prefix = [fam.lang_token(tgt)] if fam.codes else None
        tokenized = [self.tokens(u, src) for u in units]
        out = [""] * len(units)
        for idx in nmt_units.longest_first(units, self.count, self.batch_size):
            batch = [tokenized[i] for i in idx]
            # a translation rarely needs 3x its source tokens; the cap ends runaway loops early.
            # -1: max_new_tokens counts the end token, CTranslate2's length does not
            cap = min(self.max_new_tokens, 3 * max(map(len, batch)) + 16) - 1
            if target_prefix:
                cap += 1  # with a target prefix CTranslate2 stops one step earlier (measured)
            results = self._net.translate_batch(
                batch, target_prefix=[target_prefix] * len(batch) if target_prefix else None,
                beam_size=self.beam_size, max_decoding_length=max(1, cap),
                repetition_penalty=1.2, no_repeat_ngram_size=3)
            for i, result in zip(idx, results):
                out[i] = self.detokenize(result.hypotheses[0])
        return out


class _Pieces:
    """Text to vocabulary pieces and back, with a sentencepiece model or a `tokenizers` file."""

    def __init__(self, file: Path) -> None:
        if file.suffix == ".json":
            from tokenizers import Tokenizer

            self._tok = Tokenizer.from_file(str(file))
            self._sp = None
        else:
            import sentencepiece as spm

            self._sp = spm.SentencePieceProcessor(model_file=str(file))

    def encode(self, text: str) -> list[str]:
        if self._sp is not None:
            return self._sp.encode(text, out_type=str)
        return self._tok.encode(text, add_special_tokens=False).tokens

    def decode(self, pieces: Sequence[str]) -> str:
        if self._sp is not None:
            return self._sp.decode_pieces(list(pieces))
        ids = [self._tok.token_to_id(p) for p in pieces]
        return self._tok.decode([i for i in ids if i is not None], skip_special_tokens=True)


def _detect_family(path: Path, meta: dict) -> str:
    """From the convert step's record, else from the tokenizer files beside the model."""
    kind = meta.get("model_type", "")
    if kind == "marian" or (path / "source.spm").is_file():
        return "marian"
    if kind == "m2m_100" or any((path / n).is_file() for n in _MULTI):
        try:
            vocab = (path / "shared_vocabulary.json").read_text("utf-8")
        except OSError:
            vocab = ""
        return "nllb" if "eng_Latn" in vocab else "m2m"
    return kind or "unknown"
