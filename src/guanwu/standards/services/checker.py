"""The 申报要素 checker: rules per element name, on top of the shared goods rules.

``check(code_ts, g_model)`` splits 规格型号 into the 申报要素 of the 商品编号 (``params.goods``:
the count against the tariff, 品牌类型 0-4, 出口享惠情况 0-3 or by direction, not empty unless
optional) and runs the rules registered for each element's name. A rule is a function
``(name, value, text) -> findings`` registered with :func:`rule` under a pattern of element
names (``RULES``); every rule whose pattern matches an element runs on it, on non-empty values
unless it says ``on_empty``. A finding names the element, a level (``error``: the value breaks a
rule the source states; ``warning``: likely 不规范, the source gives no firm rule) and a Chinese
message.

Sources, per rule below: 《中华人民共和国海关进出口商品规范申报目录》 and its 释义 (海关总署,
the 申报要素 names themselves, 品牌类型, 出口享惠情况; see ``params/goods.py``), the GS1 General
Specifications (GTIN check digit), the CAS Registry Number check digit (CAS, a division of the
American Chemical Society). Where the sources are silent the rule says so and warns only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from guanwu.core.errors import FieldError, ServiceError
from guanwu.params import goods
from guanwu.params import services as params
from guanwu.params.index import Tariff

ERROR, WARNING = "error", "warning"
G_MODEL_MAX = 255  # 规格型号 (DeclarationItem.g_model, 报关单 商品规格、型号 255 字符)
NONE_VALUES = frozenset({"无", "没有", "/", "-", "—", "N/A", "NA", "n/a", "na"})
_SEPARATORS = re.compile(r"[\s,，、;；/]+")


@dataclass(frozen=True)
class Finding:
    element: str  # the 申报要素 name; "" for the whole 规格型号 (e.g. the element count)
    level: str  # ERROR or WARNING
    message: str  # Chinese

    def as_dict(self) -> dict[str, str]:
        return {"element": self.element, "level": self.level, "message": self.message}


@dataclass(frozen=True)
class Text:
    """The 申报要素 of one 规格型号: name -> stripped value (the first of a repeated name)."""

    values: dict[str, str]
    ie_flag: str = ""

    def get(self, name: str) -> str | None:
        return self.values.get(name)


RuleFn = Callable[[str, str, Text], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    check: RuleFn
    on_empty: bool = False  # runs on an empty value too (and then replaces the goods "不能为空")


RULES: list[Rule] = []


def rule(pattern: str, *, on_empty: bool = False) -> Callable[[RuleFn], RuleFn]:
    """Register ``check`` for the element names matching ``pattern`` (``re.search``)."""

    def register(check: RuleFn) -> RuleFn:
        RULES.append(Rule(re.compile(pattern), check, on_empty))
        rules_for.cache_clear()
        return check

    return register


@lru_cache(maxsize=4096)
def rules_for(name: str) -> tuple[Rule, ...]:
    """The rules of an element name (worked out once per name)."""
    return tuple(r for r in RULES if r.pattern.search(name))


# -- the checker ---------------------------------------------------------------------------------


def check(code_ts: str, g_model: str, ie_flag: str = "", as_of: dt.date | None = None) -> list[Finding]:
    """The findings on ``g_model`` as the 规格型号 of ``code_ts`` (ServiceError 422 for an unknown
    code). An empty 规格型号 has nothing to check (its being required is the declaration's rule)."""
    tariff = params.tariff_item(code_ts, as_of)
    if tariff is None:
        raise ServiceError.fields([FieldError("code_ts", goods.unknown_code(code_ts).message)])
    return check_text(tariff, g_model, ie_flag)


def check_text(tariff: Tariff, g_model: str, ie_flag: str = "") -> list[Finding]:
    """The findings on ``g_model`` against the 申报要素 of ``tariff``."""
    if not g_model.strip():
        return []
    values = goods.split_elements(g_model)
    count = goods.element_count(values, tariff)
    if count is not None:
        return [Finding("", ERROR, count.message)]
    names = tariff.elements
    text = Text({}, ie_flag)
    for name, value in zip(names, values, strict=True):
        text.values.setdefault(name, value.strip())
    found: list[Finding] = []
    for name, raw in zip(names, values, strict=True):
        value = raw.strip()
        rules = rules_for(name)
        replaced = not value and any(r.on_empty for r in rules)
        if not replaced:
            found.extend(Finding(name, WARNING if f.level == goods.WARNING else ERROR, f.message)
                         for f in goods.element(name, value, ie_flag, on_declare=True))
        for r in rules:
            if value or r.on_empty:
                found.extend(r.check(name, value, text))
    return found


def check_body(data: dict[str, Any]) -> list[dict[str, str]]:
    """``POST /api/v1/standards/check``: ``{"code_ts", "g_model", "ie_flag"?}`` checked field by
    field (422 with Chinese errors), then the findings as dicts."""
    errors = [FieldError("", f"未知的字段: {key}") for key in data if key not in ("code_ts", "g_model", "ie_flag")]
    code_ts, g_model, ie_flag = data.get("code_ts"), data.get("g_model", ""), data.get("ie_flag") or ""
    if code_ts is not None and not isinstance(code_ts, str):
        errors.append(FieldError("code_ts", "商品编号应为文本, 如 \"2801100000\""))
    elif not code_ts or not code_ts.strip():
        errors.append(FieldError("code_ts", "商品编号不能为空"))
    elif not re.fullmatch(r"\d{10}", code_ts.strip()):
        errors.append(FieldError("code_ts", "商品编号应为10位数字"))
    if g_model is None:
        g_model = ""
    if not isinstance(g_model, str):
        errors.append(FieldError("g_model", "规格型号应为文本"))
    elif len(g_model) > G_MODEL_MAX:
        errors.append(FieldError("g_model", f"规格型号最多{G_MODEL_MAX}个字符, 实际{len(g_model)}个"))
    if ie_flag not in ("", "I", "E"):
        errors.append(FieldError("ie_flag", "进出口标志应为 I(进口) 或 E(出口)"))
    if errors:
        raise ServiceError.fields(errors)
    return [f.as_dict() for f in check(code_ts.strip(), g_model, ie_flag)]  # type: ignore[union-attr]


# -- check digits --------------------------------------------------------------------------------


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of ``digits`` (a GTIN without its last digit): from the right,
    weights 3, 1, 3, 1 ...; the check digit brings the sum up to a multiple of ten (GS1 General
    Specifications, 7.9 "Check digit calculation": the same for GTIN-8, -12, -13 and -14)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def gtin_valid(code: str) -> bool:
    return (code.isascii() and code.isdigit() and len(code) in (8, 12, 13, 14)
            and gs1_check_digit(code[:-1]) == int(code[-1]))


CAS_FORMAT = re.compile(r"\d{2,7}-\d{2}-\d")
_CAS_IN_TEXT = re.compile(r"(?<![\d-])\d{2,7}-\d{2}-\d(?![\d-])")


def cas_check_digit(digits: str) -> int:
    """The CAS Registry Number check digit of ``digits`` (the number without hyphens and check
    digit): the last digit times 1, the one before times 2 ..., the sum modulo 10 (CAS, "CAS
    Registry Number" check digit verification)."""
    return sum(int(d) * i for i, d in enumerate(reversed(digits), start=1)) % 10


def cas_valid(number: str) -> bool:
    if not (number.isascii() and CAS_FORMAT.fullmatch(number)):
        return False
    digits = number.replace("-", "")
    return cas_check_digit(digits[:-1]) == int(digits[-1])


def _tokens(value: str) -> list[str]:
    return [t for t in _SEPARATORS.split(value) if t and t not in NONE_VALUES]


@rule(r"^GTIN|条形码|条码")
def gtin(name: str, value: str, text: Text) -> Iterable[Finding]:
    """GTIN (商品条形码): 8, 12, 13 or 14 digits whose last digit is the GS1 mod-10 check digit
    (GS1 General Specifications 3.3 GTIN and 7.9 check digit). "无" or empty: no GTIN (the
    element is optional, 规范申报目录). Several, separated by commas or spaces, are each checked."""
    for code in _tokens(value):
        if not (code.isascii() and code.isdigit() and len(code) in (8, 12, 13, 14)):
            yield Finding(name, ERROR, f"GTIN“{code}”应为8、12、13或14位数字")
        elif not gtin_valid(code):
            yield Finding(name, ERROR, f"GTIN“{code}”校验位错误: 按 GS1 规则应为{gs1_check_digit(code[:-1])}")


@rule(r"CAS")
def cas(name: str, value: str, text: Text) -> Iterable[Finding]:
    """CAS 号 (CAS Registry Number): 2-7 digits, 2 digits, 1 check digit separated by hyphens, the
    check digit being the weighted sum modulo 10 (CAS Registry Number check digit). The CAS
    element holds numbers only; another element whose name allows a CAS number (成分含量 ...
    可用CAS号代替) has each CAS number in its text checked."""
    numbers = _tokens(value) if name.startswith("CAS") else _CAS_IN_TEXT.findall(value)
    for number in numbers:
        if not (number.isascii() and CAS_FORMAT.fullmatch(number)):
            yield Finding(name, ERROR, f"CAS号“{number}”格式应为 2-7位数字-2位数字-1位校验位, 如 7732-18-5")
        elif not cas_valid(number):
            digits = number.replace("-", "")
            yield Finding(name, ERROR, f"CAS号“{number}”校验位错误: 应为{cas_check_digit(digits[:-1])}")


# -- consistency ---------------------------------------------------------------------------------

NO_BRAND = "无品牌"


@rule(r"^品牌(?!类型)")
def brand(name: str, value: str, text: Text) -> Iterable[Finding]:
    """品牌 agrees with 品牌类型 (规范申报目录, 品牌类型 0 无品牌 ... 4 境外品牌(其他), 海关总署公告
    2016年第20号 / 2017年第1号; "无品牌" for type 0 per the 规范申报 guidance): 品牌类型 1-4 name a
    brand, 品牌类型 0 is declared “无品牌”. An empty 品牌 is the goods rule's “不能为空”; an
    invalid 品牌类型 is reported on that element and not compared."""
    brand_type = text.get("品牌类型")
    if brand_type not in goods.BRAND_TYPES:
        return
    absent = value == NO_BRAND or value in NONE_VALUES
    if brand_type == "0" and value != NO_BRAND:
        yield Finding(name, ERROR, f"品牌类型为0(无品牌)时, 品牌应填报“{NO_BRAND}”, 实际为“{value}”")
    elif brand_type != "0" and absent:
        label = dict(goods.BRAND_TYPE_CHOICES)[brand_type]
        yield Finding(name, ERROR, f"品牌类型为{label}时应填报品牌名称, 不能为“{value}”")


# -- code sets named by the catalog ----------------------------------------------------------------

# Elements whose catalog name is the list of the values they take (规范申报目录: the element name
# itself, e.g. 铁矿砂 “需要二次结算、无需二次结算”, 木材 “蓝变、未蓝变” / “烘干、未烘干”).
CHOICE_ELEMENTS = ("需要二次结算、无需二次结算", "蓝变、未蓝变", "烘干、未烘干", "带边皮、不带边皮")


@rule("^(" + "|".join(re.escape(n) for n in CHOICE_ELEMENTS) + ")$")
def choice(name: str, value: str, text: Text) -> Iterable[Finding]:
    """An element named as its list of values takes one of them (规范申报目录: the element name
    lists the choices; the catalog does not say more)."""
    options = name.split("、")
    if value not in options:
        yield Finding(name, ERROR, f"“{name}”应填报{'或'.join(f'“{o}”' for o in options)}之一, 实际为“{value}”")


_YES_NO = re.compile(r"[是否非不无未有可已]")


@rule(r"^是否[^（(、请及]*$")
def yes_no(name: str, value: str, text: Text) -> Iterable[Finding]:
    """An element the catalog names as a yes/no question (是否种用, 是否零售包装 ...) is answered
    yes or no (规范申报目录: the element name; the catalog does not fix the wording, so “是”, “否”,
    “非零售包装”, “未成卷”, “可充电” ... all pass, and a value that answers neither way, such as
    “种用”, is a warning)."""
    if not _YES_NO.search(value):
        yield Finding(name, WARNING, f"“{name}”请明确申报“是”或“否”, 实际为“{value}”")


_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


@rule(r"^(签约日期|计价日期)$")
def date(name: str, value: str, text: Text) -> Iterable[Finding]:
    """签约日期 / 计价日期 (规范申报目录, 铁矿砂、原油等 price elements) are dates; the catalog
    prescribes no format, so any calendar date written as YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD or
    YYYY年M月D日 passes and anything else is a warning."""
    for fmt in _DATE_FORMATS:
        try:
            dt.datetime.strptime(value, fmt)
            return
        except ValueError:
            continue
    yield Finding(name, WARNING, f"{name}应为日期, 如 20200131, 实际为“{value}”")


# -- 成分含量, units, 型号 --------------------------------------------------------------------------

_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[%％]?\s*[-~～至]\s*(\d+(?:\.\d+)?)\s*)?[%％]")
_OPEN = re.compile(r"[<>≤≥＜＞]|以上|以下|不低于|不高于|不少于|不超过|约|左右")
_REST = re.compile(r"余")


