"""Convert the public customs data in ../shared/data/raw into the compressed files that ship
inside the package (src/guanwu/params/data/). Run once when the raw data changes:

    .venv/bin/python scripts/build_params_data.py [RAW_DIR]

The product never reads the raw folder at run time; it loads the files this script writes.
Pinyin is computed here (pypinyin is slow) so that first start stays fast.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
RAW = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "raw"
OUT = ROOT / "src" / "guanwu" / "params" / "data"

# slug, file, Chinese name, lines to skip, column names in file order.
# Column names: code, name, en_name, old_code, old_name, old_ciq_code, old_ciq_name, full_name, category, short_name
TABLES = [
    ("customs-offices", "01.关区代码.csv", "关区代码", 1, ["name", "code"]),
    ("transport-modes", "02.运输方式代码表.csv", "运输方式", 2,
     ["name", "code", "old_code", "old_ciq_code", "old_ciq_name"]),
    ("trade-modes", "03.监管方式代码表.csv", "监管方式", 2,
     ["name", "code", "old_code", "old_name", "old_ciq_code", "old_ciq_name"]),
    ("cut-modes", "04.征免性质代码表.csv", "征免性质", 2, ["name", "code", "full_name"]),
    ("countries", "05.国别（地区）代码表.csv", "国别(地区)", 2,
     ["name", "code", "en_name", "old_code", "old_ciq_code"]),
    ("ports", "06.港口代码表.csv", "港口", 2, ["name", "code", "en_name", "old_code", "old_ciq_code"]),
    ("districts", "07.国内地区（境内目的地）代码表.csv", "国内地区(境内目的地/货源地)", 1, ["name", "code"]),
    ("transaction-modes", "08.成交方式代码表.csv", "成交方式", 2, ["name", "code"]),
    ("currencies", "09.货币代码表.csv", "货币", 2, ["name", "code", "en_name", "old_code", "old_ciq_code"]),
    ("container-specs", "10.集装箱规格代码表.csv", "集装箱规格", 2,
     ["name", "code", "old_code", "old_name", "old_ciq_code", "old_ciq_name"]),
    ("units", "11.计量单位代码表.csv", "计量单位", 2, ["name", "code"]),
    ("duty-modes", "12.征减免税方式代码表.csv", "征减免税方式", 2, ["name", "code"]),
    ("wrap-types", "13.包装种类代码表.csv", "包装种类", 2,
     ["name", "code", "old_code", "old_name", "old_ciq_code", "old_ciq_name"]),
    ("entry-ports", "14.国内（入离境）口岸代码表.csv", "国内口岸(入境/离境口岸)", 1, ["name", "code"]),
    ("ciq-organs", "15.检验检疫机关代码表.csv", "检验检疫机关", 1, ["name", "code"]),
    ("relation-reasons", "16.关联理由代码表.csv", "关联理由", 2, ["name", "code"]),
    ("licence-docs", "17.监管证件（随附单证）代码表.csv", "监管证件(随附单证)", 2, ["name", "code"]),
    ("enterprise-qualifications", "18.企业资质代码表.csv", "企业资质", 2, ["code", "name", "category"]),
    ("purposes", "19.用途代码表.csv", "用途", 2, ["name", "code"]),
    ("origin-areas", "20.原产地区代码表.csv", "原产地区", 2, ["name", "code"]),
    ("dangerous-pack-specs", "21.危包规格代码表.csv", "危包规格", 2, ["code", "name", "short_name"]),
    ("goods-attributes", "22.货物属性代码表.csv", "货物属性", 2, ["name", "code"]),
    ("admin-divisions", "23.国内行政区划（目的地）代码.csv", "国内行政区划", 1, ["name", "code"]),
    ("document-types", "24.随附单证类别代码.csv", "随附单据类别", 2, ["name", "code"]),
    ("licence-types", "26.许可证类别代码表.csv", "许可证类别", 2, ["code", "name", "category"]),
]

# Known gaps of the 2019 tables, added by hand (海关总署公告2020年第75号; 跨境B2B 随附单据).
MANUAL = {
    "trade-modes": [
        {"code": "9710", "name": "跨境电商B2B直接出口", "note": "海关总署公告2020年第75号, 2019年表缺"},
        {"code": "9810", "name": "跨境电商出口海外仓", "note": "海关总署公告2020年第75号, 2019年表缺"},
    ],
    "document-types": [
        {"code": "10000004", "name": "跨境B2B出口单证", "note": "跨境电商B2B出口随附单据, 2019年表缺"},
    ],
}


def pinyin(text: str) -> tuple[str, str]:
    syllables = [s for s in lazy_pinyin(text, errors="ignore") if s.strip()]
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials


def read_table(slug: str, filename: str, skip: int, columns: list[str]) -> list[dict]:
    rows = []
    with open(RAW / "customs_params_beecustom_2019" / filename, encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        for _ in range(skip):
            next(reader)
        for raw in reader:
            values = dict(zip(columns, (v.strip() for v in raw), strict=False))
            if not values.get("code") or not values.get("name"):
                continue  # section rows such as "进口,," in 企业资质
            rows.append({k: v for k, v in values.items() if v})
    for extra in MANUAL.get(slug, []):
        if not any(r["code"] == extra["code"] for r in rows):
            rows.append(dict(extra))
    for row in rows:
        row["py"], row["pyi"] = pinyin(row["name"])
    return rows


def parse_elements(text: str) -> list[str]:
    """'1品牌类型;2出口享惠情况;...' -> ['品牌类型', '出口享惠情况', ...] (1-based numbers dropped)."""
    out = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        i = 0
        while i < len(part) and part[i].isdigit():
            i += 1
        out.append(part[i:].strip())
    return out


def read_tariff() -> list[dict]:
    base = RAW / "hs_tariff_2020_beecustom"
    elements_by_code = {}
    with open(base / "商品信息__申报要素.csv", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            elements_by_code[row["商品编码"].strip()] = row["申报要素"].strip()
    items = []
    with open(base / "商品信息__Sheet1.csv", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            code = row["编码"].strip()
            elements = row["申报要素"].strip()
            if not elements or elements == "#N/A":
                elements = elements_by_code.get(code, "")
            py, pyi = pinyin(row["名称"])
            items.append({
                "code_ts": code, "name": row["名称"].strip(), "licence_codes": row["许可证代码"].strip(),
                "general_rate": row["普通税率"].strip(), "mfn_rate": row["优惠税率"].strip(),
                "note": row["备注"].strip(), "export_rate": row["出口税率"].strip(),
                "consumption_rate": row["消费税率"].strip(), "vat_rate": row["增值税率"].strip(),
                "first_unit": row["第一法定单位"].strip(), "second_unit": row["第二法定单位"].strip(),
                "elements": parse_elements(elements), "py": py, "pyi": pyi,
            })
    return items


def read_ciq() -> list[list[str]]:
    rows = []
    with open(RAW / "hs_tariff_2020_beecustom" / "25.检验检疫名称参数.csv", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            rows.append([row["HS编码"].strip(), row["类别码"].strip(), row["货物名称"].strip(), row["状态"].strip()])
    return rows


def write(name: str, data) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    with gzip.GzipFile(OUT / name, "wb", mtime=0) as fh:  # mtime=0: reproducible bytes
        fh.write(raw)
    print(f"{name}: {len(raw):,} bytes -> {(OUT / name).stat().st_size:,} gzip")


def main() -> None:
    tables = []
    for slug, filename, cn_name, skip, columns in TABLES:
        rows = read_table(slug, filename, skip, columns)
        tables.append({"slug": slug, "name": cn_name, "source": filename, "rows": rows})
        print(f"{slug}: {len(rows)} rows")
    write("tables_2019.json.gz", tables)
    tariff = read_tariff()
    write("tariff_2020.json.gz", {"name": "2020年税则", "effective_date": "2020-01-01", "items": tariff})
    print(f"tariff: {len(tariff)} codes, {sum(1 for t in tariff if t['elements'])} with elements")
    ciq = read_ciq()
    write("ciq_2020.json.gz", ciq)
    print(f"ciq names: {len(ciq)}")


if __name__ == "__main__":
    main()
