"""What the ``/api/v1/autodeclare/...`` and tax-confirmation endpoints answer, as the OpenAPI documents it.

Each ``*Out`` documents the dict that its ``*_out`` function (``api.py``, ``services.runs``) builds;
the values that are model fields take their type and Chinese title from the model
(``apikit.bodies.answer_fields``), the others (labels, counters of the run view, ids) are named
here. The dicts are sent as built (``exclude_unset=True``).
"""

from __future__ import annotations

from typing import Any

from guanwu.apikit.bodies import answer_fields, answer_model, answer_rows, answer_schema
from guanwu.declarations.models import Declaration

from .models import (
    AgencyAgreement,
    AutoDeclaration,
    AutoRecord,
    Batch,
    Notification,
    Profile,
    Run,
    TaxAssessment,
    WebhookDelivery,
)
from .services.profiles import FIELDS as PROFILE_FIELDS

TEXT: dict[str, Any] = {"type": "string"}
COUNT: dict[str, Any] = {"type": "integer"}
IDS: dict[str, Any] = {"type": "array", "items": {"type": "integer"}}
TEXTS: dict[str, Any] = {"type": "array", "items": TEXT}
TIME = {"type": ["string", "null"], "format": "date-time"}


def _page(name: str, rows: type, title: str, **extra: dict[str, Any]) -> Any:
    """A page of ``rows`` as ``api._page`` answers it (``extra`` comes after the count)."""
    return answer_model(f"{name}Page", {
        "count": {**COUNT, "title": "总条数"}, **extra, "offset": {**COUNT, "title": "跳过的条数"},
        "limit": {**COUNT, "title": "每页条数"}, "results": answer_rows(rows, f"本页{title}"),
    }, title=f"{title}列表")


# -- profiles, enablement ------------------------------------------------------------------------

ProfileOut = answer_model("ProfileOut", {
    "id": {**COUNT, "title": "预配置 id"},
    **answer_fields(Profile, *PROFILE_FIELDS),
    "user_ids": {**IDS, "title": "生效用户"},
    "created_at": {**TIME, "title": "创建时间"}, "updated_at": {**TIME, "title": "修改时间"},
}, title="预配置")
ProfilePage = _page("Profile", ProfileOut, "预配置")
EnablementOut = answer_model("EnablementOut", {
    "enabled": {"type": "boolean", "title": "已启用"},
    "notice_version": {**TEXT, "title": "同意的用户须知版本"},
    "accepted_by": {"type": ["string", "null"], "title": "同意人"},
    "accepted_at": {**TIME, "title": "同意时间"},
    "operators_manage_profiles": {"type": "boolean", "title": "允许操作员维护预配置"},
}, title="智能辅助申报启用状态")

# -- marks, requeue --------------------------------------------------------------------------------

MESSAGE = {**TEXT, "title": "提示"}
MarksOut = answer_model("MarksOut", {
    "marked": {**IDS, "title": "新标记的报关单 id"},
    "already": {**IDS, "title": "已有标记的报关单 id"},
    "refused": {"type": "object", "additionalProperties": TEXT, "title": "未能标记",
                "description": "报关单 id -> 原因"},
    "message": MESSAGE,
}, title="添加智能辅助申报标记")
UnmarkOut = answer_model("UnmarkOut", {"cancelled": {**COUNT, "title": "取消标记的条数"}, "message": MESSAGE},
                         title="取消智能辅助申报标记")
RequeueOut = answer_model("RequeueOut", {"requeued": {**COUNT, "title": "重新加入申报池的条数"}, "message": MESSAGE},
                          title="继续智能辅助申报")

# -- runs, batches (``services.runs.run_out`` / ``batch_out``) ---------------------------------------

