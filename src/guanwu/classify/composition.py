"""Mixed textile fibres: only the fibre that predominates by weight is read.

《进出口税则》第十一类注释二(一) (HS Section XI, Note 2(A)): goods of chapters 50 to 55, 58 and
60 to 63 made of two or more textile materials are classified as if consisting wholly of the
material that predominates by weight over each other single textile material. A description
giving the composition (``65%涤纶35%棉``, ``棉 60% 粘胶 40%``) therefore names its class by the
largest share; the minor fibres' words would only pull towards the wrong subheading (棉制 vs
化纤制). Where two fibres tie, the note's paragraph (二)(一) says the one that occurs last in
numerical order of the headings: that is applied here by heading order of the fibre table.

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
