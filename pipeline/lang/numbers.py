"""CJK ⇄ English numbers, money, units and dates for the gloss translators.

A word-by-word gloss turns 400亿美元 into "400 100 million US dollar". Numbers are the facts a
reader checks first (and what cross-lingual clustering matches on), so they are converted as
whole spans before any dictionary lookup. Everything here is pure, table-driven and
deterministic; `Decimal` keeps 1.5万 → 15,000 exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation

from pipeline.lang.scripts import HAN_CHAR

Span = tuple[int, int, str]  # start, end (offsets into the input), replacement text

# Full-width → ASCII, one character for one so offsets into the original stay valid. The
# full-width comma is left alone: in CJK text it is a clause separator, not a digit group.
_WIDTH = str.maketrans("０１２３４５６７８９．％＄", "0123456789.%$")

_HAN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "兩": 2}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
          "십": 10, "백": 100, "천": 1000}
_BIG = {"万": 10**4, "萬": 10**4, "만": 10**4, "亿": 10**8, "億": 10**8, "억": 10**8,
        "兆": 10**12, "조": 10**12}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth")

# CJK unit forms | English singular | plural. "$"/"HK$" are prefixes, "%" is glued to the
# number, an empty English word drops a classifier (3个 → 3).
_UNIT_ROWS = (
    "美元 美金 米ドル ドル 달러|$|$; 港元 港币 港幣 香港ドル 홍콩달러|HK$|HK$; "
    "日元 日圆 円 엔|yen|yen; 人民币 人民幣 人民元 元 块 위안|yuan|yuan; "
    "欧元 歐元 ユーロ 유로|euro|euros; 英镑 英鎊 ポンド 파운드|pound|pounds; "
    "韩元 韓元 ウォン 원|won|won; "
    "个百分点 個百分點 ポイント 퍼센트포인트 %포인트 %p|percentage point|percentage points; "
    "% パーセント 퍼센트|%|%; 吨 噸 トン 톤|tonne|tonnes; "
    "公斤 千克 キログラム キロ 킬로그램 kg|kg|kg; "
    "平方公里 平方キロメートル 제곱킬로미터|square km|square km; "
    "公里 キロメートル 킬로미터 km|km|km; "
    "个国家 個國家 个国 カ国 か国 ヶ国 ケ国 箇国 개국 国|country|countries; "
    "个月 個月 カ月 か月 ヶ月 ケ月 箇月 개월|month|months; 年間 年间 년간 年 년|year|years; "
    "天 日間 日间 일간|day|days; 小时 小時 時間 시간|hour|hours; "
    "分钟 分鐘 分間 분|minute|minutes; 週間 周 주간 주|week|weeks; "
    "岁 歲 歳 세|year old|years old; 倍 배|times|times; 次 回 번|time|times; "
    "名 人 명|person|people; 가구 세대 世帯 户 戶|household|households; "
    "个 個 つ 개 架 艘 辆 輛 项 項 座 台 件 条 條 位 只 隻 本 枚 家 所 种 種 批||"
)
_UNIT = {form: (sing, plur) for row in _UNIT_ROWS.split("; ")
         for forms, sing, plur in [row.split("|")] for form in forms.split()}
_QUALIFIER = {
    form: english
    for english, forms in (
        ("about", "约 約 大约 大約 约为 약 左右 前後 前后 ほど 程度 くらい ぐらい 가량 정도 쯤"),
        ("nearly", "将近 將近 近く"),
        ("more than", "超过 超過 逾 以上 超 이상 多 余 餘 여"),
        ("at most", "以下 이하"),
    )
    for form in forms.split()
}


def _alt(words: Iterable[str]) -> str:
    """Regex alternation, longest first so 人民币 wins over 人."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_A = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_MULT = r"(?:[十拾百佰千仟万萬亿億兆십백천만억조]|[多余餘](?=[万萬亿億]))"