BATCH_FIELDS = {
    "id": {**COUNT, "title": "批次 id"},
    **answer_fields(Batch, "batch_no", "seq", "total", "succeeded", "failed", waiting="waited"),
    **answer_fields(Batch, "manual", "returned"),
    "done": {**COUNT, "title": "已处理", "description": "成功 + 失败 + 待申报 + 已手动申报"},
    "rejected": {**COUNT, "title": "退单/导入失败", "description": "本批次申报成功后被海关退单或导入失败的票数"},
    **answer_fields(Batch, "started_at", "finished_at"),
}
BatchOut = answer_model("BatchOut", BATCH_FIELDS, title="批次")
FAILURE_REASON = {"type": "object", "title": "失败原因", "required": ["code", "label", "count"], "properties": {
    "code": {**answer_schema(AutoRecord._meta.get_field("reason_code"))},
    "label": {**TEXT, "title": "原因"}, "count": {**COUNT, "title": "条数"},
}}
TOP_FAILURES = {"type": "array", "items": FAILURE_REASON, "title": "主要失败原因"}
BatchesOut = answer_model("BatchesOut", {"results": answer_rows(BatchOut, "批次", "最近的批次在前"),
                                         "top_failure_reasons": TOP_FAILURES}, title="批次 (智能申报台)")
BATCH_OUTCOME = {"type": "object", "title": "报关单结果", "properties": {
    "declaration_id": {**COUNT, "title": "报关单 id"},
    "seq_no": answer_schema(Declaration._meta.get_field("seq_no")),
    **answer_fields(AutoRecord, "level", "reason_code", "message", time="created_at"),
    "customs_status": answer_schema(Declaration._meta.get_field("status"), title="报关单状态"),
}}
BATCH_OUTCOME["required"] = list(BATCH_OUTCOME["properties"])
BatchDetailOut = answer_model("BatchDetailOut", {
    **BATCH_FIELDS,
    "declarations": {"type": "array", "items": BATCH_OUTCOME, "title": "本批次的报关单"},
    "top_failure_reasons": TOP_FAILURES,
}, title="批次明细")

CURRENT = "当前批次"
RunOut = answer_model("RunOut", {
    "id": {**COUNT, "title": "执行 id"},
    **answer_fields(Run, "status"),
    "status_label": {**TEXT, "title": "状态名称"},
    **answer_fields(Run, "enterprise_type"),
    "profile_ids": {**IDS, "title": "预配置 id"},
    **answer_fields(Run, "wait_seconds", "batch_count"),
    "batches": answer_rows(BatchOut, "批次"),
    "current_batch_no": {"type": ["string", "null"], "title": f"{CURRENT}号"},
    **{f"batch_{key}": {**COUNT, "title": f"{CURRENT}{title}"} for key, title in (
        ("succeeded", "成功"), ("failed", "失败"), ("waiting", "待申报"), ("manual", "已手动申报"),
        ("rejected", "退单/导入失败"), ("returned", "退回申报池"), ("total", "报关单数"), ("done", "已处理"))},
    "progress": {**COUNT, "title": "进度 (%)"},
    **answer_fields(Run, "total_succeeded", "total_failed"),
    "total_rejected": {**COUNT, "title": "累计退单/导入失败"},
    "waiting": {**COUNT, "title": "申报池待申报"},
    **answer_fields(Run, "next_batch_at"),
    "seconds_to_next": {"type": ["integer", "null"], "title": "距下一批次(秒)"},
    **answer_fields(Run, "started_at", "stopped_at", "stop_reason"),
}, title="智能辅助申报执行")
RunPage = _page("Run", RunOut, "执行记录")

# -- auto-declared declarations (``api.auto_out``) ---------------------------------------------------

