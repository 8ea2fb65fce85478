"""海关预裁定: goods customs has classified on an importer's or exporter's application, each with
its ruling number, one more name of the lines under its code in the suggester's names view.

An advance ruling (预裁定, 决定编号 ``R-2-<关区>-<年>-<序号>``) names goods in the applicant's own words
(速食蒜片, 鸭蛋活珠子, 高蛋白调制水牛乳) and gives the eight-digit 税则号列 customs decided after reading
their composition, process and use: exactly the hard goods a broker hesitates over, with a
reference he can cite. ``data/rulings.csv`` (``code,ruling,name``) holds the rulings of 2023-2026 as
tabulated in a public repository (see ``data/RULINGS.md``), less every ruling of the evaluation set
in ``benchmarks/data`` and every ruling whose name is close to one of its descriptions
(``tests/classify/test_rulings.py`` guards both).

A ruling gives eight digits. Read with a tariff version, it names every ten-digit line under its
code (the views that read the description's other words choose among them); a code with no line
in that version (a code created after it, or since deleted) is skipped. The ruling's year's tariff
may differ from the version in memory; where an eight-digit code kept its number but changed its
scope between versions, the ruling would name a line it no longer covers. Between the 2020 tariff
shipped and the rulings' years (2023-2026) no such change was found among the codes used (codes
created later are simply absent from the 2020 tariff and skipped).
"""

from __future__ import annotations

import csv
import hashlib
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "rulings.csv"
LABEL = "海关预裁定"


@lru_cache(maxsize=1)
def rows() -> tuple[tuple[str, str, str], ...]:
    """(name, eight-digit code, ruling number) of every ruling, in file order."""
    if not PATH.exists():
        return ()
    with PATH.open(encoding="utf-8", newline="") as fh:
        out = ((r["name"].strip(), r["code"].strip(), r["ruling"].strip()) for r in csv.DictReader(fh))
        return tuple(dict.fromkeys((n, c, no) for n, c, no in out if n and len(c) == 8 and c.isdigit() and no))


def label(ruling: str) -> str:
    """How a ruling is named in the reasons: 海关预裁定 R-2-4200-2023-0048."""
    return f"{LABEL} {ruling}"


def lines_of(code: str, lines: list[str]) -> list[str]:
    """The ten-digit lines (of ``lines``, sorted) under an eight-digit ruling code."""
    start = bisect_left(lines, code)
    out = []
    for line in lines[start:]:
        if not line.startswith(code):
            break
        out.append(line)
    return out


def digest() -> str:
    return hashlib.sha256("\n".join("\t".join(r) for r in rows()).encode()).hexdigest()
