"""One Chinese script per digest: a zh summary in simplified characters, zh-TW in traditional.

Outlets in Hong Kong and Taiwan write traditional characters, the mainland simplified; a
summary that quotes both mixes them (南韓減息 beside 韩国降息). OpenCC converts whole phrases,
not only characters (軟體 for 软件 in zh-TW), so each sentence shown in Chinese is converted
for display; its sources keep the published form.
"""

from __future__ import annotations

from functools import cache

from pipeline.model import SummarySentence

# output language → OpenCC configuration
CONVERSIONS = {"zh": "t2s", "zh-TW": "s2twp"}


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def in_script(text: str, lang: str) -> str:
    """`text` in the script of output language `lang` (unchanged for other languages)."""
    config = CONVERSIONS.get(lang)
    return _converter(config).convert(text) if config and text else text


def sentence_in_script(sentence: SummarySentence, lang: str) -> SummarySentence:
    """A Chinese summary sentence converted for an output language; others as they are."""
    if lang not in CONVERSIONS or sentence.lang != "zh":
        return sentence
    sentence.text = in_script(sentence.text, lang)
    sentence.detail = in_script(sentence.detail, lang) if sentence.detail else sentence.detail
    sentence.lang = lang
    return sentence
