"""标记操作: add the 智能辅助申报 mark to drafts, cancel it, put failed or 退单 ones back in the pool.

Marking never blocks manual declaration: a marked declaration can still be declared in the
declarations module (a page or the API); that takes it out of the pool with a 申报记录 line
(:func:`declared_by_hand`), and a worker holding it at that moment finds it declared and sends
nothing. The auto status follows the mark: a cancelled mark is 已取消标记, never 待申报.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import ServiceError
from guanwu.core.locking import lock
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.declarations.services import EDITABLE, is_editable
from guanwu.tenancy.context import Actor

from ..models import AutoDeclaration, AutoStatus, RecordLevel
from .common import add_record, declaration_number, require_enabled, user_label

CANCEL_REFUSED = "请求参数均不符合取消条件 (报关单状态不为暂存或智能申报状态不为待申报)!"
REQUEUE_REFUSED = ("所选报关单均不符合继续智能辅助申报的条件 (应为申报失败的暂存报关单, "
                   "或智能申报成功后被海关退单/导入失败的报关单)")
# 退单 and 导入失败 of what a batch sent: corrected, they go back to the pool (继续智能辅助申报).
CUSTOMS_REJECTED = frozenset({DeclarationStatus.REJECTED, DeclarationStatus.FAILED})


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
    """The seed's condition: 智能辅助申报状态是“待申报”且报关单状态“暂存” (or, put back in the pool
    after a 退单 or 导入失败, still editable)."""
    return (
        auto is not None and auto.marked and auto.auto_status == AutoStatus.WAITING
        and is_editable(declaration)
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
        auto.auto_status = AutoStatus.UNMARKED
        auto.queued_batch = None
        auto.save(update_fields=["marked", "auto_status", "queued_batch", "updated_at"])
        add_record(auto, "取消智能辅助申报标记", user=actor.user)
        audit.record(actor, declaration, "取消智能辅助申报标记", before="有标记", after="无标记")
        count += 1
    if not count:
        raise ServiceError(CANCEL_REFUSED)
    return count


def unmark_message(count: int) -> str:
    return f"本次成功取消标记 {count} 条"


def requeueable(auto: AutoDeclaration | None, declaration: Declaration) -> bool:
    """继续智能辅助申报: 申报失败 while still a draft, or sent (申报成功(自动)) and then 退单 or
    导入失败 by customs (to be corrected first; the 申报 goes again with a new ClientSeqNo)."""
    if auto is None:
        return False
    if auto.auto_status == AutoStatus.FAILED:
        return declaration.status == DeclarationStatus.DRAFT
    return auto.auto_status == AutoStatus.SUCCEEDED and declaration.status in CUSTOMS_REJECTED


@transaction.atomic
def requeue(actor: Actor, ids: list[int | str]) -> int:
    """继续智能辅助申报: failed drafts and customs rejections go back to 待申报 (with the mark)."""
    require_enabled(actor)
    declarations = _declarations(actor, ids)
    autos = AutoDeclaration.objects.select_for_update().filter(
        declaration__in=declarations, auto_status__in=(AutoStatus.FAILED, AutoStatus.SUCCEEDED)
    ).select_related("declaration")
    count = 0
    for auto in autos:
        declaration = auto.declaration
        if not requeueable(auto, declaration):
            continue
        before = auto.get_auto_status_display()
        if auto.auto_status == AutoStatus.SUCCEEDED:
            previous = f"海关{declaration.get_status_display()}: {declaration.reject_reason or declaration.fail_reason}"
        else:
            previous = auto.reason
        auto.auto_status = AutoStatus.WAITING
        auto.marked = True
        auto.queued_batch = None
        auto.reason = auto.reason_code = ""
        auto.save()
        add_record(auto, "继续智能辅助申报: 重新加入智能辅助申报池", level=RecordLevel.INFO, user=actor.user)
        audit.record(actor, declaration, "继续智能辅助申报", before=before,
                     after=AutoStatus.WAITING.label, opinion=previous[:1000])
        count += 1
    if not count:
        raise ServiceError(REQUEUE_REFUSED)
    return count


def declared_by_hand(actor: Actor, declaration: Declaration) -> None:
    """申报 by hand (a page or the API), in its transaction: a declaration of the pool (待申报,
    申报失败, or 退单 and sent again) leaves it: 已手动申报, the mark cancelled, a 申报记录 line. When
    a batch had it queued, the line is that batch's outcome, so the batch still counts it.

    A row someone else holds is not waited for (SKIP LOCKED: no deadlock): a worker handling it
    finds the declaration declared and records the same, and a row the engine was sorting for its
    next batch is swept out of the pool by :func:`sweep_declared` (nothing is sent twice: the
    engine only sends a declaration that is still editable, and ``declare`` never sends an
    已申报 one again)."""
    auto = (lock(AutoDeclaration.objects.filter(declaration_id=declaration.pk).select_related("queued_batch"),
                 skip_locked=True).first())
    if auto is None or auto.auto_status in (AutoStatus.DECLARING, AutoStatus.MANUAL, AutoStatus.UNMARKED):
        return
    if not auto.marked and auto.auto_status == AutoStatus.WAITING:
        return
    before = auto.get_auto_status_display()
    message = (f"报关单已由{user_label(actor.user)}手动申报 (智能申报状态原为{before}), 退出智能辅助申报池, "
               f"已取消标记; 客户端编号 {declaration.client_seq_no}")
    _leave_pool(auto, declaration, message, actor)


def _leave_pool(auto: AutoDeclaration, declaration: Declaration, message: str, actor: Actor | None) -> None:
    batch = auto.queued_batch if auto.queued_batch is not None and auto.queued_batch.finished_at is None else None
    before = auto.get_auto_status_display()
    auto.auto_status = AutoStatus.MANUAL
    auto.marked = False
    auto.queued_batch = None
    auto.reason = message
    auto.reason_code = "manual"
    if batch is not None:
        auto.batch = batch
        auto.batch_no = batch.batch_no
    auto.save()
    add_record(auto, message, level=RecordLevel.MANUAL if batch is not None else RecordLevel.INFO, batch=batch,
               reason_code="manual", user=actor.user if actor else None)
    audit.record(actor, declaration, "退出智能辅助申报", before=before, after=AutoStatus.MANUAL.label,
                 opinion="手动申报", enterprise=auto.enterprise_id)


def sweep_declared(enterprise_id: int | None = None, limit: int = 500) -> int:
    """Pool rows (待申报, not queued) whose declaration went out some other way meanwhile leave the
    pool as 已手动申报 (the engine's start of a batch and its watchdog call this)."""
    qs = AutoDeclaration.objects.filter(marked=True, auto_status=AutoStatus.WAITING, queued_batch__isnull=True
                                        ).exclude(declaration__status__in=EDITABLE)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    count = 0
    with transaction.atomic():
        for auto in lock(qs.select_related("declaration").order_by("pk"), skip_locked=True)[:limit]:
            declaration = auto.declaration
            message = (f"报关单已通过其他方式申报 (当前状态: {declaration.get_status_display()}), "
                       f"退出智能辅助申报池, 已取消标记")
            _leave_pool(auto, declaration, message, None)
            count += 1
    return count


def marked_drafts(actor: Actor) -> QuerySet[AutoDeclaration]:
    return AutoDeclaration.objects.for_enterprise(actor.enterprise).filter(
        marked=True, declaration__status=DeclarationStatus.DRAFT
    )


__all__ = ["CANCEL_REFUSED", "MarkOutcome", "cancellable", "declaration_number", "declared_by_hand", "mark",
           "marked_drafts", "requeue", "requeueable", "sweep_declared", "unmark", "unmark_message"]
