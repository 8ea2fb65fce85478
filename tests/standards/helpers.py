"""Builders for the 规范申报企业专属库 tests: released declarations, reviewed rows, the authorisation."""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from guanwu.declarations.models import Declaration, DeclarationItem, DeclarationStatus
from guanwu.standards.models import UploadSource
from guanwu.standards.services import access, reviews

CHLORINE = "2801100000"  # 氯: 品牌类型|出口享惠情况|成分含量|包装|品牌|型号|GTIN|CAS|其他
COFFEE = "0901210000"  # 品牌类型|出口享惠情况|制作或保存方法|品种|产区|GTIN|CAS|其他
CHLORINE_OK = "0|0|氯99.5%|钢瓶|无品牌|无型号|||"
COFFEE_OK = "1|3|已焙炒咖啡豆|阿拉比卡|云南普洱|||"
_seq = itertools.count(1)


def released(ent, items: list[tuple[str, str, str]], *, day: dt.date = dt.date(2026, 10, 5), ie_flag: str = "E",
             trade_mode: str = "0110", agent: str | None = None, trade: str | None = None,
             status: str = DeclarationStatus.RELEASED) -> Declaration:
    """A 放行 declaration of ``ent`` with ``items`` (商品编号, 商品名称, 规格型号)."""
    declared = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    decl = Declaration.objects.create(
        enterprise=ent, ie_flag=ie_flag, trade_mode=trade_mode, status=status, declared_at=declared,
        agent_code=ent.customs_code if agent is None else agent, agent_code_scc="",
        trade_code=ent.customs_code if trade is None else trade, trade_co_scc="",
        entry_id=f"61012026{next(_seq):010d}")
    for g_no, (code, name, model) in enumerate(items, start=1):
        DeclarationItem.objects.create(declaration=decl, g_no=g_no, code_ts=code, g_name=name, g_model=model)
    return decl


def raw(ent=None, *, code_ts: str = CHLORINE, g_name: str = "氯", g_model: str = CHLORINE_OK, conclusion: str = "规范",
        reasons: str = "", day: dt.date | str = dt.date(2026, 10, 6), ie_flag: str = "E", trade_mode: str = "0110",
        agent: str = "", trade: str = "6101339999", **extra: Any) -> dict[str, Any]:
    """One row of an upload as read from the file (column name -> cell)."""
    return {"entry_id": "", "code_ts": code_ts, "g_name": g_name, "g_model": g_model, "trade_mode": trade_mode,
            "ie_flag": ie_flag, "agent_code": agent or (ent.customs_code if ent else "6101339998"), "agent_scc": "",
            "trade_code": trade, "trade_scc": "", "decl_date": day, "conclusion": conclusion, "reasons": reasons,
            **extra}


def publish(raws: list[dict[str, Any]], **kwargs: Any):
    clean = []
    for line, r in enumerate(raws, start=2):
        row, errors = reviews.check_row(r)
        assert row is not None, errors
        row["line"] = line
        clean.append(row)
    with committed():
        return reviews.publish(clean, source=kwargs.pop("source", UploadSource.STAFF), **kwargs)


@contextmanager
def committed():
    """Run what the block queues on commit (the libraries' rebuild) as the commit would: the
    test's own transaction never commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def authorise(actor) -> None:
    if not access.is_authorised(actor.enterprise):
        access.confirm(actor)


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header or [c.label for c in reviews.COLUMNS])
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
