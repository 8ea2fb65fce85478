"""What every message family shares: plain decimal text, XML-safe text, and reading XML that
came from elsewhere (receipts, files the simulator or the gateway takes) safely.

Pure: no Django. The one reader of untrusted XML for every family and for the gateway's sniff
is :func:`read_untrusted`; XSD validation and its Chinese errors are in :mod:`.xsderrors`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

import defusedxml
from defusedxml import ElementTree as DefusedET

# XML 1.0 forbids most control characters; "&", "<", ">" are escaped and "\r" is written as a
# character reference so that a parser does not turn it into "\n".
INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NEEDS_CARE = re.compile("[&<>\r\"]|[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ENTITIES = {"\r": "&#13;", '"': "&quot;"}
# ``NEEDS_CARE.search(text)`` is None for text that xml_text returns unchanged (the fast path).


def format_decimal(value: Any) -> str:
    """``Decimal("12.50000")`` -> ``"12.5"``, ``Decimal("1E+2")`` -> ``"100"``, ``None`` -> ``""``.

    ``ValueError`` for something that is not a number."""
    if value is None:
        return ""
    if type(value) is Decimal:
        number = value
    elif value == "":
        return ""
    else:
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"不是数字：{value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"不是有限的数字：{value!r}")
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def xml_text(value: str) -> str:
    """``value`` escaped for element content or a double-quoted attribute; ``ValueError`` when
    it holds a character XML 1.0 cannot carry (NUL, most control characters)."""
    if not NEEDS_CARE.search(value):
        return value
    if INVALID_XML.search(value):
        raise ValueError("含有XML不允许的控制字符")
    return escape(value, _ENTITIES)


_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_GB_ENCODINGS = {"gb2312", "gbk", "gb18030", "cp936"}
_BOM = b"\xef\xbb\xbf"


def _utf8(data: bytes, what: str, error: type[Exception]) -> bytes:
    """A UTF-8 byte order mark dropped; GB2312/GBK/GB18030 documents transcoded to UTF-8 (expat
    reads only UTF-8/UTF-16 and Latin-1)."""
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    m = _DECLARED_ENCODING.match(data[:300])
    if m and m.group(1).decode("ascii").lower() in _GB_ENCODINGS:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise error(f"{what}声明为GB编码，但内容不是有效的GB编码") from exc
        return text.replace(m.group(1).decode("ascii"), "UTF-8", 1).encode("utf-8")
    return data


def read_untrusted(data: Any, *, what: str, max_bytes: int, error: type[Exception]) -> ET.Element:
    """The root element of ``data`` (bytes) read with defusedxml: DTDs, entity declarations and
    external references forbidden (``defusedxml.lxml`` is deprecated, so lxml is not used for
    reading), documents over ``max_bytes`` refused. Every problem raises ``error`` with a
    Chinese message naming the document as ``what`` ("回执", "报文", "文件")."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise error(f"{what}内容应为字节串")
    data = bytes(data)
    if not data.strip():
        raise error(f"{what}为空")
    if len(data) > max_bytes:
        raise error(f"{what}过大（超过{max_bytes // 1024 // 1024}MB）")
    try:
        return DefusedET.fromstring(
            _utf8(data, what, error), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DTDForbidden as exc:
        raise error(f"{what}不允许包含DTD(DOCTYPE)声明") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise error(f"{what}不允许声明实体(ENTITY)") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise error(f"{what}不允许引用外部资源") from exc
    except ET.ParseError as exc:
        raise error(f"{what}不是格式正确的XML：{exc}") from exc


def local_name(tag: Any) -> str:
    """Element name without namespace (``{ns}Package`` -> ``Package``); "" for comments and
    processing instructions."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


local = local_name  # the short name the sas family uses


def namespace_of(tag: Any) -> str:
    """``{ns}Name`` -> ``ns``; "" without a namespace."""
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def child(el: ET.Element, name: str) -> ET.Element | None:
    """The first child of ``el`` named ``name`` (any namespace)."""
    return next((c for c in el if local(c.tag) == name), None)


def children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name]


def leaf_values(el: ET.Element) -> dict[str, str]:
    """The leaf children of ``el`` as {name: stripped text}; the first wins on repeats."""
    out: dict[str, str] = {}
    for c in el:
        if len(c) == 0:
            out.setdefault(local(c.tag), (c.text or "").strip())
    return out