@rule(r"成分")
def composition(name: str, value: str, text: Text) -> Iterable[Finding]:
    """成分含量 gives the components with their percentages (规范申报目录 element 成分含量, as the
    海关总署 规范申报 guidance explains it; the checker does not quote it). Each percentage is
    exact (60%) or a range (55-65%): lower bounds over 100 % in all are an error; two or more
    percentages whose upper bounds stay under 100 % without a “余量/其余” are a warning (the
    guidance asks for the components; a single percentage is a purity or a content and is left
    alone). Bounds the text leaves open (≥, 以上, 约 ...) are not summed: the sources are silent on
    them. No percentage at all is a warning unless CAS numbers stand for the components."""
    matches = _PERCENT.findall(value)
    if not matches:
        if not (_CAS_IN_TEXT.search(value) or value in NONE_VALUES):
            yield Finding(name, WARNING, f"{name}应注明各成分的百分比含量, 如“棉60%, 涤纶40%”")
        return
    if _OPEN.search(value):
        return
    low = sum((Decimal(lo) for lo, _hi in matches), Decimal(0))
    high = sum((Decimal(hi or lo) for lo, hi in matches), Decimal(0))
    if low > 100:
        yield Finding(name, ERROR, f"{name}的百分比合计{_plain(low)}%, 超过100%")
    elif len(matches) > 1 and high < 100 and not _REST.search(value):
        yield Finding(name, WARNING, f"{name}的百分比合计{_plain(high)}%, 不足100%; 请列明全部成分或注明“余量”")


