"""Read CEB messages that came from elsewhere: ``parse_ceb(xml)`` and one ``parse_cebNNN`` per type.

For untrusted input (see :func:`guanwu.messages.common.read_untrusted`: defusedxml, size limit, GB
encodings). The parser reads what the spec defines and is lenient where real files are not
exact, as the official samples themselves are not:

- elements are matched by local name, in any order (the CEB792 sample writes ``gnum`` before
  ``gseqno``);
- unknown elements are ignored (the CEB214 sample carries ``appSenderId``), and so is
  ``ExtendMessage``;
- a single element given twice is read once, the first (eight samples repeat BaseTransfer);
- the CEB214 sample's root is ``CEB214``, not ``CEB214Message``: :data:`ROOT_ALIASES`.

It does not validate: :func:`~.schema.validate_ceb` says whether a file meets the XSD. What it
refuses, with :class:`~.errors.CebParseError` and a Chinese message naming the element: a file
that is not XML, not in the CEB namespace, of another message type than asked, without a
required block (a head, a record), or with a value that does not read in its format (a
decimal, an integer, a date, a time). Nothing else escapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any
from xml.etree import ElementTree as ET

from ..common import local_name, namespace_of, read_untrusted
from .common import NAMESPACE, Message
from .errors import CebParseError
from .fields import (
    ATTRIBUTE,
    CHILD,
    CHILDREN,
    DS_NAMESPACE,
    LEAF_KINDS,
    SIGNATURE,
    ValueFormatError,
    parse_value,
    snake,
    spec_by_xml,
    specs,
)
from .inventory import CEB603Message, CEB604Message, CEB605Message, CEB606Message, CEB607Message, CEB608Message
from .logistics import CEB505Message, CEB506Message, CEB507Message, CEB508Message, CEB509Message, CEB510Message
from .orders import CEB303Message, CEB304Message, CEB403Message, CEB404Message
from .refunds import CEB213Message, CEB214Message, CEB215Message, CEB216Message
from .summary import CEB701Message, CEB702Message, CEB792Message

MAX_MESSAGE_BYTES = 32 * 1024 * 1024  # 100 lists of 100 goods lines stay well below

MESSAGE_CLASSES: dict[str, type[Message]] = {
    cls.ROOT: cls
    for cls in (
        CEB303Message, CEB304Message, CEB403Message, CEB404Message,
        CEB505Message, CEB506Message, CEB507Message, CEB508Message, CEB509Message, CEB510Message,
        CEB603Message, CEB604Message, CEB605Message, CEB606Message, CEB607Message, CEB608Message,
        CEB701Message, CEB702Message, CEB792Message,
        CEB213Message, CEB214Message, CEB215Message, CEB216Message,
    )
}

# Roots of the import business node (海关跨境进口业务节点报文定义202205.xsd): recognised and read
# generically by :func:`read_ceb`, not typed.
IMPORT_ROOTS: dict[str, str] = {
    f"CEB{n}Message": f"CEB{n}"
    for n in (311, 312, 411, 412, 511, 512, 513, 514, 621, 622, 623, 624, 625, 626, 711, 712, 816, 818, 900)
}
EXPORT_ROOTS: dict[str, str] = {root: cls.TYPE for root, cls in MESSAGE_CLASSES.items()}

# Roots seen in official material that differ from the XSD: the 202205 CEB214 sample.
ROOT_ALIASES: dict[str, str] = {"CEB214": "CEB214Message"}


def _never_raises_other(func):
    """Contract of the parsers: CebParseError or a result, nothing else."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CebParseError:
            raise
        except Exception as exc:  # any surprise is a bad file, not a crash
            raise CebParseError(f"报文无法解析：{exc.__class__.__name__}") from exc

    return wrapper


def _root(xml: bytes) -> tuple[ET.Element, str]:
    """The root element and its canonical root name (aliases resolved); CEB namespace only."""
    root = read_untrusted(xml, what="报文", max_bytes=MAX_MESSAGE_BYTES, error=CebParseError)
    name = local_name(root.tag)
    ns = namespace_of(root.tag)
    if ns != NAMESPACE:
        raise CebParseError(
            f"不是跨境电商报文：根元素{name}的命名空间为“{ns or '无'}”，应为{NAMESPACE}"
        )
    name = ROOT_ALIASES.get(name, name)
    if name not in EXPORT_ROOTS and name not in IMPORT_ROOTS:
        raise CebParseError(f"不认识的跨境电商报文：根元素为{name}")
    return root, name


# ElementTree writes the xmldsig namespace with the prefix the spec and samples use ("ds")
# instead of "ns0" (a process-wide registration, harmless: the prefix is the conventional one).
ET.register_namespace("ds", DS_NAMESPACE)


def _signature(el: ET.Element) -> str:
    """The ds:Signature element as XML text (namespace declared on it), as received."""
    el.tail = None
    return ET.tostring(el, encoding="unicode")


