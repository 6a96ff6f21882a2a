"""Human-readable views of a digest: Markdown, HTML, and the files they are written to.

Both views are rendered from the JSON dict (`pipeline.model.digest_to_dict`), never from the
dataclasses, so a digest.json written yesterday renders exactly like a fresh run and the JSON
stays the one contract. `views.py` holds the view-independent facts both renderers need (statistics, language
names, the tier legend, per-event citation numbering) so that Markdown and HTML can never
disagree about which number a source has or what a tier means.

Public API:
    render_markdown(d) -> str
    render_html(d) -> str
    write_digest(d, out_dir) -> list[Path]
"""

from pipeline.render.files import write_digest
from pipeline.render.html import render_html
from pipeline.render.markdown import render_markdown
from pipeline.render.views import (
    TIER_LEGEND,
    CitedSource,
    EventView,
    Stats,
    digest_stats,
    event_views,
    lang_name,
)

__all__ = [
    "TIER_LEGEND",
    "CitedSource",
    "EventView",
    "Stats",
    "digest_stats",
    "event_views",
    "lang_name",
    "render_html",
    "render_markdown",
    "write_digest",
]
