"""Huey tasks of the engine: wake-ups carry ids only; every state is in the database (engine.py)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, on_startup, periodic_task, task

from . import engine, notifications


@task(retries=0)
def run_batch(run_id: int, seq: int | None = None) -> int | None:
    """Open the run's next batch (or continue the unfinished one) and start its workers."""
    batch = engine.start_batch(run_id, seq)
    if batch is None:
        return None
    engine.dispatch(batch)
    return batch.pk


@task(retries=0)
def work_batch(batch_id: int) -> int:
    return engine.work(batch_id)


@periodic_task(crontab(minute="*"))
def autodeclare_watchdog() -> None:
    engine.resume()


@on_startup()
def resume_on_startup() -> None:
    if not HUEY.immediate:
        engine.resume(startup=True)


@task(retries=2, retry_delay=60)
def send_notification_email(subject: str, body: str, recipients: list[str]) -> None:
    notifications.send_email(subject, body, recipients)


@task(retries=0)
def deliver_webhook(delivery_id: int) -> None:
    notifications.deliver(delivery_id)


@periodic_task(crontab(minute="*"))
def webhook_watchdog() -> None:
    notifications.retry_due()
