"""XSD validation for every message family: the hardened lxml reading of the document and
libxml2's validation messages in Chinese.

``read_for_validation(xml) -> (root, errors)`` parses a document for ``XMLSchema.validate``
with entities unresolved, no network, no huge trees, and refuses a DTD (one Chinese error);
``element_at(root, path, namespaces)`` finds the element an error log entry names.

``reason(message, names)`` turns one ``lxml.etree.XMLSchema`` error message into the Chinese
reason a customs broker reads ("长度为61，超过最大长度60", "缺少必填项：订单编号(orderNo)");
``names`` gives the Chinese title of an element named in the message (the expected children
of a "missing child" or "not expected" error). Where the message is not one of the known
forms, the original text is kept (after "Element '…': ").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from lxml import etree

_TYPE_HINTS = [
    (
        re.compile(r"^Decimal(\d+)_(\d+)"),
        lambda m: f"应为不小于0的数字，整数位不超过{int(m[1]) - int(m[2])}位、小数位不超过{m[2]}位",
    ),
    (re.compile(r"^Integer(\d+)"), lambda m: f"应为不超过{m[1]}位的非负整数"),
    (re.compile(r"^Date8"), lambda m: "应为yyyyMMdd格式的日期"),
    (re.compile(r"^DateTime16"), lambda m: "应为yyyyMMddHHmmssSS格式的时间"),
]


def parser() -> etree.XMLParser:
    """The lxml parser for documents to validate (and for the XSD files themselves)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True
    )


def read_for_validation(xml: bytes | str) -> tuple[etree._Element | None, list[str]]:
    """``(root, [])`` for a well-formed document without DTD, else ``(None, [Chinese error])``."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        root = etree.fromstring(xml, parser())
    except etree.XMLSyntaxError as exc:
        return None, [f"报文不是格式正确的XML：{exc}"]
    except (TypeError, ValueError) as exc:
        return None, [f"报文无法读取：{exc}"]
    if root.getroottree().docinfo.doctype:
        return None, ["报文不允许包含DTD(DOCTYPE)声明"]
    return root, []


def element_at(root: etree._Element, path: str | None, namespaces: Mapping[str, str] | None = None
               ) -> etree._Element | None:
    """The element at ``path`` (an error log entry's XPath), or None."""
    if not path:
        return None
    try:
        found = root.getroottree().xpath(path, namespaces=dict(namespaces or {}))
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def strip_ns(name: str) -> str:
    """``{ns}orderNo`` / ``ceb:orderNo`` -> ``orderNo``."""
    return name.rsplit("}", 1)[-1].split(":")[-1]


def element_list(names: str, title: Callable[[str], str]) -> str:
    """``{ns}a, {ns}b`` -> ``甲(a)、乙(b)``."""
    return "、".join(title(strip_ns(n.strip())) for n in names.split(",") if n.strip())


def reason(
    message: str,
    title: Callable[[str], str],
    *,
    root_hint: str = "",
    value_hint: str = "",
    attributes: Mapping[str, str] | None = None,
    type_hints: Sequence[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] | None = None,
    pattern_hints: Mapping[str, str] | None = None,
    empty_is_missing: bool = False,
) -> str:
    """The Chinese reason of one libxml2 schema error ``message``; ``value_hint`` ("应为整数") is
    added to an invalid-value error when the message names no type (a local simple type);
    ``attributes`` gives the Chinese names of the root's attributes ("version": "版本号").
    A family may give its own ``type_hints`` (type name pattern -> hint), ``pattern_hints``
    (XSD pattern -> hint) and ``empty_is_missing`` (an empty value failing a pattern, a type or
    a minimum length reads "不能为空")."""
    m = re.search(r"\[facet 'maxLength'\] The value has a length of '(\d+)'; this exceeds the allowed maximum length "
                  r"of '(\d+)'", message)
    if m:
        return f"长度为{m[1]}，超过最大长度{m[2]}"
    m = re.search(r"\[facet 'length'\] The value has a length of '(\d+)'; this differs from the allowed length "
                  r"of '(\d+)'", message)
    if m:
        return f"不能为空，长度应为{m[2]}" if m[1] == "0" else f"长度为{m[1]}，应为{m[2]}"
    m = re.search(r"\[facet 'minLength'\] The value has a length of '(\d+)'; this underruns the allowed minimum "
                  r"length of '(\d+)'", message)
    if m and not empty_is_missing:
        return "不能为空" if m[1] == "0" else f"长度为{m[1]}，不足最小长度{m[2]}"
    if "[facet 'minLength']" in message:
        return "不能为空"
    m = re.search(r"\[facet 'fractionDigits'\] The value '([^']*)' has more fractional digits than are allowed "
                  r"\('(\d+)'\)", message)
    if m:
        return f"“{m[1]}”的小数位超过{m[2]}位"
    m = re.search(r"\[facet 'totalDigits'\] The value '([^']*)' has more digits than are allowed \('(\d+)'\)", message)
    if m:
        return f"“{m[1]}”的数字位数超过{m[2]}位"
    m = re.search(r"\[facet 'minInclusive'\] The value '([^']*)'", message)
    if m:
        return f"“{m[1]}”不能为负数"
    m = re.search(r"\[facet 'pattern'\] The value '([^']*)' is not accepted by the pattern '([^']*)'", message)
    if m:
        if empty_is_missing and not m[1]:
            return "不能为空"
        hint = (pattern_hints or {}).get(m[2], "")
        return f"“{m[1]}”格式不正确" + (f"，{hint}" if hint else "")
    m = re.search(r"\[facet 'enumeration'\] The value '([^']*)' is not an element of the set \{([^}]*)\}", message)
    if m:
        allowed = "、".join(v.strip().strip("'") for v in m[2].split(","))
        return f"“{m[1]}”不是有效代码，应为{allowed}之一" if m[1] else "不能为空"
    m = re.search(r"'([^']*)' is not a valid value of the [\w ]+? type(?: '([^']*)')?", message)
    if m:
        if empty_is_missing and not m[1]:
            return "不能为空"
        type_name = strip_ns(m[2] or "")
        hint = next((fmt(hm) for rx, fmt in (type_hints or _TYPE_HINTS) if (hm := rx.match(type_name))), "")
        if not hint and "decimal" in type_name:
            hint = "应为数字"
        if not hint and ("integer" in type_name.lower() or type_name == "int"):
            hint = "应为整数"
        hint = hint or value_hint
        return f"“{m[1]}”不是有效值" + (f"，{hint}" if hint else "")
    m = re.search(r"Missing child element\(s\)\. Expected is(?: one of)? \( ([^)]*) \)", message)
    if m:
        return f"缺少必填项：{element_list(m[1], title)}"
    m = re.search(r"This element is not expected\.(?: Expected is(?: one of)? \( ([^)]*) \))?", message)
    if m:
        return "不应出现在此处" + (f"，此处应为：{element_list(m[1], title)}" if m[1] else "")
    m = re.search(r"The attribute '(\w+)' is required but missing", message)
    if m:
        label = (attributes or {}).get(m[1])
        return f"缺少属性{m[1]}" + (f"({label})" if label else "")
    m = re.search(r"The actual value '([^']*)' does not match the fixed value constraint '([^']*)'", message)
    if m:
        return f"应为固定值“{m[2]}”，实际为“{m[1]}”"
    m = re.search(r"The attribute '([\w:]+)' is not allowed", message)
    if m:
        return f"不允许有属性{m[1]}"
    if "No matching global declaration available for the validation root" in message:
        return root_hint or "根元素不正确"
    return message.split(": ", 1)[-1] if message.startswith("Element") else message
