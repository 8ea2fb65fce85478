"""The rules of the 申报要素 checker, registered per pattern of element names (``registry``).

Each rule's docstring names its source: 《进出口商品规范申报目录》 (海关总署公告2016年第20号 /
2017年第1号) and the 海关总署 规范申报 guidance, GS1 General Specifications, the CAS Registry
Number check digit; where the sources are silent it says so and the rule only warns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from guanwu.params import goods

from .digits import CAS_FORMAT, CAS_IN_TEXT, cas_check_digit, cas_valid, gs1_check_digit, gtin_valid
from .registry import ERROR, NONE_VALUES, WARNING, Finding, Text, rule

_SEPARATORS = re.compile(r"[\s,，、;；/]+")


def _tokens(value: str) -> list[str]:
    return [t for t in _SEPARATORS.split(value) if t and t not in NONE_VALUES]


# -- check digits ------------------------------------------------------------------------------


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
    numbers = _tokens(value) if name.startswith("CAS") else CAS_IN_TEXT.findall(value)
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
    brand, 品牌类型 0 is declared “无品牌” (a brand name there is an error; “无”, “/” ... say the
    same in other words and only warn). An empty 品牌 is the goods rule's “不能为空”; an
    invalid 品牌类型 is reported on that element and not compared."""
    brand_type = text.get("品牌类型")
    if brand_type not in goods.BRAND_TYPES:
        return
    absent = value == NO_BRAND or value in NONE_VALUES
    if brand_type == "0" and value in NONE_VALUES:  # says "none", not in the guidance's words
        yield Finding(name, WARNING, f"品牌类型为0(无品牌)时, 品牌请填报“{NO_BRAND}”, 而不是“{value}”")
    elif brand_type == "0" and value != NO_BRAND:
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
        if not (CAS_IN_TEXT.search(value) or value in NONE_VALUES):
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
