"""Neural MT with Hugging Face seq2seq models (the `nmt` extra): Marian, NLLB-200, M2M-100.

Models translate sentences, not articles: long inputs are cut into sentences (the segment
stage's splitter) and over-long sentences into clause-, word- or character-sized chunks below
the model's token limit, so nothing is silently truncated. Units are deduplicated, sorted by
length and batched (less padding), then put back in order. Generation settings guard against
the repetition loops small MT models fall into on news text.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.translate import nmt_units
from pipeline.translate.advice import how_to_get
from pipeline.translate.base import ModelUnavailable
from pipeline.translate.nmt_units import FAMILIES, Family, strip_codes

__all__ = ["FAMILIES", "Family", "TransformersTranslator"]

_threads_set = False


def _set_threads() -> None:
    """One intra-op thread per usable core (2 here), once; $NEWSDIGEST_THREADS overrides."""
    global _threads_set
    if _threads_set:
        return
    import torch

    torch.set_num_threads(nmt_units.usable_cores())
    _threads_set = True


def _looks_like_path(model: str) -> bool:
    """Hub ids are `org/name`; anything else with a separator or a leading ./~ is a folder."""
    return model.startswith((".", "/", "~")) or model.count("/") > 1


class TransformersTranslator(nmt_units.UnitTranslator):
    """One seq2seq model, loaded on first use, serving one pair (Marian) or every pair in
    `pairs` (NLLB, M2M-100: one copy in memory for all of them)."""

    name = "transformers"
    tier = "nmt"

    def __init__(self, model: str, src: str, tgt: str, num_beams: int = 4,
                 max_new_tokens: int = 512, batch_size: int = 8, *, family: str | None = None,
                 prefix: str = "", hub_id: str | None = None,
                 max_input_tokens: int | None = None, pairs=None) -> None:
        self.model_id = str(model)
        self._set_pairs(src, tgt, pairs)
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
        where = Path(self.model_id).expanduser()
        return ModelUnavailable(
            f"transformers {self.src}->{self.tgt}: {why} (looked in {where}). Get it with "
            f"{how_to_get(where, self.hub_id)} on a machine with the model hub, or point "
            "NEWSDIGEST_MODELS at a store holding it (see models/manifest.toml)."
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
            self.max_input_tokens = nmt_units.default_max_input_tokens(
                getattr(net.config, "max_position_embeddings", 0) or 0,
                tok.model_max_length if tok.model_max_length < 100_000 else 0)
        self._tok, self._net = tok, net

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
        self.load()
        return nmt_units.plan(text, self.count, self.max_input_tokens)

    # ------------------------------------------------------------------ generation

    def _generate(self, units: list[str], src: str, tgt: str) -> list[str]:
        """Translate units longest first in batches; results in the input order."""
        import torch

        fam = FAMILIES[self.family]
        kwargs: dict = {}
        if fam.codes:
            self._tok.src_lang = fam.codes[src]
            first = fam.token.format(fam.codes[tgt])
            kwargs["forced_bos_token_id"] = self._tok.convert_tokens_to_ids(first)
        out = [""] * len(units)
        lang_ids = set(getattr(self._tok, "id_to_lang_token", ()))  # M2M: all 100 codes
        for idx in nmt_units.longest_first(units, self.count, self.batch_size):
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
            if lang_ids:  # M2M keeps every `__xx__` in decoded text: drop all language tokens
                ids = [[i for i in row.tolist() if i not in lang_ids] for row in ids]
            texts = self._tok.batch_decode(ids, skip_special_tokens=True)
            for i, text in zip(idx, texts):
                out[i] = strip_codes(text, fam).strip()
        return out


def _detect_family(net, tok) -> str:
    kind = getattr(net.config, "model_type", "")
    if kind == "marian":
        return "marian"
    if kind == "m2m_100":
        return "nllb" if "Nllb" in type(tok).__name__ else "m2m"
    return kind