def _plain(number: Decimal) -> str:
    try:
        return format(number.normalize(), "f")
    except InvalidOperation:  # pragma: no cover - normalize of a parsed decimal
        return str(number)


_NUMBER_WITH_UNIT = re.compile(
    r"\d\s*(?:[a-zA-Zμµ\"″'′㎜㎝㎞㎡㎥㎎㎏]|毫|厘|米|克|吨|斤|升|寸|码|英|平方|立方|千|公|兆|片|粒|支|个|只|件|袋|瓶|盒"
    r"|箱|包|条|块|张|卷|根|套|双|对|台|组|层|号|度|[%％])")
_DIGIT = re.compile(r"\d")


@rule(r"规格|重量|克重|尺寸")
def units(name: str, value: str, text: Text) -> Iterable[Finding]:
    """A 规格 / 重量 element that gives numbers gives their unit (海关总署 规范申报 guidance on
    规格 and 重量 elements, e.g. 500克/袋, 2mm*1250mm); the sources give no unit table, so a number
    followed by a letter unit or a Chinese unit or count word passes, a value of bare numbers
    (``10*20*30``) is a warning."""
    if _DIGIT.search(value) and not _NUMBER_WITH_UNIT.search(value):
        yield Finding(name, WARNING, f"{name}“{value}”未注明计量单位, 如 mm、kg、克/平方米")


NO_MODEL = "无型号"


@rule(r"型号", on_empty=True)
def model(name: str, value: str, text: Text) -> Iterable[Finding]:
    """型号 is declared, or “无型号” when the goods have none (海关总署 规范申报 guidance on the
    型号 element; how to write "none" other than “无型号” the sources do not say, so “无”, “/”
    and the like are a warning)."""
    if not value:
        yield Finding(name, ERROR, f"{name}不能为空; 没有型号的请填报“{NO_MODEL}”")
    elif value in NONE_VALUES:
        yield Finding(name, WARNING, f"没有型号的请填报“{NO_MODEL}”, 而不是“{value}”")
