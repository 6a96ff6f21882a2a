"""Character classes of the four scripts, defined once.

The string constants are regex class bodies (use them inside [...]); the compiled patterns
match one character of the class. Han covers CJK Unified Ideographs with Extension A and the
compatibility block; kana the hiragana and katakana blocks (with ー and ・); hangul the
syllables block; `HANGUL_JAMO` the conjoining and compatibility jamo.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HIRAGANA = "\u3040-\u309f"
KATAKANA = "\u30a0-\u30ff"
KANA = HIRAGANA + KATAKANA
KATAKANA_WORD = "\u30a1-\u30fa\u30fc\u30fb"  # ァ-ヺ, ー, ・: the letters of a katakana word
HANGUL = "\uac00-\ud7af"
HANGUL_JAMO = "\u1100-\u11ff\u3130-\u318f"
CJK = KANA + HAN + HANGUL

HAN_CHAR = re.compile(f"[{HAN}]")
KANA_CHAR = re.compile(f"[{KANA}]")
HIRAGANA_CHAR = re.compile(f"[{HIRAGANA}]")
HANGUL_CHAR = re.compile(f"[{HANGUL}]")
CJK_CHAR = re.compile(f"[{CJK}]")