_H = r"[〇零一二两兩三四五六七八九十拾百佰千仟万萬亿億兆]"
_HP = rf"{_H}+(?:[点點][〇零一二三四五六七八九]+{_H}*)?"
# a space may stand between the digits and the first large unit (zh-TW NTREX: 110 億)
_NUM = rf"(?:{_A}(?: (?=[万萬亿億兆만억조]))?{_MULT}*|{_HP})(?:(?<=[십백천만억조万萬亿億兆])(?: ?{_A}{_MULT}+|{_A})|{_HP})*"
_PRE = "约为|約|约|大约|大約|将近|將近|超过|超過|逾|약 ?"
_POST = "以上|以下|左右|前後|前后|ほど|程度|くらい|ぐらい|超|近く|이상|이하|가량|정도|쯤"
_QTY = re.compile(rf"(?P<pre>{_PRE})?(?P<num>{_NUM})(?P<approx>[多余餘]|여)?"
                  rf"(?: ?(?P<unit>{_alt(_UNIT)}))?(?P<post> ?(?:{_POST}))?")
_Y = r"(?P<y>[0-9]{4}|[〇零一二三四五六七八九]{4})"
_MO = r"(?P<m>[0-9]{1,2}|十[一二]?|[一二三四五六七八九])"
_D = r"(?P<d>[0-9]{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_DAY_END = r"[日号號일](?![元圆間间간本曜])"
_DATE = re.compile(
    rf"{_Y} ?[年년](?: ?{_MO} ?[月월](?: ?{_D} ?{_DAY_END})?)?(?P<fy>度|代|대)?"
)
_MONTH_DAY = re.compile(rf"(?<![0-9]){_MO} ?[月월](?: ?{_D} ?{_DAY_END})?(?:份)?")
_DAY = re.compile(rf"(?<![0-9月월])(?P<d>[0-9]{{1,2}}) ?{_DAY_END}")
_PERCENT = re.compile(rf"百分之(?P<num>{_HP}|{_A})")
_ORDINAL = re.compile(rf"第 ?(?P<num>{_A}|{_HP})(?:[回次届屆期位名轮輪个個]|번째|차)?")


def parse_cjk_number(text: str, positional: bool = False) -> Decimal | None:
    """Value of 三千五百万, 1.5万, 3億5000万, 1조 2천억 …; None when malformed.

    Han digits written side by side (一一, 三四 "three or four") are not a number unless
    `positional` (years like 二〇二五).
    """
    s = text.translate(_WIDTH).replace(",", "").replace(" ", "")
    s = re.sub(r"[多余餘]", "", s)
    total, section = Decimal(0), Decimal(0)
    cur: Decimal | None = None
    prev = ""
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isascii() and ch.isdigit():
            m = re.match(r"[0-9]+(?:\.[0-9]+)?", s[i:])
            assert m
            if cur is not None:
                return None
            cur, prev, i = Decimal(m.group()), "num", i + m.end()
            continue
        if ch in "点點":
            m = re.match(r"[〇零一二三四五六七八九]+", s[i + 1:])
            if cur is None or m is None:
                return None
            cur += Decimal("0." + "".join(str(_HAN_DIGIT[c]) for c in m.group()))
            prev, i = "num", i + 1 + m.end()
            continue
        if ch in "零〇" and not positional:
            prev = "zero"  # 一千零五: a placeholder between places, not a digit
        elif ch in _HAN_DIGIT:
            if prev == "han" and cur is not None:
                if not positional:
                    return None
                cur = cur * 10 + _HAN_DIGIT[ch]
            elif cur is not None:
                return None
            else:
                cur = Decimal(_HAN_DIGIT[ch])
            prev = "han"
        elif ch in _SMALL:
            section += (cur if cur is not None else 1) * _SMALL[ch]
            cur, prev = None, "small"
        elif ch in _BIG:
            if cur is None and section == 0:
                if prev == "big":
                    total *= _BIG[ch]  # 万亿 = 10^12
                elif total == 0:
                    total = Decimal(_BIG[ch])
                else:
                    return None
            else:
                total += (section + (cur or 0)) * _BIG[ch]
            section, cur, prev = Decimal(0), None, "big"
        else:
            return None
        i += 1
    return total + section + (cur or 0)


