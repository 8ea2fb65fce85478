"""``/api/v1/autodeclare/...`` and ``/api/v1/declarations/{id}/tax-confirmation``: thin over services.

Profiles carry ``id``, ``name``, ``enabled``, ``ie_flag`` and their options; a run ``id``,
``status`` (``running`` / ``waiting`` / ``stopped``), ``batches`` and the counters; each
auto-declared declaration ``auto_status`` (``waiting`` / ``declaring`` / ``succeeded`` /
``failed`` / ``manual`` / ``unmarked``), ``customs_status`` (the declaration's: ``declared``,
``accepted``, ``released``, ``closed``, ``rejected``, ``failed``), ``batch_no`` and its ``records``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from ninja import Field, NinjaAPI, Router, Schema, Status

from guanwu.apikit.bodies import body_model, choices_text, field_schema
from guanwu.apikit.params import Id, Limit, Offset, page
from guanwu.declarations.models import Declaration

from . import services
from .answers import (
    AgreementOut,
    AssessmentOut,
    AutoDeclarationOut,
    AutoDeclarationPage,
    BatchDetailOut,
    BatchesOut,
    DeliveryPage,
    EnablementOut,
    MarksOut,
    NotificationPage,
    ProfileOut,
    ProfilePage,
    ReadOut,
    RequeueOut,
    RunOut,
    RunPage,
    UnmarkOut,
)
from .models import AgencyAgreement, AutoDeclaration, AutoRecord, EnterpriseType, Profile, TaxAssessment
from .services import queries
from .services.profiles import FIELDS as PROFILE_FIELDS
from .services.profiles import WAIT_MAX, WAIT_MIN
from .services.tax import blocking_problems, tax_status_label

router = Router(tags=["智能辅助申报"])
tax_router = Router(tags=["智能辅助申报"])
PAGE_LIMIT = 200


def mount(api: NinjaAPI) -> None:
    api.add_router("/autodeclare", router)
    api.add_router("/", tax_router)


def _profile_fields() -> dict[str, Any]:
    """The profile's fields as ``services.profiles`` takes them, documented from the model."""
    fields = {name: field_schema(Profile._meta.get_field(name)) for name in PROFILE_FIELDS}
    fields["batch_wait_seconds"].update(minimum=WAIT_MIN, maximum=WAIT_MAX)
    fields["agent_code"]["description"] += "; 按企业生效时与境内收发货人至少填一项"
    fields["user_ids"] = {"type": "array", "items": {"type": "integer", "minimum": 1}, "title": "生效用户",
                          "description": "按用户生效时的用户 id (本企业有效成员), 至少一名"}
    return fields


ProfileIn = body_model("ProfileIn", _profile_fields(), title="预配置", required=("name", "ie_flag"),
                       description="未给的字段取默认值 (启用, 按企业生效, 统计时配置 60 秒)")
ProfileChange = body_model("ProfileChange", _profile_fields(), title="预配置 (修改)",
                           description="只改给出的字段, 其余保持不变")



class IdsIn(Schema):
    ids: list[Id] = Field(title="报关单 id 列表")


class RunIn(Schema):
    profile_ids: list[Id] = Field(title="预配置 id 列表", description="本次执行使用的预配置")
    enterprise_type: str = Field(title="企业类型", description=choices_text(EnterpriseType.choices))


class EnableIn(Schema):
    accept_notice: bool = Field(False, title="同意用户须知")
    accept_promise: bool = Field(False, title="同意企业承诺")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def profile_out(p: Profile) -> dict[str, Any]:
    return {
        "id": p.pk, "name": p.name, "enabled": p.enabled, "ie_flag": p.ie_flag, "scope": p.scope,
        "agent_code": p.agent_code, "trade_code": p.trade_code,
        "user_ids": sorted(u.pk for u in p.users.all()),
        "auto_confirm": p.auto_confirm, "auto_agreement": p.auto_agreement,
        "manifest_required": p.manifest_required, "arrival_required": p.arrival_required,
        "compare_required": p.compare_required, "batch_wait_seconds": p.batch_wait_seconds,
        "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at),
    }


def record_out(r: AutoRecord) -> dict[str, Any]:
    return {"time": _iso(r.created_at), "level": r.level, "batch_no": r.batch.batch_no if r.batch_id else "",
            "reason_code": r.reason_code, "message": r.message, "user": r.user_name}


