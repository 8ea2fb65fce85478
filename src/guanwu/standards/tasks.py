"""The simulator's monthly 规范申报 review, on the 1st of each month for the previous month."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import periodic_task

from guanwu.core.errors import ServiceError

from .services import monthly

log = logging.getLogger(__name__)


@periodic_task(crontab(day="1", hour="2", minute="30"))
def standards_monthly_review() -> None:
    try:
        monthly.review_month(monthly.previous_month())
    except ServiceError as exc:  # already published: nothing to do
        log.info("standards monthly review: %s", exc)
