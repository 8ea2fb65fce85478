"""Sizes that split tariff lines: 装入2升及以下容器的葡萄酒, 功率＜10千瓦, 10≤重量<50千克,
排气量超过1500毫升但不超过3000毫升. A description that gives the size (``750ml``, ``2.0L``,
``5kw``, ``25kg``) fits the line whose range holds it and not its siblings.

``ranges(name)``: the (dimension, low, high, low_open, high_open) a tariff name states, in base
units (millilitres, watts, grams, millimetres); ``amounts(text)``: what a description gives.
Only the dimensions below are read (volume, power, mass, length, voltage, inches); a name
whose wording is not understood states nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

UNITS: dict[str, tuple[str, float]] = {
    "毫升": ("volume", 1), "ml": ("volume", 1), "cc": ("volume", 1), "立方厘米": ("volume", 1),
    "升": ("volume", 1000), "l": ("volume", 1000),
    "瓦": ("power", 1), "w": ("power", 1), "千瓦": ("power", 1000), "kw": ("power", 1000),
    "克": ("mass", 1), "g": ("mass", 1), "千克": ("mass", 1000), "公斤": ("mass", 1000), "kg": ("mass", 1000),
    "吨": ("mass", 1e6), "t": ("mass", 1e6),
    "毫米": ("length", 1), "mm": ("length", 1), "厘米": ("length", 10), "cm": ("length", 10),
    "米": ("length", 1000), "m": ("length", 1000),
    "伏": ("voltage", 1), "v": ("voltage", 1), "千伏": ("voltage", 1000), "kv": ("voltage", 1000),
    "英寸": ("inch", 1), "寸": ("inch", 1), "inch": ("inch", 1),
}
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_NUM = r"(\d+(?:\.\d+)?)"
_LT = "<＜"
_LE = "≤"
_GT = ">＞"
_GE = "≥"
# a name's wording of a range, most specific first; each gives (low, high, low_open, high_open)
_BETWEEN = re.compile(
    rf"{_NUM}\s*({_UNIT})?\s*([{_LT}{_LE}])[^\d{_LT}{_LE}]{{0,8}}?([{_LT}{_LE}])\s*{_NUM}\s*({_UNIT})", re.IGNORECASE
)
_BETWEEN_DOWN = re.compile(  # 1000伏≥额定电压＞80伏
    rf"{_NUM}\s*({_UNIT})?\s*([{_GT}{_GE}])[^\d{_GT}{_GE}]{{0,8}}?([{_GT}{_GE}])\s*{_NUM}\s*({_UNIT})", re.IGNORECASE
)
_DASH = re.compile(rf"(?<![\d.]){_NUM}\s*[-~～至]\s*{_NUM}\s*({_UNIT})", re.IGNORECASE)  # 12-16英寸
_OVER_NOT_OVER = re.compile(rf"超过\s*{_NUM}\s*({_UNIT})[^\d]{{0,6}}?不超过\s*{_NUM}\s*({_UNIT})", re.IGNORECASE)
_SIGN = re.compile(rf"([{_LT}{_LE}{_GT}{_GE}])\s*{_NUM}\s*({_UNIT})", re.IGNORECASE)
_WORDED = re.compile(rf"(不超过|超过)?\s*{_NUM}\s*({_UNIT})\s*(及以上|以上|及以下|以下)?", re.IGNORECASE)
_BELOW_NOT_OVER = re.compile(rf"{_NUM}\s*({_UNIT})\s*以上[^\d]{{0,6}}?不超过\s*{_NUM}\s*({_UNIT})", re.IGNORECASE)
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(rf"([一二两三四五六七八九十]{{1,3}})(?={_UNIT})")


def _cn(m: re.Match) -> str:
    """一 .. 九十九 in Chinese numerals (两升, 十升, 二十五千克) as digits."""
    word = m.group(1)
    if "十" in word:
        tens, _, ones = word.partition("十")
        return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))
    return str(_CN_DIGITS.get(word, 0)) if len(word) == 1 else word


_AMOUNT = re.compile(rf"(?<![\d.]){_NUM}\s*({_UNIT})(?![a-z])", re.IGNORECASE)


@dataclass(frozen=True)
class Range:
    dimension: str
    low: float
    high: float
    low_open: bool
    high_open: bool

    def holds(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


def _base(number: str, unit: str) -> tuple[str, float]:
    dimension, factor = UNITS[unit.lower()]
    return dimension, float(number) * factor


def ranges(name: str, note: str = "") -> list[Range]:
    """The ranges the name states, else those its note states (小包装指装入两升及以下容器的)."""
    return _ranges(name) or (_ranges(note) if note else [])


def _ranges(name: str) -> list[Range]:
    out: list[Range] = []
    text = _CN_NUMBER.sub(_cn, name.replace("，", ","))
    m = _OVER_NOT_OVER.search(text) or _BELOW_NOT_OVER.search(text)
    if m:
        d1, low = _base(m.group(1), m.group(2))
        d2, high = _base(m.group(3), m.group(4))
        if d1 == d2:
            return [Range(d1, low, high, True, False)]
    m = _BETWEEN.search(text)
    if m:
        dimension, high = _base(m.group(5), m.group(6))
        low = float(m.group(1)) * UNITS[(m.group(2) or m.group(6)).lower()][1]
        return [Range(dimension, low, high, m.group(3) in _LT, m.group(4) in _LT)]
    m = _BETWEEN_DOWN.search(text)
    if m:
        dimension, low = _base(m.group(5), m.group(6))
        high = float(m.group(1)) * UNITS[(m.group(2) or m.group(6)).lower()][1]
        return [Range(dimension, low, high, m.group(4) in _GT, m.group(3) in _GT)]
    m = _DASH.search(text)
    if m:
        dimension, high = _base(m.group(2), m.group(3))
        return [Range(dimension, float(m.group(1)) * UNITS[m.group(3).lower()][1], high, False, False)]
    for m in _SIGN.finditer(text):
        dimension, value = _base(m.group(2), m.group(3))
        sign = m.group(1)
        if sign in _LT + _LE:
            out.append(Range(dimension, -math.inf, value, False, sign in _LT))
        else:
            out.append(Range(dimension, value, math.inf, sign in _GT, False))
    if out:
        return out
    for m in _WORDED.finditer(text):
        before, after = m.group(1), m.group(4)
        if not before and not after:
            continue
        dimension, value = _base(m.group(2), m.group(3))
        if before == "不超过" or after in ("及以下",):
            out.append(Range(dimension, -math.inf, value, False, False))
        elif after == "以下":
            out.append(Range(dimension, -math.inf, value, False, True))
        elif before == "超过" or after == "以上":
            out.append(Range(dimension, value, math.inf, True, False))
        elif after == "及以上":
            out.append(Range(dimension, value, math.inf, False, False))
    return out


def amounts(folded: str) -> dict[str, float]:
    """The first amount of each dimension a description gives (``2.0l`` -> volume 2000)."""
    out: dict[str, float] = {}
    for m in _AMOUNT.finditer(folded):
        if m.group(2).lower() == "g" and float(m.group(1)) <= 6:
            continue  # 4g, 5g: a network generation, not grams
        dimension, value = _base(m.group(1), m.group(2))
        out.setdefault(dimension, value)
    return out


def fit(name_ranges: list[Range], given: dict[str, float]) -> int:
    """+1: the description's size is in the line's range; -1: outside it; 0: nothing to compare."""
    verdict = 0
    for r in name_ranges:
        if r.dimension in given:
            if not r.holds(given[r.dimension]):
                return -1
            verdict = 1
    return verdict
