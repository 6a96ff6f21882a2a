"""Translation through any OpenAI-compatible chat endpoint (tier llm).

One request per text (`POST {base_url}/chat/completions`, stdlib `urllib` only), with the
prompts in `prompts/translate_*.txt`. An LLM can drop or invent numbers, answer in the wrong
language, chat instead of translating, or obey instructions hidden in an article, so every
reply is checked before it is used:

* not empty, and the same number of (non-blank) lines as the text sent;
* written in the target language (script counts from `pipeline.langid`; English function
  words against romanised or other Latin-script output; langid's charset evidence against
  Chinese passed off as kana-less Japanese);
* the same numbers as the source, compared as values after `numbers.py` normalisation, so
  21億ドル and $2.1 billion, or 1,000 and 1000, are equal;
* no assistant chatter or obeyed injection ("As an AI", "Sure, here is", "ignore previous
  instructions"... in any of en/zh/ja/ko) that the source does not itself contain, and a
  length in proportion to the source (compared in script-weighted characters).

Texts that fail are rejected with a reason (`PartialTranslation`), and the router sends them to
the next backend. Timeouts, connection errors, HTTP 429 and 5xx are retried a bounded number of
times with exponential backoff; when the endpoint stays down before anything was translated,
or refuses the credentials or the model, `ModelUnavailable` drops the backend for the run.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pipeline.lang.numbers import (
    cjk_numbers_to_english,
    format_english_number,
    parse_cjk_number,
)
from pipeline.langid import identify, script_profile
from pipeline.model import Translation
from pipeline.translate.base import ModelUnavailable, PartialTranslation

LANGS: tuple[str, ...] = ("en", "zh", "ja", "ko")
SOURCE_NAMES = {"en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean"}
TARGET_NAMES = {"en": "English", "zh": "Simplified Chinese", "ja": "Japanese", "ko": "Korean"}
START, END = "<<<ARTICLE", "ARTICLE>>>"  # the article delimiters the prompts name
SYSTEM_TEMPLATE, USER_TEMPLATE = "translate_system.txt", "translate_user.txt"
ENV_HINT = ("set NEWSDIGEST_LLM_BASE_URL (e.g. http://localhost:8000/v1; OPENAI_BASE_URL also "
            "works) and NEWSDIGEST_LLM_MODEL, or base_url and model under "
            "[translator_options.llm] in the config")

MAX_RATIO, MIN_RATIO = 4.0, 0.2  # output/source length, in script-weighted characters
# One Han character carries about as much as three English characters (spaces included),
# kana two, a hangul syllable a little over two: weighted, a faithful translation is ~1:1.
_WEIGHT = {"han": 3.0, "kana": 2.0, "hangul": 2.2, "latin": 1.0, "digit": 1.0, "other": 1.0}
_FOREIGN_SHARE = 0.05  # kana/hangul in zh output (or kana in ko, hangul in ja) beyond: reject


class _Rejected(Exception):
    """This text's reply is unusable (failed check, refused request); others may be fine."""


class _EndpointDown(Exception):
    """Retries exhausted on timeouts, connection errors, 429 or 5xx."""


class _Retryable(Exception):
    """One attempt failed in a way worth retrying (a reply that is not a chat completion)."""


# ------------------------------------------------------------------ prompts


def prompt_dirs() -> list[Path]:
    """Where the templates are looked for: the project root's prompts/ (a checkout, where a
    user edits them), then the copy the package carries (pipeline/data/prompts, linked to
    prompts/ in the repository, so a wheel installed anywhere finds them)."""
    from importlib import resources

    from pipeline.paths import project_root

    dirs = [project_root() / "prompts",
            Path(str(resources.files("pipeline.data").joinpath("prompts")))]
    return list(dict.fromkeys(dirs))


def load_prompt(name: str) -> str:
    for folder in prompt_dirs():
        path = folder / name
        if path.is_file():
            return path.read_text("utf-8")
    where = ", ".join(str(d) for d in prompt_dirs())
    raise ModelUnavailable(f"llm: prompt template {name} not found (looked in {where})")


# ------------------------------------------------------------------ reply cleaning

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^```[\w-]*[ \t]*\n(?P<body>.*?)\n?```\s*$", re.DOTALL)
_LABEL = re.compile(r"^(?:translation|translated text|译文|翻译|翻譯|翻訳|訳文|번역(?:문)?)"
                    r"\s*[:：]\s*", re.IGNORECASE)


