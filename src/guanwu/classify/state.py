"""The state of foods: fresh or chilled, frozen, dried, salted, smoked.

The tariff splits the goods of chapters 02-05, 07 and 08 by their state before anything else:
0702-0709 fresh or chilled vegetables, 0710 frozen, 0711 provisionally preserved, 0712 dried;
0302 fresh or chilled fish, 0303 frozen, 0305 dried, salted or smoked; 0201 beef fresh or chilled,
0202 frozen; 0811 frozen fruit, 0813 dried (the headings' own texts, 《进出口税则》 chapters 02-08).
The goods word (芜菁, 鲭鱼, 芒果) matches the line of the state it is named under most often, so a
description stating another state (冷冻芜菁) should lean to the line that names that state.

``stated`` reads the state a description gives (冷冻/速冻, 干/晒干/脱水, 盐腌/腌制, 熏, 冰鲜/冷藏);
``of_tariff_name`` the states a line of those chapters names (a line may name several: 活、鲜、冷、
冻、干、盐腌…的甲壳动物); ``knowledge`` adds ``STATE_WEIGHT`` to the lines naming the stated state and
takes it from the lines naming only other states. Lines naming no state are left alone, and
nothing outside those chapters is touched (a description's 干 in 干燥剂 or 冻 in 果冻 decides
nothing there). Public sources are silent on how a description must say its state; the words
are those of the tariff's own line names.
"""

from __future__ import annotations

import re

FRESH, FROZEN, DRIED, SALTED, SMOKED = "fresh", "frozen", "dried", "salted", "smoked"
CHAPTERS = ("02", "03", "04", "05", "07", "08")

# what a description says (folded text); the first match of each state counts
_STATED = (
    (DRIED, re.compile(r"冻干|干制|晒干|烘干|风干|脱水|(?:^|[\s,，;；、|/])干(?![燥洗电粉酪])")),
    (FROZEN, re.compile(r"冷冻|速冻|急冻|(?<![果冷速急])冻(?!干)")),
    (SALTED, re.compile(r"盐腌|盐渍|腌制|腌渍|咸(?!味|淡|菜)")),
    (SMOKED, re.compile(r"烟熏|熏制|熏")),
    (FRESH, re.compile(r"冰鲜|冷鲜|冷藏|(?<!海)鲜(?![花奶榨味活])")),  # 鲜活: live animals, not chilled
)
# what a tariff line of CHAPTERS names
_NAMED = (
    (FROZEN, re.compile(r"冻(?!干)")),
    (DRIED, re.compile(r"干(?!酪)")),
    (SALTED, re.compile(r"盐腌|盐渍|腌")),
    (SMOKED, re.compile(r"熏")),
    (FRESH, re.compile(r"鲜|冷(?!冻|水)")),  # 冷水小虾 is a kind of shrimp
)


def stated(folded: str) -> str | None:
    """The one state a description gives; None when it gives none or several (冻干 is dried)."""
    found = {state for state, pattern in _STATED if pattern.search(folded)}
    return found.pop() if len(found) == 1 else None


def of_tariff_name(code: str, name: str) -> frozenset[str]:
    """The states a line of chapters 02-05, 07 or 08 names (empty elsewhere or when it names none)."""
    if not code.startswith(CHAPTERS):
        return frozenset()
    return frozenset(state for state, pattern in _NAMED if pattern.search(name))
