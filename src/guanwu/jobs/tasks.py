from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import on_startup, periodic_task, task

from . import services


@task(retries=0)
def run_job_task(job_id: int) -> None:
    services.run(job_id)


@periodic_task(crontab(minute="*"))
def recover_stale_jobs() -> None:
    services.recover_stale()


@on_startup()
def recover_on_startup() -> None:
    services.recover_stale()
