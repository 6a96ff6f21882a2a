"""Tiny random translation models built from seed text, for tests that must not download.

Recipe and pitfalls: shared/notes/ml-on-this-machine.md, "Tiny Marian". The models are
random: tests check plumbing (counts, order, splitting, loading), never words.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import EVALDATA, SEEDS

_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")


def seed_lines() -> tuple[list[str], list[str]]:
    """Chinese and English lines of the seeds (Chinese: Han without kana or hangul)."""
    zh, en = [], []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if _HAN.search(line) and not _KANA_HANGUL.search(line) and len(line) > 8:
                zh.append(line)
            elif line.isascii() and len(line) > 40:
                en.append(line)
    return zh, en


def seed_zh_texts() -> list[str]:
    """The seeds' Chinese lines, then their clauses: enough distinct short texts for batches."""
    lines = seed_lines()[0]
    clauses = [c for line in lines for c in re.split(r"(?<=[?？,，])", line) if len(c) > 3]
    return list(dict.fromkeys(lines + clauses))


def tiny_corpus(zh: Sequence[str]) -> tuple[list[str], list[str]]:
    """Source and target lines for the sentencepiece model: `zh`, seed English, some FLORES."""
    zh, en = list(zh), seed_lines()[1][:200]
    flores = EVALDATA / "flores200-devtest"
    if (flores / "zh.txt").is_file():
        zh += flores.joinpath("zh.txt").read_text("utf-8").splitlines()[:150]
        en += flores.joinpath("en.txt").read_text("utf-8").splitlines()[:150]
    return zh, en


def build_tiny_marian(out: Path, src_lines: Sequence[str], tgt_lines: Sequence[str]) -> Path:
    """A tiny random MarianMT saved in `out` like a downloaded OPUS-MT folder; returns `out`.

    One sentencepiece model trained on both sides serves as source.spm and target.spm; the
    vocabulary puts `<pad>` last (the OPUS layout CTranslate2 also expects). Seeded: the same
    lines give the same model.
    """
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(src_lines) + list(tgt_lines)), model_writer=buf,
        vocab_size=3000, eos_id=0, unk_id=1, pad_id=-1, bos_id=-1, character_coverage=1.0,
        hard_vocab_limit=False, minloglevel=2)
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes(buf.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    vocab["<pad>"] = len(vocab)  # pad last: the OPUS layout CTranslate2 also expects
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    tok = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                          vocab=str(out / "vocab.json"), eos_token="</s>", unk_token="<unk>",
                          pad_token="<pad>")
    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), d_model=48, encoder_layers=1,
        decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=96, decoder_ffn_dim=96, pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.pad_token_id,
        forced_eos_token_id=tok.eos_token_id, init_std=0.3)
    torch.manual_seed(0)
    MarianMTModel(config).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def build_tiny_m2m(out: Path, lines: Sequence[str], vocab_size: int = 3000):
    """A tiny random M2M-100 saved in `out` with the fairseq layout (spm ids bos=0 pad=1
    eos=2 unk=3); returns its tokenizer. The model is sized by the language ids (they follow
    the spm vocabulary), not by len(tok). Seeded."""
    import sentencepiece as spm
    from transformers import M2M100Tokenizer

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size,
        bos_id=0, pad_id=1, eos_id=2, unk_id=3, character_coverage=1.0,
        hard_vocab_limit=False, minloglevel=2)
    (out / "sentencepiece.bpe.model").write_bytes(buf.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    # "wmt21" has no Korean: the full m2m100 code list has en, zh, ja and ko
    tok = M2M100Tokenizer(vocab_file=str(out / "vocab.json"),
                          spm_file=str(out / "sentencepiece.bpe.model"), language_codes="m2m100")
    save_tiny_m2m_weights(out, max(tok.lang_token_to_id.values()) + 1)
    tok.save_pretrained(out)
    return tok


def save_tiny_m2m_weights(out: Path, vocab_size: int) -> None:
    """Seeded random weights of a 1-layer M2M-100 (NLLB is the same architecture).
    init_std=1.0: with smaller inits different inputs often decode to the same token loop,
    which would hide order bugs."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    config = M2M100Config(
        vocab_size=vocab_size, d_model=48, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=96,
        decoder_ffn_dim=96, max_position_embeddings=256, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, decoder_start_token_id=2, scale_embedding=True, init_std=1.0)
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).save_pretrained(out)


def long_paragraph(texts: Sequence[str], count, at_least: int) -> str:
    """`texts` repeated into one paragraph of at least `at_least` tokens (by `count`), each
    round's questions numbered so that no sentence repeats an earlier one."""
    text = ""
    for n in range(1, 100):
        text += "".join(f"{n}{s}" if s[-1] in "?？" else s for s in texts)
        if count(text) >= at_least:
            break
    return text
