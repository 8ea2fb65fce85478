"""What each enterprise uses: counts of the codes its declarations named, for the pickers.

``record`` runs after the declaring transaction commits: the counts only rank picker results,
so a lost count (two declarations of one enterprise committing the same new code at once, or
a lock conflict) is logged and never fails or delays the declaration.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CodeUsage

log = logging.getLogger(__name__)


def counts(enterprise_id: int | None, table: str) -> dict[str, int]:
    """``{code: uses}`` of one table for one enterprise (empty without an enterprise)."""
    if not enterprise_id:
        return {}
    return dict(
        CodeUsage.objects.filter(enterprise_id=enterprise_id, table=table, uses__gt=0).values_list("code", "uses")
    )


def record(enterprise_id: int, uses: Iterable[tuple[str, str]]) -> None:
    """Count one use of each ``(table, code)`` for the enterprise, once the current transaction
    commits (at once outside a transaction)."""
    pairs = sorted({(table, str(code)) for table, code in uses if table and code})
    if pairs:
        transaction.on_commit(lambda: _record(enterprise_id, pairs))


def _record(enterprise_id: int, pairs: list[tuple[str, str]]) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            wanted = set(pairs)
            rows = (
                CodeUsage.objects.select_for_update()
                .filter(enterprise_id=enterprise_id, code__in={code for _, code in pairs})
                .order_by("pk")  # rows locked in one order by every writer: no deadlock
                .values_list("pk", "table", "code")
            )
            found = {(table, code): pk for pk, table, code in rows if (table, code) in wanted}
            if found:
                CodeUsage.objects.filter(pk__in=found.values()).update(uses=F("uses") + 1, last_used_at=now)
            new = [
                CodeUsage(enterprise_id=enterprise_id, table=table, code=code, uses=1, last_used_at=now)
                for table, code in pairs if (table, code) not in found
            ]
            if new:
                CodeUsage.objects.bulk_create(new, ignore_conflicts=True)
    except DatabaseError as exc:  # a count is a ranking hint: never worth failing for
        log.warning("code usage of enterprise %s not counted: %s", enterprise_id, exc)