def _plain(value: Decimal) -> str:
    """1.50 → "1.5", 15000 → "15,000" (no exponent, no trailing zeros)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():f}"


def format_english_number(value: Decimal) -> str:
    """15,000 / 2.1 billion / 35 million: the way English news writes amounts."""
    for scale, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if value >= scale:
            q = value / scale
            if q == q.quantize(Decimal("0.001")):
                return f"{_plain(q)} {word}"
            break
    return _plain(value)


def ordinal(n: int) -> str:
    """1 → "1st", 12 → "12th", 23 → "23rd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _qty(m: re.Match[str]) -> str | None:
    num, unit = m["num"], m["unit"]
    arabic = bool(re.search(r"[0-9]", num))
    value = parse_cjk_number(num)
    if value is None:
        return None
    if not arabic:  # bare Han numerals hide in words: 统一, 一些, 千万 (by all means), 万一
        leads = num[0] in "一二两兩三四五六七八九十" or (num[0] in "百千" and unit is not None)
        if not leads or (len(num) < 2 and unit is None) or unit == "国":
            return None
    elif unit is None and not re.search(r"[^0-9.,]", num) and not m["approx"]:
        return None  # a plain Arabic number is already English
    if unit in ("年", "년") and value >= 1000:
        return None  # a year, not a duration; the date rules own it
    if unit == "名" and HAN_CHAR.match(m.string[m.end():m.end() + 1]):
        unit = "个"  # 2300名工人: a classifier before the noun, not "people"
    sing, plur = _UNIT.get(unit or "", ("", ""))
    amount = _plain(value) if sing in ("%", "percentage point") else format_english_number(value)
    if sing in ("$", "HK$"):
        text = sing + amount
    elif sing == "%":
        text = amount + "%"
    else:
        word = sing if value == 1 else plur
        text = f"{amount} {word}" if word else amount
    approx = m["approx"] or ("多" if re.search("[多余餘]", num) else None)
    quals = [q for q in (m["pre"], approx, m["post"]) if q]
    if quals:
        text = f"{_QUALIFIER[quals[0].strip()]} {text}"
    return text


def _date_part(s: str | None, lo: int, hi: int) -> int | None:
    if s is None:
        return None
    v = parse_cjk_number(s, positional=True)
    return int(v) if v is not None and lo <= v <= hi and v == int(v) else None


def _date(m: re.Match[str]) -> str | None:
    year = _date_part(m["y"], 1000, 2999)
    month = _date_part(m["m"], 1, 12)
    day = _date_part(m["d"], 1, 31)
    if year is None or (m["m"] and month is None) or (m["d"] and day is None):
        return None
    if m["fy"]:
        return f"FY{year}" if m["fy"] == "度" else f"{year}s"
    if month is None:
        return str(year)
    return f"{MONTHS[month - 1]} {day}, {year}" if day else f"{MONTHS[month - 1]} {year}"


def _month_day(m: re.Match[str]) -> str | None:
    month, day = _date_part(m["m"], 1, 12), _date_part(m["d"], 1, 31)
    if month is None or (m["d"] and day is None):
        return None
    return f"{MONTHS[month - 1]} {day}" if day else MONTHS[month - 1]


def _day(m: re.Match[str]) -> str | None:
    day = _date_part(m["d"], 1, 31)
    return f"the {ordinal(day)}" if day else None


def _percent(m: re.Match[str]) -> str | None:
    value = parse_cjk_number(m["num"])
    return None if value is None else _plain(value) + "%"


def _ordinal(m: re.Match[str]) -> str | None:
    value = parse_cjk_number(m["num"])
    if value is None or value != int(value) or value < 1:
        return None
    n = int(value)
    return _ORDINAL_WORDS[n - 1] if n <= 10 else ordinal(n)


# 기원전 3세기, 公元前3世纪, 21世紀: a century is an ordinal ("the 3rd century BC")
_CENTURY = re.compile(rf"(?P<bc>기원전 ?|公元前|紀元前|纪元前)?(?P<num>[0-9]{{1,2}}|{_HP}) ?(?:세기|世纪|世紀)")


def _century(m: re.Match[str]) -> str | None:
    value = parse_cjk_number(m["num"])
    if value is None or value != int(value) or not 1 <= value <= 30:
        return None
    return f"the {ordinal(int(value))} century" + (" BC" if m["bc"] else "")


