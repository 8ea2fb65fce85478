"""A prior of what customs declarations use most, per code table: the picker's second ranking
key after what the enterprise itself uses (see ``index.TableIndex.search``).

Hand-made from public figures and the 《报关单填制规范》, not measured from any declarations
this platform holds; it only has to put the everyday codes of a broker's work before the rare
ones when a query matches both (``mg``: 美国 before 蒙古, ``my``: 美元 before 马来西亚林吉特).
Where the judgement comes from, table by table:

- countries: 中国 first (it is the 原产国 of every export item and the 最终目的国 of every
  import item), then China's trade partners in the order of the GACC yearly trade statistics
  (海关统计 2019-2023: 美国, 日本, 韩国, 中国香港, 中国台湾, 德国, 越南, 澳大利亚 ...).
- currencies: invoicing practice of China's foreign trade (SWIFT RMB Tracker and PBoC
  cross-border RMB reports put USD far ahead, then CNY and EUR, then JPY and HKD).
- transaction-modes: FOB is the usual term of exports and CIF of imports (填制规范: 成交方式
  follows the contract's trade term); C&F next, EXW rarely, C&I, 市场价 and 垫仓 hardly ever.
- transport-modes: the modal split of China's trade by value (海关统计: 水路, then 航空, 公路,
  铁路), then post and the special-area modes.
- customs-offices: the direct customs (关区 xx00) ordered by their share of declarations in the
  GACC statistics (上海, 深圳, 宁波, 黄埔, 广州, 天津, 青岛, 厦门 ...); every direct customs
  stays before the subordinate offices that a query happens to match too (``xa``: 西安关区
  before 雄安海关). 0000 海关总署 is never a declaration's office and is left out.
- units: the 申报计量单位 brokers key most (千克 is the first legal unit of about half the
  tariff lines; 个, 件, 台, 套 follow for manufactured goods).
- trade-modes / cut-modes / duty-modes: 一般贸易 and the processing-trade modes that make up
  most declarations (海关统计 by 贸易方式), with their usual 征免性质 and 征减免税方式.
- wrap-types, container-specs, document-types, licence-docs: the everyday ones of the
  填制规范's examples (纸箱, 托盘; 40' and 20' boxes; 发票, 装箱单, 提运单, 合同; 检验检疫
  and 自动进口许可证).

Codes are the current (2018+) codes of the tables in ``data/tables_2019.json.gz``; a code
listed here and missing from its table is simply never matched.
"""

from __future__ import annotations

from types import MappingProxyType

_ORDERED: dict[str, tuple[str, ...]] = {
    "countries": (
        "CHN", "USA", "JPN", "KOR", "HKG", "TWN", "DEU", "VNM", "AUS", "MYS", "RUS", "BRA", "IND", "NLD",
        "GBR", "SGP", "THA", "IDN", "SAU", "CAN", "FRA", "ITA", "MEX", "PHL", "ARE", "CHL", "ESP", "ZAF",
        "BEL", "POL", "TUR", "IRQ", "CHE", "NZL", "KAZ", "PAK", "BGD", "IRN", "SWE", "PER", "ARG", "MAC",
    ),
    "currencies": (
        "USD", "CNY", "EUR", "JPY", "HKD", "GBP", "AUD", "KRW", "CAD", "SGD", "CHF", "TWD", "THB", "MYR",
        "RUB", "NZD", "SEK", "DKK", "NOK", "IDR", "PHP", "MOP",
    ),
    "transaction-modes": ("3", "1", "2", "7", "4", "5", "6"),
    "transport-modes": ("2", "5", "4", "3", "6", "9", "7", "8", "1", "0", "W", "Y", "Z", "X", "T", "G", "H", "L"),
    "customs-offices": (
        "2200", "5300", "3100", "5200", "5100", "0200", "4200", "3700", "2300", "0100", "2900", "0900",
        "5700", "4300", "4600", "4700", "7900", "8000", "9000", "3300", "3500", "4000", "4900", "0400",
        "0800", "1500", "1900", "0500", "0600", "0700", "6000", "6400", "6700", "6800", "7200", "8300",
        "8600", "8800", "9400", "9500", "9600", "9700",
    ),
    "units": (
        "035", "007", "011", "001", "006", "015", "025", "010", "030", "032", "008", "017", "020", "012",
        "070", "036", "140", "142", "125", "136", "033", "095", "022", "021", "003", "120",
    ),
    "trade-modes": (
        "0110", "0615", "0214", "1210", "9610", "1039", "0654", "0255", "0715", "0644", "5000", "5100",
        "5034", "1233", "3010", "2600", "4561", "9710", "9810", "2225", "3339", "1300", "0657", "0258",
        "0664", "0265", "9700", "9900", "9739", "4500",
    ),
    "cut-modes": ("101", "503", "502", "299", "799", "789", "601", "603", "307", "399", "401", "997", "999"),
    "duty-modes": ("1", "3", "5", "2", "4", "6", "7", "8", "9"),
    "wrap-types": ("22", "06", "99", "23", "92", "93", "00", "01", "29", "32", "39"),
    "container-specs": ("11", "21", "12", "22", "13", "23", "31", "32"),
    "document-types": ("00000001", "00000002", "00000003", "00000004", "10000001", "00000009", "00000008"),
    "licence-docs": ("A", "B", "7", "O", "1", "4", "Y", "v", "x", "E", "F", "L", "Q"),
}

# slug -> {code: weight}; the first code of a table weighs the most, every listed code > 0.
PRIOR: MappingProxyType[str, MappingProxyType[str, int]] = MappingProxyType({
    slug: MappingProxyType({code: len(codes) - i for i, code in enumerate(codes)})
    for slug, codes in _ORDERED.items()
})
_NONE: MappingProxyType[str, int] = MappingProxyType({})


def weights(slug: str) -> MappingProxyType[str, int]:
    """``{code: weight}`` of a table's prior (empty for a table without one)."""
    return PRIOR.get(slug, _NONE)
