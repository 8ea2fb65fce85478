"""``/api/v1/standards``: the 申报要素 checker and the 规范申报企业专属库 (issue 17, seed 002).

* ``POST /check``: the checker (``services.checker``). Any member may check a text, authorised
  or not: nothing is stored and nothing is logged. ``GET /check/examples``: the public library's
  规范 examples for a code (the editor's suggestions); ``GET /check/report`` (admin): how many
  released items each rule would have flagged.
* ``/authorisation``: 企业端授权确认 (GET the state, POST the admin's confirmation).
* ``/library``: 企业库 query, ``/{id}``, ``/{id}/elements`` (申报要素详情 against the latest
  catalog), ``POST /{id}/own-choice`` (设为自选), ``POST /{id}/visibility`` (设置数据公开状态),
  ``/export`` (导出本页数据), ``POST /rebuild`` (更新企业库).
* ``/public``: 公共库 (no enterprise or party field), ``/{id}``, ``/{id}/elements``, ``/export``.
* ``/messages``: 企业信息, ``/unread-count`` (the header badge), ``POST /{id}/read``.

Until the enterprise confirmed the authorisation every endpoint but ``/check`` and
``/authorisation`` answers 403 with the seed's prompt. Another enterprise's id answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import NinjaAPI, Query, Router, Schema

from guanwu.apikit.bodies import answer_fields, answer_model, answer_rows, body_model
from guanwu.apikit.openapi import file_answer
from guanwu.apikit.params import IsoDate, Limit, Offset, page
from guanwu.core.errors import FieldError, ServiceError
from guanwu.params.goods import ERROR, WARNING

from .models import LibraryEntry, MonthlyMessage
from .services import access, checker, library, messages, public
from .services.report import flag_report

router = Router(tags=["规范申报"])
PAGE_LIMIT = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CheckIn = body_model("StandardsCheckIn", {
    "code_ts": {"type": "string", "maxLength": 10, "title": "商品编号", "description": "10 位商品编号 (税则号列)"},
    "g_model": {"type": "string", "maxLength": checker.G_MODEL_MAX, "title": "规格型号",
                "description": "申报要素, 按税则的顺序以 | 分隔; 空文本没有可检查的内容"},
    "ie_flag": {"type": "string", "enum": ["", "I", "E"], "title": "进出口标志",
                "description": "I: 进口; E: 出口; 空: 不区分 (出口享惠情况 0-3 均可)"},
}, title="申报要素检查", required=("code_ts", "g_model"))

FindingOut = answer_model("StandardsFindingOut", {
    "element": {"type": "string", "title": "申报要素", "description": "要素名称; 空: 整个规格型号 (如要素个数)"},
    "level": {"type": "string", "enum": [ERROR, WARNING], "title": "级别",
              "description": "error: 不符合规则; warning: 可能不规范"},
    "message": {"type": "string", "title": "说明"},
}, title="检查发现")

CheckOut = answer_model("StandardsCheckOut", {
    "findings": answer_rows(FindingOut, "检查发现", "按要素顺序; 没有问题时为空"),
}, title="申报要素检查结果")


@router.post("/check", response=CheckOut, exclude_unset=True, summary="申报要素检查 (规范申报)")
def check(request, data: CheckIn):
    """The findings on one 规格型号; after the rules', the 不规范 reasons customs gave the
    caller's enterprise for the code (warnings, from the standards library)."""
    return {"findings": checker.check_body(data.raw(), request.auth.enterprise)}


ExampleElementOut = answer_model("StandardsExampleElementOut", {
    "element": {"type": "string", "title": "申报要素"},
    "value": {"type": "string", "title": "规范的值"},
}, title="示例要素")

ExampleOut = answer_model("StandardsExampleOut", {
    "g_model": {"type": "string", "title": "规格型号"},
    "elements": answer_rows(ExampleElementOut, "各要素", "按该商品编号当前申报要素的顺序"),
}, title="规范示例")

ExamplesOut = answer_model("StandardsExamplesOut", {
    "code_ts": {"type": "string", "title": "商品编号"},
    "examples": answer_rows(ExampleOut, "规范示例", "公共库中该商品编号的规范申报数据; 不含企业信息"),
}, title="规范示例")


@router.get("/check/examples", response=ExamplesOut, summary="申报要素规范示例 (公共库)")
def examples(request, code_ts: str = "", limit: int = 5):
    """The public library's 规范 examples for ``code_ts`` (at most ``limit``, 1-20), to copy an
    element value from in the 申报要素 editor; none before the enterprise's authorisation."""
    return checker.examples_for(code_ts, limit, request.auth.enterprise)