RecordOut = answer_model("AutoRecordOut", {
    **answer_fields(AutoRecord, time="created_at"),
    **answer_fields(AutoRecord, "level"),
    "batch_no": answer_schema(Batch._meta.get_field("batch_no")),
    **answer_fields(AutoRecord, "reason_code", "message", user="user_name"),
}, title="申报记录")
AutoDeclarationOut = answer_model("AutoDeclarationOut", {
    "id": {**COUNT, "title": "报关单 id"}, "declaration_id": {**COUNT, "title": "报关单 id"},
    **answer_fields(Declaration, "seq_no", "entry_id", "client_seq_no", "bill_no", "ie_flag", "custom_master",
                    "trade_name", "trade_mode"),
    "declaration_status": answer_schema(Declaration._meta.get_field("status"), title="报关单状态"),
    **answer_fields(AutoDeclaration, "marked", "auto_status"),
    "auto_status_label": {**TEXT, "title": "智能辅助申报状态名称"},
    "customs_status": answer_schema(Declaration._meta.get_field("status"), title="海关状态"),
    "customs_status_label": {**TEXT, "title": "海关状态名称", "description": "暂存的为 -"},
    "customs_rejected": {"type": "boolean", "title": "申报成功后被退单/导入失败"},
    "reject_reason": answer_schema(Declaration._meta.get_field("reject_reason"), title="退单或失败原因"),
    **answer_fields(AutoDeclaration, "batch_no", profile_id="profile"),
    "profile_name": {**TEXT, "title": "预配置名称"},
    **answer_fields(AutoDeclaration, "reason", "reason_code"),
    "tax_status": {**TEXT, "title": "税费确认状态", "description": "无需自报自缴税费的为 -"},
    **answer_fields(AutoDeclaration, "updated_at"),
    "records": answer_rows(RecordOut, "申报记录"),
}, title="智能辅助申报的报关单")
AutoDeclarationPage = _page("AutoDeclaration", AutoDeclarationOut, "智能辅助申报的报关单")

# -- agency agreement, tax confirmation -----------------------------------------------------------------

AgreementOut = answer_model("AgreementOut", {
    **answer_fields(AgencyAgreement, "agreement_no", declaration_id="declaration"),
    **answer_fields(AgencyAgreement, "automatic", "created_at", "data"),
}, title="代理报关委托协议")
AssessmentOut = answer_model("AssessmentOut", {
    **answer_fields(TaxAssessment, declaration_id="declaration"),
    **answer_fields(TaxAssessment, "status"),
    "status_label": {**TEXT, "title": "税费确认状态名称"},
    **answer_fields(TaxAssessment, "declaration_version"),
    "rate_month": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}$", "title": "汇率月份 (YYYY-MM)"},
    **answer_fields(TaxAssessment, "demo_rates", "customs_value", "duty", "consumption_tax", "vat", "total", "lines"),
    "problems": {**TEXTS, "title": "无法计算的项目", "description": "确认前须处理"},
    "notes": {**TEXTS, "title": "说明"},
    "confirmed_by": {"type": ["string", "null"], "title": "确认人"},
    **answer_fields(TaxAssessment, "confirmed_at", "computed_at"),
}, title="税费计算确认明细")

# -- notifications, webhook deliveries -------------------------------------------------------------------

NotificationOut = answer_model("NotificationOut", {
    "id": {**COUNT, "title": "通知 id"},
    **answer_fields(Notification, "event", "title", "body", "url", "created_at", "read_at"),
}, title="通知")
UNREAD = {**COUNT, "title": "未读条数"}
NotificationPage = _page("Notification", NotificationOut, "通知", unread=UNREAD)
ReadOut = answer_model("ReadOut", {"read": {**COUNT, "title": "标为已读的条数"}, "unread": UNREAD}, title="标为已读")
DeliveryOut = answer_model("DeliveryOut", {
    "id": {**COUNT, "title": "投递 id"},
    **answer_fields(WebhookDelivery, "event", "url", "status", "attempts", "last_status_code", "last_error",
                    "next_attempt_at", "delivered_at", "created_at"),
}, title="Webhook 投递记录")
DeliveryPage = _page("Delivery", DeliveryOut, "Webhook 投递记录")
