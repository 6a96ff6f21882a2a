"""The sentence-transformers embedder on a tiny random model built here (no hub, no network).

A WordPiece vocabulary is trained on real en/zh/ja/ko text (NTREX-128 plus the seeds), a
2-layer BERT with 32-d hidden states is randomly initialised with a fixed seed and saved as a
sentence-transformers folder (Transformer + mean Pooling + Normalize), and the real backend
loads it through `get_embedder`. The model is random, so the tests check plumbing: loading,
shape, dtype, normalisation, determinism, batching, the prefix, the cache and errors.
Recipe: shared/notes/ml-on-this-machine.md, "sentence-transformers".
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.embed import get_embedder
from pipeline.embed.cache import CachedEmbedder
from pipeline.paths import evaldata_dir
from tests.conftest import SEEDS

pytest.importorskip("sentence_transformers")

DIM = 32
NTREX_LANGS = ("en", "zh-CN", "ja", "ko")
TEXTS = [
    "China tightens export controls on rare earth minerals.",
    "中国加强稀土出口管制。",
    "中国はレアアースの輸出規制を強化した。",
    "중국이 희토류 수출 통제를 강화했다.",
    "The central bank left interest rates unchanged.",
]


def _corpus() -> list[str]:
    ntrex = evaldata_dir() / "ntrex128"
    if not all((ntrex / f"{lang}.txt").is_file() for lang in NTREX_LANGS):
        pytest.skip(f"NTREX-128 en/zh-CN/ja/ko not found under {ntrex}")
    lines: list[str] = []
    for lang in NTREX_LANGS:
        lines += (ntrex / f"{lang}.txt").read_text("utf-8").splitlines()[:300]
    for path in sorted(SEEDS.glob("*.txt")):
        lines += path.read_text("utf-8").splitlines()
    return [line for line in lines if line.strip()]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    """A tiny random sentence-transformers model saved in a folder; returns its path."""
    import torch
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    try:  # sentence-transformers >= 6; `models` still works there but warns
        from sentence_transformers.sentence_transformer import modules
    except ImportError:  # pragma: no cover - older sentence-transformers
        from sentence_transformers import models as modules
    from sentence_transformers import SentenceTransformer

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        corpus = _corpus()
        root = tmp_path_factory.mktemp("st-tiny")
        # the trainer breaks frequency ties differently in each process, so the vocabulary
        # (and so every vector) differs between sessions: tests compare within one session
        wordpiece = BertWordPieceTokenizer(lowercase=True, handle_chinese_chars=True)
        wordpiece.train_from_iterator(corpus, vocab_size=3000, min_frequency=2,
                                      show_progress=False)
        (vocab,) = wordpiece.save_model(str(root))
        tok = BertTokenizerFast(vocab=vocab)  # NOT vocab_file=: ignored in transformers 5
        assert tok.vocab_size > 100
        # the tokenizer really uses the vocabulary: real words are not [UNK]
        ids = tok("China export 中国 日本 수출")["input_ids"]
        assert tok.unk_token_id not in ids

        bert_dir = root / "bert"
        torch.manual_seed(0)
        config = BertConfig(vocab_size=tok.vocab_size, hidden_size=DIM, num_hidden_layers=2,
                            num_attention_heads=2, intermediate_size=64,
                            max_position_embeddings=128, pad_token_id=tok.pad_token_id)
        BertModel(config).save_pretrained(bert_dir)
        tok.save_pretrained(bert_dir)

        st_dir = root / "st"
        transformer = modules.Transformer(str(bert_dir), max_seq_length=128)
        SentenceTransformer(modules=[transformer, modules.Pooling(DIM, "mean"),
                                     modules.Normalize()], device="cpu").save(str(st_dir))
    return str(st_dir)


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def embedder(model_dir, offline):
    return get_embedder("sentence-transformers", model=model_dir)


def test_loads_from_local_folder(embedder, model_dir):
    from pipeline.embed.sentence_transformers_backend import SentenceTransformerEmbedder

    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.name == "sentence-transformers"
    assert embedder.prefix == "passage: "
    model = embedder._load()
    assert embedder._load() is model  # loaded once
    dimension = getattr(model, "get_embedding_dimension", None)  # renamed in 6.x
    assert (dimension or model.get_sentence_embedding_dimension)() == DIM
    assert model.tokenizer.vocab_size > 100  # the saved vocabulary came back with the model
    assert model.tokenizer.unk_token_id not in model.tokenizer(TEXTS[0])["input_ids"]


def test_shape_dtype_and_unit_rows(embedder):
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), DIM)
    assert vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_deterministic_and_batch_independent(model_dir, offline):
    embedder = get_embedder("sentence-transformers", model=model_dir, batch_size=2)
    first = embedder.embed(TEXTS)
    np.testing.assert_array_equal(embedder.embed(TEXTS), first)
    one_by_one = np.vstack([embedder.embed([t]) for t in TEXTS])
    np.testing.assert_allclose(one_by_one, first, atol=1e-5)
    # a fresh load of the same folder gives the same vectors
    again = get_embedder("sentence-transformers", model=model_dir).embed(TEXTS)
    np.testing.assert_allclose(again, first, atol=1e-5)


def test_prefix_is_applied(model_dir, embedder, offline):
    bare = get_embedder("sentence-transformers", model=model_dir, prefix="")
    with_prefix = embedder.embed(["x"])[0]
    assert not np.allclose(with_prefix, bare.embed(["x"])[0], atol=1e-4)
    # the default prefix is exactly "passage: " glued to the text
    np.testing.assert_allclose(with_prefix, bare.embed(["passage: x"])[0], atol=1e-5)


def test_distinct_texts_give_distinct_vectors(embedder):
    vectors = embedder.embed(TEXTS)
    sims = vectors @ vectors.T
    off_diagonal = sims[~np.eye(len(TEXTS), dtype=bool)]
    # random weights put real texts at cosine 0.93-0.98; an all-[UNK] tokenizer (the
    # `vocab_file=` pitfall) at 0.999, so this also catches a tokenizer that lost its vocabulary
    assert off_diagonal.max() < 0.995
    assert len({v.tobytes() for v in vectors}) == len(TEXTS)


def test_through_the_cache(embedder, tmp_path):
    cached = CachedEmbedder(embedder, tmp_path / "e.sqlite", "k")
    first = cached.embed(TEXTS)
    np.testing.assert_allclose(first, embedder.embed(TEXTS), atol=1e-5)
    calls = []
    inner_embed = embedder.embed
    embedder.embed = lambda texts: calls.append(list(texts)) or inner_embed(texts)
    second = cached.embed(TEXTS)
    assert calls == []  # served from the cache
    np.testing.assert_array_equal(second, first)
    # and from a new cache object on the same file
    reopened = CachedEmbedder(embedder, tmp_path / "e.sqlite", "k").embed(TEXTS[::-1])
    np.testing.assert_array_equal(reopened, first[::-1])
    assert calls == []


@pytest.mark.parametrize("missing", ["{tmp}/no-such-model", "./no-such-model-dir"])
def test_missing_local_folder_fails_fast(tmp_path, missing, offline, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = missing.format(tmp=tmp_path)
    with pytest.raises(FileNotFoundError, match="no-such-model"):
        get_embedder("sentence-transformers", model=path)
