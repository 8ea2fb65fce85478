"""The 智能辅助申报 engine: batches of marked drafts, checked per profile, declared through the gateway.

A run goes batch after batch until stopped::

    open_batch(run)     queue the marked drafts the run's profiles match (queued_batch = batch)
    work(batch)         N workers claim queued rows in chunks (SKIP LOCKED on PostgreSQL; SQLite
                        serialises writers) and handle each in its own transaction
    finish(batch)       when no row is queued any more: counters, run -> waiting, next batch
                        scheduled after the profile's 统计时配置

Handling one declaration is one transaction: the checks, ``declarations.services.declare`` (which
stores the ClientSeqNo and queues the DecMessage in the outbox in the same transaction), the
new auto status and its 申报记录 lines. A worker that dies leaves its rows ``declaring`` with
nothing committed; ``resume`` gives them back to the queue once their claim is older than the
lease (at once when the dead process was on this host), so nothing is lost, and nothing is sent
twice because the declaration's own status and ClientSeqNo say whether it already went.

Every state lives in the database; Huey only carries the wake-ups: ``run_batch`` and
``work_batch`` at the end of this module, queued by the engine itself, and the watchdog in
``tasks.py`` that re-creates any wake-up a restart lost.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from huey.contrib.djhuey import HUEY, task

from guanwu.core.errors import ServiceError
from guanwu.core.locking import lock
from guanwu.declarations import services as declarations
from guanwu.declarations.models import Declaration
from guanwu.gateway.customs import ManifestSource, get_source
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Membership, Role

from .. import checks
from ..checks import FAIL, WAIT, Verdict
from ..models import (
    AgencyAgreement,
    AutoDeclaration,
    AutoRecord,
    AutoStatus,
    Batch,
    Counter,
    Profile,
    ProfileScope,
    RecordLevel,
    Run,
    RunStatus,
)
from . import agreements, notifications, tax
from .common import declaration_number, enterprise_type_q, own_codes
from .counts import batch_counts, handled
from .marks import sweep_declared

log = logging.getLogger(__name__)

HOST = socket.gethostname()
CHUNK = 10


def worker_id() -> str:
    return f"{HOST}:{os.getpid()}"


def lease() -> timedelta:
    """How long a claim may last before another worker takes the row back."""
    return timedelta(seconds=float(getattr(settings, "GUANWU_AUTODECLARE_LEASE_SECONDS", 120)))


def batch_size() -> int:
    return int(getattr(settings, "GUANWU_AUTODECLARE_BATCH_SIZE", 1000))


def worker_count() -> int:
    """How many workers take part in a batch: ``GUANWU_AUTODECLARE_WORKERS`` (setting or
    environment; with several consumer processes on Redis, their total), by default all but one
    of the consumer's worker threads, so that receipts, imports and exports go on during a batch."""
    configured = getattr(settings, "GUANWU_AUTODECLARE_WORKERS", None) or os.environ.get("GUANWU_AUTODECLARE_WORKERS")
    if configured:
        return max(1, int(configured))
    huey = settings.HUEY if isinstance(settings.HUEY, dict) else {}
    return max(1, int(huey.get("consumer", {}).get("workers", 2)) - 1)


# -- matching ------------------------------------------------------------------------------


def _codes(code: str, enterprise) -> list[str]:
    code = (code or "").strip().upper()
    own = own_codes(enterprise)
    return sorted(own) if code in own else [code]


def profile_q(profile: Profile, user_ids: Iterable[int], prefix: str = "declaration__") -> Q:
    """The declarations (through ``prefix``) a profile applies to, as a query."""
    q = Q(**{f"{prefix}ie_flag": profile.ie_flag})
    if profile.scope == ProfileScope.USER:
        return q & Q(marked_by__in=list(user_ids))
    enterprise = profile.enterprise
    if profile.agent_code:
        codes = _codes(profile.agent_code, enterprise)
        q &= Q(**{f"{prefix}agent_code__in": codes}) | Q(**{f"{prefix}agent_code_scc__in": codes})
    if profile.trade_code:
        codes = _codes(profile.trade_code, enterprise)
        q &= Q(**{f"{prefix}trade_code__in": codes}) | Q(**{f"{prefix}trade_co_scc__in": codes})
    return q


def _matches(code: str, *values: str, enterprise) -> bool:
    codes = set(_codes(code, enterprise))
    return any((v or "").strip().upper() in codes for v in values)


