"""企业资质申请 (seed section 一): 新增/暂存 the head, the 料件/成品 grids (新增 + Enter, 复制,
edit in place, 删除, Excel import), 发送 (单一窗口暂存, DelcareFlag 0) and 申报 (DelcareFlag 1)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.messages import sas
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..models import GoodsKind, QualificationApplication, QualificationGoods, QualificationVersion, Status
from . import messages
from .common import (
    check_editable,
    coerce,
    create_head,
    delete_documents,
    fill_units,
    ids_of,
    next_seqno,
    save_unique,
    update_head,
)

MESSAGE_KIND = "EMS101"
# Filled by the Single Window / customs, never typed: 预录入统一编号, 档案库编号, 变更次数, approval dates.
RETURNED_FIELDS = ("seq_no", "netwk_etps_arcrp_no", "chg_tms_cnt", "putrec_appr_time", "chg_appr_time", "apcret_no")
HEAD_FIELDS = tuple(f.name for f in dataclasses.fields(sas.QualificationHead) if f.name not in RETURNED_FIELDS)
# The seed's red stars (资质数据明细, seed 001 section 四 5): 经营/加工/申报单位编码, 结束有效期,
# 加工生产能力(万美元), 主管海关, 资质类型 — "带有红色星号的字段为必填项, 否则无法继续保存或申报"
# (section 一 4), so 暂存 already refuses them empty (ems101_fields.csv marks the same required).
REQUIRED_HEAD = ("bizop_etpsno", "rcvgd_etpsno", "dcl_etpsno", "finish_valid_date", "prcs_prdc_ablt_amt",
                 "master_cuscd", "qua_typecd")
GOODS_FIELDS = tuple(f.name for f in dataclasses.fields(sas.QualificationGoods) if f.name != "modf_markcd")
KINDS = {GoodsKind.MATERIAL.value: "料件", GoodsKind.PRODUCT.value: "成品"}


def list_applications(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[QualificationApplication]:
    qs = QualificationApplication.objects.for_enterprise(actor.enterprise)
    if status:
        qs = qs.filter(status__in=status.split(","))
    if q:
        q = q.strip()
        qs = qs.filter(Q(seq_no=q) | Q(netwk_etps_arcrp_no=q) | Q(etps_preent_no=q) | Q(bizop_etps_nm__contains=q))
    return qs


def get_application(actor: Actor, pk: int | str, *, for_update: bool = False) -> QualificationApplication:
    return get_owned(QualificationApplication.objects.for_enterprise(actor.enterprise), pk, "企业资质申请",
                     for_update=for_update)


def application_defaults(actor: Actor) -> dict[str, Any]:
    """What a new application starts with: the enterprise as 经营/加工/申报/录入单位, 申报类型
    1-备案申请, 资质类型 1-加工账册, 录入日期 today."""
    ent = actor.enterprise
    return {
        "bizop_etpsno": ent.customs_code, "bizop_etps_sccd": ent.scc, "bizop_etps_nm": ent.name,
        "rcvgd_etpsno": ent.customs_code, "rvsngd_etps_sccd": ent.scc, "rcvgd_etps_nm": ent.name,
        "dcl_etpsno": ent.customs_code, "dcl_etps_sccd": ent.scc, "dcl_etps_nm": ent.name,
        "dcl_etps_typecd": "1", "conc_addr": ent.address[:255], "dcl_typecd": "1", "qua_typecd": "1",
        "input_etps_typecd": ent.customs_code, "input_etps_sccd": ent.scc,
        "input_time": timezone.localdate(), "risk_assure_markcd": "0",
    }


def _head_values(actor: Actor, head: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(head, dict):
        raise ServiceError("企业资质申请数据格式错误")
    values, errors = coerce(QualificationApplication, head, HEAD_FIELDS)
    merged = {**current, **values}
    for name in REQUIRED_HEAD:
        if merged.get(name) in (None, "") and not any(e.field == name for e in errors):
            errors.append(FieldError(name, f"{QualificationApplication._meta.get_field(name).verbose_name}不能为空"))
    amount = merged.get("prcs_prdc_ablt_amt")
    if isinstance(amount, Decimal) and amount <= 0 and not any(e.field == "prcs_prdc_ablt_amt" for e in errors):
        errors.append(FieldError("prcs_prdc_ablt_amt", "加工生产能力(万美元)应大于0"))
    cuscd = merged.get("master_cuscd")
    if cuscd and params.table_exists("customs-offices") and not params.code_exists("customs-offices", cuscd):
        errors.append(FieldError("master_cuscd", f"主管海关代码{cuscd}不存在"))
    if errors:
        raise ServiceError.fields(errors, "暂存校验未通过")
    if not merged.get("etps_preent_no"):
        values["etps_preent_no"] = _inner_no(actor, "Q")
    return values


def _inner_no(actor: Actor, letter: str) -> str:
    """企业内部编号 when the user gives none: customs code + letter + time, unique enough to match
    the client's CommonResponeMessage (which echoes only this number)."""
    return f"{actor.enterprise.customs_code}{letter}{timezone.now():%y%m%d%H%M%S%f}"


