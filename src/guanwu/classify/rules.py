"""The tariff's rules on what a description states, as views of the suggester (``knowledge``).

Each rule reads the description (folded text) and speaks of whole chapters or kinds of lines, not
of words shared: ``doses`` (the chapters the notes shut to a dosage form or a food supplement),
``condition`` (waste and used-goods lines, for or against) and ``machine_parts`` (parts lines
against whole machines). ``Rules`` holds, for one tariff, what each line is to them, computed once
from the codes and names when an index is loaded (a few milliseconds), and answers per description
the evidence ``knowledge`` weighs and the reason shown beside a suggestion the rule speaks for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import condition, doses, machine_parts

EXCLUDED, CONDITION, PARTS = "excluded", "condition", "parts"
VIEWS = frozenset({EXCLUDED, CONDITION, PARTS})


@dataclass(frozen=True)
class Rules:
    chapter: np.ndarray  # line -> its chapter (two digits)
    waste: np.ndarray  # line -> 1.0 for a waste-and-scrap or used-goods line
    part_lean: np.ndarray  # line -> +1 a parts line, -1 a line of whole goods, of chapters 84-90; else 0

    @classmethod
    def of(cls, codes: list[str], names: list[str]) -> Rules:
        return cls(
            chapter=np.array([c[:2] for c in codes], dtype="<U2"),
            waste=np.array([condition.waste_line(n) for n in names], dtype=np.float32),
            part_lean=np.array(
                [machine_parts.parts_line(c, n) - machine_parts.whole_machine_line(c, n)
                 for c, n in zip(codes, names, strict=True)],
                dtype=np.float32,
            ),
        )

    def evidence(self, folded: str) -> dict[str, np.ndarray]:
        """Per line: -1 in the chapters the notes shut (``excluded``); a waste line for or against
        what the description says (``condition``); parts lines for and whole machines against,
        when it says it is a part (``parts``)."""
        out = {CONDITION: self.waste if condition.says_waste(folded) else -self.waste}
        shut = doses.excluded(folded)
        if shut:
            out[EXCLUDED] = -np.isin(self.chapter, shut).astype(np.float32)
        if machine_parts.says_part(folded):
            out[PARTS] = self.part_lean
        return out

    def reason(self, folded: str, line: int, code: str) -> str | None:
        """The rule that speaks for a suggested line, in the broker's words, or None: why 2936 is
        missing under 维生素C咀嚼片, why a parts line leads."""
        shut = doses.excluded(folded)
        if doses.MEDICAMENTS[0] in shut and code.startswith("21"):
            return "声明为保健/营养补充食品: 不归第三十章 (第三十章注释一(一))"
        if doses.SEPARATE_COMPOUNDS[0] in shut and code[:2] in ("21", "30"):
            return "已制成剂型 (片、胶囊、口服液等): 不按第二十八、二十九章的化合物归类 (两章注释一)"
        if self.waste[line] and condition.says_waste(folded):
            return "描述为废碎料或旧货: 归废碎料、旧货的税号 (第十五类注释八(一))"
        if self.part_lean[line] > 0 and machine_parts.says_part(folded):
            note = "第十七类注释三" if code.startswith(("86", "87", "88", "89")) else "第十六类注释二(二)"
            return f"专用零件归入所属机器的零件税号 ({note})"
        return None
