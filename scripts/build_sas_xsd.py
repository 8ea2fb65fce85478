#!/usr/bin/env python3
"""Regenerate the 金二 processing-trade field tables and XSDs (``guanwu.messages.sas``).

    .venv/bin/python scripts/build_sas_xsd.py [--raw DIR] [--check]

1. Converts the researched field tables ``inv101_fields.csv`` and ``nems_fields.csv`` (folder
   ``sas_processing_trade``; sources and confidence in its SOURCES.md) into the compact package
   tables ``src/guanwu/messages/sas/data/{envelope,inv101,nems}_fields.csv`` read by
   ``guanwu.messages.sas.fields``. Skipped when the raw folder is not available (a fresh
   machine without ``../shared``). ``ems101_fields.csv`` (the qualification application) and
   ``codes.csv`` are maintained by hand in the package: no raw table exists for them.
2. Renders ``src/guanwu/messages/sas/xsd/{INV101,EMS111,EMS101}.xsd`` from the package tables
   with ``guanwu.messages.sas.xsdgen.render_xsd`` (the shape and documented choices live there).

``--check`` writes nothing and exits 1 when a generated file differs from the committed one.

Normalisation of the raw tables (each rule is a decision where the sources differ):

- types: ``char``/``varchar``/``string`` -> string of the first length given; ``numeric`` with
  ``p,s`` -> decimal (integer when s = 0); ``numeric`` with one number -> integer; ``date`` ->
  yyyyMMdd; ``datetime`` -> yyyy-MM-ddTHH:mm:ss. Overrides with reasons in ``TYPE_OVERRIDES``.
- required: a value starting with ``Y`` (``Y``, ``Y(G)``, ``Y(G)/N(P)``, ``Y(P)``, ``Y?``) is
  required: where the sources disagree the stricter (and newer, gx-customs-bridge 2025) one
  wins, and ``Y?`` (every source that marks the field marks it required) counts as required.
  ``C`` (conditional) is not required by the schema; the condition is a rule in
  ``guanwu.messages.sas.rules``. Exceptions in ``REQUIRED_OVERRIDES``.
- rows that are customs-side only (``MtpckEndprdTypecd``, ``InvtNo``, ``InvtGNo`` of the 账册
  goods) or whose tag no message source shows (``VclrTypecd``) are dropped; the XML-DSig
  ``Signature`` row is the fixed signature shell of ``xsdgen``.
- element order: the table's, except InvtListType/ClyMarkcd which the only complete skeleton
  (T, Zzaniu/loop_server) puts after ApplyTbSeqno. The XSD does not enforce the order of leaf
  fields inside a block anyway (see xsdgen).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from guanwu.messages.sas.fields import COLUMNS, DATA_DIR, snake  # noqa: E402

DEFAULT_RAW = Path("/work/shared/data/raw/sas_processing_trade")
XSD_DIR = ROOT / "src/guanwu/messages/sas/xsd"

BLOCK_CN = {
    "EnvelopInfo": "报文头", "PocketInfo": "分组信息", "BussinessData": "业务数据",
    "InvtMessage": "核注清单报文", "InvtHeadType": "核注清单表头", "InvtListType": "核注清单表体",
    "NemsHead": "账册表头", "NemsImgList": "账册料件", "NemsExgList": "账册成品", "NemsCmList": "账册单损耗",
}
NEMS_BLOCKS = {"head": "NemsHead", "material": "NemsImgList", "product": "NemsExgList", "consumption": "NemsCmList"}
INV_BLOCKS = {"head": "InvtHeadType", "list": "InvtListType"}

# Envelope rows carry no type or length in the table (strings everywhere).
ENVELOPE_TYPES = {
    "version": ("string", "8", ""), "business_id": ("string", "64", ""), "message_id": ("string", "64", ""),
    "file_name": ("string", "255", ""), "message_type": ("string", "10", ""), "sender_id": ("string", "32", ""),
    "receiver_id": ("string", "32", ""), "send_time": ("datetime", "", ""), "Ic_Card": ("string", "32", ""),
    "pocket_id": ("string", "128", ""), "total_pocket_qty": ("integer", "9", ""),
    "cur_pocket_no": ("integer", "9", ""), "is_unstructured": ("string", "1", ""),
}
# (block, element) -> (type, length, scale, reason)
TYPE_OVERRIDES = {
    ("InvtHeadType", "ChgTmsCnt"): ("integer", "19", "", "numeric/varchar in the sources; a count (DB NUMBER(19))"),
    ("InvtHeadType", "LevyBlAmt"): ("decimal", "25", "5", "scale not given; 5 as UsdStatTotalAmt"),
    ("NemsImgList", "DclUprcAmt"): ("decimal", "25", "5", "SQ nvarchar(25): scale not given; 5 as MaxTovrAmt"),
    ("NemsExgList", "DclUprcAmt"): ("decimal", "25", "5", "SQ nvarchar(25): scale not given; 5 as MaxTovrAmt"),
}
REQUIRED_OVERRIDES = {
    # Y(P) only, and meaningless for a list that is not declared (DclcusFlag=2): a rule instead.
    ("InvtHeadType", "DecType"): False,
    # Y? but no code list was found: optional until one is.
    ("NemsHead", "DclEtpsTypecd"): False,
}
DROPPED = {
    ("NemsImgList", "MtpckEndprdTypecd"), ("NemsImgList", "InvtNo"), ("NemsImgList", "InvtGNo"),
    ("NemsExgList", "MtpckEndprdTypecd"), ("NemsExgList", "InvtNo"), ("NemsExgList", "InvtGNo"),
    ("NemsHead", "VclrTypecd"),
}
CODES = {
    ("BussinessData", "DelcareFlag"): "delcare_flag",
    ("InvtMessage", "SysId"): "sys_id",
    ("InvtHeadType", "ImpexpMarkcd"): "impexp_markcd",
    ("InvtHeadType", "MtpckEndprdMarkcd"): "mtpck_endprd_markcd",
    ("InvtHeadType", "DclcusFlag"): "dclcus_flag",
    ("InvtHeadType", "DclcusTypecd"): "dclcus_typecd",
    ("InvtHeadType", "ListType"): "list_type",
    ("InvtHeadType", "InvtType"): "invt_type",
    ("InvtHeadType", "DclTypecd"): "dcl_typecd",
    ("InvtHeadType", "GenDecFlag"): "gen_dec_flag",
    ("InvtHeadType", "DecType"): "dec_type",
    ("InvtHeadType", "ListStat"): "invt_stucd",
    ("InvtHeadType", "VrfdedMarkcd"): "vrfded_markcd",
    ("InvtHeadType", "InvtIochkptStucd"): "invt_iochkpt_stucd",
    ("InvtHeadType", "EntryStucd"): "entry_stucd",
    ("InvtHeadType", "PassportUsedTypeCd"): "passport_used_typecd",
    ("InvtListType", "ModfMarkcd"): "modf_markcd",
    ("InvtListType", "UseCd"): "use_cd",
    ("InvtListType", "ClyMarkcd"): "cly_markcd",
    ("NemsHead", "DclTypecd"): "dcl_typecd",
    ("NemsHead", "UcnsDclSegcd"): "ucns_dcl_segcd",
    ("NemsImgList", "ModfMarkcd"): "modf_markcd",
    ("NemsExgList", "ModfMarkcd"): "modf_markcd",
    ("NemsImgList", "CusmExeMarkcd"): "cusm_exe_markcd",
    ("NemsExgList", "CusmExeMarkcd"): "cusm_exe_markcd",
    ("NemsCmList", "ModfMarkcd"): "modf_markcd",
}
# Labels that read badly in an error message (alternates in brackets, notes); the table's
# name goes to the note.
CN_OVERRIDES = {
    ("InvtHeadType", "AddTime"): "添加时间",
    ("InvtListType", "AddTime"): "添加时间",
    ("InvtListType", "UseCd"): "重点商品标识",
    ("InvtListType", "ClyMarkcd"): "危化品标志",
    ("InvtHeadType", "SeqNo"): "预录入统一编号",
    ("InvtListType", "SeqNo"): "预录入统一编号",
    ("InvtHeadType", "PutrecNo"): "备案编号",
    ("InvtHeadType", "RcvgdEtpsno"): "收发货企业编号",
    ("InvtHeadType", "DclPlcCuscd"): "申报地关区代码",
    ("InvtHeadType", "ApplyNo"): "申请表编号",
    ("InvtListType", "PutrecSeqno"): "备案序号",
    ("InvtMessage", "OperCusRegCode"): "操作企业海关编码",
    ("EnvelopInfo", "file_name"): "文件名",
    ("NemsHead", "EmsNo"): "账册编号",
    ("NemsHead", "EtpsPreentNo"): "企业内部编号",
    ("NemsHead", "MasterCuscd"): "主管海关",
    ("NemsHead", "RvsngdEtpsSccd"): "加工企业社会信用代码",
    ("NemsHead", "RcvgdEtpsno"): "加工企业编号",
    ("NemsHead", "RcvgdEtpsNm"): "加工企业名称",
    ("NemsHead", "FinishValidDate"): "结束有效日期",
    ("NemsHead", "DclTime"): "申报时间",
    ("NemsHead", "InputEtpsTypecd"): "录入单位编码",
    **{(b, "GdsSeqno"): "商品序号" for b in ("NemsImgList", "NemsExgList")},
    **{(b, "GdsMtno"): "料号" for b in ("NemsImgList", "NemsExgList")},
    **{(b, "EndprdGdsSpcfModelDesc"): "规格型号" for b in ("NemsImgList", "NemsExgList")},
    ("NemsImgList", "AdjmtrMarkcd"): "主料标志",
    ("NemsCmList", "UcnsQty"): "单耗",
    ("NemsCmList", "NetUseupQty"): "净耗",
    ("NemsCmList", "TgblLossRate"): "有形损耗率",
    ("NemsCmList", "IntgbLossRate"): "无形损耗率",
    ("NemsCmList", "BondMtpckPrpr"): "保税料件比例",
}
MOVE_AFTER = {("InvtListType", "ClyMarkcd"): "ApplyTbSeqno"}


def _first_int(text: str) -> str:
    m = re.match(r"\s*(\d+)", text)
    return m.group(1) if m else ""


def _type(block: str, element: str, data_type: str, length: str) -> tuple[str, str, str]:
    if (block, element) in TYPE_OVERRIDES:
        return TYPE_OVERRIDES[block, element][:3]
    kind = data_type.strip().lower()
    if kind.startswith("datetime"):
        return "datetime", "", ""
    if kind.startswith("date"):
        return "date", "8", ""
    if kind in {"char", "varchar", "string"}:
        return "string", _first_int(length), ""
    if kind == "numeric":
        m = re.match(r"\s*(\d+)\s*,\s*(\d+)", length)
        if m:
            return ("integer", m[1], "") if m[2] == "0" else ("decimal", m[1], m[2])
        return "integer", _first_int(length), ""
    raise SystemExit(f"no type for {block}/{element}: {data_type!r} {length!r}")


def _required(block: str, element: str, raw: str) -> bool:
    if (block, element) in REQUIRED_OVERRIDES:
        return REQUIRED_OVERRIDES[block, element]
    return raw.strip().startswith("Y")


def _note(block: str, element: str, row: dict[str, str]) -> str:
    parts = [" ".join(row["note"].split())]
    if row["required"].strip() not in {"", "Y", "N"}:
        parts.append(f"required in the sources: {row['required'].strip()}")
    if row["length"].strip() and not re.fullmatch(r"\d+(,\d+)?", row["length"].strip()):
        parts.append(f"length in the sources: {row['length'].strip()}")
    if (block, element) in TYPE_OVERRIDES:
        parts.append(TYPE_OVERRIDES[block, element][3])
    if (block, element) in CN_OVERRIDES:
        parts.append(f"table name: {row['cn_name'].strip()}")
    return "; ".join(p for p in parts if p)


def _row(block: str, element: str, row: dict[str, str], kind: tuple[str, str, str]) -> list[str]:
    cn_name = CN_OVERRIDES.get((block, element), row["cn_name"].strip())
    return [block, BLOCK_CN[block], element, snake(element), cn_name, *kind,
            "1" if _required(block, element, row["required"]) else "0", CODES.get((block, element), ""),
            _note(block, element, row), row["source"].strip()]


def _ordered(rows: list[list[str]]) -> list[list[str]]:
    for (block, element), after in MOVE_AFTER.items():
        moving = next(r for r in rows if r[0] == block and r[2] == element)
        rows.remove(moving)
        at = next(i for i, r in enumerate(rows) if r[0] == block and r[2] == after)
        rows.insert(at + 1, moving)
    return rows


def convert(raw: Path) -> dict[str, str]:
    """{package file name: CSV text} for the envelope, INV101 and NEMS tables."""
    envelope: list[list[str]] = []
    inv: list[list[str]] = []
    nems: list[list[str]] = []
    with (raw / "inv101_fields.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["field_code"].strip()
            if row["block"] == "envelope":
                if code.startswith("Signature"):
                    continue  # the fixed XML-DSig shell, see xsdgen
                parts = code.split("/")
                block, element = parts[-2], parts[-1]
                envelope.append(_row(block, element, row, ENVELOPE_TYPES[element]))
            elif row["block"] == "message":
                block, element = code.split("/")
                target = envelope if block == "BussinessData" else inv
                target.append(_row(block, element, row, _type(block, element, row["data_type"], row["length"])))
            else:
                block = INV_BLOCKS[row["block"]]
                inv.append(_row(block, code, row, _type(block, code, row["data_type"], row["length"])))
    with (raw / "nems_fields.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            block, element = NEMS_BLOCKS[row["block"]], row["field_code"].strip()
            if (block, element) in DROPPED:
                continue
            nems.append(_row(block, element, row, _type(block, element, row["data_type"], row["length"])))
    # InvtMessage's own fields (SysId, OperCusRegCode) after its blocks, as in the skeleton.
    inv = [r for r in inv if r[0] != "InvtMessage"] + [r for r in inv if r[0] == "InvtMessage"]
    out = {}
    for name, rows in (("envelope_fields.csv", envelope), ("inv101_fields.csv", _ordered(inv)),
                       ("nems_fields.csv", nems)):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        out[name] = buf.getvalue()
    return out


def _write(path: Path, text: str, check: bool) -> bool:
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if current == text:
        print(f"up to date: {path.relative_to(ROOT)}")
        return True
    if check:
        print(f"OUT OF DATE: {path.relative_to(ROOT)}")
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    ok = True
    if (args.raw / "inv101_fields.csv").exists():
        for name, text in convert(args.raw).items():
            ok &= _write(DATA_DIR / name, text, args.check)
    else:
        print(f"raw field tables not found ({args.raw}); keeping the packaged ones")
    from guanwu.messages.sas import fields
    from guanwu.messages.sas.xsdgen import MESSAGE_TYPES, render_xsd

    fields.blocks.cache_clear()
    for message_type in MESSAGE_TYPES:
        ok &= _write(XSD_DIR / f"{message_type}.xsd", render_xsd(message_type), args.check)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
