"""The jobs' clock: the watchdog and the start-up recovery wake ``services.recover_stale``.

The task that runs one job (``services.run_job_task``) lives beside ``services.run``."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import on_startup, periodic_task

from . import services


@periodic_task(crontab(minute="*"))
def recover_stale_jobs() -> None:
    services.recover_stale()


@on_startup()
def recover_on_startup() -> None:
    services.recover_stale()
