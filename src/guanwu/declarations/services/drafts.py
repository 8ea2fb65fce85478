"""暂存, 修改, 复制, 删除: the declaration before it goes to customs (or after it came back)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, Forbidden, ServiceError
from guanwu.tenancy.context import Actor

from .. import parties, payload, rules, signals
from ..models import Declaration, DeclarationStatus
from ..payload import CHILDREN, DeclarationData
from .queries import get_declaration

EDITABLE = frozenset({DeclarationStatus.DRAFT, DeclarationStatus.REJECTED, DeclarationStatus.FAILED})
DELETABLE = frozenset({DeclarationStatus.DRAFT, DeclarationStatus.FAILED})


def is_editable(declaration: Declaration) -> bool:
    """暂存/修改/申报 are open: a draft, or a declaration customs sent back (退单, 导入失败)."""
    return declaration.status in EDITABLE


def enterprise_defaults(actor: Actor, ie_flag: str) -> dict[str, Any]:
    """What a new declaration of this enterprise starts with: the enterprise as 申报单位 and
    录入单位, the acting user as 录入员/申报人, the usual flags of a paperless declaration."""
    ent = actor.enterprise
    user_name = actor.user.get_full_name() or actor.user.get_username()
    return {
        "agent_code": ent.customs_code,
        "agent_name": ent.name,
        "agent_code_scc": ent.scc,
        "decl_ciq_code": ent.ciq_code,
        "cop_code": ent.scc[8:17],
        "cop_name": ent.name,
        "cop_code_scc": ent.scc,
        "inputer_name": user_name[:32],
        "declare_name": user_name[:50],
        "typist_no": f"{ent.customs_code}{actor.user.pk:03d}"[:30],
        "decl_trn_rel": "0",
        "edi_id": "1",
        "entry_type": "M",
        "promise_itmes": "000" if ie_flag == "I" else "999",
    }


def _apply_defaults(data: DeclarationData, actor: Actor) -> None:
    for name, value in enterprise_defaults(actor, data.ie_flag).items():
        if not data.head.get(name):
            data.head[name] = value
    if not data.head.get("trade_area_code") and data.head.get("trade_country"):
        data.head["trade_area_code"] = data.head["trade_country"]
    for row in data.items:
        if not row.get("destination_country") and data.ie_flag in ("I", "E"):
            row["destination_country"] = "CHN"  # import: 最终目的国; export: 原产国 (see rules.item_field_label)


def _parse(raw: Any) -> tuple[DeclarationData, list[FieldError]]:
    """The typed data and what could not be read; nothing at all can be checked of a payload
    that is not an object."""
    data, errors = payload.parse(raw)
    if not isinstance(raw, dict):
        raise ServiceError.fields(errors)
    return data, errors


def _validate_for_save(data: DeclarationData, actor: Actor, unread: list[FieldError] | None = None) -> rules.Findings:
    """The 暂存 rules on ``data``; raises with every error at once: the fields that could not be
    read (``unread``) and what the rules refuse in the rest (a bad code next to a 件数 "abc")."""
    parties.complete(actor.enterprise, data.head)  # a party given by one code: its other code and name
    rules.fill_legal_units(data)
    findings = rules.check(data, on_declare=False, enterprise=actor.enterprise)
    if unread:
        taken = {e.field for e in unread}
        raise ServiceError.fields([*unread, *(e for e in findings.errors if e.field not in taken)])
    if findings.errors:
        raise ServiceError.fields(findings.errors, "暂存校验未通过")
    return findings


def _internal_no_taken(actor: Actor, data: DeclarationData, exclude: int | None = None) -> None:
    """企业内部编号 is the enterprise's own number for one declaration: another declaration of the
    enterprise with the same number is refused, naming it (e.g. the same Excel file imported
    twice, or a declaration keyed in again)."""
    number = (data.head.get("internal_no") or "").strip()
    data.head["internal_no"] = number
    if not number:
        return
    others = Declaration.objects.for_enterprise(actor.enterprise).filter(internal_no=number)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.only("pk", "status", "client_seq_no", "seq_no", "entry_id").first()
    if other is not None:
        message = (f"企业内部编号{number}已用于{other}({other.get_status_display()}), 不能重复: "
                   "同一票货物请勿重复导入或录入")
        raise ServiceError.fields([FieldError("internal_no", message)], message)


def _save_head(actor: Actor, declaration: Declaration, data: DeclarationData, **kwargs) -> None:
    """Save the head; two saves racing for the same 企业内部编号 end in the same refusal."""
    try:
        with transaction.atomic():
            declaration.save(**kwargs)
    except IntegrityError:
        _internal_no_taken(actor, data, exclude=declaration.pk)
        raise


def _write_children(declaration: Declaration, data: DeclarationData, keys: list[str]) -> None:
    for child in CHILDREN:
        if child.key not in keys:
            continue
        existing = child.model.objects.filter(declaration=declaration)
        # 随附单据 rows carry uploaded files the payload does not: keep them by 随附单据编号.
        files = dict(existing.exclude(file="").values_list("edoc_id", "file")) if child.key == "documents" else {}
        existing.delete()
        rows = [child.model(declaration=declaration, **row) for row in data.rows(child.key)]
        for row in rows:
            if files and row.edoc_id in files:
                row.file = files[row.edoc_id]
        child.model.objects.bulk_create(rows)


def _summary(data: DeclarationData) -> dict[str, Any]:
    return {
        **{k: v for k, v in data.head.items()},
        **{f"{c.key}_count": len(data.rows(c.key)) for c in CHILDREN},
    }


@transaction.atomic
def create_draft(actor: Actor, raw: dict[str, Any]) -> Declaration:
    """暂存 a new declaration; raises ServiceError naming every field that 暂存 refuses.

    The returned declaration carries ``save_warnings``: what 申报 would refuse or question."""
    data, unread = _parse(raw)
    _apply_defaults(data, actor)
    findings = _validate_for_save(data, actor, unread)
    _internal_no_taken(actor, data)
    declaration = Declaration(
        enterprise=actor.enterprise, created_by=actor.user, status=DeclarationStatus.DRAFT, **data.head
    )
    _save_head(actor, declaration, data, force_insert=True)
    _write_children(declaration, data, [c.key for c in CHILDREN])
    audit.record(actor, declaration, "暂存", after=DeclarationStatus.DRAFT.label,
                 changes={"items": [0, len(data.items)]})
    declaration.save_warnings = findings.warnings
    return declaration


def _check_editable(actor: Actor, declaration: Declaration) -> None:
    # 409: the declaration moved on meanwhile (declared by the engine or another tab), as 申报 says
    if declaration.status not in EDITABLE:
        raise ServiceError(f"报关单状态为“{declaration.get_status_display()}”, 不能修改", status=409)


def _check_version(declaration: Declaration, raw: dict[str, Any]) -> None:
    version = raw.get("version")
    if version not in (None, "") and str(version) != str(declaration.version):
        raise ServiceError("报关单已被他人修改, 请刷新后重试", status=409)


@transaction.atomic
def update_draft(actor: Actor, declaration_id: int | str, raw: dict[str, Any]) -> Declaration:
    """修改: head fields given replace the stored ones; a child list given replaces all its rows."""
    declaration = get_declaration(actor, declaration_id, for_update=True)
    _check_editable(actor, declaration)
    if not isinstance(raw, dict):
        raise ServiceError("报关单数据格式错误")
    _check_version(declaration, raw)
    before = payload.from_instance(declaration)
    incoming, unread = _parse(raw)
    merged = DeclarationData(head=dict(before.head))
    head_keys = [k for k in raw if k in incoming.head]
    for key in head_keys:
        merged.head[key] = incoming.head[key]
    replaced = [c.key for c in CHILDREN if c.key in raw]
    for child in CHILDREN:
        source = incoming if child.key in replaced else before
        merged.rows(child.key).extend(source.rows(child.key))
    findings = _validate_for_save(merged, actor, unread)
    _internal_no_taken(actor, merged, exclude=declaration.pk)
    for key, value in merged.head.items():
        setattr(declaration, key, value)
    declaration.version += 1
    _save_head(actor, declaration, merged)
    _write_children(declaration, merged, replaced)
    changes = audit.diff(_summary(before), _summary(merged))
    audit.record(actor, declaration, "修改", before=declaration.get_status_display(),
                 after=declaration.get_status_display(), changes=changes)
    signals.draft_updated.send(sender=Declaration, declaration=declaration, before=before, after=merged, actor=actor)
    declaration.save_warnings = findings.warnings
    return declaration


@transaction.atomic
def copy_declaration(actor: Actor, declaration_id: int | str) -> Declaration:
    """复制 into a new draft (for a rejected declaration: amend the copy and declare it again)."""
    source = get_declaration(actor, declaration_id)
    data = payload.from_instance(source)
    data.head["internal_no"] = ""  # the enterprise's number names one declaration: the copy gets its own
    for row in data.items:
        row.pop("g_no", None)
    copy = Declaration.objects.create(
        enterprise=actor.enterprise, created_by=actor.user, status=DeclarationStatus.DRAFT, copied_from=source,
        **data.head,
    )
    for index, row in enumerate(data.items):
        row["g_no"] = index + 1
    _write_children(copy, data, [c.key for c in CHILDREN])
    audit.record(actor, copy, "复制", after=DeclarationStatus.DRAFT.label, opinion=f"复制自{source}")
    return copy


@transaction.atomic
def delete_declarations(actor: Actor, ids: list[int | str]) -> int:
    """删除 drafts (and failed imports); an operator deletes only what they created."""
    declarations = [get_declaration(actor, pk, for_update=True) for pk in ids]
    for declaration in declarations:
        if declaration.status not in DELETABLE:
            raise ServiceError(f"{declaration}状态为“{declaration.get_status_display()}”, 只能删除暂存的报关单")
        if not actor.is_admin and declaration.created_by_id != actor.user.pk:
            raise Forbidden("操作员只能删除自己录入的报关单")
    for declaration in declarations:
        audit.record(actor, declaration, "删除", before=declaration.get_status_display(), after="已删除")
        declaration.delete()
    return len(declarations)
