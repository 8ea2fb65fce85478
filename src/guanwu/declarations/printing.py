"""The printed 报关单: its text (``print_context``, shared by the print page and the PDF) and
the PDF itself (``declaration_pdf``), laid out like the print page on A4.

The PDF uses reportlab's built-in Adobe CID font STSong-Light: Chinese text needs no font file
in the package, every PDF reader supplies the glyphs (Adobe-GB1 character collection).
"""

from __future__ import annotations

import io
from typing import Any

from guanwu.params import services as params
from guanwu.params.enums import IEFlag

from . import forms
from .models import Declaration


def _name(table: str, code: str | None) -> str:
    return (params.code_name(table, code) or code or "") if code else ""


def _amount(value: Any) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cost(declaration: Declaration, prefix: str) -> str:
    rate = getattr(declaration, f"{prefix}_rate")
    if not rate:
        return ""
    mark = getattr(declaration, f"{prefix}_mark")
    curr = getattr(declaration, f"{prefix}_curr")
    return "/".join(p for p in (curr, _amount(rate), mark) if p)


def print_context(declaration: Declaration) -> dict[str, Any]:
    """The printed 报关单: codes with their names, labels for the declaration's direction."""
    d = declaration
    ie = d.ie_flag if d.ie_flag in IEFlag.values else IEFlag.IMPORT
    imp = ie == IEFlag.IMPORT
    label = forms.cell_label
    items = []
    for item in d.items.all():
        country_a, country_b = (item.origin_country, item.destination_country) if imp else (
            item.destination_country, item.origin_country)  # 原产国, 最终目的国 (export swaps, see rules)
        qty_lines = [
            f"{_amount(item.first_qty)}{_name('units', item.first_unit)}" if item.first_qty is not None else "",
            f"{_amount(item.second_qty)}{_name('units', item.second_unit)}" if item.second_qty is not None else "",
            f"{_amount(item.g_qty)}{_name('units', item.g_unit)}" if item.g_qty is not None else "",
        ]
        items.append({
            "g_no": item.g_no,
            "code_ts": item.code_ts,
            "ciq_code": item.ciq_code,
            "g_name": item.g_name,
            "g_model": item.g_model,
            "qty_lines": [q for q in qty_lines if q],
            "price": _amount(item.decl_price),
            "total": _amount(item.decl_total),
            "curr": _name("currencies", item.trade_curr),
            "origin": f"{_name('countries', country_a)}" + (f"({country_a})" if country_a else ""),
            "destination": f"{_name('countries', country_b)}" + (f"({country_b})" if country_b else ""),
            "district": f"({item.district_code}){_name('districts', item.district_code)}" if item.district_code
            else "",
            "dest_code": f"({item.dest_code}){_name('admin-divisions', item.dest_code)}" if item.dest_code else "",
            "duty_mode": _name("duty-modes", item.duty_mode),
        })
    promise = (d.promise_itmes or "").ljust(3, " ")
    yes_no = {"1": "是", "0": "否"}
    return {
        "d": d,
        "ie": ie,
        "title": f"中华人民共和国海关{'进' if imp else '出'}口货物报关单",
        "labels": {key: label(key, ie) for key in (
            "ie_port", "ie_date", "trade_country", "distinate_port", "enty_port_code", "trade", "overseas", "owner",
        )},
        "overseas_name": (d.overseas_consignor_ename or d.overseas_consignor_cname) if imp
        else d.overseas_consignee_ename,
        "overseas_code": d.overseas_consignor_code if imp else d.overseas_consignee_code,
        "ie_port": _name("customs-offices", d.ie_port),
        "custom_master": _name("customs-offices", d.custom_master),
        "traf_mode": _name("transport-modes", d.traf_mode),
        "trade_mode": _name("trade-modes", d.trade_mode),
        "cut_mode": _name("cut-modes", d.cut_mode),
        "trade_area": _name("countries", d.trade_area_code),
        "trade_country": _name("countries", d.trade_country),
        "distinate_port": _name("ports", d.distinate_port),
        "desp_port": _name("ports", d.desp_port_code),
        "enty_port": _name("entry-ports", d.enty_port_code),
        "wrap_type": _name("wrap-types", d.wrap_type),
        "trans_mode": _name("transaction-modes", d.trans_mode),
        "fee": _cost(d, "fee"),
        "insur": _cost(d, "insur"),
        "other": _cost(d, "other"),
        "gross": _amount(d.gross_wet),
        "net": _amount(d.net_wt),
        "licences": [f"{lic.docu_code}:{lic.cert_code}" for lic in d.licences.all()],
        "containers": [c.container_id for c in d.containers.all()],
        "items": items,
        "blank_rows": range(max(0, 6 - len(items))),
        "special": yes_no.get(promise[0], ""),
        "price_effect": yes_no.get(promise[1], ""),
        "royalty": yes_no.get(promise[2], ""),
        "status": d.get_status_display(),
    }


