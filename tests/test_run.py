"""End to end on the seeds: the JSON contract and the acceptance properties of the digest."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.dedup import normalise_text
from tests.conftest import SEEDS

TIERS = {"original", "gloss", "nmt", "llm"}


@pytest.fixture(scope="module")
def digest(seed_run):
    _, out = seed_run
    return json.loads((out / "digest.json").read_text(encoding="utf-8"))


def test_all_three_outputs_are_written(seed_run):
    result, out = seed_run
    assert result.exit_code == 0 and result.problems == []
    for name in ("digest.json", "digest.md", "digest.html"):
        assert (out / name).stat().st_size > 1000


def test_json_contract(digest):
    assert digest["schema"] == "newsdigest/digest@1"
    assert [d["id"] for d in digest["documents"]] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for doc in digest["documents"]:
        assert set(doc) >= {"id", "title", "date", "duplicate_of", "segments"}
        assert doc["title"]
        assert doc["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc["date"])
        for seg in doc["segments"]:
            assert set(seg) >= {"text", "lang", "boilerplate"}
            assert seg["lang"] in {"en", "zh", "ja", "ko", "und"}
            assert isinstance(seg["boilerplate"], bool)
    ids = {d["id"] for d in digest["documents"]}
    for event in digest["events"]:
        assert set(event) >= {"id", "date", "title", "documents", "summary"}
        assert set(event["title"]) == {"en", "zh"} and set(event["summary"]) == {"en", "zh"}
        assert set(event["documents"]) <= ids
        for lang, sents in event["summary"].items():
            assert 3 <= len(sents) <= Config().summary_max
            if all(s["tier"] == "original" for s in sents):  # translated lengths are estimated
                assert sum(len(s["text"]) for s in sents) <= Config().summary_budget(lang)
            for sent in sents:
                assert sent["text"] and sent["tier"] in TIERS
                for src in sent["sources"]:
                    assert set(src) >= {"document", "segment", "lang"}


def _segment(digest, src):
    doc = next(d for d in digest["documents"] if d["id"] == src["document"])
    return doc["segments"][src["segment"]]


def test_every_summary_sentence_is_cited_and_never_boilerplate(digest):
    for event in digest["events"]:
        cited = [s for sents in event["summary"].values() for s in sents]
        cited += list(event["title_detail"].values())
        for sent in cited:
            assert sent["sources"], sent["text"]
            for src in sent["sources"]:
                seg = _segment(digest, src)
                assert not seg["boilerplate"] and seg["role"] in ("title", "body"), seg["text"]
                assert src["document"] in event["documents"]
                assert src["lang"] == seg["lang"]


def test_no_boilerplate_text_reaches_summaries_or_titles(digest):
    boiler = {normalise_text(s["text"]) for d in digest["documents"] for s in d["segments"]
              if s["role"] in ("boilerplate", "related")}
    for event in digest["events"]:
        texts = list(event["title"].values())
        texts += [s["text"] for sents in event["summary"].values() for s in sents]
        for text in texts:
            assert normalise_text(text) not in boiler, text
            assert "Cookie" not in text and "ad choices" not in text


def test_no_two_summary_sentences_repeat_each_other(digest):
    for event in digest["events"]:
        for lang, sents in event["summary"].items():
            texts = [normalise_text(s["text"]) for s in sents]
            assert len(set(texts)) == len(texts), (event["id"], lang)
            primaries = [(s["sources"][0]["document"], s["sources"][0]["segment"]) for s in sents]
            assert len(set(primaries)) == len(primaries), (event["id"], lang)
            if lang == "en":
                words = [set(t.split()) for t in texts]
                for i in range(len(words)):
                    for j in range(i + 1, len(words)):
                        overlap = len(words[i] & words[j]) / len(words[i] | words[j])
                        assert overlap < 0.6, (sents[i]["text"], sents[j]["text"])


def test_repeated_body_yields_no_second_sentence(digest):
    event = next(e for e in digest["events"] if "001_b85f593ae8e40eb1" in e["documents"])
    doc = next(d for d in digest["documents"] if d["id"] == "001_b85f593ae8e40eb1")
    for sents in event["summary"].values():
        for sent in sents:
            for src in sent["sources"]:
                if src["document"] == doc["id"]:
                    assert "duplicate_of" not in doc["segments"][src["segment"]]


def test_cjk_segments_carry_the_right_language(digest):
    docs = {d["id"][:3]: d for d in digest["documents"]}
    kana = re.compile(r"[\u3040-\u30ff]")
    for seg in docs["004"]["segments"]:
        if kana.search(seg["text"]) or seg["text"] in ("関連記事", "拒否"):
            assert seg["lang"] == "ja", seg["text"]
    for seg in docs["002"]["segments"]:
        if re.search(r"[\uac00-\ud7af]", seg["text"]):
            assert seg["lang"] == "ko", seg["text"]
    for label in ("新闻", "14 分钟", "更多", "美国能否在关键矿产竞赛中迎头赶上?"):
        assert next(s for s in docs["000"]["segments"] if s["text"] == label)["lang"] == "zh"
    assert {s["lang"] for s in docs["003"]["segments"] if s["role"] == "title"} == {"zh"}


def test_translated_text_names_its_tier_and_original(digest):
    glossed = [s for e in digest["events"] for s in e["summary"]["zh"] if s["tier"] == "gloss"]
    assert glossed
    for sent in glossed:
        assert sent["sources"][0]["lang"] != "zh" and sent["sources"][0]["text"]
    event = next(e for e in digest["events"] if "003_82d14f98d0ce453e" in e["documents"])
    assert event["title_detail"]["zh"]["tier"] == "original"
    assert event["title_detail"]["en"]["tier"] == "facts"  # a Chinese-only event: fact title
    assert "Trump" in event["title"]["en"] and "rare earth" in event["title"]["en"]


def test_numbers_survive_translation(digest):
    zh = [s["text"] for e in digest["events"] for s in e["summary"]["zh"]]
    en = [s["text"] for e in digest["events"] for s in e["summary"]["en"]]
    if any("$12 billion" in t for t in en):
        assert any("120亿美元" in t for t in zh)


def test_bad_inputs_are_reported_per_file_and_the_rest_processed(tmp_path, capsys):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 4)
    zh = "美国能否在关键矿产竞赛中迎头赶上？中国控制着全球约百分之七十的稀土开采产量。" * 3
    (bad / "gbk.txt").write_bytes(zh.encode("gbk"))
    cut = ("The US launched a critical minerals initiative on Wednesday. 美国启动关键矿产倡议。"
           * 3).encode("utf-8")
    (bad / "cut.txt").write_bytes(cut[:-2])
    lines = [json.dumps({"id": "a", "text": "Japan and the US agreed on critical minerals."}),
             '{"id": "b", "text": "broken',
             json.dumps({"id": "c", "title": "米国、重要鉱物で合意",
                         "text": "米国と日本は重要鉱物の供給網で協力することで合意した。"},
                        ensure_ascii=False)]
    (bad / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["run", str(bad), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert any("empty.txt" in line and "empty" in line for line in err)
    assert any("binary.txt" in line and "binary" in line for line in err)
    assert any("cut.txt" in line and "truncated" in line for line in err)
    assert any("feed.jsonl:2" in line for line in err)
    assert not any("gbk.txt" in line for line in err)
    digest = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    ids = {d["id"] for d in digest["documents"]}
    assert ids == {"gbk", "cut", "a", "c"}
    gbk = next(d for d in digest["documents"] if d["id"] == "gbk")
    assert gbk["segments"][0]["text"].startswith("美国能否") and gbk["segments"][0]["lang"] == "zh"


def test_clean_run_exits_zero_and_reruns_are_identical(tmp_path):
    args = ["run", str(SEEDS / "003_82d14f98d0ce453e.txt"), "--quiet", "--langs", "en,ja"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    assert main(args + ["--out", str(tmp_path / "b")]) == 0
    first = (tmp_path / "a" / "digest.json").read_bytes()
    assert first == (tmp_path / "b" / "digest.json").read_bytes()
    ja = json.loads(first)["events"][0]["summary"]["ja"]
    assert ja and all(s["sources"] for s in ja)


def test_bad_language_option_is_a_clear_error(capsys):
    assert main(["run", str(SEEDS), "--langs", "en,fr", "--quiet"]) == 1
    assert "fr" in capsys.readouterr().err


def test_unknown_backend_fails_before_any_work(capsys, tmp_path):
    assert main(["run", str(SEEDS), "--translator", "nmt", "--out", str(tmp_path), "--quiet"]) == 1
    assert "unknown translator 'nmt'" in capsys.readouterr().err
    assert not (tmp_path / "digest.json").exists()
    assert main(["run", str(SEEDS), "--embedder", "nope", "--quiet"]) == 1
    assert "unknown embedder 'nope'" in capsys.readouterr().err


def test_config_file_can_replace_the_boilerplate_rules(tmp_path):
    from pipeline.config import Config
    from pipeline.run import run

    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "delegates"\nrole = "boilerplate"\n'
                     'patterns = ["^Delegates discussed"]\n', encoding="utf-8")
    config_file = tmp_path / "config.toml"
    config_file.write_text(f'boilerplate_rules = "{rules}"\n', encoding="utf-8")
    result = run([SEEDS / "001_b85f593ae8e40eb1.txt"], Config.from_toml(config_file))
    roles = {s.rule for s in result.digest.documents[0].segments}
    assert "delegates" in roles