_AM, _PM = "오전|午前|上午|早上|凌晨", "오후|午後|下午|晚上|저녁|밤"
# 오후 3시 30분, 午前7時19分, 下午3点: a clock time (时间/時間/시간 "hours" is a quantity)
_CLOCK = re.compile(rf"(?:(?P<am>{_AM})|(?P<pm>{_PM}))? ?(?<![0-9.])(?P<h>[0-9]{{1,2}}) ?"
                    rf"(?P<mark>[시時](?![간間间])|[点點](?![0-9]+(?![0-9 ]*分)))"
                    rf"(?: ?(?P<mi>[0-9]{{1,2}}) ?[분分](?![之钟鐘]))?")


def _clock(m: re.Match[str]) -> str | None:
    """'7:19 a.m.', '3 p.m.', '7:19'; an hour alone with no part of day is '7 o'clock'."""
    hour, minute = int(m["h"]), int(m["mi"]) if m["mi"] else None
    if hour > 24 or (minute is not None and minute > 59):
        return None
    if m["mark"] in "点點" and not (m["am"] or m["pm"] or minute is not None):
        return None  # 3点 alone may be "3 points"; a part of day or minutes make it a time
    time = f"{hour}:{minute:02d}" if minute is not None else str(hour)
    if m["am"] or m["pm"]:
        return f"{time} {'a.m.' if m['am'] else 'p.m.'}"
    return time if minute is not None else f"{time} o'clock"


_CJK_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]] = [
    (_DATE, _date), (_MONTH_DAY, _month_day), (_DAY, _day), (_PERCENT, _percent),
    (_ORDINAL, _ordinal), (_CENTURY, _century), (_CLOCK, _clock), (_QTY, _qty),
]


def _collect(text: str, rules: Sequence[tuple[re.Pattern[str], Callable[..., str | None]]],
             *args: str) -> list[Span]:
    """Every rule's rendered matches; leftmost, then longest, then earliest rule wins."""
    cands = [(m.start(), -m.end(), prio, out) for prio, (pattern, render) in enumerate(rules)
             for m in pattern.finditer(text) if (out := render(m, *args))]
    spans: list[Span] = []
    for start, neg_end, _prio, out in sorted(cands):
        if not spans or start >= spans[-1][1]:
            spans.append((start, -neg_end, out))
    return spans


def find_cjk_numbers(text: str) -> list[Span]:
    """Number, money, unit and date spans in zh/ja/ko text with their English rendering.

    Glossers replace these spans before segmentation so 400亿美元 stays one "$40 billion".
    """
    text = text.translate(_WIDTH)
    return [_vague(text, span) for span in _collect(text, _CJK_RULES)]


_VAGUE_MARK = "数几幾수몇"
_UNIT_START = "十百千万萬亿億兆십백천만억조"
_SCALES = ((12, "trillions"), (9, "billions"), (6, "millions"), (3, "thousands"))
_EN_AMOUNT = re.compile(r"^(?P<cur>\$)?(?P<num>[\d,.]+)(?: (?:thousand|million|billion|trillion))?"
                        r"(?P<rest>.*)$")


def _vague_words(value: float) -> str | None:
    """10^k as an English vague quantity: 千亿 after 数 → "hundreds of billions"."""
    k = round(math.log10(value)) if value > 0 else 0
    if value <= 0 or abs(value - 10**k) > 1e-6 * value:
        return None
    for exponent, word in _SCALES:
        if k >= exponent:
            return ("", "tens of ", "hundreds of ")[min(k - exponent, 2)] + word
    return ("several", "dozens", "hundreds")[min(k, 2)]


def _vague(text: str, span: Span) -> Span:
    """数千亿美元 is "hundreds of billions of dollars", not "$100 billion" after a stray 数."""
    start, end, english = span
    if start == 0 or text[start - 1] not in _VAGUE_MARK or text[start] not in _UNIT_START:
        return span
    match = _EN_AMOUNT.match(english)
    value = parse_cjk_number(re.match(r"[^\d\s]*?[" + _UNIT_START + r"]+", text[start:end])
                             .group(0)) if match else None
    words = _vague_words(float(value)) if value is not None else None
    if words is None:
        return span
    rest = match.group("rest").strip()
    unit = "dollars" if match.group("cur") else rest
    return (start - 1, end, f"{words} of {unit}" if unit else words)