# ----------------------------------------------------------------------------------------- PDF

FONT = "STSong-Light"
PAGE_ITEMS = 8  # goods rows per A4 page, as the printed form holds them


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, wordWrap="CJK")
    label = ParagraphStyle("label", parent=cell, fontSize=6.5, leading=8, textColor="#555555")
    title = ParagraphStyle("title", fontName=FONT, fontSize=14, leading=18, alignment=1)
    return cell, label, title


def _escape(text: Any) -> str:
    from xml.sax.saxutils import escape

    return escape(str(text or "")).replace("\n", "<br/>")


def _field(label_text: str, value: Any, cell, label):
    from reportlab.platypus import Paragraph

    return [Paragraph(_escape(label_text), label), Paragraph(_escape(value), cell)]


def _coded(name: str, code: str | None) -> str:
    return f"{name}({code})" if code else ""


def declaration_pdf(declaration: Declaration) -> bytes:
    """The 报关单 as a PDF (A4 portrait), with the same content as the print page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    ctx = print_context(declaration)
    d, labels, ie = ctx["d"], ctx["labels"], ctx["ie"]
    cell, label, title = _styles()

    def f(text: str, value: Any) -> list:
        return _field(text, value, cell, label)

    width = A4[0] - 24 * mm
    head_rows = [
        [f(labels["trade"], f"{'(' + d.trade_co_scc + ')' if d.trade_co_scc else ''}\n{d.trade_name}"),
         f(labels["ie_port"], _coded(ctx["ie_port"], d.ie_port)),
         f(labels["ie_date"], d.ie_date.strftime("%Y%m%d") if d.ie_date else ""),
         f("申报日期", d.declared_at.strftime("%Y%m%d") if d.declared_at else ""),
         f("备案号", d.manual_no)],
        [f(labels["overseas"], f"{ctx['overseas_code'] or ''}\n{ctx['overseas_name'] or ''}".strip()),
         f("运输方式", _coded(ctx["traf_mode"], d.traf_mode)),
         f("运输工具名称及航次号", f"{d.traf_name}{'/' + d.voy_no if d.voy_no else ''}"),
         f("提运单号", d.bill_no),
         f("货物存放地点", d.goods_place) if ie == IEFlag.IMPORT else ""],
        [f(labels["owner"], f"{'(' + d.owner_code_scc + ')' if d.owner_code_scc else ''}\n{d.owner_name}"),
         f("监管方式", _coded(ctx["trade_mode"], d.trade_mode)),
         f("征免性质", _coded(ctx["cut_mode"], d.cut_mode)),
         f("许可证号", d.license_no),
         f("启运港", _coded(ctx["desp_port"], d.desp_port_code)) if ie == IEFlag.IMPORT else ""],
        [f("合同协议号", d.contr_no),
         f("贸易国(地区)", _coded(ctx["trade_area"], d.trade_area_code)),
         f(labels["trade_country"], _coded(ctx["trade_country"], d.trade_country)),
         f(labels["distinate_port"], _coded(ctx["distinate_port"], d.distinate_port)),
         f(labels["enty_port_code"], _coded(ctx["enty_port"], d.enty_port_code))],
        [f("包装种类 / 件数", f"{_coded(ctx['wrap_type'], d.wrap_type)} / "
                              f"{d.pack_no if d.pack_no is not None else ''}"),
         f("毛重(千克)", ctx["gross"]),
         f("净重(千克)", ctx["net"]),
         f("成交方式", _coded(ctx["trans_mode"], d.trans_mode)),
         f("运费 / 保费 / 杂费", f"{ctx['fee'] or '—'} / {ctx['insur'] or '—'} / {ctx['other'] or '—'}")],
        [f("随附单证及编号", "　".join(ctx["licences"])
           + (f"　集装箱号: {', '.join(ctx['containers'])}" if ctx["containers"] else "")), "", "", "", ""],
        [f("标记唛码及备注", f"{d.mark_no}" + (f"\n备注: {d.note_s}" if d.note_s else "")), "", "", "", ""],
    ]
    grid = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (0, 5), (-1, 5)),
        ("SPAN", (0, 6), (-1, 6)),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ])
    head = Table(head_rows, colWidths=[width * w for w in (0.28, 0.18, 0.18, 0.18, 0.18)], style=grid)

    origin_label, place_label = "原产国(地区)", "境内目的地" if ie == IEFlag.IMPORT else "境内货源地"
    header = [Paragraph(t, label) for t in (
        "项号", "商品编号", "商品名称及规格型号", "数量及单位", "单价/总价/币制", origin_label,
        "最终目的国(地区)", place_label, "征免")]
    item_widths = [width * w for w in (0.05, 0.11, 0.26, 0.12, 0.11, 0.09, 0.09, 0.10, 0.07)]
    item_style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ])
    rows = [[
        Paragraph(str(it["g_no"]), cell),
        Paragraph(_escape(it["code_ts"] + (f"\n{it['ciq_code']}" if it["ciq_code"] else "")), cell),
        Paragraph(_escape(f"{it['g_name']}\n{it['g_model']}"), cell),
        Paragraph(_escape("\n".join(it["qty_lines"])), cell),
        Paragraph(_escape(f"{it['price']}\n{it['total']}\n{it['curr']}"), cell),
        Paragraph(_escape(it["origin"]), cell),
        Paragraph(_escape(it["destination"]), cell),
        Paragraph(_escape(it["district"] + (f"\n{it['dest_code']}" if it["dest_code"] else "")), cell),
        Paragraph(_escape(it["duty_mode"]), cell),
    ] for it in ctx["items"]]
    footer = Table([
        [f("特殊关系确认", ctx["special"]), f("价格影响确认", ctx["price_effect"]),
         f("支付特许权使用费确认", ctx["royalty"]), f("自报自缴", "是" if d.self_tax else "否")],
        [f("申报人员 / 申报单位", f"{d.declare_name}{' 证号 ' + d.dec_no if d.dec_no else ''}\n"
                                 f"{'(' + d.agent_code_scc + ')' if d.agent_code_scc else ''} {d.agent_name}\n"
                                 "兹申明对以上内容承担如实申报、依法纳税之法律责任　申报单位(签章)"), "",
         f("海关批注及签章", ""), ""],
    ], colWidths=[width / 4] * 4, style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (0, 1), (1, 1)),
        ("SPAN", (2, 1), (3, 1)),
    ]))

    pages = [rows[i:i + PAGE_ITEMS] for i in range(0, len(rows), PAGE_ITEMS)] or [[]]
    story: list = []
    for number, page_rows in enumerate(pages, start=1):
        if number > 1:
            story.append(PageBreak())
        story += [
            Paragraph(_escape(ctx["title"]), title),
            Paragraph(_escape(f"预录入编号: {d.seq_no or ''}　　海关编号: {d.entry_id or ''}　　"
                              f"({ctx['custom_master']})　　页码/页数: {number}/{len(pages)}"), cell),
            Spacer(1, 2 * mm), head,
            Table([header, *page_rows], colWidths=item_widths, style=item_style, repeatRows=1),
            footer,
        ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
        title=f"{ctx['title']} {d.entry_id or d.seq_no or d.pk}", author="guanwu", invariant=True,
    )
    doc.build(story)
    return buffer.getvalue()
