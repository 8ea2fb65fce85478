"""归类词典: goods names as people write them, each with the ten-digit code it is declared under.

The tariff says 液体或气体的过滤、净化机器及装置; brokers and sellers write 机油滤芯, 空气滤清器,
净水器滤芯. The 检验检疫名称 cover part of that wording; this glossary covers the rest: trade
names, factory names, slang and mixed Chinese/English names (USB数据线, LED灯珠) of goods declared
in volume, chapter by chapter (``data/glossary.csv``, how it was written in ``data/GLOSSARY.md``).

Each row becomes one more name of its code in ``knowledge`` (the names view and the code's
document). A row whose code is not a line of the tariff in memory is skipped, so a tariff
version that split or dropped a code never answers it. Never built from the evaluation set in
``benchmarks/data``.
"""

from __future__ import annotations

import csv
import hashlib
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "glossary.csv"
LABEL = "归类词典"


@lru_cache(maxsize=1)
def rows() -> tuple[tuple[str, str], ...]:
    """(name, code) of every row, in file order; duplicates of one name and code once."""
    if not PATH.exists():
        return ()
    with PATH.open(encoding="utf-8", newline="") as fh:
        pairs = ((r["name"].strip(), r["code"].strip()) for r in csv.DictReader(fh))
        return tuple(dict.fromkeys((n, c) for n, c in pairs if n and len(c) == 10 and c.isdigit()))


def digest() -> str:
    return hashlib.sha256("\n".join(f"{n}\t{c}" for n, c in rows()).encode()).hexdigest()
