"""The README's local-LLM config is one a user can paste: it parses as a newsdigest config
and both the `llm` translator and the `llm` summarizer accept every setting it shows."""

from __future__ import annotations

import re

from pipeline.config import Config
from pipeline.summarize.abstractive import LLMGenerator
from pipeline.translate.llm_backend import LLMTranslator
from tests.conftest import ROOT


def _llm_toml() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    (block,) = [b for b in blocks if "[translator_options.llm]" in b]
    return block


def test_readme_llm_config_is_accepted(tmp_path):
    path = tmp_path / "llm.toml"
    path.write_text(_llm_toml(), "utf-8")
    config = Config.from_toml(path)
    options = config.translator_options["llm"]
    translator = LLMTranslator.from_env(options)  # unknown keys would raise here
    assert translator.model == "qwen2.5:7b" and translator.workers == 2
    assert translator.url.startswith("http://127.0.0.1:11434/v1")
    LLMGenerator(config.summarizer_options)  # the summarizer takes the same settings