def auto_out(a: AutoDeclaration) -> dict[str, Any]:
    d: Declaration = a.declaration
    return {
        "id": d.pk, "declaration_id": d.pk, "seq_no": d.seq_no, "entry_id": d.entry_id,
        "client_seq_no": d.client_seq_no or "", "bill_no": d.bill_no, "ie_flag": d.ie_flag,
        "custom_master": d.custom_master, "trade_name": d.trade_name, "trade_mode": d.trade_mode,
        "declaration_status": d.status, "marked": a.marked,
        "auto_status": a.auto_status, "auto_status_label": a.get_auto_status_display(),
        "customs_status": d.status, "customs_status_label": "-" if d.status == "draft" else d.get_status_display(),
        "customs_rejected": a.auto_status == "succeeded" and d.status in ("rejected", "failed"),
        "reject_reason": d.reject_reason or d.fail_reason,
        "batch_no": a.batch_no, "profile_id": a.profile_id, "profile_name": a.profile.name if a.profile else "",
        "reason": a.reason, "reason_code": a.reason_code, "tax_status": tax_status_label(d),
        "updated_at": _iso(a.updated_at),
        "records": [record_out(r) for r in a.records.all()],
    }


def _with_records(qs):
    return qs.prefetch_related(
        Prefetch("records", queryset=AutoRecord.objects.select_related("batch").order_by("created_at", "id"))
    )


def assessment_out(t: TaxAssessment) -> dict[str, Any]:
    return {
        "declaration_id": t.declaration_id, "status": t.status, "status_label": t.get_status_display(),
        "declaration_version": t.declaration_version,
        "rate_month": t.rate_month.strftime("%Y-%m") if t.rate_month else None,
        "demo_rates": t.demo_rates, "customs_value": str(t.customs_value), "duty": str(t.duty),
        "consumption_tax": str(t.consumption_tax), "vat": str(t.vat), "total": str(t.total),
        "lines": t.lines, "problems": blocking_problems(t),
        "notes": [p.removeprefix("说明: ") for p in t.problems if p.startswith("说明: ")],
        "confirmed_by": (t.confirmed_by.get_full_name() or t.confirmed_by.get_username()) if t.confirmed_by else None,
        "confirmed_at": _iso(t.confirmed_at), "computed_at": _iso(t.computed_at),
    }


def agreement_out(a: AgencyAgreement) -> dict[str, Any]:
    return {"agreement_no": a.agreement_no, "declaration_id": a.declaration_id, "automatic": a.automatic,
            "created_at": _iso(a.created_at), "data": a.data}


def _page(qs, offset: int, limit: int):
    p = page(qs, offset, limit, max_limit=PAGE_LIMIT)
    return p.count, p.offset, p.limit, p.rows


# -- enablement ------------------------------------------------------------------------------


@router.get("/enablement", response=EnablementOut, exclude_unset=True, summary="启用状态")
def get_enablement(request):
    actor = request.auth
    row = services.enablement(actor)
    return {
        "enabled": services.is_enabled(actor.enterprise),
        "notice_version": row.notice_version if row else "",
        "accepted_by": (row.accepted_by.get_username() if row and row.accepted_by else None),
        "accepted_at": _iso(row.accepted_at) if row else None,
        "operators_manage_profiles": bool(actor.enterprise.setting("operators_manage_profiles")),
    }


@router.post("/enablement", response=EnablementOut, exclude_unset=True,
             summary="启用智能辅助申报 (同意用户须知和企业承诺)")
def post_enablement(request, payload: EnableIn):
    services.enable(request.auth, accept_notice=payload.accept_notice, accept_promise=payload.accept_promise)
    return get_enablement(request)


@router.delete("/enablement", response=EnablementOut, exclude_unset=True, summary="停用智能辅助申报")
def delete_enablement(request):
    services.disable(request.auth)
    return get_enablement(request)


# -- profiles --------------------------------------------------------------------------------


@router.get("/profiles", response=ProfilePage, exclude_unset=True, summary="预配置列表")
def list_profiles(request, ie_flag: str = "", enabled: bool | None = None, offset: Offset = 0, limit: Limit = 50):
    qs = services.list_profiles(request.auth)
    if ie_flag:
        qs = qs.filter(ie_flag=ie_flag)
    if enabled is not None:
        qs = qs.filter(enabled=enabled)
    count, offset, limit, rows = _page(qs, offset, limit)
    return {"count": count, "offset": offset, "limit": limit, "results": [profile_out(p) for p in rows]}


