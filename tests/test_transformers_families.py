"""The transformers backend's NLLB and M2M-100 wiring on tiny random multilingual models.

Both models are random, so no test looks at their words: they check that the family is
detected from the saved folder, that the source code leads the encoder input and the target
code is forced as the first generated token, that no language code leaks into the text, and
the usual contract (one output per input, in order, empties empty, deterministic).
Recipe: shared/notes/ml-on-this-machine.md ("Tiny Marian", M2M-100/NLLB remarks).
"""

from __future__ import annotations

import json
import re
from itertools import permutations

import pytest

from pipeline.translate.transformers_backend import TransformersTranslator
from tests.conftest import EVALDATA, SEEDS
from tests.tiny_models import build_tiny_m2m, save_tiny_m2m_weights

pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")
pytest.importorskip("tokenizers")

FLORES = EVALDATA / "flores200-devtest"
LANGS = ("en", "zh", "ja", "ko")
# written out here, not read from the backend's FAMILIES table, so a wrong entry there shows
NLLB_CODES = {"en": "eng_Latn", "zh": "zho_Hans", "ja": "jpn_Jpan", "ko": "kor_Hang"}
# any language token either family may emit, not only the four we use
_ANY_CODE = re.compile(r"__[a-z]{2,3}__|\b[a-z]{3}_[A-Z][a-z]{3}\b")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")


def _flores(lang: str) -> list[str]:
    path = FLORES / f"{lang}.txt"
    return path.read_text("utf-8").splitlines() if path.is_file() else []


def _corpus() -> list[str]:
    """Seed lines plus the first FLORES lines of each language (when the eval data is there)."""
    lines = [line.strip() for path in sorted(SEEDS.glob("*.txt"))
             for line in path.read_text("utf-8").splitlines() if line.strip()]
    for lang in LANGS:
        lines += _flores(lang)[:150]
    return lines


@pytest.fixture(scope="module")
def m2m_dir(tmp_path_factory):
    """A tiny random M2M-100 with the fairseq layout: spm ids bos=0 pad=1 eos=2 unk=3."""
    out = tmp_path_factory.mktemp("m2m100-tiny")
    tok = build_tiny_m2m(out, _corpus())
    assert {f"__{c}__" for c in LANGS} <= set(tok.lang_token_to_id)
    return out


@pytest.fixture(scope="module")
def nllb_dir(tmp_path_factory):
    """A tiny random NLLB: a Metaspace BPE trained here (<s>=0 <pad>=1 </s>=2 <unk>=3), then
    the NLLB language codes as special tokens after it, as in the released tokenizer."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    # NllbTokenizer is a `tokenizers` BPE in transformers 5; converting an spm file needs
    # protobuf, so train the BPE directly with the same pre-tokenizer it uses
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    bpe.train_from_iterator(_corpus(), trainers.BpeTrainer(
        vocab_size=3000, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], show_progress=False))
    model = json.loads(bpe.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    tok = NllbTokenizer(vocab=model["vocab"], merges=merges,
                        extra_special_tokens=list(FAIRSEQ_LANGUAGE_CODES))
    assert tok.convert_tokens_to_ids(["<s>", "<pad>", "</s>", "<unk>"]) == [0, 1, 2, 3]
    ids = tok.convert_tokens_to_ids(list(NLLB_CODES.values()))
    assert min(ids) >= len(model["vocab"]) and len(set(ids)) == 4  # real tokens, not <unk>
    out = tmp_path_factory.mktemp("nllb-tiny")
    save_tiny_m2m_weights(out, len(tok))
    tok.save_pretrained(out)
    return out


@pytest.fixture(scope="module", params=["m2m", "nllb"])
def family(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def model_dir(family, request):
    return request.getfixturevalue(f"{family}_dir")


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    """Short distinct inputs per language: seed lines and clauses for zh/en, FLORES for ja/ko."""
    zh, en = [], []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if _HAN.search(line) and not _KANA_HANGUL.search(line) and len(line) > 8:
                zh += [line] + [c for c in re.split(r"(?<=[?？,，。])", line) if len(c) > 5]
            elif line.isascii() and 40 < len(line) < 160:
                en.append(line)
    out = {"zh": list(dict.fromkeys(zh))[:5], "en": list(dict.fromkeys(en))[:5]}
    out.update({lang: _flores(lang)[200:205] for lang in ("ja", "ko")})
    return out


def _need(texts: dict[str, list[str]], *langs: str) -> None:
    missing = [lang for lang in langs if len(texts[lang]) < 3]
    if missing:
        pytest.skip(f"too little {'/'.join(missing)} text (FLORES devtest not at {FLORES}?)")


@pytest.fixture(scope="module")
def make(model_dir):
    """One loaded translator per pair on this family's model (small beams and caps: fast)."""
    made: dict[tuple[str, str], TransformersTranslator] = {}

    def get(src: str, tgt: str) -> TransformersTranslator:
        if (src, tgt) not in made:
            t = TransformersTranslator(str(model_dir), src, tgt, num_beams=2, max_new_tokens=12)
            t.load()
            made[src, tgt] = t
        return made[src, tgt]

    return get


