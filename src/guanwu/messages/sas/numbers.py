"""Numbers customs assigns in the processing-trade family: make them (the simulator) and
recognise them (the platform).

- 保税清单编号 ``bond_invt_no``: 18 characters, ``QD`` + 4-digit 主管海关 + 2-digit year + ``I``/``E``
  + 9-digit serial, e.g. ``QD311124E000098849`` (inv101_fields.csv BondInvtNo; samples G).
- 加工贸易账册编号 ``ems_no``: 12 characters, ``E`` + 4-digit 主管海关 + 2-digit year + 5-digit
  serial (issue 15; nems_fields.csv: "金二加贸账册号 E/T/H/L 开头12位"; the split of the last 7
  characters into year + serial is guanwu's).
- 预录入统一编号 ``seq_no``: 18 digits, 4-digit year + 14-digit serial, e.g.
  ``202400000122717119`` (samples G).
- 档案库编号 (企业资质): 12 characters as the seed's 业务编号 ``IE0102190002``: ``IE`` + 4-digit
  关区 + 2-digit year + 4-digit serial (inferred from that one sample: guanwu's reading).
"""

from __future__ import annotations

import re

BOND_INVT_NO = re.compile(r"QD\d{4}\d{2}[IE]\d{9}")
EMS_NO = re.compile(r"E\d{4}\d{2}\d{5}")
SEQ_NO = re.compile(r"\d{4}\d{14}")
ARCRP_NO = re.compile(r"IE\d{4}\d{2}\d{4}")


def _check(customs_code: str, year: int, serial: int, digits: int) -> None:
    if not re.fullmatch(r"\d{4}", customs_code):
        raise ValueError(f"关区代码应为4位数字：{customs_code!r}")
    if not 2000 <= year <= 2099:
        raise ValueError(f"年份不正确：{year}")
    if not 0 < serial < 10**digits:
        raise ValueError(f"流水号应为1到{10**digits - 1}：{serial}")


def make_bond_invt_no(customs_code: str, year: int, impexp_markcd: str, serial: int) -> str:
    """``make_bond_invt_no("9001", 2024, "E", 98849)`` -> ``"QD900124E000098849"``."""
    _check(customs_code, year, serial, 9)
    if impexp_markcd not in {"I", "E"}:
        raise ValueError(f"进出口标记应为I或E：{impexp_markcd!r}")
    return f"QD{customs_code}{year % 100:02d}{impexp_markcd}{serial:09d}"


def make_ems_no(customs_code: str, year: int, serial: int) -> str:
    """``make_ems_no("9001", 2024, 1)`` -> ``"E90012400001"``."""
    _check(customs_code, year, serial, 5)
    return f"E{customs_code}{year % 100:02d}{serial:05d}"


def make_seq_no(year: int, serial: int) -> str:
    """``make_seq_no(2024, 122717119)`` -> ``"202400000122717119"``."""
    _check("0000", year, serial, 14)
    return f"{year}{serial:014d}"


def make_arcrp_no(customs_code: str, year: int, serial: int) -> str:
    """``make_arcrp_no("0102", 2019, 2)`` -> ``"IE0102190002"`` (the seed's form)."""
    _check(customs_code, year, serial, 4)
    return f"IE{customs_code}{year % 100:02d}{serial:04d}"


def is_bond_invt_no(value: str) -> bool:
    return bool(BOND_INVT_NO.fullmatch(value or ""))


def is_ems_no(value: str) -> bool:
    return bool(EMS_NO.fullmatch(value or ""))


def is_seq_no(value: str) -> bool:
    return bool(SEQ_NO.fullmatch(value or ""))
