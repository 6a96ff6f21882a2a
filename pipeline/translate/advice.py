"""What to tell a reader whose text went through the dictionary gloss, or whose model folder
is missing: the exact command that would fetch the model, in one place for every message."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.translate.manifest import CT2_SUFFIX, read_manifest

NMT_EXTRA = "pip install 'newsdigest[nmt,ct2]'"  # get, convert to int8 and run


def get_command(names: Iterable[str], *, ct2: bool = False) -> str:
    """`newsdigest models get A B [--ct2]`."""
    return " ".join(["newsdigest models get", *dict.fromkeys(names)] + (["--ct2"] if ct2 else []))


def how_to_get(folder: Path, hub: str | None, *, ct2: bool = False) -> str:
    """The command that fills `folder`: `models get NAME` for a manifest model, else the
    hub's own download (and a conversion for a CTranslate2 folder)."""
    folder = Path(folder)
    name = folder.name.removesuffix(CT2_SUFFIX) if ct2 else folder.name
    try:
        entry = read_manifest().entry(name)
    except (OSError, ValueError):
        entry = None
    if entry is not None:
        return f"`{get_command([name], ct2=ct2)}`"
    original = folder.with_name(name if name != folder.name else f"{name}-hf")
    download = f"`hf download {hub or 'ORG/MODEL'} --local-dir {original if ct2 else folder}`"
    if ct2:
        return f"{download}, then `newsdigest models convert {original} --out {folder}`"
    return download


def gloss_advice(pairs: Iterable[tuple[str, str]]) -> str | None:
    """The notice for a digest whose `pairs` (src, tgt) were glossed: which pairs, and the
    command that fetches the recommended model for each (None when there are none)."""
    pairs = sorted(set(pairs))
    if not pairs:
        return None
    try:
        manifest = read_manifest()
    except (OSError, ValueError):
        manifest = None
    names = [m.name for m in (manifest.recommended(s, t) if manifest else None for s, t in pairs)
             if m is not None]
    listed = ", ".join(f"{s}→{t}" for s, t in pairs)
    text = (f"{listed}: translated with the offline dictionary gloss (tier gloss), word by "
            "word, not a translation.")
    if names:
        text += (f" For neural translation of {'this pair' if len(pairs) == 1 else 'these pairs'}:"
                 f" {NMT_EXTRA} && {get_command(names, ct2=True)}")
    return text