RuleCountOut = answer_model("StandardsRuleCountOut", {
    "rule": {"type": "string", "title": "规则"},
    "label": {"type": "string", "title": "规则名称"},
    "items": {"type": "integer", "title": "会被提示的商品项数"},
    "errors": {"type": "integer", "title": "其中为错误的"},
    "warnings": {"type": "integer", "title": "其中仅为提示的"},
}, title="规则统计")

ReportOut = answer_model("StandardsCheckReportOut", {
    "total_items": {"type": "integer", "title": "已放行报关单的商品项数"},
    "checked_items": {"type": "integer", "title": "已检查的商品项数"},
    "unknown_code_items": {"type": "integer", "title": "商品编号不在现行税则中的项数"},
    "flagged_items": {"type": "integer", "title": "至少有一条发现的项数"},
    "rules": answer_rows(RuleCountOut, "各规则", "每条规则会提示的历史商品项数"),
}, title="申报要素检查统计")


@router.get("/check/report", response=ReportOut, summary="申报要素检查统计 (历史商品项)")
def report(request):
    """How many of the enterprise's released declaration items each checker rule would have
    flagged (today's tariff); enterprise administrators only."""
    return flag_report(request.auth).as_dict()


# -- 企业端授权确认 --------------------------------------------------------------------------------------

TEXT = {"type": "string"}
AuthorisationOut = answer_model("StandardsAuthorisationOut", {
    "confirmed": {"type": "boolean", "title": "已授权"},
    "confirmed_at": {"type": ["string", "null"], "format": "date-time", "title": "确认时间"},
    "confirmed_by": {**TEXT, "title": "确认人"},
    "can_confirm": {"type": "boolean", "title": "当前用户可确认", "description": "企业管理员且尚未授权"},
    "text": {**TEXT, "title": "授权说明"},
}, title="企业端授权确认")


def _authorisation(state: access.State) -> dict[str, Any]:
    at = state.confirmed_at
    return {"confirmed": state.confirmed, "confirmed_at": at.isoformat() if at else None,  # type: ignore[attr-defined]
            "confirmed_by": state.confirmed_by, "can_confirm": state.can_confirm, "text": state.text}


@router.get("/authorisation", response=AuthorisationOut, summary="企业端授权状态")
def authorisation(request):
    return _authorisation(access.state(request.auth))


@router.post("/authorisation", response=AuthorisationOut, summary="企业端授权确认 (企业管理员)")
def confirm_authorisation(request):
    access.confirm(request.auth)
    return _authorisation(access.state(request.auth))


# -- 企业库 ----------------------------------------------------------------------------------------------------

ENTRY_FIELDS = ("code_ts", "g_name", "g_model", "trade_mode", "ie_flag", "as_agent", "as_owner", "decl_date", "mark",
                "is_public", "history_count", "reviewed_count")