@transaction.atomic
def create_application(actor: Actor, head: dict[str, Any]) -> QualificationApplication:
    """新增 + 暂存: a new application from the head fields; ServiceError naming every bad field."""
    defaults = application_defaults(actor)
    given = {k: v for k, v in (head or {}).items()} if isinstance(head, dict) else head
    return create_head(actor, QualificationApplication, {**defaults, **_head_values(actor, given, defaults)})


@transaction.atomic
def update_application(actor: Actor, pk: int | str, head: dict[str, Any]) -> QualificationApplication:
    """暂存 an edited head (only the fields given change)."""
    app = get_application(actor, pk, for_update=True)
    return update_head(actor, app, "企业资质申请", HEAD_FIELDS, lambda before: _head_values(actor, head, before))


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ServiceError("表体类型应为料件(I)或成品(E)")
    return kind


def _goods_values(row: dict[str, Any], path: str = "", errors: list[FieldError] | None = None) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise ServiceError("表体数据格式错误")
    errors = [] if errors is None else errors
    values, errors = coerce(QualificationGoods, row, GOODS_FIELDS, path=path, errors=errors)
    fill_units(values, second=None, path=path, errors=errors)
    if values.get("dcl_total_amt") is None and values.get("dcl_uprc_amt") is not None and values.get("dcl_qty"):
        values["dcl_total_amt"] = (values["dcl_uprc_amt"] * values["dcl_qty"]).quantize(Decimal("0.00001"))
    return values


@transaction.atomic
def save_goods(actor: Actor, application_id: int | str, kind: str, row: dict[str, Any],
               goods_id: int | str | None = None) -> QualificationGoods:
    """Enter on a grid row: 新增 (``goods_id`` None) or save the edited row; 法定计量单位 from the
    tariff; 申报总价 = 单价 x 数量 when not given."""
    app = get_application(actor, application_id, for_update=True)
    check_editable(app, "企业资质申请")
    kind = _kind(kind)
    errors: list[FieldError] = []
    values = _goods_values(row, errors=errors)
    if errors:
        raise ServiceError.fields(errors, "表体校验未通过")
    siblings = QualificationGoods.objects.filter(application=app, kind=kind)
    if goods_id is None:
        goods = QualificationGoods(enterprise=actor.enterprise, application=app, kind=kind)
        action = f"新增{KINDS[kind]}"
    else:
        goods = get_owned(siblings, goods_id, KINDS[kind])
        action = f"修改{KINDS[kind]}"
    for key, value in values.items():
        setattr(goods, key, value)
    if not goods.gds_seqno:
        goods.gds_seqno = next_seqno(siblings)
    save_unique(goods, f"{KINDS[kind]}序号{goods.gds_seqno}已存在", "gds_seqno")
    audit.record(actor, app, action, changes={"gds_seqno": [None, goods.gds_seqno]})
    return goods