def match_profile(auto: AutoDeclaration, profiles: list[Profile], user_ids: dict[int, set[int]]) -> Profile | None:
    """The most specific enabled profile for a declaration: 收发货人 and 申报单位 > 收发货人 >
    申报单位 > 按用户; ties go to the oldest profile."""
    declaration = auto.declaration
    best: tuple[int, int] | None = None
    chosen = None
    for profile in profiles:
        if not profile.enabled or profile.ie_flag != declaration.ie_flag:
            continue
        if profile.scope == ProfileScope.USER:
            if auto.marked_by_id not in user_ids.get(profile.pk, set()):
                continue
            score = 1
        else:
            ent = profile.enterprise
            if profile.agent_code and not _matches(profile.agent_code, declaration.agent_code,
                                                   declaration.agent_code_scc, enterprise=ent):
                continue
            if profile.trade_code and not _matches(profile.trade_code, declaration.trade_code,
                                                   declaration.trade_co_scc, enterprise=ent):
                continue
            score = 2 + bool(profile.agent_code) + 2 * bool(profile.trade_code)
        key = (score, -profile.pk)
        if best is None or key > best:
            best, chosen = key, profile
    return chosen


@dataclass
class RunContext:
    run: Run
    profiles: list[Profile]
    user_ids: dict[int, set[int]] = field(default_factory=dict)
    notify: object | None = None  # the enterprise's NotificationSettings, read once per worker pass

    @classmethod
    def load(cls, run: Run) -> RunContext:
        profiles = list(run.profiles.filter(enabled=True).select_related("enterprise").prefetch_related("users")
                        .order_by("pk"))
        return cls(run=run, profiles=profiles, user_ids={p.pk: {u.pk for u in p.users.all()} for p in profiles},
                   notify=notifications.settings_for(run.enterprise_id))

    def candidates(self):
        """Marked declarations of the pool (drafts, and 退单/导入失败 put back by 继续智能辅助申报)
        waiting for a batch that one of the run's profiles applies to."""
        run = self.run
        q = Q()
        for profile in self.profiles:
            q |= profile_q(profile, self.user_ids[profile.pk])
        return (
            AutoDeclaration.objects.for_enterprise(run.enterprise_id)
            .filter(marked=True, auto_status=AutoStatus.WAITING, declaration__status__in=declarations.EDITABLE)
            .filter(Q(queued_batch__isnull=True) | Q(queued_batch__finished_at__isnull=False))
            .filter(enterprise_type_q(run.enterprise, run.enterprise_type, prefix="declaration__"))
            .filter(q)
        )


def run_actor(run: Run) -> Actor | None:
    """Who declares for the run: the user who started it, else an admin of the enterprise."""
    if run.started_by_id:
        actor = Actor.resolve(run.started_by, run.enterprise_id)
        if actor is not None:
            return actor
    membership = (Membership.objects.select_related("user", "enterprise")
                  .filter(enterprise_id=run.enterprise_id, role=Role.ADMIN, is_active=True).order_by("pk").first())
    return Actor.for_membership(membership) if membership else None


# -- batches -------------------------------------------------------------------------------


def new_batch_no() -> str:
    """``P`` + date + an 11-digit running number, e.g. ``P2024032100000093019``."""
    return f"P{timezone.localdate():%Y%m%d}{Counter.next('batch'):011d}"


def _stop(run: Run, reason: str) -> None:
    """The engine stops the run between batches (nothing open): the run-ended notification now."""
    run.status = RunStatus.STOPPED
    run.stopped_at = timezone.now()
    run.stop_reason = reason[:200]
    run.next_batch_at = None
    run.save(update_fields=["status", "stopped_at", "stop_reason", "next_batch_at"])
    transaction.on_commit(lambda: notifications.run_stopped(run))


