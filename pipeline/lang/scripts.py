"""Character classes of the four scripts, defined once (regex class bodies: use inside [...]).

Han covers CJK Unified Ideographs with Extension A and the compatibility block; kana the
hiragana and katakana blocks with the prolonged-sound mark; hangul the precomposed syllables.
"""

from __future__ import annotations

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HIRAGANA = "\u3040-\u309f"
KATAKANA = "\u30a0-\u30ff"
KANA = HIRAGANA + KATAKANA
HANGUL = "\uac00-\ud7a3"
