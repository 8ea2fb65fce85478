"""Which processing-trade message a file is, from its root element, namespace and envelope.

Two steps, because every 金二 file shares a few document roots:

1. the document root (Clark notation) says it is this family — :data:`DOCUMENT_ROOTS`;
2. the business root under ``BussinessData`` (or the root itself for CommonResponeMessage)
   names the message type — :data:`ROOTS`; the envelope's ``message_type`` says the same.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from guanwu.messages.common import child, local, read_untrusted

from .receipts import RECEIPT_TYPES
from .structure import SHAPES, XMLDSIG

# Sent messages have no namespace; customs receipts put Package in the XML-DSig namespace;
# the client's CommonResponeMessage has none.
NAMESPACE = ""
RECEIPT_NAMESPACE = XMLDSIG

DOCUMENT_ROOTS: dict[str, str] = {
    "Signature": "sent message: INV101 / EMS111 / EMS101 (EnvelopInfo/message_type)",
    "Package": "sent message without its signature shell",
    f"{{{XMLDSIG}}}Package": "customs receipt: INV201 / INV202 / INV211 / EMS201 / EMS211",
    "CommonResponeMessage": "the Single Window client's import response",
}

# Root element -> message type: the business root of each sent message, the body element of
# each customs receipt, and the client's response.
ROOTS: dict[str, str] = {
    **{shape.root: shape.message_type for shape in SHAPES.values()},
    **{kind: kind for kind in RECEIPT_TYPES},
    "CommonResponeMessage": "CommonResponeMessage",
}

MAX_BYTES = 50 * 1024 * 1024


class _NotOurs(ValueError):
    pass


def identify(data: bytes) -> str | None:
    """The message type of a file of this family (``INV101``, ``EMS111``, ``EMS101``,
    ``INV201``, ``INV202``, ``INV211``, ``EMS201``, ``EMS211``, ``CommonResponeMessage``), or
    None when it is not one (or not readable XML). Never raises."""
    try:
        root = read_untrusted(data, what="报文", max_bytes=MAX_BYTES, error=_NotOurs)
    except _NotOurs:
        return None
    return type_of(root)


def type_of(root: ET.Element) -> str | None:
    """The message type of a parsed document of this family, or None when it is not one."""
    if root.tag not in DOCUMENT_ROOTS:
        return None
    if local(root.tag) == "CommonResponeMessage":
        return "CommonResponeMessage"
    package = root
    if local(root.tag) == "Signature":
        obj = child(root, "Object")
        package = child(obj, "Package") if obj is not None else None
        if package is None:
            return None
    data_info = child(package, "DataInfo")
    business = child(data_info, "BussinessData") if data_info is not None else None
    if business is None:
        return None
    found = next((ROOTS[local(c.tag)] for c in business if local(c.tag) in ROOTS), None)
    envelope = child(package, "EnvelopInfo")
    type_el = child(envelope, "message_type") if envelope is not None else None
    declared = (type_el.text or "").strip() if type_el is not None else ""
    if found and declared and declared != found:
        return None  # the envelope and the content disagree: not a file we can route
    return found