def start_batch(run_id: int, seq: int | None = None) -> Batch | None:
    """Open the run's next batch (or pick up the unfinished one) and return it; None when the
    run is stopped, the trigger is stale or early, or nothing can be sent (then the next round
    is scheduled).

    A batch takes only what can be sent now (or fails a check that does not wait): the marked
    declarations that wait (未运抵, 税费未确认, no matching profile) stay out of it, each with its
    reason, written once when the reason changes; nothing waiting makes no empty batch."""
    now = timezone.now()
    run_row = Run.objects.filter(pk=run_id).values("enterprise_id", "status").first()
    if run_row is not None and run_row["status"] != RunStatus.STOPPED:
        sweep_declared(run_row["enterprise_id"])  # declared by hand while the engine looked at it
    with transaction.atomic():
        run = lock(Run.objects.select_related("enterprise", "current_batch")).filter(pk=run_id).first()
        if run is None or run.status == RunStatus.STOPPED:
            return None
        current = run.current_batch
        if current is not None and current.finished_at is None:
            return current  # a batch is going on (or was cut off by a restart): work on it
        if seq is not None and seq != run.batch_count + 1:
            return None  # a stale wake-up: that batch was opened already
        if run.status == RunStatus.WAITING and run.next_batch_at and run.next_batch_at > now + timedelta(seconds=1):
            return None  # woken early (watchdog, a duplicate schedule): the planned wake-up comes
        if not run.enterprise.setting("autodeclare_enabled"):
            _stop(run, "智能辅助申报已停用")
            return None
        context = RunContext.load(run)
        if not context.profiles:
            _stop(run, "所选预配置均已停用或删除")
            return None
        candidates = list(lock(context.candidates().order_by("pk")).values_list("pk", flat=True))
        ids = sendable(candidates, context, run)
        run.heartbeat_at = now
        if not ids:
            _schedule_next(run, now)
            return None
        batch = Batch.objects.create(
            enterprise_id=run.enterprise_id, run=run, seq=run.batch_count + 1, batch_no=new_batch_no(), total=len(ids)
        )
        AutoDeclaration.objects.filter(pk__in=ids).update(queued_batch=batch, run=run, updated_at=now)
        run.batch_count = batch.seq
        run.current_batch = batch
        run.status = RunStatus.RUNNING
        run.next_batch_at = None
        run.save(update_fields=["batch_count", "current_batch", "status", "next_batch_at", "heartbeat_at"])
    return batch


def sendable(candidate_ids: list[int], context: RunContext, run: Run) -> list[int]:
    """The candidates a batch takes (at most ``batch_size()``, in order); the others wait, and
    their reason is recorded when it is new."""
    source = get_source()
    taken: list[int] = []
    size = batch_size()
    for start in range(0, len(candidate_ids), 200):
        chunk = (AutoDeclaration.objects.filter(pk__in=candidate_ids[start:start + 200])
                 .select_related("declaration").order_by("pk"))
        for auto in chunk:
            profile = match_profile(auto, context.profiles, context.user_ids)
            verdict = waits(auto.declaration, profile, source)
            if verdict is None:
                taken.append(auto.pk)
                if len(taken) >= size:
                    return taken
            else:
                note_wait(auto, verdict, run)
    return taken


def waits(declaration: Declaration, profile: Profile | None, source: ManifestSource) -> Verdict | None:
    """Why a marked declaration cannot be sent yet, or None when a batch should take it (to send
    it, or to fail a check that does not wait). The same checks, in the same order, as
    :func:`evaluate`, up to the last one that can wait (运抵后)."""
    if profile is None:
        return Verdict(WAIT, NO_PROFILE, "no_profile")
    if declaration.self_tax:
        confirmed, assessment = tax.is_confirmed(declaration)
        if not confirmed:
            return _tax_wait(assessment)
    if not profile.arrival_required:
        return None  # nothing after the taxes waits: the batch sends it or fails it
    if profile.manifest_required or profile.compare_required:
        verdict, _manifest = checks.manifest_check(declaration, source)
        if not verdict.passed:
            return None  # fails in the batch (no manifest), before the arrival would be asked
    verdict = checks.arrival_check(declaration, source)
    return verdict if verdict.outcome == WAIT else None


def note_wait(auto: AutoDeclaration, verdict: Verdict, run: Run) -> None:
    """A declaration stays out of the batch: its reason, and a 申报记录 line when the reason is new."""
    if auto.reason == verdict.message and auto.reason_code == verdict.reason_code:
        return
    auto.reason, auto.reason_code, auto.run = verdict.message, verdict.reason_code, run
    auto.save(update_fields=["reason", "reason_code", "run", "updated_at"])
    AutoRecord.objects.create(enterprise_id=auto.enterprise_id, auto=auto, level=RecordLevel.WAIT,
                              reason_code=verdict.reason_code, message=f"待申报: {verdict.message}"[:4000],
                              user_name="系统")


NO_PROFILE = checks.REASONS["no_profile"] + ", 待预配置调整后再申报"


