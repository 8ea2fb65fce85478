"""The parts of the tax schedules the tariff data cannot hold: specific (从量) and composite
(复合) consumption taxes and duties, and measures whose rates guanwu does not know.

The 2020 tariff data (``tariff_2020.json.gz``, from the GACC 商品信息 table) holds one number
per rate: a specific or composite rate is given as 0 or left empty. Two public law tables are
shipped beside it, each row naming its source:

- ``data/consumption_tax.csv``: the specific parts of the 消费税税目税率表 (《消费税暂行条例》
  as amended; 卷烟 财税〔2009〕84号, 成品油 财税〔2015〕11号, litres per tonne from the
  实施细则 and 财税〔2008〕167号) for the tariff lines they apply to. ``kind``: ``composite``
  (ad valorem + amount), ``specific`` (amount), ``beer`` and ``cigarettes`` (class 甲/乙 by
  price), ``suspended`` (暂缓征收), ``unknown`` (taxability depends on the goods' use: refused).
- ``data/specific_duties.csv``: the 从量税 lines of the import tariff (MFN and general amounts).
  A row without amounts marks lines guanwu knows are specific but whose rates it does not ship;
  it applies where the tariff data gives the line no ad-valorem rate (0/0 or empty).

Measures by origin (``MEASURES``): 对美加征关税 (国务院关税税则委员会公告, since 2018) apply to
goods originating in the USA with exclusions guanwu does not ship: refused. The yearly 暂定税率
(国务院关税税则委员会's 进出口关税调整方案) are not shipped either: the public tariff data has no
list of them, so guanwu cannot tell when one applies; the tax page says so.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class ConsumptionRow:
    prefix: str
    item: str
    kind: str  # composite, specific, beer, cigarettes, suspended, unknown
    ad_valorem: str  # "0.20", or "0.56/0.36" (甲/乙 class)
    amount: str  # "0.5", or "250/220"
    per: str  # 500ml, L, t, 支
    litres_per_tonne: Decimal | None
    source: str


@dataclass(frozen=True)
class DutyRow:
    prefix: str
    item: str
    mfn_amount: Decimal | None
    general_amount: Decimal | None
    per: str  # kg, L, t
    source: str

    @property
    def known(self) -> bool:
        return self.mfn_amount is not None and self.general_amount is not None


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def _longest(rows: list, code_ts: str):
    hits = [r for r in rows if code_ts.startswith(r.prefix)]
    return max(hits, key=lambda r: len(r.prefix)) if hits else None


@cache
def consumption_rows() -> list[ConsumptionRow]:
    with (DATA / "consumption_tax.csv").open(encoding="utf-8", newline="") as fh:
        return [
            ConsumptionRow(r["prefix"], r["item"], r["kind"], r["ad_valorem"], r["amount"], r["per"],
                           _decimal(r["litres_per_tonne"]), r["source"])
            for r in csv.DictReader(fh)
        ]


@cache
def duty_rows() -> list[DutyRow]:
    with (DATA / "specific_duties.csv").open(encoding="utf-8", newline="") as fh:
        return [
            DutyRow(r["prefix"], r["item"], _decimal(r["mfn_amount"]), _decimal(r["general_amount"]), r["per"],
                    r["source"])
            for r in csv.DictReader(fh)
        ]


def consumption_tax(code_ts: str) -> ConsumptionRow | None:
    """The consumption-tax schedule row of a tariff line (longest prefix), if it has one."""
    return _longest(consumption_rows(), code_ts)


def specific_duty(code_ts: str) -> DutyRow | None:
    return _longest(duty_rows(), code_ts)


@dataclass(frozen=True)
class Measure:
    origin: str
    name: str
    source: str


MEASURES: tuple[Measure, ...] = (
    Measure("USA", "对美加征关税",
            "国务院关税税则委员会 对原产于美国的进口商品加征关税的公告 (2018年起, 含排除清单)"),
)


def measures_for(origin: str) -> list[Measure]:
    return [m for m in MEASURES if m.origin == (origin or "").upper()]