def _substitute(text: str, spans: list[Span]) -> str:
    parts, pos = [], 0
    for start, end, repl in spans:
        gap = text[pos:start] or (" " if parts else "")  # 3日午前8時: "the 3rd 8 a.m."
        parts += [gap, repl]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def cjk_numbers_to_english(text: str) -> str:
    """`text` with every CJK number span replaced by its English form."""
    return _substitute(text, find_cjk_numbers(text))


# ------------------------------------------------------------------ English → zh / ja / ko

_LANGS = ("zh", "ja", "ko")
_EN_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
             "k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9, "tn": 10**12}
# English unit keys (comma-separated) | zh | ja | ko
_EN_UNIT_ROWS = (
    "$,us$,dollar|美元|ドル|달러; hk$|港元|香港ドル|홍콩달러; €,euro|欧元|ユーロ|유로; "
    "£,pound|英镑|ポンド|파운드; yen|日元|円|엔; yuan|元|元|위안; won|韩元|ウォン|원; "
    "tonne,ton,metric ton|吨|トン|톤; kilogram,kg|公斤|キロ|킬로그램; "
    "kilometer,kilometre,km|公里|キロ|킬로미터; people,person|人|人|명; "
    "country,nation|个国家|カ国|개국; year|年|年|년; month|个月|カ月|개월; week|周|週間|주; "
    "day|天|日|일; hour|小时|時間|시간; minute|分钟|分|분; time|次|回|번"
)
_EN_UNITS = {key: (zh, ja, ko) for row in _EN_UNIT_ROWS.split("; ")
             for keys, zh, ja, ko in [row.split("|")] for key in keys.split(",")}
_EN_VAGUE = {"hundreds of billions": ("数千亿", "数千億", "수천억"),
             "tens of billions": ("数百亿", "数百億", "수백억"),
             "billions": ("数十亿", "数十億", "수십억"),
             "hundreds of millions": ("数亿", "数億", "수억"),
             "tens of millions": ("数千万", "数千万", "수천만"),
             "millions": ("数百万", "数百万", "수백만")}


def _plural(word: str) -> str:
    if word in ("yen", "yuan", "won", "people", "kg", "km"):
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"


_EN_MON = {name.lower()[:3]: i + 1 for i, name in enumerate(MONTHS)}
_MON_RE = r"(?P<mon>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|" \
          + "|".join(MONTHS) + r")"
_UNIT_WORDS = sorted({w for k in _EN_UNITS if k[0].isalpha() for w in (k, _plural(k))}
                     | {"persons", "US dollars"}, key=lambda w: (-len(w), w))
_EN_QTY = re.compile(
    rf"(?P<cur>US\$|HK\$|\$|€|£)?(?P<num>{_A})"
    r"(?:[ -](?P<scale>thousand|million|billion|trillion)\b"
    r"|(?<=[0-9])(?P<abbr>bn|mn|tn|m|b|k)\b)?"
    rf"(?:(?P<pct> ?%| percent\b| per cent\b)|[ -](?P<unit>{_alt(_UNIT_WORDS)})\b)?"
)
_EN_VAGUE_RE = re.compile(rf"\b(?P<v>{_alt(_EN_VAGUE)})(?P<dol> of dollars)?\b", re.IGNORECASE)
_DAY_EN = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\b"
_YEAR_EN = r"(?:,?\s+(?P<y>[0-9]{4})\b)?"
_EN_MDY = re.compile(rf"\b{_MON_RE}\s+{_DAY_EN}{_YEAR_EN}")
_EN_DMY = re.compile(rf"\b{_DAY_EN}\s+(?:of\s+)?{_MON_RE}{_YEAR_EN}")
_EN_MY = re.compile(rf"\b{_MON_RE},?\s+(?P<y>[0-9]{{4}})\b")
_EN_MONTH = re.compile(r"\b(?P<mon>" + "|".join(m for m in MONTHS if m != "May") + r")\b")
_EN_YEAR = re.compile(
    r"(?<![\w$€£.,/-])(?P<y>(?:19|20)[0-9]{2})(?P<s>s)?(?![\w%/-]|,[0-9]|\.[0-9])"
)


