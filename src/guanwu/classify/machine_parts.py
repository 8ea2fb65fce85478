"""Parts: a description that says it is a part leans away from the lines of whole machines.

Section XVI note 2 and Section XVII note 3 classify parts: a part that is goods of a heading of its
own stays there (note 2(a): a motor of a washing machine is 8501), any other part suitable for use
solely or principally with one kind of machine goes with that machine's parts (note 2(b): 8409,
8431, 8448, 8466, 8473, 8487, 8503, 8522, 8529, 8538, 8548; 8607, 8708, 8714, 8803 for vehicles and
aircraft; chapter 90 note 2 alike). A description that says the goods are a part (洗衣机零件,
挖掘机配件, spare parts) therefore names no whole machine: the lines of chapters 84-90 that are
neither a parts heading nor a line naming parts (零件, 零附件, 部件, 配件, 附件) lose ``PARTS_WEIGHT``
in ``knowledge``. It is a lean, not a shut: under note 2(a) a part may be a machine of its own
heading (a pump, a motor, a valve), and its own name still speaks for it.
"""

from __future__ import annotations

import re

CHAPTERS = ("84", "85", "86", "87", "88", "89", "90")
# the parts headings of Section XVI note 2(b), Section XVII note 3 and chapter 90 note 2 (9033)
PARTS_HEADINGS = frozenset({
    "8409", "8431", "8448", "8466", "8473", "8487", "8503", "8522", "8529", "8538", "8548",
    "8607", "8708", "8714", "8803", "9033",
})
_PART_LINE = re.compile(r"零件|零附件|部件|配件|附件")
_SAID = re.compile(r"零件|零部件|配件|部件|备件|(?<![a-z])(?:spare )?parts?(?![a-z])")
# a machine "and its parts" (电动机及其零件, 缝纫机及配件) names the whole machine too
_AND_PARTS = re.compile(r"[及和与]其?(?:零部件|零件|配件|部件|备件)|(?<![a-z])and (?:its )?parts(?![a-z])")


def says_part(folded: str) -> bool:
    """Whether a description (folded text) says the goods are a part."""
    return bool(_SAID.search(folded)) and not _AND_PARTS.search(folded)


def whole_machine_line(code: str, name: str) -> bool:
    """Whether a line of chapters 84-90 is for whole goods: neither a parts heading nor named parts."""
    return code.startswith(CHAPTERS) and not parts_line(code, name)


def parts_line(code: str, name: str) -> bool:
    """Whether a line of chapters 84-90 is for parts: of a parts heading, or named parts."""
    return code.startswith(CHAPTERS) and (code[:4] in PARTS_HEADINGS or bool(_PART_LINE.search(name)))
