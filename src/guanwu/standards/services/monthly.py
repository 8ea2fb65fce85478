"""The simulator's monthly review (issue 17 §1: each month, and on demand with
``guanwu standards_review --month YYYY-MM``, it reviews a sample of released declarations' items
and publishes the result the same way as a staff upload: ``reviews.check_row`` then
``reviews.publish``).

The sample: every item whose id falls in the sampled share (``rate``, a stable hash of the id, so
a rerun picks the same items), of declarations 放行/结关 whose 申报时间 is in the month. The
conclusion: the 申报要素 checker's errors (``checker.check_text`` against the catalog of the
declaration date) make the item 不规范 with those reasons; otherwise 规范.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from guanwu.core.errors import ServiceError
from guanwu.declarations.models import DeclarationItem
from guanwu.params import services as params

from ..models import Conclusion, ReviewUpload, UploadSource, UploadStatus
from . import checker, reviews
from .library import RELEASED

DEFAULT_RATE = 0.3


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    if not re.fullmatch(r"\d{4}-\d{2}", period or ""):
        raise ServiceError("月份应为 YYYY-MM, 如 2026-11")
    year, month = int(period[:4]), int(period[5:])
    if not 1 <= month <= 12:
        raise ServiceError("月份应为 01-12")
    first = dt.date(year, month, 1)
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    return first, last


def previous_month(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def _sampled(pk: int, rate: float) -> bool:
    return (pk * 2654435761) % 1000 < rate * 1000


def review_month(period: str, *, rate: float = DEFAULT_RATE, force: bool = False) -> ReviewUpload | None:
    """Review the month's sample and publish it; None when nothing was sampled. A month the
    simulator already published is refused unless ``force``."""
    first, last = month_bounds(period)
    if not 0 < rate <= 1:
        raise ServiceError("抽样比例应在 0 到 1 之间")
    done = ReviewUpload.objects.filter(source=UploadSource.SIMULATOR, period=period, status=UploadStatus.ACCEPTED)
    if done.exists() and not force:
        raise ServiceError(f"{period} 的月度审核已发布, 不再重复审核")
    local = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=local)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    items = DeclarationItem.objects.filter(
        declaration__status__in=RELEASED, declaration__declared_at__gte=start, declaration__declared_at__lt=end,
    ).values_list("id", "code_ts", "g_name", "g_model", "declaration__entry_id", "declaration__trade_mode",
                  "declaration__ie_flag", "declaration__agent_code", "declaration__agent_code_scc",
                  "declaration__trade_code", "declaration__trade_co_scc", "declaration__declared_at").order_by("id")
    rows: list[dict[str, Any]] = []
    for pk, code_ts, name, model, entry_id, mode, ie, agent, agent_scc, trade, trade_scc, declared in items.iterator():
        if not _sampled(pk, rate):
            continue
        day = declared.astimezone(local).date()
        tariff = params.tariff_item(code_ts, day)
        if tariff is None:
            continue
        errors = [f for f in checker.check_text(tariff, model or "", ie) if f.level == checker.ERROR]
        raw = {"entry_id": entry_id, "code_ts": code_ts, "g_name": name, "g_model": model, "trade_mode": mode,
               "ie_flag": ie, "agent_code": agent, "agent_scc": agent_scc, "trade_code": trade,
               "trade_scc": trade_scc, "decl_date": day, "conclusion": "规范", "reasons": ""}
        row, _problems = reviews.check_row(raw)
        if row is None:  # customs reviews only well-formed items (the element count is the upload rule)
            continue
        if errors:  # the reasons as the checker words them (they may hold ":" or ";")
            row["conclusion"] = Conclusion.NONSTANDARD
            row["reasons"] = [[f.element, f.message] for f in errors]
        row["line"] = len(rows) + 1
        rows.append(row)
    if not rows:
        return None
    return reviews.publish(rows, source=UploadSource.SIMULATOR, period=period, file_name=f"模拟海关月度审核 {period}")
