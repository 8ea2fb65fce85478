"""How far a batch got, counted from its 申报记录 lines (the engine, the run page and the
run-ended notification read the same figures)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from ..models import OUTCOME_LEVELS, AutoRecord, Batch, RecordLevel


def batch_counts(batch: Batch | int) -> dict[str, int]:
    """succeeded / failed / waited / manual so far in a batch, from its outcome lines, and
    ``rejected``: what it sent that customs then refused (退单, 导入失败), however late."""
    rows = (AutoRecord.objects.filter(batch=batch, level__in=(*OUTCOME_LEVELS, RecordLevel.REJECTED))
            .values("level").annotate(n=Count("auto", distinct=True)))
    by_level = {r["level"]: r["n"] for r in rows}
    return {"succeeded": by_level.get(RecordLevel.SUCCESS, 0), "failed": by_level.get(RecordLevel.FAIL, 0),
            "waited": by_level.get(RecordLevel.WAIT, 0), "manual": by_level.get(RecordLevel.MANUAL, 0),
            "rejected": by_level.get(RecordLevel.REJECTED, 0)}


def handled(counts: dict[str, int]) -> int:
    """How many declarations of a batch have their outcome."""
    return counts["succeeded"] + counts["failed"] + counts["waited"] + counts["manual"]


def rejected_in(**batch_filter: Any) -> int:
    """退单/导入失败 of what the batches matching ``batch_filter`` sent (one line per send)."""
    return AutoRecord.objects.filter(level=RecordLevel.REJECTED, **{f"batch__{k}": v for k, v in batch_filter.items()}
                                     ).count()
