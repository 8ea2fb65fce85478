"""Submitting, running and recovering background jobs.

The Huey task that runs a job (``run_job_task``) is declared here, beside ``run``: ``submit``
queues it, and ``tasks.py`` only keeps the clock (the watchdog and the start-up recovery), so
the services never import the tasks module."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import task

from guanwu.core.errors import NotFound
from guanwu.tenancy.context import Actor

from .models import Job, JobStatus
from .progress import Progress
from .registry import handler_for

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(seconds=90)
MAX_ATTEMPTS = 3


def submit(actor: Actor, kind: str, title: str, *, params: dict[str, Any] | None = None,
           input_file: str = "", total: int = 0) -> Job:
    """Create a job row and queue it once the surrounding transaction commits."""
    handler_for(kind)  # fail early on an unknown kind
    job = Job.objects.create(
        enterprise=actor.enterprise, user=actor.user, kind=kind, title=title,
        params=params or {}, input_file=input_file, total=total,
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    run_job_task(job_id)


def get(actor: Actor, job_id: int) -> Job:
    job = Job.objects.for_enterprise(actor.enterprise).filter(pk=job_id).first()
    if job is None:
        raise NotFound("任务不存在")
    return job


def _claim(job_id: int) -> Job | None:
    """Mark a queued job running; None when another worker has it or it is finished."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, stage="",
    )
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    job.attempts += 1
    return job


def run(job_id: int) -> None:
    job = _claim(job_id)
    if job is None:
        return
    progress = Progress(job)
    try:
        handler_for(job.kind)(progress)
    except Exception as exc:  # the handler failed: record it, never crash the worker
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished_at=timezone.now(),
            message=job.message or f"处理失败: {exc}", done=job.done, failed=job.failed,
            total=job.total, result=job.result, output_file=job.output_file,
        )
        return
    Job.objects.filter(pk=job.pk).update(
        status=job.status if job.status in {JobStatus.FAILED, JobStatus.CANCELLED} else JobStatus.SUCCEEDED,
        finished_at=timezone.now(), heartbeat_at=timezone.now(),
        done=job.done, failed=job.failed, total=job.total, stage=job.stage,
        message=job.message, result=job.result, output_file=job.output_file,
    )


@task(retries=0)
def run_job_task(job_id: int) -> None:
    """The worker's wake-up for one job; the job row holds everything else."""
    run(job_id)


def recover_stale(now=None) -> list[int]:
    """Requeue jobs whose worker died (no heartbeat for a while); give up after MAX_ATTEMPTS.

    Handlers are written so that a rerun does no harm: they write their results in one
    transaction, which a dead worker never committed.
    """
    now = now or timezone.now()
    requeued: list[int] = []
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    for job in stale:
        if job.attempts >= MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, finished_at=now, message="任务多次中断,已停止重试"
            )
            continue
        if Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(status=JobStatus.QUEUED):
            requeued.append(job.pk)
    forgotten = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - STALE_AFTER)
    requeued.extend(forgotten.values_list("pk", flat=True))
    for job_id in dict.fromkeys(requeued):
        enqueue(job_id)
    return requeued
