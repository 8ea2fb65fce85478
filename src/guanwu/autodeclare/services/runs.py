"""执行: 开始申报 and 停止申报, and what the run page and the API show of a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.tenancy.context import Actor

from ..models import (
    AutoDeclaration,
    AutoStatus,
    Batch,
    EnterpriseType,
    Profile,
    RecordLevel,
    Run,
    RunStatus,
)
from . import engine, notifications
from .common import require_enabled
from .counts import batch_counts, handled, rejected_in

ALREADY_RUNNING = "已有正在执行的智能辅助申报, 请先停止申报后再开始"
NOTHING_ELIGIBLE = ("没有符合条件的报关单: 带智能辅助申报标记的待申报报关单中, 没有与所选预配置 (进出口标志、申报单位/"
                    "境内收发货人或生效用户) 及生效企业类型相符的。请先在「标记操作」中添加标记, 或检查所选预配置")


def get_run(actor: Actor, run_id: int | str, *, for_update: bool = False) -> Run:
    try:
        pk = int(run_id)
    except (TypeError, ValueError):
        raise NotFound("智能辅助申报执行记录不存在") from None
    qs = Run.objects.for_enterprise(actor.enterprise)
    if for_update:
        qs = qs.select_for_update()
    run = qs.filter(pk=pk).first()
    if run is None:
        raise NotFound("智能辅助申报执行记录不存在")
    return run


def active_run(actor: Actor) -> Run | None:
    return (Run.objects.for_enterprise(actor.enterprise).exclude(status=RunStatus.STOPPED)
            .select_related("current_batch").first())


def latest_run(actor: Actor) -> Run | None:
    return Run.objects.for_enterprise(actor.enterprise).select_related("current_batch").first()


def list_runs(actor: Actor) -> QuerySet[Run]:
    return Run.objects.for_enterprise(actor.enterprise).select_related("current_batch", "started_by")


def selectable_profiles(actor: Actor, enterprise_type: str = "") -> QuerySet[Profile]:
    """Enabled profiles a run may use. By 申报单位: profiles naming a 申报单位 or users; by
    境内收发货人: profiles naming a 境内收发货人 or users."""
    qs = Profile.objects.for_enterprise(actor.enterprise).filter(enabled=True).order_by("ie_flag", "name", "pk")
    if enterprise_type == EnterpriseType.AGENT:
        qs = qs.exclude(scope="enterprise", agent_code="")
    elif enterprise_type == EnterpriseType.TRADE:
        qs = qs.exclude(scope="enterprise", trade_code="")
    return qs


def _clean_start(actor: Actor, profile_ids: list[Any], enterprise_type: str) -> list[Profile]:
    errors = []
    if enterprise_type not in EnterpriseType.values:
        errors.append(FieldError("enterprise_type", "请选择生效企业类型 (agent 申报单位 / trade 境内收发货人)"))
    ids = sorted({int(i) for i in profile_ids or [] if str(i).isdigit()})
    if not ids:
        errors.append(FieldError("profile_ids", "请勾选至少一条智能申报预配置规则"))
    if errors:
        raise ServiceError.fields(errors)
    profiles = list(Profile.objects.for_enterprise(actor.enterprise).filter(pk__in=ids))
    if len(profiles) != len(ids):
        raise NotFound("预配置不存在或无权访问")
    disabled = [p.name for p in profiles if not p.enabled]
    if disabled:
        raise ServiceError.fields([FieldError("profile_ids", f"预配置已停用: {', '.join(disabled)}")])
    allowed = set(selectable_profiles(actor, enterprise_type).values_list("pk", flat=True))
    wrong = [p.name for p in profiles if p.pk not in allowed]
    if wrong:
        label = EnterpriseType(enterprise_type).label
        raise ServiceError.fields([FieldError("profile_ids", f"预配置未设置{label}, 不适用于所选生效企业类型: "
                                                             f"{', '.join(wrong)}")])
    return profiles


@transaction.atomic
def start_run(actor: Actor, profile_ids: list[Any], enterprise_type: str) -> Run:
    """开始申报: the first batch starts at once (after commit), in the worker. Refused (409) while
    another run of the enterprise is active, and (422) when no marked declaration waiting in the
    pool is one the chosen profiles and 生效企业类型 apply to."""
    require_enabled(actor)
    profiles = _clean_start(actor, profile_ids, enterprise_type)
    if Run.objects.for_enterprise(actor.enterprise).exclude(status=RunStatus.STOPPED).exists():
        raise ServiceError(ALREADY_RUNNING, status=409)
    wait = min(p.batch_wait_seconds for p in profiles)
    try:
        with transaction.atomic():
            run = Run.objects.create(enterprise=actor.enterprise, enterprise_type=enterprise_type, wait_seconds=wait,
                                     started_by=actor.user, status=RunStatus.RUNNING, heartbeat_at=timezone.now())
    except IntegrityError:  # another 开始申报 of the same enterprise won the race
        raise ServiceError(ALREADY_RUNNING, status=409) from None
    run.profiles.set(profiles)
    if not engine.RunContext.load(run).candidates().exists():
        raise ServiceError(NOTHING_ELIGIBLE)  # the run is not created (this transaction rolls back)
    audit.record(actor, run, "开始申报", after=RunStatus.RUNNING.label,
                 opinion=f"生效企业类型: {run.get_enterprise_type_display()}; 预配置: "
                         + "、".join(p.name for p in profiles) + f"; 批次间隔 {wait} 秒")
    run_id = run.pk

    def first_batch() -> None:
        engine.run_batch(run_id, 1)

    transaction.on_commit(first_batch)
    return run


@transaction.atomic
def stop_run(actor: Actor, run_id: int | str, reason: str = "") -> Run:
    """停止申报, at once: nothing new is taken (a worker checks before each declaration);
    declarations in hand finish; the rest of the batch goes back to the pool as 待申报."""
    run = get_run(actor, run_id, for_update=True)
    if run.status == RunStatus.STOPPED:
        return run
    before = run.get_status_display()
    run.status = RunStatus.STOPPED
    run.stopped_at = timezone.now()
    run.stopped_by = actor.user
    run.stop_reason = (reason or "手动停止申报")[:200]
    run.next_batch_at = None
    run.save()
    batch = run.current_batch
    if batch is not None and batch.finished_at is None:
        AutoDeclaration.objects.filter(queued_batch=batch, auto_status=AutoStatus.WAITING).update(queued_batch=None)
    audit.record(actor, run, "停止申报", before=before, after=RunStatus.STOPPED.label, opinion=run.stop_reason)
    if batch is not None and batch.finished_at is None:
        # The declarations in hand finish; the batch then closes with what it did and what went
        # back to the pool, and the run-ended notification goes out with those totals.
        batch_id = batch.pk

        def close() -> None:
            engine.finish_if_done(batch_id)

        transaction.on_commit(close)
    else:
        transaction.on_commit(lambda: notifications.run_stopped(run))
    return run


def stop_runs_without_profiles(actor: Actor) -> None:
    for run in Run.objects.for_enterprise(actor.enterprise).exclude(status=RunStatus.STOPPED):
        if not run.profiles.exists():
            stop_run(actor, run.pk, reason="所选预配置已全部删除")


@dataclass
class RunView:
    """What the run panel and the API show: the seed's counters, progress and countdown.

    The current batch's 报关单数 is its 成功 + 失败 + 待申报 + 已手动申报 (``batch_done``), what is still
    queued or in hand, and what went back to the pool (``batch_returned``: 停止申报, 取消标记).
    ``batch_rejected`` / ``total_rejected``: what the batch / run sent that customs then refused."""

    run: Run
    batch: Batch | None
    batch_succeeded: int
    batch_failed: int
    batch_waited: int
    batch_manual: int
    batch_rejected: int
    batch_returned: int
    batch_done: int
    batch_total: int
    total_succeeded: int
    total_failed: int
    total_rejected: int
    seconds_to_next: int | None

    @property
    def percent(self) -> int:
        if not self.batch_total:
            return 100 if self.batch is not None and self.batch.finished_at else 0
        return min(100, int(100 * self.batch_done / self.batch_total))


def run_view(run: Run) -> RunView:
    batch = run.current_batch
    counts = {"succeeded": 0, "failed": 0, "waited": 0, "manual": 0, "rejected": 0}
    done = total = returned = 0
    total_succeeded, total_failed = run.total_succeeded, run.total_failed
    if batch is not None:
        total = batch.total
        counts = batch_counts(batch)
        done = handled(counts)
        if batch.finished_at is None:
            still = AutoDeclaration.objects.filter(queued_batch=batch).count()
            returned = max(0, total - done - still)
            total_succeeded += counts["succeeded"]  # the run's totals hold finished batches only
            total_failed += counts["failed"]
        else:
            returned = batch.returned
    seconds = None
    if run.status == RunStatus.WAITING and run.next_batch_at:
        seconds = max(0, int((run.next_batch_at - timezone.now()).total_seconds()))
    return RunView(run=run, batch=batch, batch_succeeded=counts["succeeded"], batch_failed=counts["failed"],
                   batch_waited=counts["waited"], batch_manual=counts["manual"], batch_rejected=counts["rejected"],
                   batch_returned=returned, batch_done=done, batch_total=total, total_succeeded=total_succeeded,
                   total_failed=total_failed, total_rejected=rejected_in(run=run), seconds_to_next=seconds)


def with_rejected(batches: QuerySet[Batch]) -> QuerySet[Batch]:
    """Batches with ``rejected_count`` (their 退单/导入失败) in the same query."""
    return batches.annotate(rejected_count=Count("records", filter=Q(records__level=RecordLevel.REJECTED)))


def batch_out(batch: Batch) -> dict[str, Any]:
    if batch.finished_at is None:
        counts = batch_counts(batch)
        still = AutoDeclaration.objects.filter(queued_batch=batch).count()
        returned = max(0, batch.total - handled(counts) - still)
    else:
        counts = {"succeeded": batch.succeeded, "failed": batch.failed, "waited": batch.waited,
                  "manual": batch.manual}
        counts["rejected"] = getattr(batch, "rejected_count", None)
        if counts["rejected"] is None:
            counts["rejected"] = rejected_in(pk=batch.pk)
        returned = batch.returned
    return {
        "id": batch.pk, "batch_no": batch.batch_no, "seq": batch.seq, "total": batch.total,
        "succeeded": counts["succeeded"], "failed": counts["failed"], "waiting": counts["waited"],
        "manual": counts["manual"], "returned": returned, "done": handled(counts), "rejected": counts["rejected"],
        "started_at": batch.started_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
    }


def pool_waiting(enterprise_id: int) -> int:
    """Marked declarations waiting in the pool (the run page's and the home widget's 待申报)."""
    return AutoDeclaration.objects.for_enterprise(enterprise_id).filter(marked=True,
                                                                          auto_status=AutoStatus.WAITING).count()


def run_out(run: Run) -> dict[str, Any]:
    view = run_view(run)
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "enterprise_type": run.enterprise_type,
        "profile_ids": sorted(run.profiles.values_list("pk", flat=True)),
        "wait_seconds": run.wait_seconds,
        "batch_count": run.batch_count,
        "batches": [batch_out(b) for b in with_rejected(run.batches.order_by("seq"))],
        "current_batch_no": view.batch.batch_no if view.batch else None,
        "batch_succeeded": view.batch_succeeded,
        "batch_failed": view.batch_failed,
        "batch_waiting": view.batch_waited,
        "batch_manual": view.batch_manual,
        "batch_rejected": view.batch_rejected,
        "batch_returned": view.batch_returned,
        "batch_total": view.batch_total,
        "batch_done": view.batch_done,
        "progress": view.percent,
        "total_succeeded": view.total_succeeded,
        "total_failed": view.total_failed,
        "total_rejected": view.total_rejected,
        "waiting": pool_waiting(run.enterprise_id),
        "next_batch_at": run.next_batch_at.isoformat() if run.next_batch_at else None,
        "seconds_to_next": view.seconds_to_next,
        "started_at": run.started_at.isoformat(),
        "stopped_at": run.stopped_at.isoformat() if run.stopped_at else None,
        "stop_reason": run.stop_reason,
    }
