"""Code tables of the processing-trade family (``data/codes.csv``): code -> Chinese text ->
state, with the source of every row.

``kind`` is ``enum`` for a closed list the XSD enforces (ImpexpMarkcd I/E, DelcareFlag 0/1,
...) and ``info`` for a list that explains values (receipt results, statuses) without
restricting them: a receipt with an undocumented code still parses, its text reads
``未知代码(X)``.

``state`` is the processing-trade status a receipt code implies, in guanwu's vocabulary
(:data:`STATES`), for the service that applies receipts. Codes of tables without states
(directions, flags) leave it empty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from .fields import DATA_DIR

CODES_FILE = DATA_DIR / "codes.csv"

# Statuses a receipt can imply. Declarations use their own set; these are for qualification
# applications, account books and bonded inventory lists (issue 15 maps them onto its models).
STATES: dict[str, str] = {
    "declared": "已申报(单一窗口导入成功)",
    "failed": "导入失败/入库失败",
    "accepted": "海关入库成功",
    "manual_review": "转人工审核",
    "approved": "审核通过",
    "pre_verified": "预核扣",
    "verified": "已核扣",
    "written_off": "已核销",
    "rejected": "海关退单",
    "deleted": "删单",
    "entry_generated": "已生成报关单",
    "entry_failed": "生成报关单失败",
}


@dataclass(frozen=True)
class Code:
    table: str
    code: str
    text: str
    state: str
    kind: str
    source: str


@cache
def tables() -> dict[str, dict[str, Code]]:
    """table -> code -> :class:`Code`, in file order."""
    out: dict[str, dict[str, Code]] = {}
    with CODES_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = Code(**{k: row[k] for k in ("table", "code", "text", "state", "kind", "source")})
            if code.state and code.state not in STATES:
                raise ValueError(f"codes.csv: {code.table}/{code.code} has unknown state {code.state!r}")
            out.setdefault(code.table, {})[code.code] = code
    return out


def table(name: str) -> dict[str, Code]:
    """One table, e.g. ``table("inv201_manage_result")``; ``KeyError`` for an unknown name."""
    return tables()[name]


def code_text(name: str, code: str) -> str:
    """``code_text("inv201_manage_result", "4")`` -> ``"预核扣"``; unknown -> ``未知代码(X)``."""
    entry = tables().get(name, {}).get(code)
    return entry.text if entry else f"未知代码({code})"


def code_state(name: str, code: str) -> str | None:
    """The status a code implies (a key of :data:`STATES`), or None."""
    entry = tables().get(name, {}).get(code)
    return entry.state or None if entry else None


def enum_values(name: str) -> tuple[str, ...]:
    """The codes of a closed (``enum``) table; empty for an ``info`` table."""
    return tuple(c.code for c in tables()[name].values() if c.kind == "enum")
