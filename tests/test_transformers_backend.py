"""The transformers NMT backend on a tiny random Marian model built from seed text.

The model is random, so no test looks at its words: they check loading, order, counts,
determinism, that long inputs are cut below the token limit with nothing dropped, and
the manifest/store lookup. Recipe: shared/notes/ml-on-this-machine.md, "Tiny Marian".
"""

from __future__ import annotations

import re

import pytest

from pipeline.translate import TRANSLATORS, TranslationRouter
from pipeline.translate.base import ModelUnavailable
from pipeline.translate.manifest import available_models
from pipeline.translate.transformers_backend import TransformersTranslator
from tests.conftest import EVALDATA
from tests.tiny_models import long_paragraph, seed_lines, seed_zh_texts

pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

@pytest.fixture(scope="module")
def seed_zh() -> list[str]:
    """The seeds' Chinese lines, then their clauses: enough distinct short texts for batches."""
    return seed_zh_texts()


@pytest.fixture(scope="module")
def marian_dir(tmp_path_factory, seed_zh):
    """A tiny random MarianMT zh→en saved like a downloaded OPUS-MT folder."""
    from tests.tiny_models import build_tiny_marian

    zh, en = list(seed_zh), seed_lines()[1][:200]
    flores = EVALDATA / "flores200-devtest"
    if (flores / "zh.txt").is_file():
        zh += flores.joinpath("zh.txt").read_text("utf-8").splitlines()[:150]
        en += flores.joinpath("en.txt").read_text("utf-8").splitlines()[:150]
    return build_tiny_marian(tmp_path_factory.mktemp("opus-mt-tiny-zh-en"), zh, en)


@pytest.fixture(scope="module")
def translator(marian_dir):
    t = TransformersTranslator(str(marian_dir), "zh", "en", num_beams=2, max_new_tokens=24)
    t.load()
    return t


class _Spy:
    """Wraps `generate` to record how many source rows and real tokens it was given."""

    def __init__(self, translator) -> None:
        self.net = translator._net
        self.inner = self.net.generate
        self.rows = 0
        self.tokens = 0

    def __enter__(self):
        def generate(**kw):
            self.rows += kw["input_ids"].shape[0]
            self.tokens += int(kw["attention_mask"].sum())
            return self.inner(**kw)

        self.net.generate = generate
        return self

    def __exit__(self, *exc):
        del self.net.generate  # back to the class method


def test_batch_keeps_count_order_and_labels(translator, seed_zh):
    texts = seed_zh[:4] + ["", seed_zh[0]]
    out = translator.translate(texts, "zh", "en")
    assert len(out) == len(texts)
    assert all(t.tier == "nmt" and t.backend == "transformers" for t in out)
    assert out[4].text == ""
    assert all(t.text for i, t in enumerate(out) if i != 4)
    assert out[5].text == out[0].text  # same text, same place in the output
    # one by one gives the same as batched (padding and sorting change nothing)
    assert [translator.translate([t], "zh", "en")[0].text for t in texts[:3]] == [
        t.text for t in out[:3]]


def test_empty_batch_and_empty_text(marian_dir):
    lazy = TransformersTranslator(str(marian_dir), "zh", "en")
    assert [t.text for t in lazy.translate(["", "  "], "zh", "en")] == ["", ""]
    assert lazy._net is None  # nothing to translate: the model is not even loaded
    assert lazy.translate([], "zh", "en") == []


def test_deterministic(translator, seed_zh):
    first = translator.translate(seed_zh[:3], "zh", "en")
    second = translator.translate(seed_zh[:3], "zh", "en")
    assert [t.text for t in first] == [t.text for t in second]


def test_pair_and_protocol(translator):
    assert translator.supports("zh", "en") and translator.supports("zh-CN", "en")
    assert not translator.supports("en", "zh")
    with pytest.raises(ValueError):
        translator.translate(["x"], "en", "zh")


def test_long_paragraph_comes_back_whole(translator, seed_zh):
    """A ~600-token paragraph: every sentence and every chunk reaches generate()."""
    text = long_paragraph(seed_zh, translator.count, 600)
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
    assert out.text