EntryOut = answer_model("StandardsEntryOut", {
    "id": {"type": "integer", "title": "id"},
    **answer_fields(LibraryEntry, *ENTRY_FIELDS),
    "mark_label": {**TEXT, "title": "标记类型名称"},
    "reasons": {"type": "array", "title": "不规范原因", "items": {"type": "object"},
                "description": '[{"element": "要素名称", "reason": "原因"}]'},
}, title="企业库数据")
EntryPage = answer_model("StandardsEntryPage", {
    "count": {"type": "integer", "title": "总条数"}, "offset": {"type": "integer", "title": "跳过的条数"},
    "limit": {"type": "integer", "title": "每页条数"}, "results": answer_rows(EntryOut, "企业库数据"),
}, title="企业库查询结果")
PUBLIC_FIELDS = [f for f in public.PUBLIC_FIELDS if f != "id"]
PublicOut = answer_model("StandardsPublicOut", {
    "id": {"type": "integer", "title": "id"}, **answer_fields(LibraryEntry, *PUBLIC_FIELDS),
}, title="公共库数据 (不含企业信息)")
PublicPage = answer_model("StandardsPublicPage", {
    "count": {"type": "integer", "title": "总条数"}, "offset": {"type": "integer", "title": "跳过的条数"},
    "limit": {"type": "integer", "title": "每页条数"}, "results": answer_rows(PublicOut, "公共库数据"),
}, title="公共库查询结果")
ElementsOut = answer_model("StandardsElementsOut", {
    "code_ts": {**TEXT, "title": "商品编码"},
    "catalog_name": {**TEXT, "title": "最新目录商品名称"},
    "catalog_version": {"type": ["integer", "null"], "title": "最新税则版本 id"},
    "declared_version": {"type": ["integer", "null"], "title": "申报日期适用的税则版本 id"},
    "known": {"type": "boolean", "title": "最新目录中有该商品编码"},
    "changed": {"type": "boolean", "title": "申报后目录有变化"},
    "elements": {"type": "array", "items": {"type": "object"}, "title": "申报要素",
                 "description": '最新目录的要素: [{"name", "value", "added"}]; added: 申报日期后新增的要素'},
    "added": {"type": "array", "items": {"type": "string"}, "title": "新增的要素"},
    "dropped": {"type": "array", "items": {"type": "object"}, "title": "删除的要素",
                "description": '[{"name", "value"}]: 申报时目录有、最新目录没有的要素及所填内容'},
    "unmatched_values": {"type": "array", "items": {"type": "string"}, "title": "多出的要素内容"},
    "reasons": {"type": "array", "items": {"type": "object"}, "title": "不规范原因"},
}, title="申报要素详情", optional=("reasons",))
VisibilityIn = body_model("StandardsVisibilityIn", {
    "public": {"type": "boolean", "title": "公开", "description": "true: 在公共库公开; false: 不公开"},
}, title="设置数据公开状态", required=("public",))
RebuildOut = answer_model("StandardsRebuildOut", {
    "entries": {"type": "integer", "title": "企业库条数"}, "inserted": {"type": "integer", "title": "新增"},
    "updated": {"type": "integer", "title": "更新"}, "deleted": {"type": "integer", "title": "删除"},
}, title="更新企业库")


class LibraryFilter(Schema):
    mark: str = ""
    trade_mode: str = ""
    code_ts: str = ""
    ie_flag: str = ""
    role: str = ""
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    q: str = ""


class PublicFilter(Schema):
    trade_mode: str = ""
    code_ts: str = ""
    ie_flag: str = ""
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    q: str = ""


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def entry_out(e: LibraryEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.pk}
    for name in ENTRY_FIELDS:
        out[name] = getattr(e, name)
    out["decl_date"] = _iso(e.decl_date)
    out["mark_label"] = e.get_mark_display()
    out["reasons"] = [{"element": a, "reason": b} for a, b in e.reasons]
    return out


def public_out(row: dict[str, Any]) -> dict[str, Any]:
    return {**{k: row[k] for k in public.PUBLIC_FIELDS}, "decl_date": _iso(row["decl_date"])}


def _page(qs, offset: int, limit: int, out) -> dict[str, Any]:
    p = page(qs, offset, limit, max_limit=PAGE_LIMIT)
    return {"count": p.count, "offset": p.offset, "limit": p.limit, "results": [out(r) for r in p.rows]}


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="{name}_{stamp}.xlsx"'
    return response


@router.get("/library", response=EntryPage, summary="企业库查询")
def library_query(request, filters: Query[LibraryFilter], offset: Offset = 0, limit: Limit = 50):
    return _page(library.query(request.auth, **filters.dict()), offset, limit, entry_out)


@router.get("/library/export", summary="企业库 导出本页数据 (Excel)", openapi_extra=file_answer(XLSX, "本页数据"))
def library_export(request, filters: Query[LibraryFilter], offset: Offset = 0, limit: Limit = 50):
    content = library.export_page(request.auth, offset, min(limit, PAGE_LIMIT), **filters.dict())
    return _xlsx(content, "qiyeku")


@router.post("/library/rebuild", response=RebuildOut, summary="更新企业库 (按历史申报和海关审核数据重新比对查重)")
def library_rebuild(request):
    return library.rebuild(request.auth)


@router.get("/library/{entry_id}", response=EntryOut, summary="企业库数据")
def library_entry(request, entry_id: int):
    return entry_out(library.get_entry(request.auth, entry_id))


@router.get("/library/{entry_id}/elements", response=ElementsOut, summary="申报要素详情 (最新规范申报目录)")
def library_elements(request, entry_id: int):
    return library.elements(request.auth, entry_id)


@router.post("/library/{entry_id}/own-choice", response=EntryOut, summary="设为自选 (系统匹配数据)")
def library_own_choice(request, entry_id: int):
    return entry_out(library.set_own_choice(request.auth, entry_id))


