"""The 申报要素 checker: rules per element name, on top of the shared goods rules.

``check(code_ts, g_model)`` splits 规格型号 into the 申报要素 of the 商品编号 (``params.goods``:
the count against the tariff, 品牌类型 0-4, 出口享惠情况 0-3 or by direction, not empty unless
optional) and runs the rules registered for each element's name (``registry``, ``rules``).

Sources, per rule in ``rules.py``: 《中华人民共和国海关进出口商品规范申报目录》 (海关总署, the
申报要素 names themselves, 品牌类型, 出口享惠情况; see ``params/goods.py``) and the 海关总署 规范申报
guidance, the GS1 General Specifications (GTIN check digit), the CAS Registry Number check digit
(CAS, a division of the American Chemical Society). Where the sources are silent the rule says
so and warns only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from guanwu.core.errors import FieldError, ServiceError
from guanwu.params import goods
from guanwu.params import services as params
from guanwu.params.index import Tariff

from . import hints
from . import rules as _rules  # noqa: F401 (registers the rules)
from .registry import ERROR, WARNING, Finding, Text, rules_for

G_MODEL_MAX = 255  # 规格型号 (DeclarationItem.g_model, 报关单 商品规格、型号 255 字符)
# the rules a finding comes from besides the registered ones (``Finding.rule``)
COUNT, CODE_SET, REQUIRED = "count", "code_set", "required"


# -- the checker ---------------------------------------------------------------------------------


def check(code_ts: str, g_model: str, ie_flag: str = "", as_of: dt.date | None = None) -> list[Finding]:
    """The findings on ``g_model`` as the 规格型号 of ``code_ts`` (ServiceError 422 for an unknown
    code). An empty 规格型号 has nothing to check (its being required is the declaration's rule)."""
    tariff = params.tariff_item(code_ts, as_of)
    if tariff is None:
        raise ServiceError.fields([FieldError("code_ts", goods.unknown_code(code_ts).message)])
    return check_text(tariff, g_model, ie_flag)


def check_text(tariff: Tariff, g_model: str, ie_flag: str = "") -> list[Finding]:
    """The findings on ``g_model`` against the 申报要素 of ``tariff``: the shared goods rules of
    each element (``params.goods.element``), then the checker's own rules."""
    if not g_model.strip():
        return []
    values = goods.split_elements(g_model)
    count = goods.element_count(values, tariff)
    if count is not None:
        return [Finding("", ERROR, count.message, COUNT)]
    return _findings(tariff.elements, values, ie_flag, with_goods=True)


def _findings(names: tuple[str, ...] | list[str], values: list[str], ie_flag: str, *, with_goods: bool
              ) -> list[Finding]:
    text = Text({}, ie_flag)
    for name, value in zip(names, values, strict=True):
        text.values.setdefault(name, value.strip())
    found: list[Finding] = []
    for name, raw in zip(names, values, strict=True):
        value = raw.strip()
        rules = rules_for(name)
        if with_goods:
            replaced = not value and any(r.on_empty for r in rules)
            if not replaced:
                found.extend(Finding(name, WARNING if f.level == goods.WARNING else ERROR, f.message,
                                     CODE_SET if name in goods.FIXED_ELEMENTS else REQUIRED)
                             for f in goods.element(name, value, ie_flag, on_declare=True))
        for r in rules:
            if value or (with_goods and r.on_empty):
                rule_name = r.check.__name__
                found.extend(dataclasses.replace(f, rule=rule_name) for f in r.check(name, value, text))
    return found


def goods_findings(tariff: Tariff, g_model: str, ie_flag: str = "") -> list[goods.Finding]:
    """The checker's own rules as shared goods findings (``params.goods.element_rules``, which
    the declaration rules and the commodity library run after ``params.goods.elements``): the
    element count and empty or fixed-value elements are left to ``elements``; an error is a
    ``RULE`` (refused on 申报), a warning a ``WARNING``; the message names the element."""
    values = goods.split_elements(g_model)
    if goods.element_count(values, tariff) is not None:
        return []
    return [goods.Finding("g_model", _named(f), goods.RULE if f.level == ERROR else goods.WARNING)
            for f in _findings(tariff.elements, values, ie_flag, with_goods=False)]


def _named(finding: Finding) -> str:
    """The message, with the element named where it does not name it itself."""
    if not finding.element or finding.message.startswith(finding.element):
        return finding.message
    return f"申报要素“{finding.element}”: {finding.message}"


def check_body(data: dict[str, Any], enterprise: Any = None) -> list[dict[str, str]]:
    """``POST /api/v1/standards/check``: ``{"code_ts", "g_model", "ie_flag"?}`` checked field by
    field (422 with Chinese errors), then the findings as dicts; with ``enterprise``, the
    不规范 reasons customs gave it for the code follow as warnings (``hints.customs_reasons``)."""
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
    code = code_ts.strip()  # type: ignore[union-attr]
    found = check(code, g_model, ie_flag)
    if enterprise is not None:
        found += hints.customs_reasons(enterprise, code)
    return [f.as_dict() for f in found]


def examples_for(code_ts: str, limit: int = 5, enterprise: Any = None) -> dict[str, Any]:
    """``GET /api/v1/standards/check/examples``: the public library's 规范 examples for a code,
    element by element (``hints.public_examples``); 422 for a malformed or unknown code."""
    code = (code_ts or "").strip()
    if not re.fullmatch(r"\d{10}", code):
        raise ServiceError.fields([FieldError("code_ts", "商品编号应为10位数字")])
    if not 1 <= limit <= 20:
        raise ServiceError.fields([FieldError("limit", "条数应为 1-20")])
    tariff = params.tariff_item(code)
    if tariff is None:
        raise ServiceError.fields([FieldError("code_ts", goods.unknown_code(code).message)])
    return {"code_ts": code, "examples": hints.public_examples(enterprise, code, tariff.elements, limit)}