def _tax_wait(assessment) -> Verdict:
    return Verdict(WAIT, f"自报自缴报关单未进行税费确认 (税费合计 {assessment.total} 元), 待税费确认后再次申报",
                   "tax_unconfirmed")


def _schedule_next(run: Run, now) -> None:
    """Run -> waiting; the next batch wakes after ``wait_seconds`` (saved by the caller's transaction)."""
    run.status = RunStatus.WAITING
    run.next_batch_at = now + timedelta(seconds=run.wait_seconds)
    run.save(update_fields=["status", "next_batch_at", "heartbeat_at", "current_batch", "batch_count"])
    run_id, seq, delay = run.pk, run.batch_count + 1, run.wait_seconds

    def wake() -> None:
        run_batch.schedule(args=(run_id, seq), delay=delay)

    transaction.on_commit(wake)


def _claim(batch: Batch, token: str, size: int = CHUNK) -> list[int]:
    """Take up to ``size`` queued rows of the batch for this worker."""
    now = timezone.now()
    with transaction.atomic():
        qs = lock(AutoDeclaration.objects.filter(queued_batch=batch, auto_status=AutoStatus.WAITING).order_by("pk"),
                  skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:size])
        if not ids:
            return []
        AutoDeclaration.objects.filter(pk__in=ids, auto_status=AutoStatus.WAITING, queued_batch=batch).update(
            auto_status=AutoStatus.DECLARING, claimed_by=token, claimed_at=now, updated_at=now
        )
        Run.objects.filter(pk=batch.run_id).update(heartbeat_at=now)
    return ids


def _release(ids: list[int], token: str) -> None:
    """Give claimed rows back unprocessed (the run was stopped): 待申报, out of the batch."""
    AutoDeclaration.objects.filter(pk__in=ids, claimed_by=token, auto_status=AutoStatus.DECLARING).update(
        auto_status=AutoStatus.WAITING, claimed_by="", claimed_at=None, queued_batch=None
    )


def work(batch_id: int) -> int:
    """Handle queued rows of a batch until none is left; returns how many this worker handled."""
    token = f"{worker_id()}:{uuid.uuid4().hex[:8]}"
    source = get_source()
    handled = 0
    batch = Batch.objects.select_related("run", "run__enterprise").filter(pk=batch_id).first()
    if batch is None:
        return 0
    run = batch.run
    context = RunContext.load(run)
    actor = run_actor(run)
    while True:
        status = Run.objects.filter(pk=run.pk).values_list("status", flat=True).first()
        if status in (None, RunStatus.STOPPED) or actor is None:
            break
        ids = _claim(batch, token)
        if not ids:
            break
        for index, auto_id in enumerate(ids):
            if index and Run.objects.filter(pk=run.pk, status=RunStatus.STOPPED).exists():
                _release(ids[index:], token)
                break
            handle(auto_id, batch, context, actor, token, source)
            handled += 1
    if actor is None:
        with transaction.atomic():
            locked = Run.objects.select_for_update().get(pk=run.pk)
            if locked.status != RunStatus.STOPPED:
                _stop(locked, "没有可代为申报的企业成员")
    finish_if_done(batch_id)
    return handled


@dataclass
class Outcome:
    status: str
    level: str
    message: str
    reason_code: str = ""
    lines: list[str] = field(default_factory=list)


def number_first(auto_id: int, token: str, actor: Actor) -> None:
    """Give the claimed draft its ClientSeqNo ahead of the checks (``declarations.services.
    reserve_client_seq_no``): parallel workers then do not take turns on the enterprise's number
    counter for the whole of 申报."""
    row = (AutoDeclaration.objects.filter(pk=auto_id, claimed_by=token)
           .values("declaration_id", "declaration__client_seq_no").first())
    if row is None or row["declaration__client_seq_no"]:
        return
    declarations.reserve_client_seq_no(actor, row["declaration_id"])


