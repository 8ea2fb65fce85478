#!/usr/bin/env python3
"""Regenerate the DecMessage field data and XSD from the single-window field dictionary.

    .venv/bin/python scripts/build_dec_xsd.py [--dictionary PATH] [--check]

1. Converts the raw dictionary (``cit_dec_message_fields.csv``, see ``docs`` SOURCES: 408
   fields of the 报关单导入报文) into the compact package file
   ``src/guanwu/messages/dec/data/dec_fields.csv`` read by ``guanwu.messages.dec.fields``.
   Skipped when the dictionary is not available (a fresh machine without ``../shared``).
2. Renders ``src/guanwu/messages/dec/xsd/DecMessage.xsd`` (in ``xsd/`` so that the
   package data rules of pyproject.toml ship it) from that file with
   ``guanwu.messages.dec.xsdgen.render_xsd`` (structure and documented choices live there).

``--check`` writes nothing and exits 1 when a generated file differs from the committed one.
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

from guanwu.messages.dec.fields import DATA_FILE, snake  # noqa: E402

DEFAULT_DICTIONARY = Path("/work/shared/data/raw/dec_message_field_dictionary/cit_dec_message_fields.csv")
XSD_FILE = ROOT / "src/guanwu/messages/dec/xsd/DecMessage.xsd"

TYPES = {"string": "string", "decimal": "decimal", "integer": "integer", "date": "date", "datetime": "datetime",
         "blob": "blob"}
# Dictionary names too long for a label; the original text moves to the note.
CN_NAME_OVERRIDES = {
    ("EdocRealation", "EdocID"): "随附单据编号",
    ("DecSupplement", "GOptions"): "归类申报项，商品信息选项",
}
COLUMNS = ["block", "block_cn", "element", "field", "cn_name", "type", "length", "scale", "temp", "declare", "note"]


def _flags(temp: str, declare: str) -> tuple[bool, bool]:
    # EdocRealation / EcoRelation / SddTax rows carry "暂存/申报" together in the first column.
    if "/" in temp:
        temp, declare = temp.split("/", 1)
    on_temp = temp.strip() == "是"
    on_declare = declare.strip() == "是" or on_temp  # 申报 requires what 暂存 requires
    return on_temp, on_declare


def convert(dictionary: Path) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    with dictionary.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            m = re.search(r"([A-Za-z]+)\s*$", row["xml_block"])
            if not m:
                raise SystemExit(f"cannot read block name from {row['xml_block']!r}")
            block = m.group(1)
            block_cn = row["xml_block"][: m.start()].strip()
            kind = TYPES[row["data_type"].strip().lower()]
            length, scale = "", ""
            size = row["length"].strip()
            if size:
                length, _, scale = (part.strip() for part in size.partition(","))
            if kind == "date" and not length:
                length = "8"
            temp, declare = _flags(row["required_on_temp_save"], row["required_on_declare"])
            element = row["field_code"].strip()
            cn_name, note = row["cn_name"].strip(), " ".join(row["note"].split())
            if (block, element) in CN_NAME_OVERRIDES:
                note = " ".join(filter(None, [cn_name, note]))
                cn_name = CN_NAME_OVERRIDES[block, element]
            writer.writerow(
                [block, block_cn, element, snake(element), cn_name, kind, length, scale, int(temp), int(declare), note]
            )
    return out.getvalue()


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
    parser.add_argument("--dictionary", type=Path, default=DEFAULT_DICTIONARY)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    ok = True
    if args.dictionary.exists():
        ok &= _write(DATA_FILE, convert(args.dictionary), args.check)
    else:
        print(f"dictionary not found ({args.dictionary}); keeping {DATA_FILE.relative_to(ROOT)}")
    from guanwu.messages.dec import fields as fielddefs
    from guanwu.messages.dec.xsdgen import render_xsd

    fielddefs.blocks.cache_clear()
    ok &= _write(XSD_FILE, render_xsd(), args.check)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
