"""Evaluation metrics (newsdigest_eval.metrics) on known values and real seed sentences."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsdigest_eval.metrics import (
    BLEU_TOKENIZERS,
    Fact,
    accuracy,
    adjusted_rand_index,
    amounts,
    bcubed,
    bleu,
    chrf,
    claims,
    fact_recall,
    faithfulness,
    pair_precision_recall,
    precision_recall,
    rouge,
    tokenize,
)
from tests.conftest import seed_line, seed_sentence

# ------------------------------------------------------------------------- tokenisation


@pytest.mark.parametrize(
    ("lang", "text", "tokens"),
    [
        ("zh", "美国宣布关键矿产储备。", ["美国", "宣布", "关键", "矿产", "储备"]),
        ("ja", "米国は重要鉱物の備蓄を発表した。",
         ["米国", "は", "重要", "鉱物", "の", "備蓄", "を", "発表", "し", "た"]),
        ("ko", "트럼프 대통령은 120억 달러 규모의 '프로젝트 볼트'를 발표했다. 3.5%",
         ["트럼프", "대통령은", "120억", "달러", "규모의", "프로젝트", "볼트를", "발표했다", "3.5"]),
        ("en", "The U.S. announced a $12bn reserve!", ["the", "u", "s", "announced", "a", "12bn",
                                                   "reserve"]),
        ("zh", "ＡＢＣ公司", ["abc", "公司"]),  # NFKC: full-width letters become ASCII
    ],
)
def test_tokenize(lang, text, tokens):
    assert tokenize(text, lang) == tokens


# --------------------------------------------------------------------------------- ROUGE

_KEYS = ("rouge1", "rouge2", "rougeL")


@pytest.mark.parametrize(
    ("lang", "text", "other"),
    [("zh", "美国宣布关键矿产储备。", "中国限制稀土出口"),
     ("ja", "米国は重要鉱物の備蓄を発表した。", "中国が輸出規制"),
     ("en", "The US announced a reserve.", "China curbs exports")],
)
def test_rouge_identical_and_disjoint(lang, text, other):
    same, disjoint = rouge(text, text, lang), rouge(other, text, lang)
    for key in _KEYS:
        assert same[key] == {"precision": 1.0, "recall": 1.0, "f": 1.0}
        assert disjoint[key] == {"precision": 0.0, "recall": 0.0, "f": 0.0}


def _approx(p: float, r: float, f: float) -> dict:
    return {"precision": pytest.approx(p), "recall": pytest.approx(r), "f": pytest.approx(f)}


def test_rouge_partial_zh():
    # ref  美国 宣布 关键 矿产 储备 (5 tokens); cand 特朗普 宣布 了 关键 矿产 储备 计划 (7)
    # R1: shared 宣布 关键 矿产 储备 = 4 → P 4/7, R 4/5, F 2·4/(7+5) = 2/3
    # R2: cand bigrams 6, ref bigrams 4, shared 关键矿产 矿产储备 = 2 → P 1/3, R 1/2, F 2/5
    # RL: LCS 宣布 关键 矿产 储备 = 4 → as R1
    got = rouge("特朗普宣布了关键矿产储备计划", "美国宣布关键矿产储备。", "zh")
    assert got["rouge1"] == _approx(4 / 7, 4 / 5, 2 / 3)
    assert got["rouge2"] == _approx(1 / 3, 1 / 2, 2 / 5)
    assert got["rougeL"] == _approx(4 / 7, 4 / 5, 2 / 3)


def test_rouge_partial_ja():
    # ref  米国 は 重要 鉱物 の 備蓄 を 発表 し た (10); cand 中国 は 重要 鉱物 の 輸出 規制 を 発表 し た (11)
    # R1: shared は 重要 鉱物 の を 発表 し た = 8 → P 8/11, R 8/10, F 2·8/21 = 16/21
    # R2: cand 10, ref 9, shared は重要 重要鉱物 鉱物の を発表 発表し した = 6 → P 6/10, R 6/9,
    #     F 2·6/19 = 12/19
    # RL: LCS は 重要 鉱物 の を 発表 し た = 8 → as R1
    got = rouge("中国は重要鉱物の輸出規制を発表した。", "米国は重要鉱物の備蓄を発表した。", "ja")
    assert got["rouge1"] == _approx(8 / 11, 8 / 10, 16 / 21)
    assert got["rouge2"] == _approx(6 / 10, 6 / 9, 12 / 19)
    assert got["rougeL"] == _approx(8 / 11, 8 / 10, 16 / 21)


def test_rouge_partial_en():
    # ref  the us announced a critical mineral reserve (7); cand the us announced tariffs on
    # critical minerals (7). R1: shared the us announced critical = 4 → 4/7 each
    # R2: 6 bigrams each, shared "the us" "us announced" = 2 → 1/3 each; RL: LCS 4 → 4/7
    got = rouge("The US announced tariffs on critical minerals.",
                "The US announced a critical mineral reserve.", "en")
    assert got["rouge1"] == _approx(4 / 7, 4 / 7, 4 / 7)
    assert got["rouge2"] == _approx(1 / 3, 1 / 3, 1 / 3)
    assert got["rougeL"] == _approx(4 / 7, 4 / 7, 4 / 7)


def test_rouge_matches_rouge_score_with_our_tokens():
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")

    class Tok:
        def tokenize(self, text):
            return tokenize(text, "zh")

    cand, ref = "特朗普宣布了关键矿产储备计划，储备关键矿产", "美国宣布关键矿产储备。关键矿产"
    scorer = rouge_scorer.RougeScorer(list(_KEYS), tokenizer=Tok())
    theirs = scorer.score(ref, cand)
    ours = rouge(cand, ref, "zh")
    for key in _KEYS:
        s = theirs[key]
        assert ours[key] == _approx(s.precision, s.recall, s.fmeasure)
    # why rouge() tokenises itself: rouge-score's default tokenizer drops every CJK character
    assert rouge_scorer.RougeScorer(["rouge1"]).score(ref, ref)["rouge1"].fmeasure == 0.0


# ------------------------------------------------------------------------ chrF and BLEU

_HYPS = ["The US hosted the first Critical Minerals Ministerial on Wednesday.",
         "美国宣布了将近120亿美元的关键矿产储备。",
         "米国は重要鉱物の備蓄を発表した。"]
_REFS = ["On Wednesday the State Department hosted the first Critical Minerals Ministerial.",
         "美国宣布建立价值近120亿美元的关键矿产储备。",
         "米国は重要鉱物の輸出規制を発表した。"]


def test_chrf_matches_sacrebleu_command_line(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("\n".join(_HYPS) + "\n", encoding="utf-8")
    ref.write_text("\n".join(_REFS) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-m", "chrf", "-b",
         "-w", "2"],
        capture_output=True, text=True, check=True, encoding="utf-8",
    )
    assert round(chrf(_HYPS, _REFS), 2) == float(out.stdout.strip())


def test_bleu_tokenizers():
    assert BLEU_TOKENIZERS == {"zh": "zh", "ja": "char", "ko": "char", "en": "13a"}
    for hyp, lang in zip(_HYPS, ("en", "zh", "ja"), strict=True):
        assert bleu([hyp], [hyp], lang) == pytest.approx(100.0)
    # a Japanese sentence has no spaces: 13a sees one token, so any difference scores 0
    assert bleu(_HYPS[2:], _REFS[2:], "ja", tokenize="13a") == 0.0
    assert bleu(_HYPS[2:], _REFS[2:], "ja") > 30.0
    with pytest.raises(ValueError):
        chrf(_HYPS, _REFS[:2])


# --------------------------------------------------------------------- amounts and facts


@pytest.mark.parametrize("text", ["$12 billion", "12 billion dollars", "US$12bn", "120亿美元",
                                  "12,000,000,000", "120億ドル", "120억 달러", "$12,000 million"])
def test_amounts_same_value(text):
    assert amounts(text) == {"12000000000"}


def test_amounts_percent_and_skips():
    assert amounts("40 percent") == amounts("百分之四十") == amounts("４０％") == {"40%"}
    assert amounts("数千亿美元") == set()  # vague: "hundreds of billions", not 100 billion
    assert amounts("each F-35 uses 417 kilograms") == {"417"}  # a model name is no amount


VAULT = Fact(
    id="project_vault",
    text="The US announced Project Vault, a critical mineral reserve of nearly $12 billion.",
    numbers=["$12 billion"],
    entities=["Project Vault|金库计划|プロジェクト・ボールト|프로젝트 볼트", "US|United States|美国|米国|미국"],
    keywords=["critical mineral|关键矿产|重要鉱物|핵심 광물", "reserve|储备|備蓄|비축"],
)
RESERVES = Fact(
    id="china_reserve_share",
    text="China holds about 40% of the world's rare earth reserves.",
    numbers=["40%"],
    entities=["China|中国"],
    keywords=["rare earth|稀土", "reserves|储量"],
)
COPLEY = Fact(
    id="copley_capital",
    text="David Copley: the US will deploy hundreds of billions into mining.",
    numbers=["hundreds of billions"],
    entities=["David Copley|Copley"],
    keywords=["capital", "mining"],
)


@pytest.mark.parametrize(
    "sentence",
    [
        seed_sentence("004", "Project Vault"),  # a nearly $12 billion critical mineral reserve
        seed_sentence("001", "Project Vault"),  # valued at nearly $12 billion
        "美国宣布了将近120亿美元关键矿产储备。",
        "米国は約120億ドル規模の重要鉱物備蓄「プロジェクト・ボールト」を発表した。",
        "미국은 120억 달러 규모의 핵심 광물 비축 계획인 '프로젝트 볼트'를 발표했다.",
        "Project Vault, a US$12bn reserve.",  # half the keywords are enough
    ],
)
def test_fact_stated(sentence):
    score = fact_recall([sentence], [VAULT])
    assert (score.recall, score.found, score.where) == (1.0, ["project_vault"], {"project_vault": 0})


@pytest.mark.parametrize(
    "sentence",
    [
        "On Monday, Trump announced Project Vault, a $1.2 billion critical mineral reserve.",
        "A nearly $12 billion critical mineral reserve was announced.",  # no entity
        "Project Vault is worth $12 billion.",  # no keyword
        "Project Vault: critical minerals held in reserve.",  # no number
        "we told us of a $12 billion critical mineral reserve",  # US is an acronym: case counts
    ],
)
def test_fact_not_stated(sentence):
    assert fact_recall([sentence], [VAULT]).missed == ["project_vault"]


def test_fact_recall_windows_and_share():
    near = ["Trump announced Project Vault, a critical mineral reserve.", "It costs $12 billion."]
    assert fact_recall(near, [VAULT]).where == {"project_vault": 0}
    far = [near[0], "Industry welcomed it.", near[1]]
    assert fact_recall(far, [VAULT]).recall == 0.0
    summary = [seed_sentence("004", "Project Vault"), "中国拥有全球约百分之四十的稀土储量。"]
    score = fact_recall(summary, [VAULT, COPLEY, RESERVES])
    assert score.recall == pytest.approx(2 / 3)
    assert (score.found, score.missed) == (["project_vault", "china_reserve_share"],
                                          ["copley_capital"])
    assert fact_recall([seed_sentence("004", "hundreds of billions")], [COPLEY]).recall == 1.0
    assert fact_recall(["China holds 40 percent of rare earth reserves"], [RESERVES]).recall == 1
    with pytest.raises(ValueError):
        fact_recall(summary, [])


# -------------------------------------------------------------------------- faithfulness


def test_claims_seed_003():
    got = claims(seed_line("003", "F-35"))
    assert {"num:40%", "num:90%", "num:417", "name:f-35", "id:person:donald_trump",
            "id:gpe:china", "id:gpe:saudi_arabia"} <= got


def test_faithfulness_supported_and_invented():
    source = [seed_sentence("004", "Project Vault")]
    ok = faithfulness("Trump announced Project Vault, a nearly $12 billion reserve.", source)
    assert ok == 1.0 and ok.checked == 3 and not ok.vacuous
    bad = faithfulness("Trump announced Project Vault, a $15 billion reserve.", source)
    assert bad == pytest.approx(2 / 3) and bad.unsupported == ["num:15000000000"]
    name = faithfulness("Elon Musk praised Project Vault.", source)
    assert name < 1 and name.unsupported == ["name:elon musk"]


def test_faithfulness_cjk_against_english_source():
    source = [seed_sentence("004", "Project Vault")]
    assert faithfulness("特朗普宣布了将近120亿美元的关键矿产储备“金库计划”。", source) == 1.0
    bad = faithfulness("特朗普宣布了将近150亿美元的关键矿产储备。", source)  # Trump ok, number not
    assert bad == 0.5 and bad.unsupported == ["num:15000000000"]


def test_faithfulness_vacuous_is_a_float():
    got = faithfulness("稀土很重要。", ["Rare earths matter."])
    assert got == 1.0 and got.vacuous and got.checked == 0
    assert isinstance(got, float) and (got + 1.0) / 2 == 1.0


# ---------------------------------------------------------------- sets, labels, clusters


def test_precision_recall_family():
    assert precision_recall({"a", "b", "c"}, {"b", "c", "d", "e"}) == pytest.approx(
        (2 / 3, 1 / 2, 4 / 7))  # F = 2·(2/3)(1/2) / (2/3 + 1/2) = 4/7
    assert precision_recall(set(), set()) == (1.0, 1.0, 1.0)
    assert precision_recall(set(), {"a"}) == (1.0, 0.0, 0.0)
    # (b, a) is the pair (a, b); (c, d) is wrong, (e, f) missed
    assert pair_precision_recall({("a", "b"), ("c", "d")}, {("b", "a"), ("e", "f")}) == (
        0.5, 0.5, 0.5)
    gold = {1: "en", 2: "zh", 3: "ja", 4: "ko"}
    assert accuracy({1: "en", 2: "zh", 3: "zh"}, gold) == 0.5  # 3 wrong, 4 missing
    assert accuracy(gold, gold) == 1.0


def test_bcubed():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    # one big cluster: each item's cluster is half its gold cluster → P 1/2, R 1, F 2/3
    assert bcubed(dict.fromkeys(gold, 0), gold) == pytest.approx((0.5, 1.0, 2 / 3))
    # singletons: P 1, R 1/2
    assert bcubed({k: k for k in gold}, gold) == pytest.approx((1.0, 0.5, 2 / 3))
    # gold {a b c | d e}, pred {a b | c d e}: P (1+1+1/3+2/3+2/3)/5 = 11/15,
    # R (2/3+2/3+1/3+1+1)/5 = 11/15
    gold5 = {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}
    pred5 = {"a": 0, "b": 0, "c": 1, "d": 1, "e": 1}
    assert bcubed(pred5, gold5) == pytest.approx((11 / 15, 11 / 15, 11 / 15))
    with pytest.raises(ValueError):
        bcubed({"a": 0}, gold)


def _labels(values):
    return dict(enumerate(values))


def test_adjusted_rand_index():
    same = _labels([0, 0, 1, 1, 2])
    assert adjusted_rand_index(same, _labels([5, 5, 7, 7, 9])) == 1.0  # label names don't count
    # scikit-learn's documented examples. gold [0 0 1 1], pred [0 0 1 2]: index Σ C(n_ij,2) = 1,
    # Σ C(a_i,2) = 2, Σ C(b_j,2) = 1, E = 2·1/C(4,2) = 1/3, max = 3/2 → (2/3)/(7/6) = 4/7
    assert adjusted_rand_index(_labels([0, 0, 1, 2]), _labels([0, 0, 1, 1])) == pytest.approx(
        4 / 7)
    # every pair split differently: index 0, E = 2·2/6, max 2 → (−2/3)/(4/3) = −1/2
    assert adjusted_rand_index(_labels([0, 1, 0, 1]), _labels([0, 0, 1, 1])) == pytest.approx(
        -0.5)
    assert adjusted_rand_index(_labels([0, 1, 2, 3]), _labels([0, 0, 0, 0])) == 0.0
    assert adjusted_rand_index(_labels([0, 0, 0]), _labels([1, 1, 1])) == 1.0  # 0/0 case
    assert adjusted_rand_index({"x": 0}, {"x": 3}) == 1.0