@router.post("/profiles", response={201: ProfileOut}, exclude_unset=True, summary="新增预配置")
def create_profile(request, data: ProfileIn):
    return Status(201, profile_out(services.create_profile(request.auth, data.raw())))


@router.get("/profiles/{profile_id}", response=ProfileOut, exclude_unset=True, summary="预配置详情")
def get_profile(request, profile_id: int):
    return profile_out(services.get_profile(request.auth, profile_id))


@router.put("/profiles/{profile_id}", response=ProfileOut, exclude_unset=True, summary="修改预配置")
def put_profile(request, profile_id: int, data: ProfileChange | None = None):
    services.get_profile(request.auth, profile_id)  # 404 before the body
    return profile_out(services.update_profile(request.auth, profile_id, data.raw() if data else {}))


@router.patch("/profiles/{profile_id}", response=ProfileOut, exclude_unset=True, summary="修改预配置 (部分字段)")
def patch_profile(request, profile_id: int, data: ProfileChange | None = None):
    services.get_profile(request.auth, profile_id)
    return profile_out(services.update_profile(request.auth, profile_id, data.raw() if data else {}))


@router.delete("/profiles/{profile_id}", response={204: None}, summary="删除预配置")
def delete_profile(request, profile_id: int):
    services.delete_profiles(request.auth, [profile_id])
    return Status(204, None)


# -- marks -----------------------------------------------------------------------------------


@router.post("/marks", response=MarksOut, exclude_unset=True, summary="添加智能辅助申报标记")
def add_marks(request, payload: IdsIn):
    outcome = services.mark(request.auth, payload.ids)
    return {"marked": outcome.marked, "already": outcome.already,
            "refused": {str(k): v for k, v in outcome.refused.items()}, "message": outcome.message}


@router.delete("/marks", response=UnmarkOut, exclude_unset=True, summary="取消智能辅助申报标记")
def cancel_marks(request, payload: IdsIn):
    count = services.unmark(request.auth, payload.ids)
    return {"cancelled": count, "message": services.unmark_message(count)}


@router.post("/requeue", response=RequeueOut, exclude_unset=True, summary="继续智能辅助申报 (申报失败的重新加入申报池)")
def requeue(request, payload: IdsIn):
    count = services.requeue(request.auth, payload.ids)
    return {"requeued": count, "message": f"已重新加入智能辅助申报池 {count} 条"}


# -- runs ------------------------------------------------------------------------------------


@router.post("/runs", response={201: RunOut}, exclude_unset=True, summary="开始申报")
def start_run(request, payload: RunIn):
    run = services.start_run(request.auth, payload.profile_ids, payload.enterprise_type)
    run.refresh_from_db()
    return Status(201, services.run_out(run))


@router.get("/runs", response=RunPage, exclude_unset=True, summary="执行记录")
def list_runs(request, offset: Offset = 0, limit: Limit = 20):
    from .services.runs import list_runs as runs

    count, offset, limit, rows = _page(runs(request.auth), offset, limit)
    return {"count": count, "offset": offset, "limit": limit, "results": [services.run_out(r) for r in rows]}


@router.get("/runs/{run_id}", response=RunOut, exclude_unset=True, summary="执行状态: 批次与计数")
def get_run(request, run_id: int):
    return services.run_out(services.get_run(request.auth, run_id))


@router.post("/runs/{run_id}/stop", response=RunOut, exclude_unset=True, summary="停止申报")
def stop_run(request, run_id: int):
    return services.run_out(services.stop_run(request.auth, run_id))


# -- declarations, batches ---------------------------------------------------------------------


@router.get("/declarations", response=AutoDeclarationPage, exclude_unset=True, summary="智能辅助申报查询")
def list_auto_declarations(request, status: str = "", batch_no: str = "", offset: Offset = 0, limit: Limit = 50):
    qs = _with_records(services.auto_declarations(request.auth, status=status, batch_no=batch_no)).order_by(
        "-updated_at", "-id")
    count, offset, limit, rows = _page(qs, offset, limit)
    return {"count": count, "offset": offset, "limit": limit, "results": [auto_out(a) for a in rows]}


@router.get("/declarations/{declaration_id}",
            response=AutoDeclarationOut, exclude_unset=True, summary="智能辅助申报状态与申报记录")
def get_auto_declaration(request, declaration_id: int):
    auto = services.get_auto(request.auth, declaration_id)
    return auto_out(_with_records(AutoDeclaration.objects.filter(pk=auto.pk).select_related(
        "declaration", "profile")).get())