def _record(el: ET.Element, cls: type, path: list[str]) -> Any:
    values: dict[str, Any] = {}
    by_xml = spec_by_xml(cls)
    for child in el:
        spec = by_xml.get(local_name(child.tag))
        if spec is None:
            continue
        if spec.kind in LEAF_KINDS:
            if spec.name not in values:
                try:
                    values[spec.name] = parse_value(spec.kind, (child.text or "").strip())
                except ValueFormatError as exc:
                    raise CebParseError(f"{' '.join([*path, spec.title])}：{exc}") from None
        elif spec.kind == CHILD:
            if spec.name not in values:
                values[spec.name] = _record(child, spec.cls, [*path, spec.label])
        elif spec.kind == CHILDREN:
            rows = values.setdefault(spec.name, [])
            rows.append(_record(child, spec.cls, [*path, spec.label.format(n=len(rows) + 1)]))
        elif spec.kind == SIGNATURE and spec.name not in values:
            values[spec.name] = _signature(child)
    for spec in specs(cls):
        where = " ".join(path)
        if spec.kind == CHILD and spec.name not in values:
            raise CebParseError(f"{where + ' ' if where else ''}缺少{spec.title}")
        if spec.kind == CHILDREN and len(values.get(spec.name, ())) < spec.min_occurs:
            raise CebParseError(f"{where + ' ' if where else ''}缺少{spec.noun}({spec.xml})")
    return cls(**values)


def _message(root: ET.Element, cls: type[Message]) -> Message:
    message = _record(root, cls, [])
    for spec in specs(cls):
        if spec.kind == ATTRIBUTE:
            setattr(message, spec.name, (root.get(spec.xml) or "").strip())
    return message


@_never_raises_other
def parse_ceb(xml: bytes) -> Message:
    """Any export CEB message, typed by its root element."""
    root, name = _root(xml)
    cls = MESSAGE_CLASSES.get(name)
    if cls is None:
        raise CebParseError(f"{name}是进口业务报文，本平台只解析出口业务报文（可用read_ceb读取）")
    return _message(root, cls)


def _typed(cls: type[Message]):
    @_never_raises_other
    def parse(xml: bytes) -> Message:
        root, name = _root(xml)
        if name != cls.ROOT:
            raise CebParseError(f"不是{cls.TITLE}报文({cls.ROOT})：根元素为{name}")
        return _message(root, cls)

    parse.__name__ = f"parse_{cls.TYPE.lower()}"
    parse.__qualname__ = parse.__name__
    parse.__doc__ = f"Read a {cls.ROOT} ({cls.TITLE}); CebParseError for any other file."
    return parse


parse_ceb303 = _typed(CEB303Message)
parse_ceb304 = _typed(CEB304Message)
parse_ceb403 = _typed(CEB403Message)
parse_ceb404 = _typed(CEB404Message)
parse_ceb505 = _typed(CEB505Message)
parse_ceb506 = _typed(CEB506Message)
parse_ceb507 = _typed(CEB507Message)
parse_ceb508 = _typed(CEB508Message)
parse_ceb509 = _typed(CEB509Message)
parse_ceb510 = _typed(CEB510Message)
parse_ceb603 = _typed(CEB603Message)
parse_ceb604 = _typed(CEB604Message)
parse_ceb605 = _typed(CEB605Message)
parse_ceb606 = _typed(CEB606Message)
parse_ceb607 = _typed(CEB607Message)
parse_ceb608 = _typed(CEB608Message)
parse_ceb701 = _typed(CEB701Message)
parse_ceb702 = _typed(CEB702Message)
parse_ceb792 = _typed(CEB792Message)
parse_ceb213 = _typed(CEB213Message)
parse_ceb214 = _typed(CEB214Message)
parse_ceb215 = _typed(CEB215Message)
parse_ceb216 = _typed(CEB216Message)


# ------------------------------------------------------------------------------ generic reading

@dataclass(frozen=True)
class CebDocument:
    """Any CEB message, export or import, read without its record types.

    ``records`` holds the business records (the root's children other than BaseTransfer,
    BaseSubscribe, Signature and ExtendMessage) as ``(element name, fields)``; ``fields`` maps
    the snake_case of each child element to its text, or, for an element with children, to the
    list of such dicts (always a list, however many there are).
    """

    root: str
    message_type: str
    direction: str  # "export" or "import"
    guid: str
    version: str
    records: list[tuple[str, dict[str, Any]]]


_ENVELOPE = frozenset({"BaseTransfer", "BaseSubscribe", "Signature", "ExtendMessage"})


def _fields(el: ET.Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in el:
        name = local_name(child.tag)
        if not name:
            continue
        key = snake(name)
        if len(child):
            existing = out.setdefault(key, [])
            if isinstance(existing, list):
                existing.append(_fields(child))
        else:
            out.setdefault(key, (child.text or "").strip())
    return out


@_never_raises_other
def read_ceb(xml: bytes) -> CebDocument:
    """Identify and read any CEB message (the import ones too): root, type, records as dicts."""
    root, name = _root(xml)
    direction = "export" if name in EXPORT_ROOTS else "import"
    return CebDocument(
        root=name,
        message_type=EXPORT_ROOTS.get(name) or IMPORT_ROOTS[name],
        direction=direction,
        guid=(root.get("guid") or "").strip(),
        version=(root.get("version") or "").strip(),
        records=[
            (local_name(child.tag), _fields(child))
            for child in root
            if local_name(child.tag) and local_name(child.tag) not in _ENVELOPE
        ],
    )