def _code_id(tok, family: str, lang: str) -> int:
    """The language token's id, found without the backend's FAMILIES table."""
    if family == "m2m":
        return tok.get_lang_id(lang)
    return tok.convert_tokens_to_ids(NLLB_CODES[lang])


class _Spy:
    """Wraps `generate` to record what it was given and what it returned."""

    def __init__(self, translator) -> None:
        self.net = translator._net
        self.calls: list[tuple[dict, object]] = []

    def __enter__(self):
        inner = self.net.generate

        def generate(**kw):
            ids = inner(**kw)
            self.calls.append((kw, ids))
            return ids

        self.net.generate = generate
        return self

    def __exit__(self, *exc):
        del self.net.generate  # back to the class method


def test_family_detected(family, model_dir):
    t = TransformersTranslator(str(model_dir), "zh", "en")
    assert t.family is None
    t.load()
    assert t.family == family
    assert 16 < t.max_input_tokens <= 254  # from max_position_embeddings=256, minus specials


@pytest.mark.parametrize(("src", "tgt"), [("zh", "en"), ("ko", "en"), ("en", "ja")])
def test_source_code_leads_and_target_code_is_forced(family, make, texts, src, tgt):
    _need(texts, src)
    t = make(src, tgt)
    tok = t._tok
    src_id, tgt_id = _code_id(tok, family, src), _code_id(tok, family, tgt)
    assert tok.unk_token_id not in (src_id, tgt_id) and src_id != tgt_id
    with _Spy(t) as spy:
        out = t.translate(texts[src][:3], src, tgt)
    assert spy.calls and all(o.text for o in out)
    for kw, ids in spy.calls:
        assert kw["forced_bos_token_id"] == tgt_id
        assert (kw["input_ids"][:, 0] == src_id).all()  # transformers 5: code, text, </s>
        assert (ids[:, 0] == t._net.config.decoder_start_token_id).all()
        assert (ids[:, 1] == tgt_id).all()  # the first generated token is the target language


def _code_tokens(family: str, langs) -> list[str]:
    nllb = {**NLLB_CODES, "fr": "fra_Latn", "de": "deu_Latn"}
    return [f"__{c}__" if family == "m2m" else nllb[c] for c in langs]


def test_no_language_codes_in_output(family, make, texts):
    """Real generation: the forced target code (and the other three) never reach the text."""
    _need(texts, "ko", "ja")
    ours = _code_tokens("m2m", LANGS) + _code_tokens("nllb", LANGS)
    for src, tgt in [("zh", "en"), ("ko", "en"), ("ja", "en"), ("en", "zh")]:
        out = [o.text for o in make(src, tgt).translate(texts[src], src, tgt)]
        assert all(out), (src, tgt, out)
        leaked = [code for text in out for code in ours if code in text]
        assert not leaked, (family, src, tgt, leaked, out)


