"""The 代理报关委托协议 as a Word document (.docx), built with the standard library.

A .docx is a ZIP of a few XML parts; this writes the minimal set Word, WPS and LibreOffice open:
``[Content_Types].xml``, ``_rels/.rels`` and ``word/document.xml`` with headings, paragraphs
and two tables. The fonts are left to the reader (宋体/等线 on Chinese systems). The agreement's
goods lines are written here as people read them (``goods_quantity``, ``goods_total``), for the
.docx and the printable page alike.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape


def plain_number(value: Decimal | str | None, places: int = 0) -> str:
    """A quantity as people write it: ``200.00000`` -> ``200``, ``12.50000`` -> ``12.5`` (at least
    ``places`` decimals: ``4300.0000`` -> ``4300.00`` for an amount)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    text = format(number.normalize(), "f")
    if places:
        decimals = len(text.split(".")[1]) if "." in text else 0
        if decimals < places:
            text = format(number.quantize(Decimal(1).scaleb(-places)), "f")
    return text


_UNIT_WITH_CODE = re.compile(r"^\d{3} (.+)$")


def goods_quantity(goods: dict[str, Any]) -> str:
    """数量 of an agreement's goods line, ``200 台`` (also for agreements stored before the
    quantity was stored plain: ``200.00000`` with ``001 台``)."""
    unit = str(goods.get("unit") or "")
    unit = _UNIT_WITH_CODE.sub(r"\1", unit)
    return f"{plain_number(goods.get('qty'))} {unit}".strip()


def goods_total(goods: dict[str, Any]) -> str:
    return f"{plain_number(goods.get('total'), places=2)} {goods.get('currency') or ''}".strip()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _run(text: str, *, bold: bool = False, size: int | None = None) -> str:
    props = ""
    if bold or size:
        props = "<w:rPr>" + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "") + "</w:rPr>"
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, *, bold: bool = False, size: int | None = None, align: str = "") -> str:
    ppr = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    return f"<w:p>{ppr}{_run(text, bold=bold, size=size)}</w:p>"


def _table(rows: list[list[str]], header: bool = False) -> str:
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="444444"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr>']
    for index, row in enumerate(rows):
        out.append("<w:tr>")
        for cell in row:
            out.append(f"<w:tc><w:p>{_run(cell, bold=header and index == 0)}</w:p></w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def agreement_docx(agreement_no: str, data: dict[str, Any], *, automatic: bool) -> bytes:
    principal, agent = data.get("principal", {}), data.get("agent", {})
    label = data.get("ie_label", "")
    body = [
        _para(f"协议编号: {agreement_no}", align="right"),
        _para("代理报关委托协议", bold=True, size=36, align="center"),
        _para(f"委托方 (境内收发货人) 委托被委托方 (申报单位) 办理下列货物的{label}报关手续, 双方约定如下:"),
        _table([
            ["委托方", f"{principal.get('name', '')}  海关编码 {principal.get('code') or '-'}  "
                       f"统一社会信用代码 {principal.get('scc') or '-'}"],
            ["被委托方", f"{agent.get('name', '')}  海关编码 {agent.get('code') or '-'}  "
                         f"统一社会信用代码 {agent.get('scc') or '-'}"],
            ["主要货物名称", data.get("goods_summary", "")],
            ["HS编码", data.get("code_ts", "")],
            ["货物总价", data.get("value", "")],
            ["监管方式", data.get("trade_mode") or "-"],
            ["进出境关别", data.get("ie_port") or "-"],
            ["提运单号 / 合同号", f"{data.get('bill_no') or '-'} / {data.get('contr_no') or '-'}"],
            [f"{label}日期", data.get("ie_date") or "-"],
            ["委托日期 / 有效期至", f"{data.get('sign_date', '')} / {data.get('valid_until', '')}"],
        ]),
        _para(""),
        _table([["项号", "商品名称", "HS编码", "数量", "总价"]] + [
            [str(g.get("g_no", "")), g.get("g_name", ""), g.get("code_ts", ""),
             goods_quantity(g), goods_total(g)]
            for g in data.get("goods", [])
        ], header=True),
        _para(""),
        _para("委托方保证所提供的单证及货物情况真实、完整, 单货相符; 被委托方按委托方提供的资料如实申报, "
              "对申报内容与委托方提供资料的一致性负责。"
              + ("本协议由智能辅助申报按预配置规则自动生成, " if automatic else "") + "经双方确认生效。"),
        _para(""),
        _table([["委托方 (盖章)", "", "被委托方 (盖章)", ""]]),
    ]
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
                + "".join(body)
                + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                  '<w:pgMar w:top="1440" w:right="1300" w:bottom="1440" w:left="1300"/></w:sectPr>'
                  "</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()
