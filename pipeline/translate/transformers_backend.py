"""Neural MT with Hugging Face seq2seq models (the `nmt` extra): Marian today, NLLB/M2M next.

Models translate sentences, not articles: long inputs are cut into sentences (the segment
stage's splitter) and over-long sentences into clause-, word- or character-sized chunks below
the model's token limit, so nothing is silently truncated. Units are deduplicated, sorted by
length and batched (less padding), then put back in order. Generation settings guard against
the repetition loops small MT models fall into on news text.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.model import Translation
from pipeline.translate.base import ModelUnavailable
from pipeline.translate.gloss_base import base_lang

_NO_SPACE_LANGS = {"zh", "ja"}  # target languages whose sentences join without a space
_CUTS = (
    re.compile(r"(?<=[，、；：,;:])"),  # after clause punctuation
    re.compile(r"(?<=\s)(?=\S)"),  # before each word
)


@dataclass(frozen=True)
class Family:
    """How a model family is told the language pair.

    Marian models serve one pair (multi-target ones take a `>>id<<` prefix, set per model);
    NLLB and M2M serve many and need the tokenizer's source code and a forced first token.
    """

    codes: dict[str, str] = field(default_factory=dict)  # our code -> the family's code
    token: str = "{}"  # how a code is spelled as a vocabulary token


FAMILIES: dict[str, Family] = {
    "marian": Family(),
    # not yet exercised by tests: wiring kept here so adding a model is a manifest entry
    "nllb": Family({"en": "eng_Latn", "zh": "zho_Hans", "ja": "jpn_Jpan", "ko": "kor_Hang"}),
    "m2m": Family({"en": "en", "zh": "zh", "ja": "ja", "ko": "ko"}, token="__{}__"),
}

_threads_set = False


def _set_threads() -> None:
    """One intra-op thread per usable core (2 here), once; $NEWSDIGEST_THREADS overrides."""
    global _threads_set
    if _threads_set:
        return
    import torch

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    torch.set_num_threads(max(1, int(os.environ.get("NEWSDIGEST_THREADS", "0")) or cores or 1))
    _threads_set = True


def _looks_like_path(model: str) -> bool:
    """Hub ids are `org/name`; anything else with a separator or a leading ./~ is a folder."""
    return model.startswith((".", "/", "~")) or model.count("/") > 1


class TransformersTranslator:
    """One seq2seq model serving one language pair, loaded on first use."""

    name = "transformers"
    tier = "nmt"

    def __init__(self, model: str, src: str, tgt: str, num_beams: int = 4,
                 max_new_tokens: int = 512, batch_size: int = 8, *, family: str | None = None,
                 prefix: str = "", hub_id: str | None = None,
                 max_input_tokens: int | None = None) -> None:
        self.model_id = str(model)
        self.src, self.tgt = base_lang(src), base_lang(tgt)
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size
        self.family = family
        self.prefix = prefix  # e.g. ">>cmn_Hans<< " for a multi-target Marian model
        self.hub_id = hub_id
        self.max_input_tokens = max_input_tokens
        self.model = hub_id or Path(self.model_id).name  # the translation cache's model key
        self._tok = None
        self._net = None

    # ------------------------------------------------------------------ loading

    def _unavailable(self, why: str) -> ModelUnavailable:
        hub = self.hub_id or f"Helsinki-NLP/opus-mt-{self.src}-{self.tgt}"
        where = Path(self.model_id).expanduser()
        return ModelUnavailable(
            f"transformers {self.src}->{self.tgt}: {why} (looked in {where}). Get it with "
            f"`huggingface-cli download {hub} --local-dir {where}` on a machine with the model "
            "hub, or point NEWSDIGEST_MODELS at a store holding it (see models/manifest.toml)."
        )

    def load(self) -> None:
        """Load tokenizer and model once; every failure becomes a ModelUnavailable."""
        if self._net is not None:
            return
        path = Path(self.model_id).expanduser()
        local = path.is_dir()
        if not local and _looks_like_path(self.model_id):
            raise self._unavailable("model folder not found")
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        except ImportError as exc:
            raise self._unavailable("needs `pip install newsdigest[nmt]`") from exc
        _set_threads()
        source = str(path) if local else self.model_id
        try:
            tok = AutoTokenizer.from_pretrained(source, local_files_only=local)
            net = AutoModelForSeq2SeqLM.from_pretrained(source, local_files_only=local)
        except Exception as exc:  # OSError, ValueError, hub errors: all mean "not usable"
            raise self._unavailable(f"could not load the model: {exc}") from exc
        net.eval()
        self.family = self.family or _detect_family(net, tok)
        if self.family not in FAMILIES:
            raise self._unavailable(f"unsupported model family {self.family!r}")
        if self.max_input_tokens is None:
            limits = [getattr(net.config, "max_position_embeddings", 0) or 0,
                      tok.model_max_length if tok.model_max_length < 100_000 else 0]
            # long inputs translate badly even below the hard limit: cut at 256 tokens
            self.max_input_tokens = min([256] + [n - 2 for n in limits if n > 2])
        self._tok, self._net = tok, net

    # ------------------------------------------------------------------ protocol

    def supports(self, src: str, tgt: str) -> bool:
        return base_lang(src) == self.src and base_lang(tgt) == self.tgt

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        """One Translation per text, same order; blank lines and empty texts stay empty."""
        if not self.supports(src, tgt):
            raise ValueError(f"{self.name} ({self.model}) does not translate {src}->{tgt}")
        if not any(t.strip() for t in texts):
            return [Translation("", "nmt", self.name) for _ in texts]
        self.load()
        plans = [self.plan(t) for t in texts]
        units = list(dict.fromkeys(u for plan in plans for line in plan for u in line))
        done = dict(zip(units, self._generate(units)))
        joiner = "" if self.tgt in _NO_SPACE_LANGS else " "
        return [
            Translation("\n".join(joiner.join(done[u] for u in line) for line in plan),
                        "nmt", self.name)
            for plan in plans
        ]

    # ------------------------------------------------------------------ splitting

    def count(self, text: str) -> int:
        """Source tokens in `text`, without special tokens."""
        self.load()
        # tokenize(), not __call__: counting a long text must not warn about the model limit
        return len(self._tok.tokenize(self.prefix + text))

    def plan(self, text: str) -> list[list[str]]:
        """Per line, the units to translate: sentences, cut further where over the limit.

        Sentence spans are used only as cut points, so the units cover the whole line
        (only whitespace between them is dropped).
        """
        from pipeline.segment import sentences

        self.load()
        out: list[list[str]] = []
        for line in text.split("\n"):
            cuts = sorted({0} | {a for a, _ in sentences(line)}) + [len(line)]
            pieces = [line[a:b].strip() for a, b in itertools.pairwise(cuts)]
            out.append([c for p in pieces if p for c in self._chunk(p, 0)])
        return out

    def _chunk(self, text: str, level: int) -> list[str]:
        """Greedy packing of clauses, then words, then characters, under the token limit."""
        if self.count(text) <= self.max_input_tokens:
            return [text]
        atoms = _CUTS[level].split(text) if level < len(_CUTS) else list(text)
        if len(atoms) < 2 and level < len(_CUTS):
            return self._chunk(text, level + 1)
        chunks: list[str] = []
        buf = ""
        for atom in atoms:
            if buf and self.count(buf + atom) > self.max_input_tokens:
                chunks.append(buf)
                buf = ""
            if not buf and level < len(_CUTS) and self.count(atom) > self.max_input_tokens:
                chunks += self._chunk(atom, level + 1)
                continue
            buf += atom
        chunks.append(buf)
        return [c.strip() for c in chunks if c.strip()]

    # ------------------------------------------------------------------ generation

    def _generate(self, units: list[str]) -> list[str]:
        """Translate units longest first in batches; results in the input order."""
        import torch

        fam = FAMILIES[self.family]
        kwargs: dict = {}
        if fam.codes:
            self._tok.src_lang = fam.codes[self.src]
            first = fam.token.format(fam.codes[self.tgt])
            kwargs["forced_bos_token_id"] = self._tok.convert_tokens_to_ids(first)
        lengths = {u: self.count(u) for u in units}
        order = sorted(range(len(units)), key=lambda i: -lengths[units[i]])
        out = [""] * len(units)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            batch = [self.prefix + units[i] for i in idx]
            enc = self._tok(batch, return_tensors="pt", padding=True)
            # a translation rarely needs 3x its source tokens; the cap ends runaway loops early
            cap = min(self.max_new_tokens, 3 * enc["input_ids"].shape[1] + 16)
            beams = {"num_beams": self.num_beams}
            if self.num_beams > 1:
                beams["early_stopping"] = True
            with torch.inference_mode():
                ids = self._net.generate(**enc, **kwargs, **beams, max_new_tokens=cap,
                                         no_repeat_ngram_size=3, repetition_penalty=1.2)
            texts = self._tok.batch_decode(ids, skip_special_tokens=True)
            for i, text in zip(idx, texts):
                out[i] = _strip_codes(text, fam).strip()
        return out


def _strip_codes(text: str, fam: Family) -> str:
    """M2M leaves `__en__` in decoded text even with skip_special_tokens."""
    for code in fam.codes.values():
        text = text.replace(fam.token.format(code), "")
    return text


def _detect_family(net, tok) -> str:
    kind = getattr(net.config, "model_type", "")
    if kind == "marian":
        return "marian"
    if kind == "m2m_100":
        return "nllb" if "Nllb" in type(tok).__name__ else "m2m"
    return kind
