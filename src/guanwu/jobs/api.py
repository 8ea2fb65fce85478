from __future__ import annotations

from django.urls import reverse
from ninja import Router, Schema

from . import services

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    status_display: str
    total: int
    done: int
    failed: int
    percent: int
    stage: str
    message: str
    result: dict
    error_file_url: str | None


def job_out(job) -> dict:
    return {
        "id": job.pk, "kind": job.kind, "title": job.title, "status": job.status,
        "status_display": job.get_status_display(), "total": job.total, "done": job.done, "failed": job.failed,
        "percent": job.percent, "stage": job.stage, "message": job.message, "result": job.result or {},
        "error_file_url": reverse("jobs:error-file", args=[job.pk]) if job.output_file else None,
    }


@router.get("/{int:job_id}", response=JobOut)
def get_job(request, job_id: int):
    return job_out(services.get(request.auth, job_id))
