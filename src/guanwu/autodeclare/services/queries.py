"""Reading auto-declared declarations, batches and records as the current enterprise may see them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from guanwu.core.errors import NotFound
from guanwu.core.ids import possible_ids
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.tenancy.context import Actor

from ..models import OUTCOME_LEVELS, AutoDeclaration, AutoRecord, AutoStatus, Batch, RecordLevel


def auto_declarations(actor: Actor, *, status: str = "", batch_no: str = "") -> QuerySet[AutoDeclaration]:
    qs = (AutoDeclaration.objects.for_enterprise(actor.enterprise)
          .select_related("declaration", "profile", "declaration__tax_assessment"))
    if status:
        qs = qs.filter(auto_status__in=[s for s in status.split(",") if s])
    if batch_no:
        # in this batch at some point (a declaration that waited there and went later is in both)
        qs = qs.filter(records__batch__batch_no=batch_no.strip()).distinct()
    return qs


def get_auto(actor: Actor, declaration_id: int | str) -> AutoDeclaration:
    ids = possible_ids([declaration_id])
    if not ids:
        raise NotFound("报关单不存在或无权访问")
    pk = ids[0]
    auto = (AutoDeclaration.objects.for_enterprise(actor.enterprise).select_related("declaration", "profile")
            .filter(declaration_id=pk).first())
    if auto is None:
        if Declaration.objects.for_enterprise(actor.enterprise).filter(pk=pk).exists():
            raise NotFound("该报关单没有智能辅助申报记录")
        raise NotFound("报关单不存在或无权访问")
    return auto


def records(auto: AutoDeclaration) -> QuerySet[AutoRecord]:
    return auto.records.select_related("batch").order_by("created_at", "id")


def get_batch(actor: Actor, batch_id: int | str) -> Batch:
    try:
        pk = int(batch_id)
    except (TypeError, ValueError):
        raise NotFound("批次不存在") from None
    batch = Batch.objects.for_enterprise(actor.enterprise).select_related("run").filter(pk=pk).first()
    if batch is None:
        raise NotFound("批次不存在")
    return batch


def batch_by_no(actor: Actor, batch_no: str) -> Batch | None:
    return Batch.objects.for_enterprise(actor.enterprise).filter(batch_no=batch_no.strip()).first()


def batch_outcomes(batch: Batch) -> QuerySet[AutoRecord]:
    """One outcome line per declaration of the batch."""
    return (AutoRecord.objects.filter(batch=batch, level__in=OUTCOME_LEVELS)
            .select_related("auto", "auto__declaration").order_by("id"))


def batch_series(actor: Actor, limit: int = 30) -> list[dict]:
    """Success / failure / wait per batch, oldest first, for the desk's chart."""
    batches = list(Batch.objects.for_enterprise(actor.enterprise).order_by("-started_at", "-id")[:limit])
    counts = (AutoRecord.objects.filter(batch__in=batches, level__in=OUTCOME_LEVELS)
              .values("batch_id", "level").annotate(n=Count("id")))
    by_batch: dict[int, dict[str, int]] = {}
    for row in counts:
        by_batch.setdefault(row["batch_id"], {})[row["level"]] = row["n"]
    out = []
    for batch in reversed(batches):
        c = by_batch.get(batch.pk, {})
        out.append({"batch_no": batch.batch_no, "id": batch.pk,
                    "succeeded": c.get(RecordLevel.SUCCESS, 0), "failed": c.get(RecordLevel.FAIL, 0),
                    "waited": c.get(RecordLevel.WAIT, 0)})
    return out


def top_failure_reasons(actor: Actor, batch: Batch | None = None, limit: int = 8) -> list[dict]:
    from ..checks import REASONS

    qs = AutoRecord.objects.for_enterprise(actor.enterprise).filter(level=RecordLevel.FAIL)
    if batch is not None:
        qs = qs.filter(batch=batch)
    rows = qs.values("reason_code").annotate(n=Count("id")).order_by("-n", "reason_code")[:limit]
    return [{"code": r["reason_code"], "label": REASONS.get(r["reason_code"], r["reason_code"] or "其他"),
             "count": r["n"]} for r in rows]


REJECTIONS = (DeclarationStatus.REJECTED, DeclarationStatus.FAILED)


def status_counts(actor: Actor) -> dict[str, int]:
    """How many declarations have each auto status (the status follows the mark: 待申报 is the
    pool), and ``rejected``: 申报成功(自动) ones customs then refused (退单, 导入失败), in one query."""
    rows = (AutoDeclaration.objects.for_enterprise(actor.enterprise).values("auto_status")
            .annotate(n=Count("id"), rejected=Count("id", filter=Q(declaration__status__in=REJECTIONS))))
    found = {r["auto_status"]: r for r in rows}
    counts = {s: found[s]["n"] if s in found else 0 for s in AutoStatus.values}
    counts["rejected"] = found[AutoStatus.SUCCEEDED]["rejected"] if AutoStatus.SUCCEEDED in found else 0
    return counts


def waiting_reasons(actor: Actor) -> list[dict]:
    """Why the pool's declarations wait (未运抵, 税费未确认 ...), most first; ``""`` is not tried yet."""
    from ..checks import REASONS

    rows = (AutoDeclaration.objects.for_enterprise(actor.enterprise).filter(marked=True,
                                                                             auto_status=AutoStatus.WAITING)
            .values("reason_code").annotate(n=Count("id")).order_by("-n", "reason_code"))
    return [{"code": r["reason_code"], "label": REASONS.get(r["reason_code"], "尚未处理") if r["reason_code"]
             else "尚未处理", "count": r["n"]} for r in rows]