def handle(auto_id: int, batch: Batch, context: RunContext, actor: Actor, token: str,
           source: ManifestSource) -> None:
    """One declaration of the batch, in one transaction; an unexpected error fails it, never the batch."""
    try:
        number_first(auto_id, token, actor)
        with transaction.atomic():
            # Locks in the order every other writer takes them (申报 by hand, 标记操作, 修改): the
            # declaration, then its auto row. ``declare`` works on this instance (no second load).
            declaration_id = (AutoDeclaration.objects.filter(pk=auto_id, claimed_by=token)
                              .values_list("declaration_id", flat=True).first())
            if declaration_id is None:
                return  # the claim was taken back (lease)
            declaration = lock(Declaration.objects.filter(pk=declaration_id)).first()
            auto = (lock(AutoDeclaration.objects.filter(pk=auto_id, claimed_by=token, auto_status=AutoStatus.DECLARING,
                                                        queued_batch=batch)).first())
            if auto is None or declaration is None:
                return  # the claim was taken back (lease) or the mark cancelled meanwhile
            auto.declaration = declaration
            profile = match_profile(auto, context.profiles, context.user_ids)
            outcome = evaluate(auto, profile, actor, source)
            _apply(auto, batch, profile, outcome, context.run, context.notify)
    except Exception as exc:
        log.exception("auto declaration %s failed", auto_id)
        with transaction.atomic():
            auto = AutoDeclaration.objects.select_for_update().filter(pk=auto_id, claimed_by=token).first()
            if auto is not None:
                _apply(auto, batch, None, Outcome(AutoStatus.FAILED, RecordLevel.FAIL,
                                                  f"系统错误, 本次未申报: {exc}"[:500], "error"), context.run)


def _apply(auto: AutoDeclaration, batch: Batch, profile: Profile | None, outcome: Outcome, run: Run,
           notify=None) -> None:
    auto.auto_status = outcome.status
    if outcome.reason_code == "manual":
        auto.marked = False  # declared by hand meanwhile: out of the pool
    auto.reason = outcome.message if outcome.status != AutoStatus.SUCCEEDED else ""
    auto.reason_code = outcome.reason_code
    auto.queued_batch = None
    auto.claimed_by = ""
    auto.claimed_at = None
    auto.batch = batch
    auto.batch_no = batch.batch_no
    auto.profile = profile or auto.profile
    auto.run = run
    auto.attempts += 1
    auto.save()
    lines = outcome.lines
    if outcome.level == RecordLevel.WAIT:
        # Waiting again for the same reason: the outcome line only, not the steps once more.
        last = auto.records.filter(level__in=(RecordLevel.WAIT, RecordLevel.FAIL, RecordLevel.SUCCESS)).order_by(
            "-id").values_list("level", "message").first()
        if last == (RecordLevel.WAIT, outcome.message):
            lines = []
    records = [AutoRecord(enterprise_id=auto.enterprise_id, auto=auto, batch=batch, level=RecordLevel.INFO,
                          message=line[:4000], user_name="系统") for line in lines]
    records.append(AutoRecord(enterprise_id=auto.enterprise_id, auto=auto, batch=batch, level=outcome.level,
                              reason_code=outcome.reason_code, message=outcome.message[:4000], user_name="系统"))
    AutoRecord.objects.bulk_create(records)
    if outcome.status == AutoStatus.SUCCEEDED and outcome.reason_code != "manual":
        notifications.declared(auto, batch, notify)


def _verdict_outcome(verdict: Verdict, lines: list[str]) -> Outcome:
    if verdict.outcome == WAIT:
        return Outcome(AutoStatus.WAITING, RecordLevel.WAIT, verdict.message, verdict.reason_code, lines)
    return Outcome(AutoStatus.FAILED, RecordLevel.FAIL, verdict.message, verdict.reason_code, lines)


