"""标记操作: add the 智能辅助申报 mark to drafts, cancel it, put failed ones back in the pool.

Marking never blocks manual declaration: a marked declaration can still be declared in the
declarations module; the engine then simply no longer finds it as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import ServiceError
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.tenancy.context import Actor

from ..models import AutoDeclaration, AutoStatus, RecordLevel
from .common import add_record, declaration_number, require_enabled

CANCEL_REFUSED = "请求参数均不符合取消条件 (报关单状态不为暂存或智能申报状态不为待申报)!"
REQUEUE_REFUSED = "所选报关单均不符合继续智能辅助申报的条件 (智能申报状态应为申报失败且报关单状态为暂存)"


@dataclass
class MarkOutcome:
    marked: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        parts = [f"添加智能辅助申报成功 {len(self.marked)} 条"]
        if self.already:
            parts.append(f"已有标记 {len(self.already)} 条")
        if self.refused:
            parts.append(f"不符合条件 {len(self.refused)} 条 (仅暂存报关单可添加标记)")
        return ", ".join(parts)


def _declarations(actor: Actor, ids: list[int | str]) -> list[Declaration]:
    wanted = sorted({int(i) for i in ids if str(i).isdigit()})
    return list(
        Declaration.objects.for_enterprise(actor.enterprise).filter(pk__in=wanted)
        .select_for_update().order_by("pk")
    )


@transaction.atomic
def mark(actor: Actor, ids: list[int | str]) -> MarkOutcome:
    """添加智能辅助申报: drafts only; a failed or unmarked one starts again as 待申报."""
    require_enabled(actor)
    if not ids:
        raise ServiceError("请先勾选要添加标记的报关单")
    outcome = MarkOutcome()
    declarations = _declarations(actor, ids)
    existing = {
        a.declaration_id: a
        for a in AutoDeclaration.objects.select_for_update().filter(declaration__in=declarations)
    }
    now = timezone.now()
    for declaration in declarations:
        auto = existing.get(declaration.pk)
        if declaration.status != DeclarationStatus.DRAFT:
            outcome.refused[declaration.pk] = f"报关单状态为{declaration.get_status_display()}"
            continue
        if auto is not None and auto.marked and auto.auto_status in (AutoStatus.WAITING, AutoStatus.DECLARING):
            outcome.already.append(declaration.pk)
            continue
        if auto is None:
            auto = AutoDeclaration(enterprise=actor.enterprise, declaration=declaration)
        auto.marked = True
        auto.marked_by = actor.user
        auto.marked_at = now
        auto.auto_status = AutoStatus.WAITING
        auto.reason = auto.reason_code = ""
        auto.queued_batch = None
        auto.save()
        add_record(auto, "添加智能辅助申报标记", user=actor.user)
        audit.record(actor, declaration, "添加智能辅助申报标记", before="无标记", after="有标记")
        outcome.marked.append(declaration.pk)
    if not outcome.marked and not outcome.already:
        raise ServiceError("所选报关单均不符合添加条件: 仅暂存状态的报关单可添加智能辅助申报标记")
    return outcome


def cancellable(auto: AutoDeclaration | None, declaration: Declaration) -> bool:
    """The seed's condition: 智能辅助申报状态是“待申报”且报关单状态“暂存”."""
    return (
        auto is not None and auto.marked and auto.auto_status == AutoStatus.WAITING
        and declaration.status == DeclarationStatus.DRAFT
    )


@transaction.atomic
def unmark(actor: Actor, ids: list[int | str]) -> int:
    """取消智能辅助申报: only where 暂存 and 待申报; none qualifying is refused with the seed's message."""
    require_enabled(actor)
    declarations = _declarations(actor, ids)
    autos = {
        a.declaration_id: a
        for a in AutoDeclaration.objects.select_for_update().filter(declaration__in=declarations)
    }
    count = 0
    for declaration in declarations:
        auto = autos.get(declaration.pk)
        if not cancellable(auto, declaration):
            continue
        auto.marked = False
        auto.queued_batch = None
        auto.save(update_fields=["marked", "queued_batch", "updated_at"])
        add_record(auto, "取消智能辅助申报标记", user=actor.user)
        audit.record(actor, declaration, "取消智能辅助申报标记", before="有标记", after="无标记")
        count += 1
    if not count:
        raise ServiceError(CANCEL_REFUSED)
    return count


def unmark_message(count: int) -> str:
    return f"本次成功取消标记 {count} 条"


@transaction.atomic
def requeue(actor: Actor, ids: list[int | str]) -> int:
    """继续智能辅助申报: failed declarations that are still drafts go back to 待申报."""
    require_enabled(actor)
    declarations = _declarations(actor, ids)
    autos = AutoDeclaration.objects.select_for_update().filter(
        declaration__in=declarations, auto_status=AutoStatus.FAILED
    ).select_related("declaration")
    count = 0
    for auto in autos:
        if auto.declaration.status not in (DeclarationStatus.DRAFT,):
            continue
        auto.auto_status = AutoStatus.WAITING
        auto.marked = True
        auto.queued_batch = None
        previous = auto.reason
        auto.reason = auto.reason_code = ""
        auto.save()
        add_record(auto, "继续智能辅助申报: 重新加入智能辅助申报池", level=RecordLevel.INFO, user=actor.user)
        audit.record(actor, auto.declaration, "继续智能辅助申报", before=AutoStatus.FAILED.label,
                     after=AutoStatus.WAITING.label, opinion=previous[:1000])
        count += 1
    if not count:
        raise ServiceError(REQUEUE_REFUSED)
    return count


def marked_drafts(actor: Actor) -> QuerySet[AutoDeclaration]:
    return AutoDeclaration.objects.for_enterprise(actor.enterprise).filter(
        marked=True, declaration__status=DeclarationStatus.DRAFT
    )


__all__ = ["CANCEL_REFUSED", "MarkOutcome", "cancellable", "declaration_number", "mark", "marked_drafts",
           "requeue", "unmark", "unmark_message"]
