"""Which message family a file is: a registry by root element and namespace.

Each family (``dec``, ``ceb``, ``sas``, ...) describes itself in ``<family>/family.py`` as a
:class:`Family` (its name, Chinese title and the roots it owns) and is listed in
:data:`FAMILY_MODULES`. ``identify(data)`` reads a file with the one safe reader
(:func:`guanwu.messages.common.read_untrusted`) and says which family and message type it is;
``family_of(namespace, root)`` answers for a root already read. The gateway's receipt sniff and
the customs simulator route files with it. Pure: no Django.

A root is matched by (namespace, local name) first, then by local name under the namespace
``ANY`` (receipts the import client writes with or without a namespace).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from xml.etree import ElementTree as ET

from .common import local_name, namespace_of, read_untrusted

ANY = "*"  # namespace wildcard in Family.roots
MAX_FILE_BYTES = 50 * 1024 * 1024

# The families, in lookup order: each module defines FAMILY.
FAMILY_MODULES = ("guanwu.messages.dec.family", "guanwu.messages.ceb.family", "guanwu.messages.sas.family")


@dataclass(frozen=True)
class Family:
    """One message family: ``roots`` maps (namespace or ANY, root local name) to the message type
    the root stands for ("" when ``message_type`` must look inside, as for the sas envelope)."""

    name: str
    title: str
    roots: Mapping[tuple[str, str], str]
    # For roots whose type is inside the document (an envelope): root element -> message type.
    message_type: Callable[[ET.Element], str | None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Identified:
    """What a file is: its root (local name, namespace), family (None: unknown) and message type."""

    root: str
    namespace: str = ""
    family: Family | None = None
    message_type: str = ""
    problem: str = ""  # Chinese reason when the file is not readable XML

    @property
    def family_name(self) -> str:
        return self.family.name if self.family else ""


class UnreadableFile(ValueError):
    """The file is not readable XML (the message says why, in Chinese)."""


@cache
def families() -> tuple[Family, ...]:
    """Every registered family, in lookup order."""
    return tuple(import_module(path).FAMILY for path in FAMILY_MODULES)


def family(name: str) -> Family:
    """The family called ``name``; KeyError for an unknown one."""
    for fam in families():
        if fam.name == name:
            return fam
    raise KeyError(name)


def family_of(namespace: str, root: str) -> tuple[Family | None, str]:
    """(family, message type) of a root element; (None, "") for a root no family owns."""
    for key in ((namespace, root), (ANY, root)):
        for fam in families():
            if key in fam.roots:
                return fam, fam.roots[key]
    return None, ""


def identify_element(root: ET.Element) -> Identified:
    """What a parsed document is."""
    name, namespace = local_name(root.tag), namespace_of(root.tag)
    fam, message_type = family_of(namespace, name)
    if fam is not None and not message_type and fam.message_type is not None:
        message_type = fam.message_type(root) or ""
    return Identified(name, namespace, fam, message_type)


def identify(data: bytes, *, what: str = "文件", max_bytes: int = MAX_FILE_BYTES) -> Identified:
    """What the file ``data`` is; never raises: an unreadable file has ``problem`` set."""
    try:
        root = read_untrusted(data, what=what, max_bytes=max_bytes, error=UnreadableFile)
    except UnreadableFile as exc:
        return Identified("", problem=str(exc))
    except Exception as exc:  # anything else about the bytes is a bad file too
        return Identified("", problem=f"{what}无法读取：{exc.__class__.__name__}")
    return identify_element(root)