def evaluate(auto: AutoDeclaration, profile: Profile | None, actor: Actor, source: ManifestSource) -> Outcome:
    """The profile's checks, then 申报; stops at the first wait or failure."""
    declaration: Declaration = auto.declaration
    lines = [f"开始智能申报统一编号为{declaration_number(declaration)}的数据!"]
    if not declarations.is_editable(declaration):
        label = declaration.get_status_display()
        return Outcome(AutoStatus.MANUAL, RecordLevel.MANUAL,
                       f"报关单已通过其他方式申报 (当前状态: {label}), 智能辅助申报不再处理, 已取消标记",
                       "manual", lines)
    if profile is None:
        return Outcome(AutoStatus.WAITING, RecordLevel.WAIT, NO_PROFILE, "no_profile", lines)
    lines.append(f"匹配预配置「{profile.name}」")

    if declaration.self_tax:
        confirmed, assessment = tax.is_confirmed(declaration)
        if not confirmed:
            return _verdict_outcome(_tax_wait(assessment), lines)
        who = ""
        if assessment.confirmed_by is not None:
            who = assessment.confirmed_by.get_full_name() or assessment.confirmed_by.get_username()
        lines.append(f"自报自缴税费已确认{f' ({who})' if who else ''}: 合计 {assessment.total} 元")

    manifest = None
    if profile.manifest_required or profile.compare_required:
        verdict, manifest = checks.manifest_check(declaration, source)
        if not verdict.passed:
            return _verdict_outcome(verdict, lines)
        lines.append(verdict.message)
    if profile.arrival_required:
        verdict = checks.arrival_check(declaration, source)
        if not verdict.passed:
            return _verdict_outcome(verdict, lines)
        lines.append(verdict.message)
    if profile.compare_required:
        verdict = checks.compare_check(declaration, manifest)
        if not verdict.passed:
            return _verdict_outcome(verdict, lines)
        lines.append(verdict.message)

    if agreements.needs_agreement(declaration):
        if profile.auto_agreement:
            agreement, created = agreements.ensure_agreement(actor, declaration, automatic=True)
            lines.append(f"{'已自动生成' if created else '已有'}代理报关委托协议 {agreement.agreement_no}")
        elif not _has_agreement(declaration):
            return _verdict_outcome(Verdict(
                FAIL, "申报单位与境内收发货人不同, 尚未生成代理报关委托协议 "
                      "(可在申报记录中手动生成, 或在预配置中勾选自动生成代理报关委托协议)", "agreement_missing"), lines)

    if not profile.auto_confirm:
        # Without 辅助确认 a warning stops the declaration, so look before sending. With it,
        # ``declare`` checks the rules itself (once) and logs the warnings it went past.
        findings = declarations.check_declaration(actor, declaration.pk)
        if findings.errors:
            return _verdict_outcome(_rules_verdict([e.message for e in findings.errors]), lines)
        if findings.warnings:
            text = "; ".join(w.message for w in findings.warnings[:20])
            return _verdict_outcome(Verdict(
                FAIL, f"存在{len(findings.warnings)}条温馨提示需手动确认 (预配置未勾选辅助确认): {text}", "warnings"),
                lines)

    try:
        declared = declarations.declare(actor, declaration.pk, locked=declaration, automatic=True)
    except ServiceError as exc:
        messages = [e.message for e in exc.errors]
        if exc.message.startswith("申报校验未通过"):
            return _verdict_outcome(_rules_verdict(messages), lines)
        details = "; ".join(messages[:20])
        return _verdict_outcome(Verdict(FAIL, f"{exc.message}{f': {details}' if details else ''}", "declare_error"),
                                lines)
    if profile.auto_confirm:
        warnings = _declare_warnings(declared)
        if warnings:
            lines.append(f"辅助确认温馨提示{len(warnings)}条: {'; '.join(warnings[:20])}")
    return Outcome(AutoStatus.SUCCEEDED, RecordLevel.SUCCESS,
                   f"申报成功(自动): 已发送海关, 客户端编号 {declared.client_seq_no}", "", lines)


def _rules_verdict(errors: list[str]) -> Verdict:
    return Verdict(FAIL, f"申报校验未通过, 共{len(errors)}处错误: {'; '.join(errors[:20])}", "rules")


def _declare_warnings(declaration: Declaration) -> list[str]:
    """The warnings ``declare`` went past, from the 申报 line it wrote in the operation log."""
    from django.contrib.contenttypes.models import ContentType

    from guanwu.audit.models import OperationLog

    opinion = (OperationLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Declaration), object_id=str(declaration.pk), action="申报")
        .order_by("-id").values_list("opinion", flat=True).first())
    return [w for w in (opinion or "").split("; ") if w]


def _has_agreement(declaration: Declaration) -> bool:
    return AgencyAgreement.objects.filter(declaration=declaration).exists()