@router.post("/library/{entry_id}/visibility", response=EntryOut, summary="设置数据公开状态 (规范数据)")
def library_visibility(request, entry_id: int, data: VisibilityIn):
    library.get_entry(request.auth, entry_id)  # another enterprise's id: 404 before the body's 422
    raw = data.raw()
    unknown = [k for k in raw if k != "public"]
    if unknown or not isinstance(raw.get("public"), bool):
        errors = [FieldError("", f"未知的字段: {k}") for k in unknown]
        if not isinstance(raw.get("public"), bool):
            errors.append(FieldError("public", "公开应为 true 或 false"))
        raise ServiceError.fields(errors)
    return entry_out(library.set_visibility(request.auth, entry_id, raw["public"]))


# -- 公共库 -----------------------------------------------------------------------------------------------------


@router.get("/public", response=PublicPage, summary="公共库查询 (海关审核规范且公开的数据, 不含企业信息)")
def public_query(request, filters: Query[PublicFilter], offset: Offset = 0, limit: Limit = 50):
    return _page(public.query(request.auth, **filters.dict()), offset, limit, public_out)


@router.get("/public/export", summary="公共库 导出本页数据 (Excel)", openapi_extra=file_answer(XLSX, "本页数据"))
def public_export(request, filters: Query[PublicFilter], offset: Offset = 0, limit: Limit = 50):
    return _xlsx(public.export_page(request.auth, offset, min(limit, PAGE_LIMIT), **filters.dict()), "gonggongku")


@router.get("/public/{entry_id}", response=PublicOut, summary="公共库数据")
def public_entry(request, entry_id: int):
    return public_out(public.get(request.auth, entry_id))


@router.get("/public/{entry_id}/elements", response=ElementsOut, exclude_unset=True, summary="公共库 申报要素详情")
def public_elements(request, entry_id: int):
    return public.elements(request.auth, entry_id)


# -- 企业信息 ------------------------------------------------------------------------------------------------

MESSAGE_FIELDS = ("period", "title", "pushed_at", "read_at", "total_reviewed", "total_standard", "total_nonstandard",
                  "as_agent_count", "as_owner_count", "nonstandard_count", "date_from", "date_to")
MessageOut = answer_model("StandardsMessageOut", {
    "id": {"type": "integer", "title": "id"}, **answer_fields(MonthlyMessage, *MESSAGE_FIELDS),
    "read": {"type": "boolean", "title": "已读"},
    "library_filter": {"type": "object", "title": "企业库查询条件",
                       "description": "本期不规范数据的企业库查询条件 (GET /api/v1/standards/library 的参数)"},
}, title="企业消息")
MessagePage = answer_model("StandardsMessagePage", {
    "count": {"type": "integer", "title": "总条数"}, "offset": {"type": "integer", "title": "跳过的条数"},
    "limit": {"type": "integer", "title": "每页条数"}, "unread": {"type": "integer", "title": "未读条数"},
    "results": answer_rows(MessageOut, "企业消息"),
}, title="企业消息列表")
UnreadOut = answer_model("StandardsUnreadOut", {"unread": {"type": "integer", "title": "未读条数"}},
                         title="未读消息数")


class MessageFilter(Schema):
    state: str = ""
    pushed_from: IsoDate | None = None
    pushed_to: IsoDate | None = None


def message_out(m: MonthlyMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"id": m.pk}
    for name in MESSAGE_FIELDS:
        value = getattr(m, name)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    out["read"] = m.read_at is not None
    out["library_filter"] = messages.library_filter(m)
    return out


@router.get("/messages", response=MessagePage, summary="企业信息 (月度审核消息)")
def message_list(request, filters: Query[MessageFilter], offset: Offset = 0, limit: Limit = 50):
    out = _page(messages.query(request.auth, **filters.dict()), offset, limit, message_out)
    out["unread"] = messages.unread_count(request.auth)
    return out


@router.get("/messages/unread-count", response=UnreadOut, summary="未读消息数 (页眉 new 标记)")
def message_unread(request):
    return {"unread": messages.unread_count(request.auth)}


@router.get("/messages/{message_id}", response=MessageOut, summary="企业消息")
def message_get(request, message_id: int):
    return message_out(messages.get(request.auth, message_id))


@router.post("/messages/{message_id}/read", response=MessageOut, summary="标记已读")
def message_read(request, message_id: int):
    return message_out(messages.mark_read(request.auth, message_id))


def mount(api: NinjaAPI) -> None:
    api.add_router("/standards", router)
