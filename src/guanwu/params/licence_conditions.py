"""监管条件 of a tariff line -> the documents a declaration must carry, and where.

Shared by the declaration rules and the customs simulator. Sources:
- 《海关进出口货物报关单填制规范》(海关总署公告2019年第18号), 许可证号 entry: 进(出)口许可证,
  两用物项和技术进(出)口许可证, 两用物项和技术出口许可证(定向), 纺织品临时出口许可证,
  出口许可证(加工贸易), 出口许可证(边境小额贸易) go in 许可证号, "一份报关单只允许填报一个许可证号";
  随附单证及编号 entry: the other 监管证件 go in 随附单证.
- the 监管证件代码表 (2019): 1 进口许可证, 2 两用物项和技术进口许可证, 3 两用物项和技术出口许可证,
  4 出口许可证, 5 纺织品临时出口许可证, G 两用物项和技术出口许可证(定向), x 出口许可证(加工贸易),
  y 出口许可证(边境小额贸易), 7 自动进口许可证, v 自动进口许可证(加工贸易).
- the tariff lists a licence with its trade-mode variants (0207141100: "7AB4x"); one of each
  family is needed, chosen by the 监管方式: 加工贸易 x / v, 边境小额 y, otherwise 4 / 7.
- A 检验检疫 / B 电子底账: since the 2018 关检融合 (海关总署公告2018年第60号) inspection is
  declared in the declaration itself (检验检疫编码, 货物属性, 用途 ...); no document.
Direction: a condition whose name says 进口/入境 applies to imports only, 出口/出境 to exports
only (进出口/进出境 both); the code table is the only source for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import services as params
from .trade_modes import BORDER_TRADE, PROCESSING

INSPECTION = {"A": "I", "B": "E"}  # 监管条件 -> the direction whose inspection it is
LICENCE_NO_CODES = frozenset("12345Gxy")
# Families of a licence and its trade-mode variants: (general, processing trade, border trade).
FAMILIES: tuple[tuple[str, str, str], ...] = (("4", "x", "y"), ("7", "v", "7"))


def direction(code: str) -> str:
    """``I``, ``E`` or ``""`` (both / unknown): the direction a 监管条件 applies to."""
    name = params.code_name("licence-docs", code) if params.table_exists("licence-docs") else None
    name = name or ""
    if "进出" in name:
        return ""
    if "进口" in name or "入境" in name:
        return "I"
    if "出口" in name or "出境" in name:
        return "E"
    return ""


def variant(code: str, trade_mode: str) -> str:
    """The member of ``code``'s family that a declaration of ``trade_mode`` needs."""
    for family in FAMILIES:
        if code in family:
            general, processing, border = family
            if trade_mode in PROCESSING:
                return processing
            if trade_mode == BORDER_TRADE:
                return border
            return general
    return code


@dataclass(frozen=True)
class Needed:
    code: str
    in_licence_no: bool  # True: 许可证号 (head); False: 随附单证

    @property
    def name(self) -> str:
        return (params.code_name("licence-docs", self.code) if params.table_exists("licence-docs") else None) \
            or self.code


def documents_needed(licence_codes: str, ie_flag: str, trade_mode: str) -> list[Needed]:
    """The licences and 随附单证 the 监管条件 ``licence_codes`` of one tariff line require."""
    out: dict[str, Needed] = {}
    for code in licence_codes or "":
        if code in INSPECTION:
            continue
        where = direction(code)
        if where and ie_flag and where != ie_flag:
            continue
        code = variant(code, trade_mode)
        out.setdefault(code, Needed(code, code in LICENCE_NO_CODES))
    return list(out.values())