def finish_if_done(batch_id: int) -> bool:
    """Close the batch when nothing of it is queued or in hand; schedule the next one.

    What the batch did not handle (停止申报 sent it back to the pool, or its mark was cancelled)
    is its ``returned`` count, so 报关单数 = 成功 + 失败 + 待申报 + 已手动申报 + 退回申报池. When the
    run was stopped, its run-ended notification goes out now, with the totals of this batch in."""
    now = timezone.now()
    with transaction.atomic():
        batch = Batch.objects.select_for_update().filter(pk=batch_id, finished_at__isnull=True).first()
        if batch is None:
            return False
        if AutoDeclaration.objects.filter(queued_batch=batch).exists():
            return False
        run = Run.objects.select_for_update().get(pk=batch.run_id)
        counts = batch_counts(batch)
        batch.succeeded, batch.failed, batch.waited = counts["succeeded"], counts["failed"], counts["waited"]
        batch.manual = counts["manual"]
        batch.returned = max(0, batch.total - handled(counts))
        batch.finished_at = now
        batch.save(update_fields=["succeeded", "failed", "waited", "manual", "returned", "finished_at"])
        run.total_succeeded += batch.succeeded
        run.total_failed += batch.failed
        run.heartbeat_at = now
        if run.status == RunStatus.STOPPED:
            run.save(update_fields=["total_succeeded", "total_failed", "heartbeat_at"])
            transaction.on_commit(lambda: notifications.run_stopped(run))
        else:
            run.save(update_fields=["total_succeeded", "total_failed"])
            _schedule_next(run, now)
    notifications.batch_finished(batch)
    return True


def dispatch(batch: Batch) -> None:
    """Start the workers of a batch (after the caller's commit)."""
    count = 1 if _immediate() else worker_count()
    batch_id = batch.pk

    def go() -> None:
        for _ in range(count):
            work_batch(batch_id)

    transaction.on_commit(go)


def _immediate() -> bool:
    return bool(HUEY.immediate)


# -- recovery ----------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_stale_claims(now=None, *, dead_local: bool = False) -> int:
    """Put rows back in their batch queue whose worker is gone: claims older than the lease, and
    (``dead_local``) claims of processes on this host that no longer exist."""
    now = now or timezone.now()
    stale = Q(claimed_at__lt=now - lease())
    if dead_local:
        dead = set()
        claims = (AutoDeclaration.objects.filter(auto_status=AutoStatus.DECLARING, claimed_by__startswith=f"{HOST}:")
                  .values_list("claimed_by", flat=True).distinct())
        for claim in claims:
            parts = claim.split(":")
            pid = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None
            if pid is not None and pid != os.getpid() and not _pid_alive(pid):
                dead.add(claim)
        if dead:
            stale |= Q(claimed_by__in=dead)
    return AutoDeclaration.objects.filter(stale, auto_status=AutoStatus.DECLARING).update(
        auto_status=AutoStatus.WAITING, claimed_by="", claimed_at=None
    )


def resume(now=None, *, startup: bool = False) -> list[int]:
    """Pick up what a restart or a lost wake-up left: stale claims, unfinished batches, overdue
    runs. Returns the run ids woken."""
    now = now or timezone.now()
    release_stale_claims(now, dead_local=startup)
    sweep_declared()
    # Rows given back to a batch of a stopped run go back to the pool; its batch closes.
    AutoDeclaration.objects.filter(queued_batch__run__status=RunStatus.STOPPED, auto_status=AutoStatus.WAITING).update(
        queued_batch=None)
    for batch_id in Batch.objects.filter(run__status=RunStatus.STOPPED, finished_at__isnull=True).values_list(
            "pk", flat=True):
        finish_if_done(batch_id)
    woken: list[int] = []
    quiet = now - lease()
    for run in Run.objects.exclude(status=RunStatus.STOPPED).select_related("current_batch"):
        batch = run.current_batch
        if batch is not None and batch.finished_at is None:
            in_hand = AutoDeclaration.objects.filter(queued_batch=batch, auto_status=AutoStatus.DECLARING).exists()
            if startup or (not in_hand and (run.heartbeat_at is None or run.heartbeat_at < quiet)):
                woken.append(run.pk)
                run_batch(run.pk, None)
            elif not in_hand and not AutoDeclaration.objects.filter(queued_batch=batch).exists():
                finish_if_done(batch.pk)
        elif run.status == RunStatus.RUNNING or (run.next_batch_at and run.next_batch_at < now - timedelta(seconds=30)):
            # a finished batch whose wake-up was never scheduled, or a wake-up that got lost
            woken.append(run.pk)
            run_batch(run.pk, run.batch_count + 1)
    return woken


# -- wake-ups (Huey tasks: they carry ids only) ------------------------------------------------


@task(retries=0)
def run_batch(run_id: int, seq: int | None = None) -> int | None:
    """Open the run's next batch (or continue the unfinished one) and start its workers."""
    batch = start_batch(run_id, seq)
    if batch is None:
        return None
    dispatch(batch)
    return batch.pk


@task(retries=0)
def work_batch(batch_id: int) -> int:
    return work(batch_id)