@transaction.atomic
def copy_goods(actor: Actor, application_id: int | str, goods_ids: list[int | str]) -> list[QualificationGoods]:
    """复制 the checked rows: copies with the next 序号 of their grid."""
    app = get_application(actor, application_id, for_update=True)
    check_editable(app, "企业资质申请")
    ids = ids_of(goods_ids, "要复制的行")
    sources = list(QualificationGoods.objects.filter(application=app, pk__in=ids).order_by("kind", "gds_seqno"))
    if len(sources) != len(set(ids)):
        raise ServiceError("要复制的行不存在", status=404)
    copies = []
    for source in sources:
        source.pk = None
        source.gds_seqno = next_seqno(QualificationGoods.objects.filter(application=app, kind=source.kind))
        source.save(force_insert=True)
        copies.append(source)
    audit.record(actor, app, "复制表体", changes={"rows": [None, len(copies)]})
    return copies


@transaction.atomic
def delete_goods(actor: Actor, application_id: int | str, goods_ids: list[int | str]) -> int:
    app = get_application(actor, application_id, for_update=True)
    check_editable(app, "企业资质申请")
    ids = ids_of(goods_ids, "要删除的行")
    deleted, _ = QualificationGoods.objects.filter(application=app, pk__in=ids).delete()
    audit.record(actor, app, "删除表体", changes={"rows": [deleted, 0]})
    return deleted


@transaction.atomic
def import_goods(actor: Actor, application_id: int | str, kind: str, rows: list[dict[str, Any]]) -> int:
    """Excel import into a grid (rows already read by the import pipeline): all or nothing;
    errors name the row (``rows.<n>.<field>``)."""
    app = get_application(actor, application_id, for_update=True)
    check_editable(app, "企业资质申请")
    kind = _kind(kind)
    errors: list[FieldError] = []
    prepared = [_goods_values(row, f"rows.{i}.", errors) for i, row in enumerate(rows)]
    if errors:
        raise ServiceError.fields(errors, f"导入校验未通过, 共{len(errors)}处错误")
    start = next_seqno(QualificationGoods.objects.filter(application=app, kind=kind))
    objs = []
    for i, values in enumerate(prepared):
        values.setdefault("gds_seqno", None)
        if not values["gds_seqno"]:
            values["gds_seqno"] = start + i
        objs.append(QualificationGoods(enterprise=actor.enterprise, application=app, kind=kind, **values))
    seqnos = [o.gds_seqno for o in objs]
    taken = set(QualificationGoods.objects.filter(application=app, kind=kind, gds_seqno__in=seqnos)
                .values_list("gds_seqno", flat=True))
    dupes = {s for s in seqnos if seqnos.count(s) > 1} | taken
    if dupes:
        raise ServiceError(f"{KINDS[kind]}序号重复：{', '.join(map(str, sorted(dupes)))}")
    QualificationGoods.objects.bulk_create(objs)
    audit.record(actor, app, f"导入{KINDS[kind]}", changes={"rows": [None, len(objs)]})
    return len(objs)


def build_application_message(actor: Actor, app: QualificationApplication, message_id: str,
                              delcare_flag: str) -> bytes:
    goods = list(app.goods.order_by("kind", "gds_seqno"))
    data = sas.Qualification(
        envelope=messages.envelope(actor, message_id),
        head=messages.record(sas.QualificationHead, app),
        imgs=messages.rows(sas.QualificationGoods, [g for g in goods if g.kind == GoodsKind.MATERIAL],
                           modf_markcd="3"),
        exgs=messages.rows(sas.QualificationGoods, [g for g in goods if g.kind == GoodsKind.PRODUCT],
                           modf_markcd="3"),
        delcare_flag=delcare_flag,
    )
    return sas.build_qualification(data)


@transaction.atomic
def start_application_change(actor: Actor, pk: int | str) -> QualificationApplication:
    """修改 of an approved application (数据查询's 修改): a 变更 — it becomes editable; 申报 sends it
    with 申报类型 2-变更 and the next 变更次数, the 档案库编号 kept (as ``books.start_change``)."""
    app = get_application(actor, pk, for_update=True)
    if not app.approved_once or app.status != Status.APPROVED:
        raise ServiceError(f"企业资质申请状态为“{app.get_status_display()}”, 只有审批通过的申请可以变更", status=409)
    app.change_pending = True
    app.status = Status.DRAFT
    app.save(update_fields=["change_pending", "status", "updated_at"])
    audit.record(actor, app, "变更", before=Status.APPROVED.label, after=Status.DRAFT.label)
    return app