@pytest.mark.parametrize("foreign", [False, True], ids=["our-codes", "other-codes"])
def test_stray_language_tokens_are_dropped(family, make, foreign):
    """Decoding, with generate() faked: language tokens inside the output are not text.

    A random model (and now and then a real one, going off-target) emits other languages'
    codes mid-sentence; M2M's tokenizer keeps every `__xx__` in decoded text.
    """
    t = make("zh", "en")
    tok = t._tok
    words = tok.convert_tokens_to_ids(tok.tokenize("critical minerals supply chain"))
    stray = _code_tokens(family, ["fr", "de"] if foreign else ["zh", "ko"])
    middle = words[:2] + tok.convert_tokens_to_ids(stray[:1]) + words[2:]
    middle += tok.convert_tokens_to_ids(stray[1:])
    assert tok.unk_token_id not in middle
    row = [t._net.config.decoder_start_token_id, _code_id(tok, family, "en"), *middle,
           tok.eos_token_id]

    def fake_generate(**kw):
        import torch

        return torch.tensor([row] * kw["input_ids"].shape[0])

    t._net.generate = fake_generate
    try:
        (out,) = t.translate(["美国能否在关键矿产竞赛中迎头赶上"], "zh", "en")
    finally:
        del t._net.generate
    assert "critical" in out.text
    assert not _ANY_CODE.findall(out.text), out.text


def test_count_order_and_empties(make, texts):
    t = make("zh", "en")
    zh = texts["zh"]
    batch = [zh[0], "", zh[1], "  ", zh[2], zh[0]]
    out = t.translate(batch, "zh", "en")
    assert len(out) == len(batch)
    assert all(o.tier == "nmt" and o.backend == "transformers" for o in out)
    assert out[1].text == "" and out[3].text == ""
    assert all(out[i].text for i in (0, 2, 4))
    assert out[5].text == out[0].text
    assert len({out[i].text for i in (0, 2, 4)}) > 1  # a random model that still tells inputs apart
    # one by one equals batched: padding, sorting and the shared source code change nothing
    assert [t.translate([x], "zh", "en")[0].text for x in zh[:3]] == [
        out[i].text for i in (0, 2, 4)]
    assert t.translate([], "zh", "en") == []
    assert [o.text for o in t.translate(["", " "], "zh", "en")] == ["", ""]


def test_two_pairs_on_one_model(make, texts, model_dir):
    _need(texts, "ko")
    ko_en, zh_en = make("ko", "en"), make("zh", "en")
    assert ko_en.supports("ko", "en") and not ko_en.supports("zh", "en")
    assert zh_en.supports("zh-CN", "en") and not zh_en.supports("ko", "en")
    with pytest.raises(ValueError):
        ko_en.translate(["x"], "zh", "en")
    # interleaved: one pair's source code does not leak into the other's
    first = [o.text for o in ko_en.translate(texts["ko"][:3], "ko", "en")]
    zh_out = [o.text for o in zh_en.translate(texts["zh"][:3], "zh", "en")]
    again = [o.text for o in ko_en.translate(texts["ko"][:3], "ko", "en")]
    assert all(first) and all(zh_out) and first == again
    # the same text under two source codes reaches the model differently
    with _Spy(ko_en) as ko_spy, _Spy(zh_en) as zh_spy:
        ko_en.translate([texts["zh"][0]], "ko", "en")
        zh_en.translate([texts["zh"][0]], "zh", "en")
    ko_ids, zh_ids = ko_spy.calls[0][0]["input_ids"], zh_spy.calls[0][0]["input_ids"]
    assert ko_ids[0, 0] != zh_ids[0, 0] and (ko_ids[0, 1:] == zh_ids[0, 1:]).all()


def test_deterministic_across_calls_and_instances(make, texts, model_dir):
    t = make("zh", "en")
    first = [o.text for o in t.translate(texts["zh"][:3], "zh", "en")]
    assert first == [o.text for o in t.translate(texts["zh"][:3], "zh", "en")]
    fresh = TransformersTranslator(str(model_dir), "zh", "en", num_beams=2, max_new_tokens=12)
    assert [o.text for o in fresh.translate(texts["zh"][:3], "zh", "en")] == first


ALL_PAIRS = list(permutations(LANGS, 2))


def _twelve_pair_texts(texts) -> dict[str, list[str]]:
    _need(texts, *LANGS)
    return {lang: texts[lang][:2] for lang in LANGS}