def format_cjk_amount(value: Decimal, lang: str) -> str:
    """120亿 / 4亿 / 1.5万 (zh), 21億 (ja), 12억 (ko); small or uneven numbers stay digits."""
    marks = {"zh": ("万亿", "亿", "万"), "ja": ("兆", "億", "万"), "ko": ("조", "억", "만")}[lang]
    for scale, mark in zip((10**12, 10**8, 10**4), marks):
        if value >= scale:
            q = value / scale
            if q == q.quantize(Decimal("0.01")):
                return f"{q.normalize():f}{mark}"
            break
    return f"{value.normalize():f}"


def _en_qty(m: re.Match[str], lang: str) -> str | None:
    cur, unit, scale = m["cur"], m["unit"], m["scale"] or m["abbr"]
    if m["abbr"] and not cur:
        return None  # "5m" alone may be metres
    if not (cur or unit or scale or m["pct"]):
        return None
    try:
        value = Decimal(m["num"].replace(",", "")) * _EN_SCALE.get((scale or "").lower(), 1)
    except InvalidOperation:
        return None
    if m["pct"]:
        return f"{_plain(value).replace(',', '')}%"
    idx = _LANGS.index(lang)
    amount = format_cjk_amount(value, lang)
    key = (cur or "").lower() or _en_unit_key(unit or "")
    word = _EN_UNITS[key][idx] if key in _EN_UNITS else ""
    if key in ("year", "week", "day") and not scale and value >= 1000:
        return None
    return f"{amount} {word}".strip() if lang == "ko" else amount + word


def _en_unit_key(unit: str) -> str:
    u = unit.lower().removeprefix("us ")
    for cand in (u, u[:-1], u[:-3] + "y"):
        if cand in _EN_UNITS:
            return cand
    return "person" if u in ("people", "persons") else ""


def _en_date(m: re.Match[str], lang: str) -> str | None:
    groups = m.groupdict()
    month = _EN_MON[m["mon"].lower()[:3]] if groups.get("mon") else None
    day = int(m["d"]) if groups.get("d") else None
    year = int(m["y"]) if groups.get("y") else None
    if day is not None and not 1 <= day <= 31:
        return None
    y, mo, d = ("년 ", "월 ", "일") if lang == "ko" else ("年", "月", "日")
    if groups.get("s"):
        return f"{year}{'년대' if lang == 'ko' else '年代'}"
    out = (f"{year}{y}" if year else "") + (f"{month}{mo}" if month else "")
    return (out + (f"{day}{d}" if day else "")).strip()


def _en_vague(m: re.Match[str], lang: str) -> str:
    text = _EN_VAGUE[m["v"].lower()][_LANGS.index(lang)]
    return text + (_EN_UNITS["$"][_LANGS.index(lang)] if m["dol"] else "")


def find_english_numbers(text: str, lang: str = "zh") -> list[Span]:
    """English amount/unit/date spans with their `lang` (zh, ja or ko) rendering."""
    rules = [(_EN_MDY, _en_date), (_EN_DMY, _en_date), (_EN_MY, _en_date),
             (_EN_VAGUE_RE, _en_vague), (_EN_QTY, _en_qty), (_EN_YEAR, _en_date),
             (_EN_MONTH, _en_date)]
    return _collect(text, rules, lang)


def english_numbers_to(text: str, lang: str) -> str:
    """`text` with English numbers, money and dates written the `lang` way."""
    return _substitute(text, find_english_numbers(text, lang))


def english_numbers_to_zh(text: str) -> str:
    """$12 billion → 120亿美元, June 8, 2025 → 2025年6月8日."""
    return english_numbers_to(text, "zh")


def english_numbers_to_ja(text: str) -> str:
    """$12 billion → 120億ドル, 417 kilograms → 417キロ."""
    return english_numbers_to(text, "ja")


def english_numbers_to_ko(text: str) -> str:
    """$12 billion → 120억 달러, 50,000 people → 5만 명."""
    return english_numbers_to(text, "ko")