def clean_reply(reply: str, source: str = "") -> str:
    """The translation inside a reply: no <think> block, code fence, echoed delimiters or
    "Translation:" label (unless the source starts with one), no surrounding blank lines."""
    text = _THINK.sub("", reply.replace("\r\n", "\n").replace("\r", "\n")).strip()
    fence = _FENCE.match(text)
    if fence:
        text = fence["body"].strip()
    text = text.replace(START, "").replace(END, "").strip("\n")
    if _LABEL.match(text.lstrip()) and not _LABEL.match(source.lstrip()):
        text = _LABEL.sub("", text.lstrip(), count=1)
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


# ------------------------------------------------------------------ output checks

_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_NUM = re.compile(
    r"(?<!\d)(?P<cur>US\$|HK\$|[$€£¥₩])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<frac>\.\d+)?"
    r"(?:[ -]?(?P<scale>thousand|million|billion|trillion)(?![a-z])"
    r"|(?P<abbr>bn|mn|tn|k|m|b)(?![a-z]))?",
    re.IGNORECASE)
_SCALE = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6,
          "billion": 10**9, "b": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12}
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve")
_NTHS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth", "eleventh", "twelfth")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_WORD_NUMBERS = {w: i + 1 for words in (_ONES, _NTHS, _MONTH_NAMES) for i, w in enumerate(words)}
_WORD_NUMBERS |= {"dozen": 12, "twice": 2, "double": 2, "single": 1}
_WORDS = re.compile(r"(?<![a-z])(" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
                    + r")(?![a-z])",
                    re.IGNORECASE)
_HAN_NUMERAL = re.compile(r"[〇零一二两兩三四五六七八九十百千万萬亿億]+")


def numbers_in(text: str, lang: str) -> tuple[set[Decimal], set[Decimal]]:
    """(hard, soft) numeric values in `text`.

    Hard: amounts written with digits, after CJK numbers, money, units and dates are rendered
    the English way (numbers.py), so 21億ドル → $2.1 billion → 2100000000. Soft: values only
    spelt out (three, third, March, 三, 两): a hard number on one side may match a soft one on
    the other, but soft numbers are never required (一 hides in too many words).
    """
    text = text.translate(_DIGITS)
    if lang != "en":
        text = cjk_numbers_to_english(text)
    hard: set[Decimal] = set()
    for m in _NUM.finditer(text):
        try:
            value = Decimal(m["num"].replace(",", "") + (m["frac"] or ""))
        except InvalidOperation:
            continue
        scale = (m["scale"] or m["abbr"] or "").lower()
        if scale in ("k", "m", "b") and not m["cur"]:
            scale = ""  # 5m alone may be metres, 3b a grade
        hard.add((value * _SCALE.get(scale, 1)).normalize())
    soft = {Decimal(_WORD_NUMBERS[w.lower()]) for w in _WORDS.findall(text)}
    for run in _HAN_NUMERAL.findall(text):
        value = parse_cjk_number(run)
        if value is not None:
            soft.add(value.normalize())
        soft |= {v.normalize() for ch in run if (v := parse_cjk_number(ch)) is not None}
    return hard, soft


def _show(values: Iterable[Decimal]) -> str:
    return ", ".join(format_english_number(v) if v >= 10**6 else f"{v:f}"
                     for v in sorted(values)[:4])


def number_problem(source: str, output: str, src: str, tgt: str) -> str | None:
    """Why the numbers of `output` do not match `source`, or None when they do."""
    s_hard, s_soft = numbers_in(source, src)
    o_hard, o_soft = numbers_in(output, tgt)
    missing = s_hard - o_hard - o_soft
    extra = o_hard - s_hard - s_soft
    if not missing and not extra:
        return None
    parts = ([f"missing {_show(missing)}"] if missing else []) + (
        [f"added {_show(extra)}"] if extra else [])
    return "numbers differ: " + "; ".join(parts)


def _units(text: str) -> float:
    return sum(_WEIGHT[cls] * n for cls, n in script_profile(text).items())


def _latin_words(text: str) -> int:
    return len(re.findall(r"[A-Za-z\u00c0-\u024f]+", text))


