"""数据查询 加工贸易账册查询 (seed section 四): 选择可查询企业 is required — the enterprise itself
and, for a broker, the customers it declares for (datacenter customers with a 海关编码, approved);
the query reads the actor's own rows whose 经营单位 is that enterprise."""

from __future__ import annotations

from django.db.models import QuerySet

from guanwu.core.errors import FieldError, ServiceError
from guanwu.tenancy.context import Actor

from ..models import Book, QualificationApplication


def queryable_enterprises(actor: Actor) -> list[tuple[str, str]]:
    """(海关编码, 名称) the user may query: the enterprise first, then its approved customers."""
    from guanwu.datacenter.customers.models import Customer

    out = [(actor.enterprise.customs_code, actor.enterprise.name)]
    seen = {actor.enterprise.customs_code}
    for code, name in (Customer.objects.for_enterprise(actor.enterprise).filter(status="approved")
                       .exclude(customs_code="").order_by("name").values_list("customs_code", "name")):
        if code not in seen:
            seen.add(code)
            out.append((code, name))
    return out


def _enterprise(actor: Actor, enterprise_code: str) -> str:
    code = (enterprise_code or "").strip()
    if not code:
        raise ServiceError.fields([FieldError("enterprise_code", "请选择可查询企业")])
    if code not in {c for c, _n in queryable_enterprises(actor)}:
        raise ServiceError.fields([FieldError("enterprise_code", f"企业{code}不在可查询企业之列")])
    return code


def query_books(actor: Actor, enterprise_code: str, *, ems_no: str = "", seq_no: str = "", status: str = "",
                etps_preent_no: str = "") -> QuerySet[Book]:
    """加工贸易账册查询: the books of the chosen enterprise (经营单位), other conditions optional."""
    qs = Book.objects.for_enterprise(actor.enterprise).filter(bizop_etpsno=_enterprise(actor, enterprise_code))
    for field, value in (("ems_no", ems_no), ("seq_no", seq_no), ("etps_preent_no", etps_preent_no)):
        if value.strip():
            qs = qs.filter(**{field: value.strip()})
    if status:
        qs = qs.filter(status__in=status.split(","))
    return qs


def query_applications(actor: Actor, enterprise_code: str, *, seq_no: str = "", status: str = "",
                       netwk_etps_arcrp_no: str = "") -> QuerySet[QualificationApplication]:
    qs = QualificationApplication.objects.for_enterprise(actor.enterprise).filter(
        bizop_etpsno=_enterprise(actor, enterprise_code))
    for field, value in (("seq_no", seq_no), ("netwk_etps_arcrp_no", netwk_etps_arcrp_no)):
        if value.strip():
            qs = qs.filter(**{field: value.strip()})
    if status:
        qs = qs.filter(status__in=status.split(","))
    return qs
