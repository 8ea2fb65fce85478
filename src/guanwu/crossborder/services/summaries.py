"""汇总申请单: create (JSON, or from selected released lists), import, read, delete.

A summary gathers lists customs released (放行/结关) into one 报关单 (spec 202205 §2.21: the
汇总申请单 lists the 清单编号 to summarise). The platform keeps a summary to one 贸易方式 (9710 or
9810: one 报关单 has one 监管方式) and one 收发货人; a list goes into one summary only (unless
that one was sent back or failed).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.imports import bulk
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..documents import SUMMARY_HEAD_FIELDS, SUMMARY_LINE_FIELDS, clean
from ..models import Batch, CebStatus, CrossborderSettings, ExportList, Summary, SummaryLine
from .batches import get_or_create_batch
from .common import delete_documents, refused
from .lists import new_cop_no

HEAD_NAMES = [f.name for f in SUMMARY_HEAD_FIELDS]
SUMMARISABLE = frozenset({CebStatus.RELEASED, CebStatus.CLOSED})
# a summary that holds its lists: any but one customs sent back or that failed
ACTIVE = frozenset(set(CebStatus.values) - {CebStatus.REJECTED, CebStatus.FAILED})


def _defaults(actor: Actor) -> dict[str, str]:
    found = CrossborderSettings.objects.for_enterprise(actor.enterprise).first()
    ent = actor.enterprise
    return {
        "customs_code": found.customs_code if found else "",
        "agent_code": (found.agent_code if found else "") or ent.customs_code,
        "agent_name": (found.agent_name if found else "") or ent.name,
        "decl_agent_code": ent.customs_code,
        "decl_agent_name": ent.name,
        "summary_flag": "1",
        "item_name_flag": "0",
    }


def _lists_by_invt_no(actor: Actor, numbers: set[str]) -> dict[str, ExportList]:
    ordered = sorted(n for n in numbers if n)
    out: dict[str, ExportList] = {}
    for start in range(0, len(ordered), 500):
        for row in ExportList.objects.for_enterprise(actor.enterprise).filter(
                invt_no__in=ordered[start:start + 500]).only(
                "id", "invt_no", "status", "trade_mode", "ebc_code", "ebc_name", "customs_code", "batch_id"):
            out[row.invt_no] = row
    return out


def _in_summaries(actor: Actor, list_ids: set[int], exclude: int | None = None) -> dict[int, str]:
    """list id -> the active summary (its 企业唯一编号) that holds it already."""
    qs = SummaryLine.objects.filter(export_list_id__in=list_ids, summary__enterprise=actor.enterprise,
                                    summary__status__in=ACTIVE)
    if exclude is not None:
        qs = qs.exclude(summary_id=exclude)
    return dict(qs.values_list("export_list_id", "summary__cop_no"))


def check_import(actor: Actor, records: list[dict[str, Any]]) -> dict[int, list[FieldError]]:
    """Clean and check summary records in place (head, ``lines`` of ``invt_no``): ``{index: errors}``."""
    defaults = _defaults(actor)
    found: dict[int, list[FieldError]] = {}
    numbers: set[str] = set()
    for index, record in enumerate(records):
        errors = [FieldError(p, m) for p, m in clean(SUMMARY_HEAD_FIELDS, record)]
        lines = record.get("lines")
        if not isinstance(lines, list) or not lines:
            errors.append(FieldError("lines", "汇总申请单至少需要一份清单(表体)"))
            lines = record["lines"] = []
        for i, line in enumerate(lines):
            if not isinstance(line, dict):
                line = lines[i] = {"invt_no": line}
            errors += [FieldError(p, m) for p, m in clean(SUMMARY_LINE_FIELDS, line, f"lines[{i}].")]
            numbers.add(line.get("invt_no") or "")
        for name, value in defaults.items():
            if not record.get(name):
                record[name] = value
        if errors:
            found[index] = errors
    lists = _lists_by_invt_no(actor, numbers)
    held = _in_summaries(actor, {row.pk for row in lists.values()})
    taken_in_file: dict[str, int] = {}
    for index, record in enumerate(records):
        errors = found.setdefault(index, [])
        modes, ebcs = set(), set()
        for i, line in enumerate(record["lines"]):
            number = line.get("invt_no") or ""
            if not number:
                continue
            row = lists.get(number)
            if row is None:
                errors.append(FieldError(f"lines[{i}].invt_no", f"清单编号{number}不是本企业的出口清单"))
                continue
            if row.status not in SUMMARISABLE:
                errors.append(FieldError(f"lines[{i}].invt_no",
                                         f"清单{number}状态为“{row.get_status_display()}”，放行后才能汇总"))
            if row.pk in held:
                errors.append(FieldError(f"lines[{i}].invt_no", f"清单{number}已在汇总申请单{held[row.pk]}中"))
            if number in taken_in_file and taken_in_file[number] != index:
                errors.append(FieldError(f"lines[{i}].invt_no", f"清单{number}在文件中重复汇总"))
            taken_in_file.setdefault(number, index)
            line["export_list_id"] = row.pk
            modes.add(row.trade_mode)
            ebcs.add((row.ebc_code, row.ebc_name))
            if not record.get("customs_code"):
                record["customs_code"] = row.customs_code
        if len(modes) > 1:
            mixed = "、".join(sorted(modes))
            errors.append(FieldError("lines", f"汇总的清单贸易方式不一致({mixed})，一份报关单只能有一种监管方式"))
        if len(ebcs) > 1:
            errors.append(FieldError("ebc_code", "汇总的清单收发货人不一致"))
        elif ebcs and not record.get("ebc_code"):
            record["ebc_code"], record["ebc_name"] = next(iter(ebcs))
        if not record.get("ebc_code"):
            record["ebc_code"], record["ebc_name"] = actor.enterprise.customs_code, actor.enterprise.name
        if not record.get("customs_code"):
            errors.append(FieldError("customs_code", "申报地海关代码：必填项不能为空（可在跨境设置中填写默认值）"))
        if not errors:
            del found[index]
    return found


def _insert(actor: Actor, records: list[dict[str, Any]], batch: Batch | None) -> list[int]:
    heads = []
    for record in records:
        record["cop_no"] = record.get("cop_no") or new_cop_no(actor)
        heads.append({name: record.get(name) or "" for name in HEAD_NAMES})
    bulk.insert(Summary, heads, enterprise_id=actor.enterprise.pk, batch_id=batch.pk if batch else None,
                created_by_id=actor.user.pk, status=CebStatus.DRAFT, msg_count=1, msg_seq_no=1)
    cops = [h["cop_no"] for h in heads]
    ids = dict(Summary.objects.for_enterprise(actor.enterprise).filter(cop_no__in=cops).values_list("cop_no", "id"))
    bulk.insert(SummaryLine, (
        {"summary_id": ids[record["cop_no"]], "invt_no": line["invt_no"], "export_list_id": line.get("export_list_id")}
        for record in records for line in record["lines"]
    ))
    return [ids[c] for c in cops]


def _taken_cops(actor: Actor, records: list[dict[str, Any]]) -> list[str]:
    cops = [r["cop_no"] for r in records if r.get("cop_no")]
    dupes = {c for c in cops if cops.count(c) > 1}
    taken = set(Summary.objects.for_enterprise(actor.enterprise).filter(cop_no__in=cops).values_list("cop_no",
                                                                                                   flat=True))
    return sorted(dupes | taken)


def import_summaries(actor: Actor, records: list[dict[str, Any]], *, checked: bool = False) -> int:
    """Save summary import records in bulk (the import's ``save``): ``batch_no`` given with the upload."""
    if not records:
        return 0
    if not checked:
        problems = check_import(actor, records)
        if problems:
            index = min(problems)
            raise ServiceError(f"第{index + 1}份汇总申请单：{problems[index][0].message}")
    taken = _taken_cops(actor, records)
    if taken:
        raise ServiceError(f"企业唯一编号{taken[0]}已存在或重复")
    batches: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        batches.setdefault(str(record.get("batch_no") or ""), []).append(record)
    for number, group in batches.items():
        batch = get_or_create_batch(actor, number)
        _insert(actor, group, batch)
        audit.record(actor, batch, "导入汇总申请单", changes={"汇总申请单数": len(group)})
    return len(records)


@transaction.atomic
def create_summary(actor: Actor, data: dict[str, Any]) -> Summary:
    """A new summary (待申报) from JSON-like ``data``: head fields, ``lines`` (清单编号 as
    ``{"invt_no": ...}`` or plain strings), ``batch_no`` (optional: the lists' batch by default)."""
    if not isinstance(data, dict):
        raise ServiceError("汇总申请单数据格式错误")
    values = dict(data)
    values["lines"] = [dict(x) if isinstance(x, dict) else {"invt_no": x} for x in (data.get("lines") or [])]
    errors = check_import(actor, [values]).get(0, [])
    batch = None
    if data.get("batch_no"):
        try:
            batch = get_or_create_batch(actor, str(data["batch_no"]))
        except ServiceError as exc:
            errors = [*exc.errors, *errors]
    if not errors and _taken_cops(actor, [values]):
        errors.append(FieldError("cop_no", f"企业唯一编号{values['cop_no']}已存在"))
    if errors:
        raise refused(errors, "汇总申请单")
    if batch is None:
        ids = [line["export_list_id"] for line in values["lines"]]
        batch_ids = set(ExportList.objects.filter(pk__in=ids).values_list("batch_id", flat=True))
        batch = Batch.objects.filter(pk=next(iter(batch_ids))).first() if len(batch_ids) == 1 else None
    (pk,) = _insert(actor, [values], batch)
    summary = Summary.objects.get(pk=pk)
    audit.record(actor, summary, "新建汇总申请单", after=CebStatus.DRAFT.label,
                 changes={"清单数": [0, len(values["lines"])]})
    return summary


def create_summary_from_lists(actor: Actor, list_ids: list[int | str], data: dict[str, Any] | None = None) -> Summary:
    """A summary of the selected lists (released, of the enterprise); 404 for another's id."""
    from .lists import get_list

    rows = [get_list(actor, pk) for pk in list_ids]
    if not rows:
        raise ServiceError.fields([FieldError("ids", "请选择要汇总的清单")])
    missing = [str(row) for row in rows if not row.invt_no]
    if missing:
        raise ServiceError.fields([FieldError("ids", f"清单{'、'.join(missing)}尚无海关清单编码，放行后才能汇总")])
    return create_summary(actor, {**(data or {}), "lines": [{"invt_no": row.invt_no} for row in rows]})


def get_summary(actor: Actor, pk: int | str, *, for_update: bool = False) -> Summary:
    """One summary of the actor's enterprise; another enterprise's id is not found (404)."""
    return get_owned(Summary.objects.for_enterprise(actor.enterprise).select_related("batch"), pk, "汇总申请单",
                     for_update=for_update)


def list_summaries(actor: Actor, *, batch_no: str = "", sum_no: str = "", status: str = "",
                   q: str = "") -> QuerySet[Summary]:
    qs = Summary.objects.for_enterprise(actor.enterprise).select_related("batch")
    if batch_no:
        qs = qs.filter(batch__batch_no=batch_no.strip())
    if sum_no:
        qs = qs.filter(sum_no__icontains=sum_no.strip())
    if status:
        qs = qs.filter(status__in=status.split(","))
    if q:
        q = q.strip()
        qs = qs.filter(Q(sum_no=q) | Q(cop_no=q) | Q(entry_id=q) | Q(batch__batch_no=q))
    return qs


@transaction.atomic
def delete_summaries(actor: Actor, ids: list[int | str]) -> int:
    """删除 summaries customs never accepted (待申报, 申报失败); an operator only their own."""
    return delete_documents(actor, [get_summary(actor, pk, for_update=True) for pk in ids], "汇总申请单",
                            entered="录入")