# A real English sentence of eight words or more contains at least one of these; pinyin,
# romaji or another Latin-script language almost never does (lingua would take seconds to load).
_EN_FUNCTION_WORDS = frozenset((
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "by", "from", "and", "or",
    "but", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its", "this",
    "that", "these", "those", "he", "she", "they", "we", "you", "i", "not", "as", "will",
    "would", "said", "says"))


def language_problem(output: str, tgt: str, source: str = "") -> str | None:
    """Why `output` is not written in `tgt`, or None when it is."""
    prof = script_profile(output)
    han, kana, hangul = prof["han"], prof["kana"], prof["hangul"]
    cjk, words = han + kana + hangul, _latin_words(output)
    name = TARGET_NAMES[tgt]
    if cjk + prof["latin"] == 0:
        src_prof = script_profile(source)
        has_letters = src_prof["han"] + src_prof["kana"] + src_prof["hangul"] + src_prof["latin"]
        return "no words in the output" if has_letters else None
    share = cjk / (cjk + 2 * words)
    if tgt == "en":
        if share > 0.2:
            return f"not {name}: {share:.0%} CJK"
        if words >= 8 and not _EN_FUNCTION_WORDS & set(re.findall(r"[a-z']+", output.lower())):
            return f"not {name}: no English function words (romanised or another language?)"
        return None
    if share <= 0.2:
        kept = set(re.findall(r"[A-Za-z0-9]+", output)) <= set(re.findall(r"[A-Za-z0-9]+", source))
        if not cjk and words <= 3 and kept:
            return None  # a name or product kept as written ("iPhone 17", "OpenAI")
        return f"not {name}: mostly Latin script"
    if tgt == "zh" and kana + hangul > _FOREIGN_SHARE * cjk:
        return f"not {name}: contains {'kana' if kana >= hangul else 'hangul'}"
    if tgt == "ja":
        if hangul > _FOREIGN_SHARE * cjk:
            return f"not {name}: contains hangul"
        if not kana and han >= 8:
            guess = identify(output)
            if guess.lang == "zh" and guess.reason == "han:charset":
                return f"not {name}: Chinese characters and no kana"
    if tgt == "ko" and (hangul < 0.5 * cjk or kana > _FOREIGN_SHARE * cjk):
        return f"not {name}: too little hangul"
    return None


# (output triggers, source excusers): a trigger in the output that the source does not contain
# in any form — the excusers list its forms and looser relatives in all four languages — is
# chatter or an obeyed instruction, not translation.
_PHRASE_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("as an ai", "as a language model", "as an assistant", "i'm an ai", "i am an ai",
      "作为ai", "作为一个ai", "作为人工智能", "我是ai", "我是一个ai", "aiとして", "aiアシスタント",
      "ai로서", "ai 어시스턴트"),
     ("ai", "language model", "assistant*", "人工智能", "语言模型", "人工知能", "言語モデル",
      "인공지능", "언어 모델", "アシスタント", "助手", "어시스턴트")),
    (("i cannot", "i can't", "i can not", "i'm unable", "i am unable", "i'm sorry", "i am sorry",
      "i apologize", "i won't", "我无法", "我不能", "抱歉，", "很抱歉", "申し訳ありませんが",
      "申し訳ございませんが", "죄송합니다", "죄송하지만"),
     ("cannot", "can't", "can not", "unable", "sorry", "apolog*", "won't", "无法", "不能", "抱歉",
      "对不起", "できない", "できません", "申し訳", "すみません", "수 없", "죄송", "미안")),
    (("sure, here", "sure! here", "sure. here", "here is the translation",
      "here's the translation", "here is your translation", "here is the translated",
      "certainly! ", "certainly, here", "of course! ", "of course, here", "好的，以下",
      "以下是翻译", "以下是译文", "以下为翻译", "以下は翻訳", "翻訳は以下", "翻訳します",
      "다음은 번역", "번역은 다음", "번역해 드리", "translated text:"),
     ("here is", "here's", "translat*", "翻译", "翻譯", "译文", "翻訳", "번역", "sure", "certainly",
      "of course", "以下", "다음은", "好的")),
    (("ignore previous", "ignore all previous", "ignore the above", "ignore your instructions",
      "previous instructions", "disregard previous", "disregard the above", "忽略之前",
      "忽略以上", "忽略先前", "忽略所有", "以前の指示", "前の指示", "これまでの指示", "이전 지시",
      "이전의 지시", "이전 명령"),
     ("ignore*", "disregard*", "instruction*", "忽略", "无视", "指令", "指示", "無視", "무시",
      "지시", "명령")),
    (("system prompt", "系统提示", "系統提示", "システムプロンプト", "시스템 프롬프트"),
     ("prompt*", "提示", "プロンプト", "프롬프트")),
    (("translator's note", "translator’s note", "note: this translation", "译者注", "译注",
      "訳注", "역주", "번역자 주"),
     ("note*", "注", "주")),
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").lower())


