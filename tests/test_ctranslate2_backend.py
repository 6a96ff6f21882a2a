"""The CTranslate2 NMT backend and `newsdigest models convert`, on a tiny random Marian zh→en.

The tiny model (tests/tiny_models.py) is converted through the `models` command (int8, the
default) and once more as float32. The model is random, so no test looks at its words: they
check the converted folder, order, counts, determinism, that long inputs are cut below the
token limit with nothing dropped, that float32 decoding is token-identical to transformers
greedy decoding, load failures, and the store lookup. Notes: shared/notes/ml-on-this-machine.md.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys

import pytest

from pipeline.models_cli import add_models_parser, convert_model, run_models
from pipeline.translate.base import ModelUnavailable
from pipeline.translate.manifest import available_ct2_models

pytest.importorskip("ctranslate2")
pytest.importorskip("sentencepiece")
pytest.importorskip("transformers")

from pipeline.translate.ctranslate2_backend import CTranslate2Translator
from pipeline.translate.transformers_backend import TransformersTranslator
from tests.tiny_models import (
    build_tiny_m2m,
    build_tiny_marian,
    long_paragraph,
    seed_zh_texts,
    tiny_corpus,
)

HUB = "Helsinki-NLP/opus-mt-zh-en"


def _models(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="newsdigest")
    add_models_parser(parser.add_subparsers(dest="command", required=True))
    return run_models(parser.parse_args(["models", *argv]))


@pytest.fixture(scope="module")
def seed_zh() -> list[str]:
    return seed_zh_texts()


@pytest.fixture(scope="module")
def store(tmp_path_factory, seed_zh):
    """A model store holding the tiny Marian as `opus-mt-zh-en` and, converted by name with
    `newsdigest models convert opus-mt-zh-en`, as `opus-mt-zh-en-ct2`."""
    store = tmp_path_factory.mktemp("store")
    build_tiny_marian(store / "opus-mt-zh-en", *tiny_corpus(seed_zh))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSDIGEST_MODELS", str(store))
        assert _models("convert", "opus-mt-zh-en") == 0
    return store


@pytest.fixture(scope="module")
def ct2_dir(store):
    return store / "opus-mt-zh-en-ct2"


@pytest.fixture(scope="module")
def f32_dir(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("f32") / "tiny-ct2-f32"
    return convert_model(store / "opus-mt-zh-en", out, quantization="float32")


@pytest.fixture(scope="module")
def translator(ct2_dir):
    t = CTranslate2Translator(str(ct2_dir), "zh", "en", beam_size=2, max_new_tokens=24)
    t.load()
    return t


class _Spy:
    """Stands in for the CTranslate2 model to record the source rows and tokens it was given."""

    def __init__(self, translator) -> None:
        self.translator = translator
        self.net = translator._net
        self.rows = 0
        self.tokens = 0
        self.outputs: list[list[str]] = []

    def translate_batch(self, batch, **kw):
        self.rows += len(batch)
        self.tokens += sum(map(len, batch))
        results = self.net.translate_batch(batch, **kw)
        self.outputs += [r.hypotheses[0] for r in results]
        return results

    def __enter__(self):
        self.translator._net = self
        return self

    def __exit__(self, *exc):
        self.translator._net = self.net


def test_convert_writes_model_tokenizer_and_record(ct2_dir, f32_dir, translator):
    names = {p.name for p in ct2_dir.iterdir()}
    assert {"model.bin", "config.json", "newsdigest.json", "source.spm", "target.spm",
            "vocab.json"} <= names
    meta = json.loads((ct2_dir / "newsdigest.json").read_text("utf-8"))
    assert (meta["src"], meta["tgt"], meta["family"], meta["hub"]) == ("zh", "en", "marian", HUB)
    assert meta["quantization"] == "int8"
    assert json.loads((f32_dir / "newsdigest.json").read_text("utf-8"))["quantization"] == (
        "float32")
    # the record fills what the router does not pass
    assert translator.model == HUB and translator.family == "marian"
    assert translator.max_input_tokens == meta["max_input_tokens"] == 256


def test_batch_keeps_count_order_and_labels(translator, seed_zh):
    texts = seed_zh[:4] + ["", seed_zh[0]]
    out = translator.translate(texts, "zh", "en")
    assert len(out) == len(texts)
    assert all(t.tier == "nmt" and t.backend == "ctranslate2" for t in out)
    assert out[4].text == ""
    assert all(t.text for i, t in enumerate(out) if i != 4)
    assert out[5].text == out[0].text  # same text, same place in the output
    assert [translator.translate([t], "zh", "en")[0].text for t in texts[:3]] == [
        t.text for t in out[:3]]


def test_multi_line_text_keeps_its_lines(translator, seed_zh):
    (out,) = translator.translate([f"{seed_zh[0]}\n\n{seed_zh[1]}\n"], "zh", "en")
    first, second = (t.text for t in translator.translate(seed_zh[:2], "zh", "en"))
    assert out.text == f"{first}\n\n{second}\n"


def test_empty_batch_and_empty_text(ct2_dir):
    lazy = CTranslate2Translator(str(ct2_dir), "zh", "en")
    assert [t.text for t in lazy.translate(["", "  "], "zh", "en")] == ["", ""]
    assert lazy._net is None  # nothing to translate: the model is not even loaded
    assert lazy.translate([], "zh", "en") == []


def test_deterministic(translator, seed_zh):
    first = translator.translate(seed_zh[:3], "zh", "en")
    again = CTranslate2Translator(translator.model_id, "zh", "en", beam_size=2,
                                  max_new_tokens=24).translate(seed_zh[:3], "zh", "en")
    assert [t.text for t in first] == [t.text for t in again]


def test_pair_and_protocol(translator):
    assert translator.supports("zh", "en") and translator.supports("zh-CN", "en")
    assert not translator.supports("en", "zh")
    with pytest.raises(ValueError):
        translator.translate(["x"], "en", "zh")


def test_long_paragraph_comes_back_whole(translator, seed_zh):
    """A >600-token paragraph: every sentence and chunk is decoded, none truncated."""
    text = long_paragraph(seed_zh, translator.count, 601)
    assert translator.count(text) > 600
    plan = translator.plan(text)
    units = [u for line in plan for u in line]
    assert len(plan) == 1 and len(units) > 10
    assert "".join(units) == text  # the cuts cover the paragraph: nothing left out
    assert all(translator.count(u) <= translator.max_input_tokens for u in units)
    with _Spy(translator) as spy:
        (out,) = translator.translate([text], "zh", "en")
    unique = list(dict.fromkeys(units))
    assert spy.rows == len(unique) > 10  # each distinct unit translated once, none skipped
    assert spy.tokens == sum(translator.count(u) + 1 for u in unique)  # + </s>: no truncation
    assert len(spy.outputs) == len(unique) and all(spy.outputs)
    assert out.text


def test_run_on_sentence_is_chunked_not_truncated(ct2_dir, seed_zh):
    small = CTranslate2Translator(str(ct2_dir), "zh", "en", beam_size=1, max_new_tokens=8,
                                  max_input_tokens=16)
    run_on = re.sub(r"[^\u4e00-\u9fff]", "", "".join(seed_zh)) * 2  # no punctuation, no spaces
    assert small.count(run_on) > 40
    (line,) = small.plan(run_on)
    assert len(line) >= 3 and "".join(line) == run_on
    assert all(small.count(u) <= 16 for u in line)
    small.load()
    with _Spy(small) as spy:
        (out,) = small.translate([run_on], "zh", "en")
    assert spy.rows == len(set(line)) and out.text


def test_float32_is_token_identical_to_transformers_greedy(store, f32_dir, seed_zh):
    import torch

    hf = TransformersTranslator(str(store / "opus-mt-zh-en"), "zh", "en", num_beams=1,
                                max_new_tokens=24)
    ct2 = CTranslate2Translator(str(f32_dir), "zh", "en", beam_size=1, max_new_tokens=24,
                                compute_type="float32")
    texts = seed_zh + [f"{seed_zh[0]}\n{seed_zh[1]}"]
    assert [t.text for t in ct2.translate(texts, "zh", "en")] == [
        t.text for t in hf.translate(texts, "zh", "en")]
    # and token for token, without the backends' loop guards
    for text in seed_zh[:3]:
        enc = hf._tok([text], return_tensors="pt")
        with torch.inference_mode():
            ids = hf._net.generate(**enc, num_beams=1, max_new_tokens=24)
        want = [t for t in hf._tok.convert_ids_to_tokens(ids[0].tolist())
                if t not in ("<pad>", "</s>")]
        got = ct2._net.translate_batch([ct2.tokens(text)], beam_size=1,
                                       max_decoding_length=23)[0].hypotheses[0]
        assert got == want and len(got) > 3


def test_missing_folder_is_model_unavailable(tmp_path):
    missing = tmp_path / "store" / "opus-mt-zh-en-ct2"
    t = CTranslate2Translator(str(missing), "zh", "en", hub_id=HUB)
    with pytest.raises(ModelUnavailable) as err:
        t.translate(["中国"], "zh", "en")
    message = str(err.value)
    assert message.startswith("ctranslate2 zh->en:") and str(missing) in message
    assert "`newsdigest models get opus-mt-zh-en --ct2`" in message  # a manifest model
    elsewhere = tmp_path / "mine-ct2"  # not in the manifest: the hub's download, then convert
    with pytest.raises(ModelUnavailable) as err:
        CTranslate2Translator(str(elsewhere), "zh", "en", hub_id=HUB).load()
    assert f"`hf download {HUB} --local-dir {tmp_path / 'mine'}`" in str(err.value)
    assert f"newsdigest models convert {tmp_path / 'mine'} --out {elsewhere}" in str(err.value)


def test_broken_folders_are_model_unavailable(tmp_path, ct2_dir, monkeypatch):
    broken = tmp_path / "broken-ct2"
    shutil.copytree(ct2_dir, broken)
    (broken / "model.bin").write_bytes(b"not a model" * 100)
    with pytest.raises(ModelUnavailable, match="could not load"):
        CTranslate2Translator(str(broken), "zh", "en").load()
    (broken / "model.bin").unlink()
    with pytest.raises(ModelUnavailable, match="no model.bin"):
        CTranslate2Translator(str(broken), "zh", "en").load()
    shutil.copy2(ct2_dir / "model.bin", broken / "model.bin")
    (broken / "source.spm").unlink()
    with pytest.raises(ModelUnavailable, match="source.spm"):
        CTranslate2Translator(str(broken), "zh", "en").load()
    with pytest.raises(ModelUnavailable, match="holds a zh->en model"):
        CTranslate2Translator(str(ct2_dir), "ja", "en").load()
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # as if the extra were not installed
    with pytest.raises(ModelUnavailable, match=re.escape("newsdigest[ct2]")):
        CTranslate2Translator(str(ct2_dir), "zh", "en").load()


def test_store_lookup_and_list(tmp_path, monkeypatch, ct2_dir, capsys):
    other = tmp_path / "store"
    other.mkdir()
    (other / "opus-mt-zh-en-ct2").symlink_to(ct2_dir, target_is_directory=True)
    (other / "opus-mt-ja-en-ct2").mkdir()  # no model.bin: not offered
    monkeypatch.setenv("NEWSDIGEST_MODELS", str(other))
    assert [(e.name, p) for e, p in available_ct2_models()] == [
        ("opus-mt-zh-en", other / "opus-mt-zh-en-ct2")]
    assert _models("list") == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "opus-mt-zh-en " in ln)
    assert "transformers: no" in line and "ctranslate2: yes" in line


def test_convert_errors_are_one_line(tmp_path, monkeypatch, capsys, store):
    monkeypatch.setenv("NEWSDIGEST_MODELS", str(tmp_path))
    assert _models("convert", "no-such-model") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-model" in err
    assert _models("convert", "opus-mt-zh-en") == 1  # listed, but not in this store
    assert "newsdigest models get opus-mt-zh-en" in capsys.readouterr().err
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "mine.txt").write_text("x", "utf-8")
    assert _models("convert", str(store / "opus-mt-zh-en"), "--out", str(keep)) == 1
    assert "not a converted model" in capsys.readouterr().err
    assert (keep / "mine.txt").is_file()  # the converter never emptied it


def test_m2m100_converts_with_language_tokens_and_matches_transformers(tmp_path, seed_zh):
    """M2M-100: the converted vocabulary keeps `__en__` at its id (CTranslate2 4.x alone
    writes `madeupwordN` there with transformers 5), and float32 greedy decoding with the
    forced target token is token-identical to transformers."""
    import torch
    from transformers import M2M100ForConditionalGeneration

    src = tmp_path / "m2m-tiny"
    zh, en = tiny_corpus(seed_zh)
    tok = build_tiny_m2m(src, zh + en, vocab_size=2000)
    net = M2M100ForConditionalGeneration.from_pretrained(src).eval()
    config = net.config

    out = convert_model(src, tmp_path / "m2m-tiny-ct2", quantization="float32")
    words = json.loads((out / "shared_vocabulary.json").read_text("utf-8"))
    assert len(words) == config.vocab_size
    assert all(words[tok.lang_token_to_id[f"__{c}__"]] == f"__{c}__" for c in ("en", "zh"))
    ct2 = CTranslate2Translator(str(out), "zh", "en", beam_size=1, compute_type="float32")
    assert ct2.translate(seed_zh[:1], "zh", "en")[0].text
    assert ct2.family == "m2m"
    for text in seed_zh[:2]:
        tok.src_lang = "zh"
        enc = tok([text], return_tensors="pt")
        assert tok.convert_ids_to_tokens(enc["input_ids"][0]) == ct2.tokens(text)
        with torch.inference_mode():
            ids = net.generate(**enc, num_beams=1, max_new_tokens=16,
                               forced_bos_token_id=tok.get_lang_id("en"))
        want = [t for t in tok.convert_ids_to_tokens(ids[0].tolist()) if t != "</s>"]
        got = ct2._net.translate_batch([ct2.tokens(text)], target_prefix=[["__en__"]],
                                       beam_size=1, max_decoding_length=16)[0].hypotheses[0]
        assert got == want and len(got) > 3
