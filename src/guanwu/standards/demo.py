"""Demo data of the 规范申报企业专属库 (issue 17): a reviewed month for enterprise A with 规范 and
不规范 rows and its monthly message, public 规范 rows from enterprise B; both enterprises have
confirmed the authorisation. Published through ``reviews.publish`` as a staff upload would be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from guanwu.core.demo import demo_step
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise, Membership, Role

from .models import ReviewUpload, UploadSource
from .services import access, monthly, reviews

DEMO_FILE = "演示 海关审核数据"

# (商品编码, 商品名称, 申报要素, 进出口标志, 审核结论, 不规范原因)
A_ROWS = [
    ("2801100000", "氯", "0|0|氯99.5%|钢瓶|无品牌|无型号|||", "E", "规范", ""),
    ("0901210000", "焙炒咖啡豆", "1|3|已焙炒咖啡豆|阿拉比卡|云南普洱|||", "I", "规范", ""),
    ("3304990099", "护肤霜", "4|3|护肤|50ml/瓶|雅诗兰黛|||", "I", "规范", ""),
    ("6109100010", "棉制针织T恤衫", "0|0|针织|T恤衫|有领无扣无拉链|棉100%|无品牌|TX-01|||", "E", "规范", ""),
    ("3304990099", "面霜", "4|3|护肤|瓶装|ESTEE LAUDER|||", "I", "不规范",
     "包装规格:应申报每瓶容量, 如50ml/瓶; 品牌:应申报中文及外文名称"),
    ("6109100010", "T恤", "0|0|针织|T恤|有领|棉|耐克|无|||", "E", "不规范",
     "品牌（中文及外文名称）:品牌类型为0(无品牌)时品牌应申报“无品牌”; 成分含量:应申报各成分百分比, 如棉100%"),
]
B_ROWS = [
    ("2801100000", "液氯", "0|0|氯99.8%|槽罐|无品牌|无型号|||", "E", "规范", ""),
    ("0901210000", "咖啡粉", "1|3|已焙炒咖啡粉|罗布斯塔|越南|||", "I", "规范", ""),
    ("3304990099", "精华液", "4|3|护肤|30ml/瓶|兰蔻LANCOME|||", "I", "规范", ""),
]


def _raw(ent: Enterprise, row: tuple[str, ...], day: dt.date, as_owner: bool) -> dict[str, Any]:
    code_ts, name, model, ie, conclusion, reasons = row
    return {"code_ts": code_ts, "g_name": name, "g_model": model, "trade_mode": "0110", "ie_flag": ie,
            "agent_code": ent.customs_code, "agent_scc": ent.scc,
            "trade_code": ent.customs_code if as_owner else "6101339999", "trade_scc": "",
            "decl_date": day, "conclusion": conclusion, "reasons": reasons}


def create_demo_standards(a: Enterprise, b: Enterprise, say: Callable[[str], None] = print) -> ReviewUpload | None:
    if ReviewUpload.objects.filter(file_name__startswith=DEMO_FILE).exists():
        return None
    for ent in (a, b):
        admin = Membership.objects.filter(enterprise=ent, role=Role.ADMIN, is_active=True).select_related(
            "user", "enterprise").first()
        if admin is not None and not access.is_authorised(ent):
            access.confirm(Actor.for_membership(admin))
    period = monthly.previous_month()
    first, _last = monthly.month_bounds(period)
    rows = []
    for i, row in enumerate(A_ROWS):
        rows.append(_raw(a, row, first + dt.timedelta(days=2 + i * 3), as_owner=i % 2 == 0))
    for i, row in enumerate(B_ROWS):
        rows.append(_raw(b, row, first + dt.timedelta(days=4 + i * 5), as_owner=True))
    clean = []
    for line, raw in enumerate(rows, start=2):
        row, errors = reviews.check_row(raw)
        if row is None:
            say(f"  规范申报演示数据第{line}行未通过校验: {'; '.join(errors)}")
            continue
        row["line"] = line
        clean.append(row)
    upload = reviews.publish(clean, source=UploadSource.STAFF, period=period, file_name=f"{DEMO_FILE} {period}.xlsx",
                             now=timezone.now())
    say(f"  规范申报企业专属库: {period} 审核数据 {upload.row_count} 行 (不规范 {upload.nonstandard_count} 行), "
        f"企业消息 {upload.messages.count()} 条")
    return upload


@demo_step
def demo_standards(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    create_demo_standards(enterprises["a"], enterprises["b"], say)
