"""海关预裁定: goods customs has classified on an importer's or exporter's application, each with
its ruling number, one more name of the lines under its code in the suggester's names view.

An advance ruling (预裁定, 决定编号 ``R-2-<关区>-<年>-<序号>``) names goods in the applicant's own words
(电子纸点亮接通设备, 铝制天花板, 意帕斯塔硬质奶酪粉) and gives the eight-digit 税则号列 customs decided after reading
their composition, process and use: exactly the hard goods a broker hesitates over, with a
reference he can cite. ``data/rulings.csv`` (``code,ruling,name,english``) holds the rulings of 2023-2026 as
tabulated in a public repository (see ``data/RULINGS.md``), less every ruling of the evaluation set
in ``benchmarks/data`` and every ruling whose name is close to one of its descriptions
(``tests/classify/test_rulings.py`` guards both).

A ruling gives eight digits. Read with a tariff version, it names the residual ten-digit line
under its code (``lines_of``: the listed lines are for listed goods), or every line where no
single line is the residual one; a code with no line in that version (a code created after it, or
since deleted) is skipped. The ruling's year's tariff may differ from the version in memory; where
an eight-digit code kept its number but changed its scope between versions, the ruling would name
a line it no longer covers. Between the 2020 tariff shipped and the rulings' years (2023-2026) no
such change was found among the codes used (codes created later are simply absent from the 2020
tariff and skipped).
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
def _table() -> tuple[tuple[str, str, str, str], ...]:
    """(name, eight-digit code, ruling number, English name or "") of every ruling, in file order."""
    if not PATH.exists():
        return ()
    with PATH.open(encoding="utf-8", newline="") as fh:
        out = ((r["name"].strip(), r["code"].strip(), r["ruling"].strip(), (r.get("english") or "").strip())
               for r in csv.DictReader(fh))
        return tuple(dict.fromkeys(row for row in out if row[0] and len(row[1]) == 8 and row[1].isdigit() and row[2]))


def rows() -> tuple[tuple[str, str, str], ...]:
    """(name, eight-digit code, ruling number) of every ruling, in file order."""
    return tuple((n, c, no) for n, c, no, _ in _table())


def english_rows() -> tuple[tuple[str, str, str], ...]:
    """(English name, eight-digit code, ruling number) of the rulings whose applicant gave one (the
    English view reads them as it reads the 归类词典's English rows)."""
    return tuple((e, c, no) for _, c, no, e in _table() if e)


def label(ruling: str) -> str:
    """How a ruling is named in the reasons: 海关预裁定 R-2-4200-2023-0048."""
    return f"{LABEL} {ruling}"


def lines_of(code: str, lines: list[str], names: dict[str, str] | None = None) -> list[str]:
    """The ten-digit lines (of ``lines``, sorted) an eight-digit ruling code names.

    The last two digits of a Chinese code split a 税则号列 for supervision and statistics: the
    specific lines name listed goods (dual-use items, endangered species, goods under licence)
    and one residual line takes the rest. A ruling that gives eight digits names goods customs did
    not send to a listed line, so where ``names`` (code -> tariff name) shows one residual line (the
    one line named 其他…, else the one naming 其他, else the one ending in 90), the ruling names that
    line alone; otherwise (0106202010-99, chicken wings by cut ...) every line under the code."""
    start = bisect_left(lines, code)
    under = []
    for line in lines[start:]:
        if not line.startswith(code):
            break
        under.append(line)
    if names is None or len(under) < 2:
        return under
    for residual in (
        [line for line in under if names.get(line, "").startswith(("其他", "其它"))],
        [line for line in under if "其他" in names.get(line, "") or "其它" in names.get(line, "")],
        [line for line in under if line.endswith("90")],
    ):
        if len(residual) == 1:
            return residual
    return under


def digest() -> str:
    return hashlib.sha256("\n".join("\t".join(r) for r in _table()).encode()).hexdigest()
