"""Mixed textile fibres: only the fibre that predominates by weight is read.

《进出口税则》第十一类注释二(一) (HS Section XI, Note 2(A)): goods of chapters 50 to 55, 58 and
60 to 63 made of two or more textile materials are classified as if consisting wholly of the
material that predominates by weight over each other single textile material. A description
giving the composition (``65%涤纶35%棉``, ``棉 60% 粘胶 40%``) therefore names its class by the
largest share; the minor fibres' words would only pull towards the wrong subheading (棉制 vs
化纤制). Where two fibres tie, the note's paragraph (二)(一) says the one that occurs last in
numerical order of the headings: that is applied here by heading order of the fibre table.

The fibre that decides then has to meet the subheading that names it: ``stated`` reads the
description's fibre class (棉, 毛, 丝, 麻, 合纤, 人纤), ``of_tariff_name`` the class a tariff line of
chapters 50-63 is split by (棉制…, 合纤制…, 其他纺织材料制…), and ``knowledge`` gives the lines
whose class agrees a small bonus (``FIBRE_WEIGHT``): without it 纯棉针织连衣裙 and 羊毛针织连衣裙 are
two names one character apart.

Only textile fibres are weighed here: other mixtures (木塑, 合金) follow other rules (GRI 3(b),
chapter notes) that a share alone does not decide, and are read as written.
"""

from __future__ import annotations

import re

# fibre word (folded) -> the heading that holds its yarn (the tie-break order of Note 2(A))
FIBRES: dict[str, int] = {
    "蚕丝": 5004, "真丝": 5004, "桑蚕丝": 5004, "丝": 5004,
    "羊毛": 5106, "绵羊毛": 5106, "羊绒": 5108, "山羊绒": 5108, "兔毛": 5108, "马海毛": 5108, "毛": 5106,
    "棉": 5205, "纯棉": 5205,
    "亚麻": 5306, "苎麻": 5308, "麻": 5306,
    "涤纶": 5402, "聚酯纤维": 5402, "聚酯": 5402, "锦纶": 5402, "尼龙": 5402, "氨纶": 5402, "腈纶": 5402,
    "丙纶": 5402, "维纶": 5402, "聚酰胺": 5402, "弹性纤维": 5402,
    "粘胶": 5403, "黏胶": 5403, "人造棉": 5403, "莫代尔": 5403, "天丝": 5403, "莱赛尔": 5403, "醋酸纤维": 5403,
}
_FIBRE = "|".join(sorted(map(re.escape, FIBRES), key=len, reverse=True))
_NUMBER = r"(\d+(?:\.\d+)?)\s*%"
_SHARE = re.compile(rf"{_NUMBER}\s*({_FIBRE})|({_FIBRE})\s*(?:纤维)?\s*{_NUMBER}")


def shares(folded: str) -> list[tuple[float, str, tuple[int, int]]]:
    """(percent, fibre word, span in the text) of each fibre given with its share."""
    out = []
    for m in _SHARE.finditer(folded):
        if m.group(1) is not None:
            out.append((float(m.group(1)), m.group(2), m.span()))
        else:
            out.append((float(m.group(4)), m.group(3), m.span()))
    return out


def predominant(folded: str) -> str:
    """The folded text with the minor fibres' shares removed (the text unchanged when it gives
    fewer than two fibres with a share, or only one kind of fibre)."""
    found = shares(folded)
    if len({FIBRES[word] for _, word, _ in found}) < 2:
        return folded
    best = max(found, key=lambda f: (f[0], FIBRES[f[1]]))
    out = folded
    for _, word, (start, end) in sorted(found, key=lambda f: -f[2][0]):
        if FIBRES[word] != FIBRES[best[1]]:
            out = out[:start] + " " + out[end:]
    return out


# yarn heading -> fibre class as the tariff's subheadings name them
CLASS_OF_HEADING = {5004: "丝", 5106: "毛", 5108: "毛", 5205: "棉", 5306: "麻", 5308: "麻", 5402: "合纤", 5403: "人纤"}
# words that state a fibre without a share; single characters (棉, 毛, 丝, 麻) are left out:
# 珍珠棉 is foam, 毛巾 and 毛衣 say nothing of wool, 丝袜 and 螺丝 nothing of silk
_STATED = {w: CLASS_OF_HEADING[h] for w, h in FIBRES.items() if len(w) >= 2}
_STATED.update({"全棉": "棉", "棉质": "棉", "棉制": "棉", "精梳棉": "棉", "纯羊毛": "毛", "化纤": "化纤"})
_STATED_RE = re.compile("|".join(sorted(map(re.escape, _STATED), key=len, reverse=True)))
# a tariff line's class, by the words of its name; "化纤" lines hold both kinds of man-made fibre
_TARIFF_CLASSES = [
    ("其他", ("其他纺织材料", "其他纺材")),
    ("合纤", ("合纤", "合成纤维")),
    ("人纤", ("人纤", "人造纤维")),
    ("化纤", ("化纤",)),
    ("毛", ("毛制", "羊毛", "动物细毛", "山羊细毛", "兔毛")),
    ("丝", ("丝及绢丝", "蚕丝", "丝制")),
    ("麻", ("亚麻", "苎麻", "麻制")),
    ("棉", ("棉",)),
]
SECTION_XI = range(50, 64)


def stated(folded: str) -> str | None:
    """The fibre class the description names: the predominant one of a composition, else the one
    class its fibre words name (None when they name none or several)."""
    found = shares(folded)
    if found:
        best = max(found, key=lambda f: (f[0], FIBRES[f[1]]))
        return CLASS_OF_HEADING[FIBRES[best[1]]]
    classes = {_STATED[m.group(0)] for m in _STATED_RE.finditer(folded)}
    return classes.pop() if len(classes) == 1 else None


def of_tariff_name(code: str, name: str) -> str | None:
    """The fibre class a Section XI line is split by (None outside chapters 50-63, for a line
    that names no fibre or several, and for 其他纺织材料 lines: they are what is left)."""
    if int(code[:2]) not in SECTION_XI:
        return None
    if any(w in name for w in _TARIFF_CLASSES[0][1]):
        return None
    named = {cls for cls, words in _TARIFF_CLASSES[1:] if any(w in name for w in words)}
    if "合纤" in named or "人纤" in named:
        named.discard("化纤")
    return named.pop() if len(named) == 1 else None


def agrees(stated_class: str, line_class: str) -> bool:
    return stated_class == line_class or (line_class == "化纤" and stated_class in ("合纤", "人纤"))
