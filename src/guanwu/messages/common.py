"""Small helpers shared by message families: plain decimal text, XML-safe text, and reading
untrusted XML (receipts, messages from elsewhere) safely.

Pure: no Django. The dec family still carries its own copies of these (written before this
module); moving it here belongs to the message-family seam (issue 14).
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
_NEEDS_CARE = re.compile("[&<>\r\"]|[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ENTITIES = {"\r": "&#13;", '"': "&quot;"}


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
    if not _NEEDS_CARE.search(value):
        return value
    if INVALID_XML.search(value):
        raise ValueError("含有XML不允许的控制字符")
    return escape(value, _ENTITIES)


_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_GB_ENCODINGS = {"gb2312", "gbk", "gb18030", "cp936"}


def to_utf8(data: bytes, error: type[Exception], noun: str = "回执") -> bytes:
    """GB2312/GBK/GB18030 documents transcoded to UTF-8 (expat reads only UTF-8/16 and Latin-1)."""
    m = _DECLARED_ENCODING.match(data[:300])
    if m and m.group(1).decode("ascii").lower() in _GB_ENCODINGS:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise error(f"{noun}声明为GB编码，但内容不是有效的GB编码") from exc
        return text.replace(m.group(1).decode("ascii"), "UTF-8", 1).encode("utf-8")
    return data


def parse_untrusted(data: Any, error: type[Exception], *, noun: str = "回执", max_bytes: int) -> ET.Element:
    """The root element of ``data`` read with defusedxml: DTDs, entity declarations and external
    references forbidden, documents over ``max_bytes`` refused. Every problem raises ``error``
    with a Chinese message naming the document as ``noun``."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise error(f"{noun}内容应为字节串")
    data = bytes(data)
    if not data.strip():
        raise error(f"{noun}为空")
    if len(data) > max_bytes:
        raise error(f"{noun}过大（超过{max_bytes // 1024 // 1024}MB）")
    try:
        return DefusedET.fromstring(to_utf8(data, error, noun), forbid_dtd=True, forbid_entities=True,
                                    forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise error(f"{noun}不允许包含DTD(DOCTYPE)声明") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise error(f"{noun}不允许声明实体(ENTITY)") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise error(f"{noun}不允许引用外部资源") from exc
    except ET.ParseError as exc:
        raise error(f"{noun}不是格式正确的XML：{exc}") from exc


def local(tag: Any) -> str:
    """Element name without namespace (``{ns}Package`` -> ``Package``); "" for comments."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


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
