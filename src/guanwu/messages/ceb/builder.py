"""Write CEB messages: ``build_ceb(message) -> bytes`` and one ``build_cebNNN`` per type.

Pure functions of the dataclasses (no database, no clock, no randomness: guids are in the
data). The output is UTF-8 with the ``ceb`` prefix the official samples use:

    <?xml version="1.0" encoding="UTF-8"?>
    <ceb:CEB603Message guid="…" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
      <ceb:Inventory>
        <ceb:InventoryHead>
          <ceb:guid>…</ceb:guid>
          …

Elements come in the official order (the order of the record's fields). A required element
is always written, empty when there is no value (the XSD then says what is missing); an
optional one (minOccurs 0) is left out when empty. Decimals in plain notation, dates and times
in the spec's formats (see :mod:`.fields`). The XML is written as text, which is several times
faster than an lxml tree and gives the same document; :func:`~.schema.validate_ceb` parses it.
"""

from __future__ import annotations

import re
from decimal import InvalidOperation
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .common import NAMESPACE, Message
from .errors import CebBuildError
from .fields import ATTRIBUTE, CHILD, CHILDREN, LEAF_KINDS, SIGNATURE, TEXT, Spec, format_value, specs
from .inventory import CEB603Message, CEB604Message, CEB605Message, CEB606Message, CEB607Message, CEB608Message
from .logistics import CEB505Message, CEB506Message, CEB507Message, CEB508Message, CEB509Message, CEB510Message
from .orders import CEB303Message, CEB304Message, CEB403Message, CEB404Message
from .refunds import CEB213Message, CEB214Message, CEB215Message, CEB216Message
from .summary import CEB701Message, CEB702Message, CEB792Message

PREFIX = "ceb"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry at all; \r is kept by writing it as a character reference.
_ATTR_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# Text that can be written as it is: no markup character, no \r, nothing XML cannot carry.
_NEEDS_CARE = re.compile("[&<>\r]|[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _where(path: list[str], title: str) -> str:
    return " ".join([*path, title])


def _checked(value: str, path: list[str], title: str) -> str:
    bad = _INVALID_XML.search(value)
    if bad:
        raise CebBuildError(f"{_where(path, title)}：含有XML不允许的控制字符(U+{ord(bad.group()):04X})")
    return value


def _text(value: str, path: list[str], spec: Spec) -> str:
    if _NEEDS_CARE.search(value) is None:
        return value
    return escape(_checked(value, path, spec.title)).replace("\r", "&#13;")


class _Writer:
    def __init__(self, pretty: bool) -> None:
        self.parts: list[str] = []
        self.pretty = pretty

    def indent(self, depth: int) -> str:
        return "\n" + "  " * depth if self.pretty else ""

    def record(self, obj: Any, cls: type, tag: str, depth: int, path: list[str]) -> None:
        if not isinstance(obj, cls):
            raise CebBuildError(f"{' '.join(path)}：应为{cls.__name__}，收到{type(obj).__name__}")
        parts = self.parts
        parts.append(f"{self.indent(depth)}<{PREFIX}:{tag}>")
        inner = self.indent(depth + 1)
        for spec in specs(cls):
            value = getattr(obj, spec.name)
            if spec.kind in LEAF_KINDS:
                if spec.kind == TEXT and type(value) is str:
                    text = value
                else:
                    try:
                        text = format_value(spec.kind, value)
                    except (TypeError, ValueError, InvalidOperation, AttributeError):
                        raise CebBuildError(f"{_where(path, spec.title)}：“{value}”不是有效的值") from None
                if not text and spec.optional:
                    continue
                if text:
                    parts.append(f"{inner}<{PREFIX}:{spec.xml}>{_text(text, path, spec)}</{PREFIX}:{spec.xml}>")
                else:
                    parts.append(f"{inner}<{PREFIX}:{spec.xml}/>")
            elif spec.kind == CHILD:
                self.record(value, spec.cls, spec.xml, depth + 1, [*path, spec.label])
            elif spec.kind == CHILDREN:
                for n, row in enumerate(value, 1):
                    self.record(row, spec.cls, spec.xml, depth + 1, [*path, spec.label.format(n=n)])
            elif spec.kind == SIGNATURE and value:
                parts.append(inner + value.strip())
        parts.append(f"{self.indent(depth)}</{PREFIX}:{tag}>")


def build_ceb(message: Message, *, pretty: bool = True) -> bytes:
    """The XML bytes of any CEB message dataclass (its class says which root)."""
    if not isinstance(message, Message):
        raise CebBuildError(f"不是CEB报文数据：{type(message).__name__}")
    cls = type(message)
    attrs = "".join(
        f" {spec.xml}={quoteattr(_checked(str(getattr(message, spec.name)), [], spec.title), _ATTR_ENTITIES)}"
        for spec in specs(cls) if spec.kind == ATTRIBUTE
    )
    writer = _Writer(pretty)
    writer.parts.append(f"<{PREFIX}:{cls.ROOT}{attrs} xmlns:{PREFIX}=\"{NAMESPACE}\">")
    for spec in specs(cls):
        value = getattr(message, spec.name)
        if spec.kind == CHILD:
            writer.record(value, spec.cls, spec.xml, 1, [spec.label])
        elif spec.kind == CHILDREN:
            for n, row in enumerate(value, 1):
                writer.record(row, spec.cls, spec.xml, 1, [spec.label.format(n=n)])
        elif spec.kind == SIGNATURE and value:
            writer.parts.append(writer.indent(1) + value.strip())
    writer.parts.append(f"{writer.indent(0)}</{PREFIX}:{cls.ROOT}>\n")
    return (XML_DECLARATION + "".join(writer.parts)).encode("utf-8")


def _typed(cls: type[Message]):
    def build(message: Message, *, pretty: bool = True) -> bytes:
        if not isinstance(message, cls):
            raise CebBuildError(f"应为{cls.ROOT}（{cls.TITLE}）数据，收到{type(message).__name__}")
        return build_ceb(message, pretty=pretty)

    build.__name__ = f"build_{cls.TYPE.lower()}"
    build.__qualname__ = build.__name__
    build.__doc__ = f"The {cls.ROOT} ({cls.TITLE}) XML bytes of ``message``."
    return build


build_ceb303 = _typed(CEB303Message)
build_ceb304 = _typed(CEB304Message)
build_ceb403 = _typed(CEB403Message)
build_ceb404 = _typed(CEB404Message)
build_ceb505 = _typed(CEB505Message)
build_ceb506 = _typed(CEB506Message)
build_ceb507 = _typed(CEB507Message)
build_ceb508 = _typed(CEB508Message)
build_ceb509 = _typed(CEB509Message)
build_ceb510 = _typed(CEB510Message)
build_ceb603 = _typed(CEB603Message)
build_ceb604 = _typed(CEB604Message)
build_ceb605 = _typed(CEB605Message)
build_ceb606 = _typed(CEB606Message)
build_ceb607 = _typed(CEB607Message)
build_ceb608 = _typed(CEB608Message)
build_ceb701 = _typed(CEB701Message)
build_ceb702 = _typed(CEB702Message)
build_ceb792 = _typed(CEB792Message)
build_ceb213 = _typed(CEB213Message)
build_ceb214 = _typed(CEB214Message)
build_ceb215 = _typed(CEB215Message)
build_ceb216 = _typed(CEB216Message)