def _has(text: str, form: str) -> bool:
    """`form` in normalised `text`; Latin forms match whole words ("ai" is not in "said"),
    or as a prefix when written with a trailing "*" ("apolog*")."""
    prefix = form.endswith("*")
    form = form.rstrip("*")
    if not form[:1].isascii():
        return form in text
    tail = "" if prefix or not form[-1:].isalnum() else r"(?![a-z0-9])"
    return re.search(r"(?<![a-z0-9])" + re.escape(form) + tail, text) is not None


def chatter_problem(source: str, output: str) -> str | None:
    """Assistant phrases or obeyed injections in `output`, or a length out of proportion."""
    out, src = _norm(output), _norm(source)
    for triggers, excusers in _PHRASE_GROUPS:
        hit = next((t for t in triggers if _has(out, t)), None)
        if hit and not any(_has(src, e) for e in triggers + excusers):
            return f"not a translation: contains {hit.strip()!r}"
    s_units, o_units = _units(source), _units(output)
    if o_units > MAX_RATIO * s_units + 30:
        return f"output {o_units / max(s_units, 1):.1f}× the source length"
    if o_units < MIN_RATIO * s_units - 5:
        return f"output {o_units / s_units:.2f}× the source length"
    return None


def check_translation(source: str, output: str, src: str, tgt: str) -> str | None:
    """The first reason `output` is not an acceptable translation of `source`, or None."""
    if not output.strip():
        return "empty output"
    if len(source) >= 12 and _norm(output) == _norm(source):
        return "output is the untranslated source"
    return (language_problem(output, tgt, source) or chatter_problem(source, output)
            or number_problem(source, output, src, tgt))


# ------------------------------------------------------------------ the backend


def _parse_pairs(pairs: Iterable[Any] | None) -> frozenset[tuple[str, str]]:
    """None: every pair among en/zh/ja/ko. Else ("zh", "en") tuples or "zh-en"/"zh>en"/"zh→en"
    strings; a bare language ("ja") means every pair among the languages listed."""
    if pairs is None:
        return frozenset((s, t) for s in LANGS for t in LANGS if s != t)
    out: set[tuple[str, str]] = set()
    langs: list[str] = []
    for pair in pairs:
        parts = tuple(re.split(r"\s*(?:->|→|>|-|_|/|:)\s*", pair.strip())) if isinstance(
            pair, str) else tuple(pair)
        if len(parts) == 1:
            langs.append(parts[0])
            continue
        if len(parts) != 2 or not set(parts) <= set(LANGS) or parts[0] == parts[1]:
            raise ValueError(f"llm: bad language pair {pair!r}; use e.g. 'zh-en' "
                             f"(languages: {', '.join(LANGS)})")
        out.add((parts[0], parts[1]))
    if langs:
        if not set(langs) <= set(LANGS):
            raise ValueError(f"llm: unknown language in {langs}; use {', '.join(LANGS)}")
        out |= {(s, t) for s in langs for t in langs if s != t}
    return frozenset(out)


