"""Reading XML that came from elsewhere (receipts, files the simulator takes), for every family.

``defusedxml.ElementTree`` with DTDs, entity declarations and external references forbidden
(``defusedxml.lxml`` is deprecated, so lxml is not used for reading), files over a size limit
refused, a UTF-8 byte order mark accepted, GB2312/GBK/GB18030 files transcoded first (expat
reads only UTF-8/UTF-16/Latin-1). Every problem raises the caller's error class with a Chinese
message naming ``what`` was being read ("回执", "报文").
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import defusedxml
from defusedxml import ElementTree as DefusedET

_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_GB_ENCODINGS = {"gb2312", "gbk", "gb18030", "cp936"}
_BOM = b"\xef\xbb\xbf"


def local_name(tag: object) -> str:
    """``{ns}Name`` -> ``Name``; comments and processing instructions -> ``""``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace_of(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _utf8(data: bytes, what: str, error: type[Exception]) -> bytes:
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


def read_untrusted(data: object, *, what: str, max_bytes: int, error: type[Exception]) -> ET.Element:
    """The root element of ``data`` (bytes), or ``error`` with a Chinese message."""
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