def test_run_on_sentence_is_chunked_not_truncated(marian_dir, seed_zh):
    small = TransformersTranslator(str(marian_dir), "zh", "en", num_beams=1, max_new_tokens=8,
                                   max_input_tokens=16)
    run_on = re.sub(r"[^\u4e00-\u9fff]", "", "".join(seed_zh)) * 2  # no punctuation, no spaces
    assert small.count(run_on) > 40
    (line,) = small.plan(run_on)
    assert len(line) >= 3 and "".join(line) == run_on
    assert all(small.count(u) <= 16 for u in line)
    with _Spy(small) as spy:
        (out,) = small.translate([run_on], "zh", "en")
    assert spy.rows == len(set(line)) and out.text


def test_missing_folder_is_model_unavailable(tmp_path):
    missing = tmp_path / "store" / "opus-mt-zh-en"
    t = TransformersTranslator(str(missing), "zh", "en", hub_id="Helsinki-NLP/opus-mt-zh-en")
    with pytest.raises(ModelUnavailable) as err:
        t.translate(["中国"], "zh", "en")
    assert str(missing) in str(err.value)
    assert "`newsdigest models get opus-mt-zh-en`" in str(err.value)


def test_broken_folder_is_model_unavailable(tmp_path):
    (tmp_path / "config.json").write_text("{}", "utf-8")
    with pytest.raises(ModelUnavailable, match="could not load"):
        TransformersTranslator(str(tmp_path), "zh", "en").load()


def test_manifest_pins_every_model_and_recommends_one_for_every_pair():
    from itertools import permutations

    from pipeline.translate.manifest import read_manifest
    from pipeline.translate.nmt_units import FAMILIES

    manifest = read_manifest()
    names = {e.name: e for e in manifest.models}
    assert names["opus-mt-zh-en"].hub == "Helsinki-NLP/opus-mt-zh-en"
    for e in manifest.models:
        assert re.fullmatch(r"[0-9a-f]{40}", e.revision), e.name  # a commit, not a branch
        assert e.family in FAMILIES and e.licence and e.size_mb > 0, e.name
        assert e.card == f"https://huggingface.co/{e.hub}", e.name
        assert all(s.pair in {f"{a}-{b}" for a, b in e.pairs} for s in e.scores), e.name
    for src, tgt in permutations(("en", "zh", "ja", "ko"), 2):
        best = manifest.recommended(src, tgt)
        assert best is not None and best.serves(src, tgt), (src, tgt)
        assert manifest.recommend[f"{src}-{tgt}"] == best.name
    assert names["opus-mt-en-zh"].prefix == ">>cmn_Hans<< "  # a multi-target model
    assert "opus-mt-en-jap" not in names  # Bible data, not Japanese news MT
    for multi in ("nllb-200-distilled-600M", "m2m100_418M"):
        assert len(names[multi].pairs) == 12
        assert set(FAMILIES[names[multi].family].codes) == {"en", "zh", "ja", "ko"}


def test_store_lookup_finds_the_model(tmp_path, monkeypatch, marian_dir, seed_zh):
    store = tmp_path / "store"
    store.mkdir()
    (store / "opus-mt-zh-en").symlink_to(marian_dir, target_is_directory=True)
    monkeypatch.setenv("NEWSDIGEST_MODELS", str(store))
    assert [e.name for e, _ in available_models()] == ["opus-mt-zh-en"]
    (backend,) = TRANSLATORS["transformers"]()
    assert backend.supports("zh", "en") and backend.model == "Helsinki-NLP/opus-mt-zh-en"
    router = TranslationRouter(("transformers",))
    assert router.describe("zh", "en") == "transformers"
    assert router.describe("ko", "en") == "untranslated"
    assert router.translate([seed_zh[0]], "zh", "en")[0].tier == "nmt"


def test_empty_store_warns_and_falls_back(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDIGEST_MODELS", str(tmp_path))
    with pytest.warns(UserWarning, match=re.escape(str(tmp_path))):
        assert TRANSLATORS["transformers"]() == []
    with pytest.warns(UserWarning, match="no model"):
        assert TranslationRouter(("transformers",)).describe("zh", "en") == "untranslated"
