"""Excel imports of the 商品数据库 ("commodities") and the 保税商品库 ("bonded-items").

Cells are read and code columns checked by the shared pipeline; ``clean_batch`` then checks
every valid row against the tariff and its 申报要素 as a declaration goods item is checked
(``goods.check_goods``), and duplicates inside the file. Saving is one bulk upsert.

The bonded-items template is strict, as the seed's 保税商品导入 says: a file whose headers
differ from the template in name or order is refused with the expected header named, and
nothing is imported.
"""

from __future__ import annotations

from dataclasses import replace

from guanwu.imports.spec import WARNINGS_FIELD, Column, ImportSpec, RowHints, columns_from, register

from . import services


def _columns(spec, overrides: dict) -> list[Column]:
    """The spec's import columns, codes and choices checked by the pipeline (the bulk save does
    not check them again)."""
    return [replace(c, check_code=True, max_length=None if c.kind in ("code", "choice") else c.max_length)
            for c in columns_from(spec, overrides)]


COMMODITY_COLUMNS = _columns(services.COMMODITY_SPEC, {
    "trade_code": {"header": "境内收发货人代码", "example": "6101930001", "help": "海关10位编码, 与名称至少填一项"},
    "trade_name": {"width": 24, "example": "演示进出口有限公司"}, "ie_flag": {"example": "出口", "width": 10},
    "code_ts": {"example": "6109100010", "width": 14, "help": "10位商品编号, 须存在于税则"},
    "ciq_code": {"width": 10, "example": "999"}, "g_name": {"width": 20, "example": "棉制针织T恤衫"},
    "g_model": {"width": 40, "example": "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无",
                "help": "申报要素的值按税则中的顺序以 | 分隔, 项数须与税则一致"},
    "g_unit": {"example": "011 - 件"},
    "origin_country": {"example": "CHN - 中国", "help": "进口和出口都填原产国(地区)"},
    "destination_country": {"example": "DEU - 德国", "help": "进口和出口都填最终目的国(地区)"},
    "trade_curr": {"example": "USD - 美元"}, "decl_price": {"header": "申报单价", "example": "3.85"},
    "district_code": {"example": "61019"}, "dest_code": {"help": "进口: 境内目的地行政区划"},
    "duty_mode": {"example": "1 - 照章征税"},
})


def _clean_commodity_row(row: dict) -> list[tuple[str, str]]:
    if not row.get("trade_code") and not row.get("trade_name"):
        return [("境内收发货人代码", "境内收发货人代码和名称至少填一项")]
    return []


def _batch(columns: list[Column], prepare):
    """The rows' tariff checks (``prepare(actor, rows)``), each problem under its column's header."""
    headers = {c.field: c.header for c in columns}

    def clean_batch(actor, rows: list[dict]) -> dict[int, list[tuple[str, str]]]:
        found = {i: [(headers.get(f, "商品编号"), m) for f, m in errs] for i, errs in prepare(actor, rows).items()}
        for row in rows:
            if WARNINGS_FIELD in row:
                row[WARNINGS_FIELD] = [(headers.get(f, "商品编号"), m) for f, m in row[WARNINGS_FIELD]]
        return found

    return clean_batch


def _code_suggestions(actor, rows: dict[int, dict]) -> dict[int, str]:
    """建议商品编号 for the rows whose 商品编号 is missing or not in the tariff: the suggester's
    top 3 for the row's 商品名称 and 规格型号, the enterprise's own history first."""
    from guanwu.classify import services as classify

    out = {}
    for row_no, values in rows.items():
        text = " ".join(str(values.get(f) or "") for f in ("g_name", "g_model")).strip()
        found = classify.suggest(actor.enterprise.pk, text, 3) if text else []
        if found:
            out[row_no] = "; ".join(f"{s.code_ts} {s.name}" for s in found)
    return out


COMMODITIES = register(ImportSpec(
    key="commodities",
    title="商品数据库",
    description=(
        "每行一个商品。境内收发货人、进出口标志、商品编号、商品名称和规格型号都相同的视为同一商品: "
        "已有的更新, 没有的新增。商品编号和申报要素按税则校验, 法定计量单位按税则自动带出。"
    ),
    columns=COMMODITY_COLUMNS,
    clean_row=_clean_commodity_row,
    clean_batch=_batch(COMMODITY_COLUMNS, lambda actor, rows: services.prepare_import_rows(actor.enterprise.pk, rows)),
    save=services.import_commodities,
    list_url_name="datacenter:commodity-list",
    extra={"list_title": "商品数据库"},
    hints=RowHints(column="商品编号", header="建议商品编号", compute=_code_suggestions),
))

BONDED_COLUMNS = _columns(services.BONDED_SPEC, {
    "ems_no": {"example": "E61019000001", "help": "12位手册/账册号"}, "item_no": {"example": "1", "width": 10},
    "part_no": {"example": "M-1001"}, "code_ts": {"example": "8542319000", "width": 14},
    "g_name": {"width": 20, "example": "集成电路"}, "g_model": {"width": 40}, "g_unit": {"example": "007 - 个"},
    "first_unit": {"help": "空则按税则带出"}, "second_unit": {"help": "空则按税则带出"},
    "origin_country": {"example": "KOR - 韩国"}, "decl_price": {"example": "1.25"},
    "trade_curr": {"example": "USD - 美元"},
})


BONDED = register(ImportSpec(
    key="bonded-items",
    title="保税商品库",
    description=(
        "导入文件的格式必须与模板一致: 表头名称和列的顺序都不能改动, 否则整个文件不导入。"
        "备案号和备案序号相同的商品会被更新。"
    ),
    columns=BONDED_COLUMNS,
    strict_headers=True,
    clean_batch=_batch(BONDED_COLUMNS, lambda actor, rows: services.prepare_bonded_rows(rows)),
    save=services.import_bonded,
    list_url_name="datacenter:bonded-list",
    extra={"list_title": "保税商品库"},
))
