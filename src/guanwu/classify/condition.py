"""Waste, scrap and used goods: lines for them only when a description says so.

The tariff gives waste and scrap, and used goods, lines of their own: 3915 废碎料及下脚料 of
plastics, 4004 of rubber, 7112 of precious metals, 7204 ferrous 废碎料, 7404 copper, 7602 aluminium,
the 废碎料 subheadings of 8101-8113, 8548.10 spent batteries; 4012.20 旧的充气橡胶轮胎, 6309 旧衣物,
6305.10 旧的包装袋. What they are is defined by the notes: Section XV note 8(a) (metal waste and
scrap: from the manufacture or working of metals, and metal goods definitely not usable as such
because of breakage, cutting-up, wear or other reasons) and chapter 40 note 6 (rubber waste,
parings and scrap: the same test, "definitely not usable as such"); the other chapters' waste
headings (3915, 4707, 6309, 7112) use the words without defining them further. Goods described as what
they are (不锈钢收边条, 钽靶, 汽车轮胎) are usable as such, and a broker keying a new article never
wants a 废碎料 line among the first suggestions; the words of the goods' own material (钽, 不锈钢)
put it there. So ``knowledge`` takes ``CONDITION_WEIGHT`` from those lines when a description says
nothing of waste or use, and adds it when it does.

Only lines whose own text names waste and scrap or used goods as such (``废碎料``, ``旧的``, ``旧衣物``,
``废电池``) count: lines that name a product together with its waste (1802 可可荚、壳、皮及废料,
4401.40 锯末、木废料及碎片, 0505.90 羽毛粉末及废料) are left alone, since the product is named there
too. Public sources are silent on how a description must say the goods are waste; the words are
the trade's (废, 旧, 二手, 边角料, 下脚料, 碎料, 回收, 屑, scrap, waste, used).
"""

from __future__ import annotations

import re

_WASTE_LINE = re.compile(r"废碎料|旧的|旧衣物|废电池")
# not said of the goods: a finish (做旧, 仿旧, 怀旧 style), what a machine treats (废气/废水处理设备,
# 回收造粒机, 回收设备: the machine itself is new)
_SAID = re.compile(
    r"废(?![气水])|(?<![做仿怀])旧|二手|边角|下脚|碎料|回收(?![^\s,，;；]*(?:机|设备|装置|系统|线))|屑"
    r"|scrap|waste(?! ?(?:water|gas))|(?<![a-z])used(?![a-z])|second[- ]?hand"
)


def waste_line(name: str) -> bool:
    """Whether a tariff line's own text names waste and scrap or used goods as such."""
    return bool(_WASTE_LINE.search(name))


def says_waste(folded: str) -> bool:
    """Whether a description (folded text) says the goods are waste, scrap or used."""
    return bool(_SAID.search(folded))