def test_one_loaded_model_serves_all_twelve_pairs_with_their_codes(family, model_dir, texts):
    """transformers: one instance, one copy of the weights, every pair of en/zh/ja/ko: the
    source code leads the input, the target code is forced first, none leaks into text."""
    inputs = _twelve_pair_texts(texts)
    t = TransformersTranslator(str(model_dir), "en", "zh", num_beams=2, max_new_tokens=10,
                               pairs=ALL_PAIRS)
    assert all(t.supports(s, g) for s, g in ALL_PAIRS) and not t.supports("en", "en")
    t.load()
    net, tok = t._net, t._tok
    for src, tgt in ALL_PAIRS:
        with _Spy(t) as spy:
            out = t.translate(inputs[src], src, tgt)
        assert t._net is net  # loaded once for all pairs
        src_id, tgt_id = _code_id(tok, family, src), _code_id(tok, family, tgt)
        for kw, ids in spy.calls:
            assert (kw["input_ids"][:, 0] == src_id).all(), (src, tgt)
            assert kw["forced_bos_token_id"] == tgt_id and (ids[:, 1] == tgt_id).all()
        assert all(o.text and o.tier == "nmt" for o in out), (src, tgt, out)
        assert not _ANY_CODE.findall(" ".join(o.text for o in out)), (src, tgt, out)


class _RecordingNet:
    """Stands in for a ctranslate2.Translator, passing calls on and keeping their arguments."""

    def __init__(self, net) -> None:
        self.net, self.calls = net, []

    def translate_batch(self, batch, **kw):
        results = self.net.translate_batch(batch, **kw)
        self.calls.append((batch, kw, results))
        return results


@pytest.fixture(scope="module")
def ct2_model_dir(model_dir, tmp_path_factory):
    pytest.importorskip("ctranslate2")
    from pipeline.models_cli import convert_model

    return convert_model(model_dir, tmp_path_factory.mktemp("ct2") / "multi-ct2", "int8")


def test_ctranslate2_serves_all_twelve_pairs_with_their_codes(family, ct2_model_dir, texts):
    """CTranslate2 (int8, converted by `models convert`): every pair on one loaded model, the
    source token first in the input, the target token as the target prefix."""
    from pipeline.translate.ctranslate2_backend import CTranslate2Translator

    inputs = _twelve_pair_texts(texts)
    t = CTranslate2Translator(str(ct2_model_dir), "en", "zh", beam_size=2, max_new_tokens=10,
                              pairs=ALL_PAIRS)
    t.load()
    assert t.family == family
    spy = t._net = _RecordingNet(t._net)
    codes = dict(zip(LANGS, _code_tokens(family, LANGS)))
    for src, tgt in ALL_PAIRS:
        spy.calls.clear()
        out = t.translate(inputs[src], src, tgt)
        assert spy.calls, (src, tgt)
        for batch, kw, results in spy.calls:
            assert all(tokens[0] == codes[src] and tokens[-1] == "</s>" for tokens in batch)
            assert kw["target_prefix"] == [[codes[tgt]]] * len(batch)
            assert all(r.hypotheses[0][0] == codes[tgt] for r in results)
        assert all(o.text and o.tier == "nmt" for o in out), (src, tgt, out)
        assert not _ANY_CODE.findall(" ".join(o.text for o in out)), (src, tgt, out)


def test_auto_gives_each_pair_its_best_present_model(family, model_dir, tmp_path,
                                                     monkeypatch):
    """A store holding a multilingual model under its manifest name: `auto` builds one
    backend for it serving every pair no better model claims, and routes nothing to the
    gloss or through English."""
    from pipeline.translate import TRANSLATORS, TranslationRouter

    name = "nllb-200-distilled-600M" if family == "nllb" else "m2m100_418M"
    store = tmp_path / "store"
    store.mkdir()
    (store / name).symlink_to(model_dir, target_is_directory=True)
    monkeypatch.setenv("NEWSDIGEST_MODELS", str(store))
    neural = [b for b in TRANSLATORS["auto"]({}) if b.tier == "nmt"]
    assert len(neural) == 1 and neural[0].pairs == frozenset(ALL_PAIRS)
    router = TranslationRouter(("auto",))
    assert {router.describe(s, t) for s, t in ALL_PAIRS} == {"transformers"}
