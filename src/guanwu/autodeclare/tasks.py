"""The engine's clock: the watchdogs and the start-up recovery wake the services.

The tasks a service queues itself live beside it (``services.engine.run_batch`` and
``work_batch``, ``services.notifications.send_notification_email`` and ``deliver_webhook``);
this module only holds what runs on a schedule, so no service imports it."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, on_startup, periodic_task

from .services import engine, notifications


@periodic_task(crontab(minute="*"))
def autodeclare_watchdog() -> None:
    engine.resume()


@on_startup()
def resume_on_startup() -> None:
    if not HUEY.immediate:
        engine.resume(startup=True)


@periodic_task(crontab(minute="*"))
def webhook_watchdog() -> None:
    notifications.retry_due()