@router.get("/batches", response=BatchesOut, exclude_unset=True, summary="批次 (智能申报台)")
def list_batches(request, limit: Limit = 30):
    from .services.runs import batch_out, with_rejected

    actor = request.auth
    batches = with_rejected(queries.Batch.objects.for_enterprise(actor.enterprise)).order_by("-started_at", "-id")
    return {"results": [batch_out(b) for b in batches[: min(limit, PAGE_LIMIT)]],
            "top_failure_reasons": queries.top_failure_reasons(actor)}


@router.get("/batches/{batch_id}", response=BatchDetailOut, exclude_unset=True, summary="批次明细")
def get_batch(request, batch_id: int):
    from .services.runs import batch_out

    batch = services.get_batch(request.auth, batch_id)
    out = batch_out(batch)
    out["declarations"] = [
        {"declaration_id": r.auto.declaration_id, "seq_no": r.auto.declaration.seq_no, "level": r.level,
         "reason_code": r.reason_code, "message": r.message, "time": _iso(r.created_at),
         "customs_status": r.auto.declaration.status}
        for r in queries.batch_outcomes(batch)
    ]
    out["top_failure_reasons"] = queries.top_failure_reasons(request.auth, batch)
    return out


@router.post("/declarations/{declaration_id}/agency-agreement", response={201: AgreementOut}, exclude_unset=True,
             summary="生成代理报关委托协议")
def generate_agreement(request, declaration_id: int):
    return Status(201, agreement_out(services.generate(request.auth, declaration_id)))


@router.get("/declarations/{declaration_id}/agency-agreement",
            response=AgreementOut, exclude_unset=True, summary="代理报关委托协议")
def get_agreement(request, declaration_id: int):
    return agreement_out(services.get_agreement(request.auth, declaration_id))


# -- tax confirmation --------------------------------------------------------------------------


@tax_router.get("/declarations/{declaration_id}/tax-confirmation",
            response=AssessmentOut, exclude_unset=True, summary="税费计算确认明细")
def get_tax(request, declaration_id: int):
    return assessment_out(services.get_assessment(request.auth, declaration_id))


@tax_router.post("/declarations/{declaration_id}/tax-confirmation",
            response=AssessmentOut, exclude_unset=True, summary="税费确认")
def confirm_tax(request, declaration_id: int):
    return assessment_out(services.confirm_tax(request.auth, declaration_id))


# -- notifications -----------------------------------------------------------------------------


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, title="通知 id 列表", description="为空时全部标为已读")


@router.get("/notifications", response=NotificationPage, exclude_unset=True, summary="通知中心 (当前用户)")
def list_notifications(request, unread: bool = False, offset: Offset = 0, limit: Limit = 50):
    from .services import notifications

    actor = request.auth
    qs = notifications.notifications(actor)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    count, offset, limit, rows = _page(qs, offset, limit)
    return {"count": count, "unread": notifications.unread_count(actor), "offset": offset, "limit": limit,
            "results": [{"id": n.pk, "event": n.event, "title": n.title, "body": n.body, "url": n.url,
                         "created_at": _iso(n.created_at), "read_at": _iso(n.read_at)} for n in rows]}


@router.post("/notifications/read", response=ReadOut, exclude_unset=True, summary="标为已读 (ids 为空时全部)")
def read_notifications(request, payload: ReadIn):
    from .services import notifications

    count = notifications.mark_read(request.auth, payload.ids)
    return {"read": count, "unread": notifications.unread_count(request.auth)}


@router.get("/webhook-deliveries", response=DeliveryPage, exclude_unset=True, summary="Webhook 投递记录")
def list_deliveries(request, status: str = "", offset: Offset = 0, limit: Limit = 50):
    from .models import WebhookDelivery

    qs = WebhookDelivery.objects.for_enterprise(request.auth.enterprise)
    if status:
        qs = qs.filter(status=status)
    count, offset, limit, rows = _page(qs, offset, limit)
    return {"count": count, "offset": offset, "limit": limit, "results": [
        {"id": d.pk, "event": d.event, "url": d.url, "status": d.status, "attempts": d.attempts,
         "last_status_code": d.last_status_code, "last_error": d.last_error, "next_attempt_at": _iso(d.next_attempt_at),
         "delivered_at": _iso(d.delivered_at), "created_at": _iso(d.created_at)} for d in rows]}
