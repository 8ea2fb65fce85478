from __future__ import annotations

import time

from django.utils import timezone

from .models import Job


class Progress:
    """What a running handler sees: its job, and a throttled way to report progress.

    Progress is written with single UPDATE statements outside the handler's own transaction
    work, so a page polling the job sees it move.
    """

    def __init__(self, job: Job, *, every_seconds: float = 0.5) -> None:
        self.job = job
        self._every = every_seconds
        self._last = 0.0

    def update(self, *, done: int | None = None, failed: int | None = None, total: int | None = None,
               stage: str | None = None, force: bool = False) -> None:
        fields: dict[str, object] = {}
        for name, value in (("done", done), ("failed", failed), ("total", total), ("stage", stage)):
            if value is not None:
                setattr(self.job, name, value)
                fields[name] = value
        now = time.monotonic()
        if not force and now - self._last < self._every:
            return
        self._last = now
        fields["heartbeat_at"] = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(**fields)