def snapshot(app: QualificationApplication) -> dict[str, Any]:
    """Head and goods as JSON-able data: what a version keeps."""
    def plain(value: Any) -> Any:
        return str(value) if value is not None and not isinstance(value, str | int) else value

    goods = app.goods.order_by("kind", "gds_seqno")
    return {"head": {n: plain(getattr(app, n)) for n in HEAD_FIELDS},
            **{KINDS[k]: [{n: plain(getattr(g, n)) for n in GOODS_FIELDS} for g in goods if g.kind == k]
               for k in KINDS}}


def application_versions(actor: Actor, pk: int | str) -> QuerySet[QualificationVersion]:
    app = get_application(actor, pk)
    return QualificationVersion.objects.filter(application=app).order_by("-chg_tms_cnt", "-id")


def _send(actor: Actor, pk: int | str, delcare_flag: str) -> QualificationApplication:
    app = get_application(actor, pk, for_update=True)
    if app.status == Status.DECLARED and delcare_flag == "1":
        return app  # declared already: nothing is sent twice
    check_editable(app, "企业资质申请")
    before = app.get_status_display()
    if app.approved_once:  # a 变更: 申报类型 2, 变更次数 +1 once per change (a re-declare after 退单 keeps it)
        last = QualificationVersion.objects.filter(application=app).order_by("-chg_tms_cnt", "-id").first()
        app.dcl_typecd = "2"
        if last is None or last.status == Status.APPROVED:
            app.chg_tms_cnt = (last.chg_tms_cnt if last else app.chg_tms_cnt or 0) + 1
    else:
        app.dcl_typecd, app.chg_tms_cnt = "1", 0
    message_id = messages.new_message_id(MESSAGE_KIND)
    xml = build_application_message(actor, app, message_id, delcare_flag)
    messages.check(xml, {"料件": "imgs", "成品": "exgs"})
    app.client_seq_no = message_id
    app.status = Status.DECLARED if delcare_flag == "1" else Status.SENT
    app.declared_at = timezone.now()
    app.save(update_fields=["client_seq_no", "status", "declared_at", "dcl_typecd", "chg_tms_cnt", "updated_at"])
    if delcare_flag == "1":
        QualificationVersion.objects.update_or_create(
            application=app, chg_tms_cnt=app.chg_tms_cnt,
            defaults={"enterprise": actor.enterprise, "status": Status.DECLARED, "snapshot": snapshot(app),
                      "created_by": actor.user},
        )
    messages.send(MESSAGE_KIND, message_id, xml)
    audit.record(actor, app, "申报" if delcare_flag == "1" else "发送", before=before, after=app.get_status_display(),
                 changes={"client_seq_no": [None, message_id], "chg_tms_cnt": [None, app.chg_tms_cnt]})
    return app


@transaction.atomic
def send_application(actor: Actor, pk: int | str) -> QualificationApplication:
    """发送: to the Single Window as a temporary record (DelcareFlag 0)."""
    return _send(actor, pk, "0")


@transaction.atomic
def declare_application(actor: Actor, pk: int | str) -> QualificationApplication:
    """申报 (DelcareFlag 1): build EMS101, ``validate_sas``, enqueue; 422 with field errors."""
    return _send(actor, pk, "1")


@transaction.atomic
def delete_applications(actor: Actor, ids: list[int | str]) -> int:
    """删除 applications never declared (暂存, 导入失败); an operator only their own."""
    def refused(app: QualificationApplication) -> str:
        if app.status not in (Status.DRAFT, Status.FAILED):
            return f"{app}状态为“{app.get_status_display()}”, 只能删除暂存的企业资质申请"
        return ""

    apps = [get_application(actor, pk, for_update=True) for pk in ids_of(ids, "要删除的企业资质申请")]
    return delete_documents(actor, apps, "企业资质申请", refused)


def application_message(actor: Actor, pk: int | str) -> bytes:
    """The EMS101 as it would be sent now (a GET: nothing is stored)."""
    app = get_application(actor, pk)
    return build_application_message(actor, app, app.client_seq_no or messages.new_message_id(MESSAGE_KIND), "1")