class LLMTranslator:
    """A chat-completions endpoint as a translator; see the module docstring."""

    name = "llm"
    tier = "llm"

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout: float = 30.0, retries: int = 2, backoff: float = 1.0,
                 batch_lines: int = 40, pairs: Iterable[Any] | None = None,
                 workers: int = 4) -> None:
        """`batch_lines`: a text with more non-blank lines is sent in chunks of that many;
        `workers`: texts of one batch in flight at once; `pairs`: see `_parse_pairs`."""
        base = base_url.strip().rstrip("/")
        self.base_url = base.removesuffix("/chat/completions")
        self.url = f"{self.base_url}/chat/completions"
        self.model = model
        self._api_key = api_key or None
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.batch_lines = max(1, int(batch_lines))
        self.workers = max(1, int(workers))
        self.pairs = _parse_pairs(pairs)
        self.sleep: Callable[[float], None] = time.sleep  # tests inject a no-op
        self.system_template = load_prompt(SYSTEM_TEMPLATE)
        self.user_template = load_prompt(USER_TEMPLATE)
        self.requests = 0  # HTTP attempts made, for reports and tests
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the key
        return f"LLMTranslator(url={self.url!r}, model={self.model!r})"

    @classmethod
    def from_env(cls, options: Mapping[str, Any] | None = None) -> LLMTranslator:
        """Options (config `translator_options.llm`) first, then the environment:
        NEWSDIGEST_LLM_BASE_URL (or OPENAI_BASE_URL), NEWSDIGEST_LLM_MODEL,
        NEWSDIGEST_LLM_API_KEY (or OPENAI_API_KEY)."""
        opts = dict(options or {})
        known = {"base_url", "model", "api_key", "timeout", "retries", "backoff", "batch_lines",
                 "pairs", "workers"}
        unknown = sorted(set(opts) - known)
        if unknown:
            raise ValueError(f"llm: unknown option {unknown[0]!r}; known: "
                             f"{', '.join(sorted(known))}")
        env = os.environ
        base_url = (opts.get("base_url") or env.get("NEWSDIGEST_LLM_BASE_URL")
                    or env.get("OPENAI_BASE_URL"))
        model = opts.get("model") or env.get("NEWSDIGEST_LLM_MODEL")
        # OPENAI_API_KEY goes only to OpenAI's own URL or the one OPENAI_BASE_URL names:
        # never to a third-party endpoint configured elsewhere
        openai_url = base_url and (base_url == env.get("OPENAI_BASE_URL")
                                   or "api.openai.com" in base_url)
        api_key = (opts.get("api_key") or env.get("NEWSDIGEST_LLM_API_KEY")
                   or (env.get("OPENAI_API_KEY") if openai_url else None))
        if not base_url or not model:
            missing = " and ".join(n for n, v in (("base URL", base_url), ("model", model))
                                   if not v)
            raise ModelUnavailable(f"llm: no {missing} configured: {ENV_HINT}")
        extra = {k: opts[k] for k in ("timeout", "retries", "backoff", "batch_lines", "pairs",
                                      "workers") if opts.get(k) is not None}
        return cls(base_url, model, api_key=api_key, **extra)

    def supports(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self.pairs

    # ---------------------------------------------------------------- HTTP

    def _messages(self, text: str, src: str, tgt: str, lines: int) -> list[dict[str, str]]:
        fields = {"source_language": SOURCE_NAMES[src], "target_language": TARGET_NAMES[tgt]}
        return [
            {"role": "system", "content": self.system_template.format(**fields).strip()},
            {"role": "user", "content": self.user_template.format(
                **fields, line_count=lines, text=text).strip()},
        ]

    def _post(self, body: bytes) -> str:
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "User-Agent": "newsdigest-llm"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        with self._lock:
            self.requests += 1
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            raw = resp.read()
        try:
            data = json.loads(raw)
            choice = data["choices"][0]
            message = choice.get("message") or {}
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise _Retryable(f"reply is not a chat completion ({raw[:80]!r})") from exc
        if choice.get("finish_reason") == "length":
            raise _Rejected("output truncated (finish_reason length)")
        content = message.get("content")
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str) or not content.strip():
            refusal = message.get("refusal")
            raise _Rejected(f"model refused: {refusal}" if refusal else "empty output")
        return content

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        delay = self.backoff * 2 ** (attempt - 1)
        try:
            return max(delay, min(float(retry_after), 60.0)) if retry_after else delay
        except ValueError:
            return delay

    def _chat(self, messages: list[dict[str, str]]) -> str:
        """The reply text; retries transient failures, then raises _EndpointDown."""
        body = json.dumps({"model": self.model, "messages": messages, "temperature": 0},
                          ensure_ascii=False).encode("utf-8")
        last, retry_after = "", None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self._delay(attempt, retry_after))
            retry_after = None
            try:
                return self._post(body)
            except urllib.error.HTTPError as exc:
                detail = _error_detail(exc)
                if exc.code in (408, 429) or exc.code >= 500:
                    last, retry_after = f"HTTP {exc.code}{detail}", exc.headers.get("Retry-After")
                    continue
                if exc.code in (400, 413, 422):
                    raise _Rejected(f"HTTP {exc.code}{detail}") from None
                hint = ("check the API key (NEWSDIGEST_LLM_API_KEY, OPENAI_API_KEY or the "
                        "api_key option)" if exc.code in (401, 403) else
                        "check the base URL (it ends before /chat/completions, e.g. "
                        "http://localhost:8000/v1) and the model name")
                raise ModelUnavailable(f"llm: HTTP {exc.code} from {self.url} for model "
                                       f"{self.model!r}{detail}; {hint}") from None
            except _Retryable as exc:
                last = str(exc)
            except (OSError, http.client.HTTPException) as exc:  # timeouts, refused, reset
                reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                last = (f"timed out after {self.timeout:g} s" if isinstance(reason, TimeoutError)
                        else f"{type(reason).__name__}: {reason}")
        raise _EndpointDown(f"{last} ({self.retries + 1} attempts)")

    def chat(self, messages: list[dict[str, str]]) -> str:
        """One cleaned reply (other LLM stages: summaries, titles); ModelUnavailable when the
        endpoint stays down, refuses the credentials or returns nothing usable."""
        try:
            return clean_reply(self._chat(messages))
        except _EndpointDown as exc:
            raise ModelUnavailable(f"llm: {self.url} (model {self.model!r}) endpoint down: "
                                   f"{exc}") from None
        except _Rejected as exc:
            raise ModelUnavailable(f"llm: reply rejected: {exc}") from None

    # ---------------------------------------------------------------- translation

    def _translate_one(self, text: str, src: str, tgt: str) -> str:
        lines = text.split("\n")
        content = [i for i, line in enumerate(lines) if line.strip()]
        if not content:
            return text
        out = list(lines)
        for start in range(0, len(content), self.batch_lines):
            idx = content[start:start + self.batch_lines]
            chunk = "\n".join(lines[i].strip() for i in idx)
            sent = chunk.replace(START, " ").replace(END, " ")
            reply = clean_reply(self._chat(self._messages(sent, src, tgt, len(idx))), chunk)
            got = [line.strip() for line in reply.split("\n") if line.strip()]
            if len(got) != len(idx):
                raise _Rejected(f"{len(got)} lines in the reply for {len(idx)}")
            problem = check_translation(chunk, "\n".join(got), src, tgt)
            if problem:
                raise _Rejected(problem)
            for i, line in zip(idx, got):
                indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
                out[i] = indent + line
        return "\n".join(out)

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        if not self.supports(src, tgt):
            raise ValueError(f"llm: pair {src}->{tgt} not configured")
        down = threading.Event()

        def one(text: str) -> tuple[str, str]:
            if down.is_set():
                return "skipped", "endpoint down"
            try:
                return "ok", self._translate_one(text, src, tgt)
            except _Rejected as exc:
                return "rejected", str(exc)
            except _EndpointDown as exc:
                down.set()
                return "down", f"endpoint down: {exc}"
            except ModelUnavailable:
                down.set()
                raise

        if self.workers == 1 or len(texts) <= 1:
            outcomes = [one(t) for t in texts]
        else:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(texts))) as pool:
                outcomes = list(pool.map(one, texts))
        if not any(kind == "ok" for kind, _ in outcomes) and any(
                kind == "down" for kind, _ in outcomes):
            reason = next(r for kind, r in outcomes if kind == "down")
            raise ModelUnavailable(f"llm: {self.url} (model {self.model!r}) {reason}")
        results = [Translation(value, "llm", self.name) if kind == "ok" else None
                   for kind, value in outcomes]
        if any(r is None for r in results):
            raise PartialTranslation(results, [v for k, v in outcomes if k != "ok"])
        return results  # type: ignore[return-value]


def _error_detail(exc: urllib.error.HTTPError) -> str:
    """': <message>' from an error body (OpenAI style or plain text), or ''."""
    try:
        raw = exc.read()[:2000].decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - a body we cannot read adds nothing
        return ""
    try:
        data = json.loads(raw)
        err = data.get("error", data) if isinstance(data, dict) else data
        msg = err.get("message") if isinstance(err, dict) else err
    except ValueError:
        msg = raw
    msg = re.sub(r"\s+", " ", str(msg or "")).strip()[:200]
    return f": {msg}" if msg else ""


def from_env(options: Mapping[str, Any] | None = None) -> LLMTranslator:
    """`LLMTranslator.from_env`; raises ModelUnavailable when no endpoint is configured."""
    return LLMTranslator.from_env(options)


__all__ = ["LLMTranslator", "check_translation", "clean_reply", "from_env", "numbers_in"]
