"""What the official export XSD says about each element, read independently of the records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lxml import etree

from guanwu.messages.ceb.schema import XSD_PATH

XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True)
class Element:
    name: str
    min_occurs: int
    max_occurs: int | None
    base: str = ""  # xs:string, xs:decimal, xs:int; "" for a block (ref)
    facets: tuple[tuple[str, str], ...] = ()
    fixed: str | None = None
    default: str | None = None

    def facet(self, name: str) -> int | None:
        value = dict(self.facets).get(name)
        return int(value) if value is not None else None


@cache
def _globals() -> dict[str, etree._Element]:
    root = etree.parse(str(XSD_PATH)).getroot()
    return {g.get("name"): g for g in root.findall(XS + "element")}


@cache
def sequence(block: str) -> tuple[Element, ...]:
    """The children of global element ``block`` in XSD order (ExtendMessage included)."""
    seq = _globals()[block].find(f"{XS}complexType/{XS}sequence")
    out = []
    for child in seq:
        if not isinstance(child.tag, str):
            continue
        name = child.get("name") or child.get("ref").split(":")[1]
        max_occurs = child.get("maxOccurs", "1")
        restriction = child.find(f"{XS}simpleType/{XS}restriction")
        out.append(Element(
            name=name,
            min_occurs=int(child.get("minOccurs", "1")),
            max_occurs=None if max_occurs == "unbounded" else int(max_occurs),
            base=restriction.get("base") if restriction is not None else "",
            facets=tuple(
                (etree.QName(f).localname, f.get("value")) for f in (restriction if restriction is not None else ())
                if isinstance(f.tag, str)
            ),
            fixed=child.get("fixed"),
            default=child.get("default"),
        ))
    return tuple(out)


@cache
def root_attributes(root: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (a.get("name"), a.get("use", "optional")) for a in _globals()[root].iter(XS + "attribute")
    )


def message_roots() -> list[str]:
    return sorted(name for name in _globals() if name.startswith("CEB") and name.endswith("Message"))
