"""许可证 and 证书: every change goes through these functions (one transaction, logged).

Input is a plain dict (form, API and Excel import send the same shape)::

    {"licence_no": "24-AA-100123", "docu_code": "1", "licence_type": "", "holder_name": "...",
     "holder_code": "6101930001", "issuer": "商务部配额许可证事务局", "valid_from": "2024-01-01",
     "valid_to": "2024-12-31", "note": "",
     "lines": [{"id": 3, "code_ts": "2903710000", "g_name": "一氯二氟甲烷", "qty": "2000", "unit": "035"}]}

Errors name the field (``lines[0].code_ts``) in Chinese. On update, the keys given replace the
stored values; ``lines`` given replaces the goods lines (rows with an ``id`` keep their identity
and history; a line that has usage cannot be removed, change its HS code or go below what was used).

Usage (核销): ``consume_declaration`` runs when a declaration is released and books, once per
(licence line, declaration), the quantities of the goods items that match each line of every
licence the declaration cites. See ``item_quantity`` for the unit rule.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.audit.records import RecordService
from guanwu.core.errors import FieldError, ServiceError
from guanwu.core.fields import FieldSpec, RowsSpec
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise
from guanwu.tenancy.validators import customs_code_error, uscc_error

from .models import (
    EXPIRY_WARNING_DAYS,
    Certificate,
    CertificateGoods,
    Licence,
    LicenceLine,
    LicenceUsage,
    ValidityStatus,
)

log = logging.getLogger(__name__)

LICENCE_SPEC = FieldSpec.from_model(Licence, [
    "licence_no", "docu_code", "licence_type", "holder_name", "holder_code", "issuer", "valid_from", "valid_to", "note",
], overrides={
    "licence_no": {"example": "24-AA-100123", "width": 20},
    "docu_code": {"code_table": "licence-docs", "example": "1 - 进口许可证", "width": 22,
                  "help": "报关单随附单证中的单证代码; 与许可证类别至少填一项"},
    "licence_type": {"code_table": "licence-types", "width": 22, "help": "检验检疫许可证类别代码"},
    "holder_name": {"width": 24, "cols": 6}, "holder_code": {"upper": True, "width": 20},
    "issuer": {"example": "商务部配额许可证事务局", "width": 20},
    "valid_from": {"example": "2024-01-01", "width": 12}, "valid_to": {"example": "2024-12-31", "width": 12},
    "note": {"width": 24, "cols": 9},
})
HS_CODE = {"max_length": None, "attrs": (("maxlength", "10"), ("inputmode", "numeric"), ("data-hs-code", ""))}
LINE_SPEC = FieldSpec.from_model(LicenceLine, ["code_ts", "g_name", "qty", "unit"], overrides={
    "code_ts": {**HS_CODE, "example": "2903710000", "help": "8位或10位, 须在税则中存在", "width": 14},
    "g_name": {"required": False, "help": "空则取税则名称", "width": 24},
    "qty": {"example": "2000", "width": 12, "negative": True},
    "unit": {"code_table": "units", "required": False, "example": "035 - 千克", "help": "空则取第一法定计量单位",
             "width": 14, "max_length": None, "placeholder": "单位"},
})
CERTIFICATE_SPEC = FieldSpec.from_model(
    Certificate, ["cert_type", "cert_no", "issuer", "issue_date", "valid_to", "note", "attachment"])


# ----------------------------------------------------------------------------- helpers


fmt_qty = LINE_SPEC["qty"].display  # 2000.00000 -> "2000"


def unit_name(code: str) -> str:
    return params.code_name("units", code) or code


def qty_text(qty: Decimal, unit: str) -> str:
    """A quantity with the name of its unit: ``2000千克``."""
    return f"{fmt_qty(qty)}{unit_name(unit)}"


def hs_lookup(code: str) -> tuple[bool, str, str]:
    """(known, tariff name, first legal unit) of an 8- or 10-digit HS code.

    8 digits is how many licences list their goods; it is known when some 10-digit code of the
    tariff starts with it, and its name and unit come from the first of them."""
    if len(code) == 10:
        item = params.tariff_item(code)
        return (True, item.name, item.first_unit) if item else (False, "", "")
    count, hits = params.search_tariff(code, limit=1)
    if count and hits:
        return True, hits[0].name, hits[0].first_unit
    return False, "", ""


def hs_row(row: dict[str, Any], err: Any) -> str:
    """A goods row's HS code (8 or 10 digits, dots dropped) known to the tariff; an empty name is
    the tariff's. Returns the code's first legal unit ("" when unknown)."""
    code = row["code_ts"] = row["code_ts"].replace(".", "")
    if not code:
        return ""
    if not code.isdigit() or len(code) not in (8, 10):
        err("code_ts", "商品编号应为8位或10位数字")
        return ""
    known, tariff_name, tariff_unit = hs_lookup(code)
    if not known:
        err("code_ts", f"商品编号 {code} 在税则中不存在")
    row["g_name"], row["_known"] = row["g_name"] or tariff_name, known
    return tariff_unit


LINES = RowsSpec(
    "lines", "商品", LINE_SPEC, LicenceLine, parent="licence", ids=True, title="商品信息", prefix="line_",
    keep=("id", "code_ts", "g_name", "qty"), extra=(("used_qty", "已核销"),), hints=(("code_ts", "data-hs-name"),),
    summary=lambda line: f"{line.code_ts} {line.g_name} {qty_text(line.qty, line.unit)}",
    locked=lambda line: bool(line.used_qty), locked_fields=("code_ts",), locked_title="已有核销记录, 不能修改",
    help="商品编号可填8位或10位; 名称和计量单位为空时按税则带出")
GOODS = RowsSpec(
    "goods", "相关商品", FieldSpec.from_model(CertificateGoods, ["code_ts", "g_name"], overrides={"code_ts": HS_CODE}),
    CertificateGoods, parent="certificate", prefix="goods_", truncate=True, skip_empty=True,
    hints=(("code_ts", "data-hs-name"),))


# ----------------------------------------------------------------------------- licences: reads


def _exhausted_q() -> Q:
    has_lines = Exists(LicenceLine.objects.filter(licence=OuterRef("pk")))
    has_balance = Exists(LicenceLine.objects.filter(licence=OuterRef("pk"), used_qty__lt=F("qty")))
    return Q(has_lines) & ~Q(has_balance)


def _validity_q(status: str, today: dt.date | None) -> Q | None:
    """``models.validity_status`` in SQL: the date condition of ``status`` (None for another status)."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return {
        ValidityStatus.EXPIRED: Q(valid_to__lt=today),
        ValidityStatus.EXPIRING: Q(valid_to__gte=today, valid_to__lte=soon),
        ValidityStatus.VALID: Q(valid_to__isnull=True) | Q(valid_to__gt=soon),
    }.get(status)  # type: ignore[call-overload]


def filter_status(qs: QuerySet, status: str, today: dt.date | None = None) -> QuerySet:
    """Licences or certificates whose ``status()`` is ``status`` (the same precedence, in SQL; a
    certificate's status is its dates'); "" or a status they cannot have: all of them."""
    today = today or timezone.localdate()
    current = Q(valid_from__lte=today, valid_to__gte=today)
    if status == ValidityStatus.EXPIRED or qs.model is Certificate:
        condition = _validity_q(status, today)
        return qs if condition is None else qs.filter(condition)
    if status == ValidityStatus.NOT_YET:
        return qs.filter(valid_from__gt=today)
    if status == ValidityStatus.EXHAUSTED:
        return qs.filter(current & _exhausted_q())
    if status in (ValidityStatus.EXPIRING, ValidityStatus.VALID):
        return qs.filter(current & ~_exhausted_q() & _validity_q(status, today))
    if status == "usable":  # may be cited today
        return qs.filter(current & ~_exhausted_q())
    return qs


def search_licences(
    actor: Actor, *, q: str = "", docu_code: str = "", status: str = "", code_ts: str = "",
    expires_before: dt.date | None = None,
) -> QuerySet[Licence]:
    qs = LICENCES.search(actor, q, docu_code=docu_code, valid_to__lte=expires_before)
    if code_ts:
        qs = qs.filter(Exists(LicenceLine.objects.filter(licence=OuterRef("pk"), code_ts__startswith=code_ts.strip())))
    return filter_status(qs, status)


def usages(licence: Licence) -> QuerySet[LicenceUsage]:
    return LicenceUsage.objects.filter(line__licence=licence).select_related("line", "declaration")


# ----------------------------------------------------------------------------- licences: writes


class LicenceServices(RecordService):
    """许可证: the head from ``LICENCE_SPEC``, the goods lines below; all errors at once."""

    model = Licence
    spec = LICENCE_SPEC
    what = "许可证"
    search_fields = ("licence_no", "holder_name", "issuer", "lines__g_name")
    unique = (("licence_no",), "licence_no", "许可证编号 {licence_no} 已存在")
    single_message = False
    rows = (LINES,)
    date_order = ("valid_from", "valid_to", "有效期止不能早于有效期起")

    def check(self, actor: Actor, values: dict[str, Any], instance: Any, errors: list[FieldError]) -> None:
        failed = {e.field for e in errors}
        if not values["docu_code"] and not values["licence_type"] and not failed & {"docu_code", "licence_type"}:
            errors.append(FieldError("docu_code", "请选择监管证件代码或许可证类别"))
        code = values["holder_code"]
        if code and "holder_code" not in failed:
            message = customs_code_error(code) if len(code) == 10 else uscc_error(code) if len(code) == 18 else (
                "持证单位代码应为10位海关编码或18位统一社会信用代码"
            )
            if message:
                errors.append(FieldError("holder_code", message))

    def check_row(self, key: str, row: dict[str, Any], err: Any) -> None:
        tariff_unit = hs_row(row, err)
        if not row["g_name"]:
            err("g_name", "商品名称不能为空")
        if row["qty"] is not None and row["qty"] <= 0:
            err("qty", "许可数量应大于0")
        if not row["unit"] and tariff_unit and not params.code_exists("units", tariff_unit):
            err("unit", f"计量单位 {tariff_unit} 不存在")
        row["unit"] = row["unit"] or tariff_unit
        if not row["unit"]:
            err("unit", "计量单位不能为空")

    def clean_children(self, actor: Actor, data: dict[str, Any], instance: Any,
                       errors: list[FieldError]) -> dict[str, list[dict[str, Any]]] | None:
        children = super().clean_children(actor, data, instance, errors)
        lines = (children or {}).get("lines")
        if lines is None:
            return children
        seen: dict[str, int] = {}
        for index, row in enumerate(lines):
            code = row["code_ts"]
            if row.pop("_known", False):
                if code in seen:
                    LINES.err(errors, index, "code_ts", f"商品编号 {code} 与第{seen[code] + 1}行重复")
                seen.setdefault(code, index)
        if instance is None and any(row["id"] is not None for row in lines):
            errors.append(FieldError("lines", "新增许可证的商品不能带编号"))
        if instance is not None:
            errors.extend(_line_errors(instance, lines))
        return children

    def check_delete(self, obj: Licence) -> None:
        if LicenceUsage.objects.filter(line__licence=obj).exists():
            raise ServiceError(f"{obj}已有核销记录, 不能删除")


def _line_errors(licence: Licence, lines: list[dict[str, Any]]) -> list[FieldError]:
    """What the stored lines (their 核销 records) forbid in the new list of lines."""
    errors: list[FieldError] = []
    existing = {line.pk: line for line in licence.lines.select_for_update()}
    kept: set[int] = set()

    def err(index: int, name: str, message: str) -> None:
        errors.append(FieldError(f"lines[{index}].{name}", f"商品第{index + 1}行{message}"))

    for index, item in enumerate(lines):
        if item["id"] is None:
            continue
        line = existing.get(item["id"])
        if line is None or line.pk in kept:
            err(index, "id", "不属于本许可证" if line is None else "重复")
            continue
        kept.add(line.pk)
        for name, label in (("code_ts", "商品编号"), ("unit", "计量单位")):
            if line.used_qty and item[name] != getattr(line, name):
                err(index, name, f"已有核销记录, 不能修改{label}")
        if item["qty"] is not None and item["qty"] < line.used_qty:
            err(index, "qty", f"许可数量不能小于已核销数量 {fmt_qty(line.used_qty)}")
    for pk, line in existing.items():
        if pk not in kept and (line.used_qty or line.usages.exists()):
            errors.append(FieldError("lines", f"商品 {line.code_ts} {line.g_name} 已有核销记录, 不能删除"))
    return errors


LICENCES = LicenceServices()
licences, get_licence = LICENCES.queryset, LICENCES.get
create_licence, update_licence = LICENCES.create, LICENCES.update
delete_licences, delete_licence = LICENCES.delete_many, LICENCES.delete


# ----------------------------------------------------------------------------- usage (核销)


def item_quantity(item: Any, unit: str) -> tuple[Decimal | None, str]:
    """The quantity of a goods item in a licence line's unit, and a note.

    Licences state quantities in a unit of their own (usually the first legal unit of the HS
    code). The item's quantity in the same unit is taken: 第一法定数量 when the line's unit is the
    first legal unit, else 第二法定数量 when it is the second, else 成交数量 when it is the
    declared unit. When none of the item's units is the line's unit nothing is consumed and the
    usage row says so, for a person to settle: converting units here would be a guess."""
    for qty_name, unit_name_ in (("first_qty", "first_unit"), ("second_qty", "second_unit"), ("g_qty", "g_unit")):
        if getattr(item, unit_name_, "") == unit and getattr(item, qty_name, None) is not None:
            return getattr(item, qty_name), ""
    units = "/".join(unit_name(u) for u in dict.fromkeys(
        (item.first_unit, item.second_unit, item.g_unit)) if u)
    return None, f"第{item.g_no}项计量单位({units})与许可证单位({unit_name(unit)})不一致, 未核销, 请人工核对"


def best_line(lines: list[LicenceLine], code_ts: str) -> LicenceLine | None:
    """The line whose HS code covers ``code_ts`` most specifically (10 digits before 8)."""
    matches = [line for line in lines if code_ts and code_ts.startswith(line.code_ts)]
    return max(matches, key=lambda line: (len(line.code_ts), -line.line_no)) if matches else None


@dataclass
class _Citation:
    licence: Licence
    # item pk -> (许可证核销数量, its unit) given on the item's 产品资质 line, or (None, "")
    items: dict[int, tuple[Decimal | None, str]] = field(default_factory=dict)
    all_items: bool = False


def licences_by_number(enterprise: Enterprise | int, numbers: set[str]) -> dict[str, Licence]:
    """The enterprise's licences of ``numbers`` (with their lines), by licence number."""
    qs = Licence.objects.for_enterprise(enterprise).filter(licence_no__in=numbers).prefetch_related("lines")
    return {lic.licence_no: lic for lic in qs} if numbers else {}


def _citing_rows(declaration_ids: list[int]) -> tuple[list[Any], list[Any]]:
    """The 随附单证 rows with a licence number and the 产品资质 rows with one of the declarations."""
    from guanwu.declarations.models import DeclarationGoodsLimit, DeclarationLicence

    return (list(DeclarationLicence.objects.filter(declaration_id__in=declaration_ids).exclude(cert_code="")),
            list(DeclarationGoodsLimit.objects.filter(item__declaration_id__in=declaration_ids)
                 .exclude(licence_no="").select_related("item")))


def cited_licences(declaration: Any) -> list[_Citation]:
    """The licences of the declaration's enterprise it cites: 随附单证 (docu_code + cert_code,
    every item) and 产品资质 of goods items (lic_type_code + licence_no, that item, with the
    许可证核销数量 when given)."""
    docs, limits = _citing_rows([declaration.pk])
    found = licences_by_number(declaration.enterprise_id,
                               {d.cert_code.strip() for d in docs} | {g.licence_no.strip() for g in limits})
    out: dict[int, _Citation] = {}
    for doc in docs:
        lic = found.get(doc.cert_code.strip())
        if lic is not None and (not lic.docu_code or lic.docu_code == doc.docu_code):
            out.setdefault(lic.pk, _Citation(lic)).all_items = True
    for limit in limits:
        lic = found.get(limit.licence_no.strip())
        if lic is None or (lic.licence_type and limit.lic_type_code and lic.licence_type != limit.lic_type_code):
            continue
        try:  # the 许可证核销数量 as a licence line's quantity is read
            explicit = LINE_SPEC["qty"].clean(limit.lic_wrtof_qty)
        except ValueError:
            explicit = None
        citation = out.setdefault(lic.pk, _Citation(lic))
        citation.items[limit.item_id] = (explicit if explicit and explicit > 0 else None, limit.lic_wrtof_qty_unit)
    return list(out.values())


def consume_declarations(declarations: list[Any]) -> list[LicenceUsage]:
    """``consume_declaration`` for each of ``declarations`` that cites a licence number at all
    (two queries find them, so a round of released declarations citing none costs nothing more)."""
    docs, limits = _citing_rows([d.pk for d in declarations])
    citing = {d.declaration_id for d in docs} | {g.item.declaration_id for g in limits}
    created: list[LicenceUsage] = []
    for declaration in declarations:
        if declaration.pk in citing:
            created.extend(consume_declaration(declaration))
    return created


def consume_declaration(declaration: Any) -> list[LicenceUsage]:
    """Book what a released declaration consumed of the licences it cites. Idempotent: a
    (licence line, declaration) pair is booked once, whatever calls this again."""
    created: list[LicenceUsage] = []
    for citation in cited_licences(declaration):
        try:
            created.extend(_consume_one(citation, declaration))
        except IntegrityError:  # booked concurrently by another process: already done
            log.info("licence %s usage for declaration %s already booked", citation.licence.pk, declaration.pk)
    return created


@transaction.atomic
def _consume_one(citation: _Citation, declaration: Any) -> list[LicenceUsage]:
    from guanwu.declarations.models import DeclarationItem

    licence = Licence.objects.select_for_update().get(pk=citation.licence.pk)
    lines = list(licence.lines.select_for_update().order_by("line_no"))
    if not lines:
        return []
    done = set(LicenceUsage.objects.filter(line__in=lines, declaration=declaration).values_list("line_id", flat=True))
    items = DeclarationItem.objects.filter(declaration=declaration).order_by("g_no")
    if not citation.all_items:
        items = items.filter(pk__in=list(citation.items))
    booked: dict[int, dict[str, Any]] = {}
    for item in items:
        line = best_line(lines, item.code_ts)
        if line is None or line.pk in done:
            continue
        explicit, explicit_unit = citation.items.get(item.pk, (None, ""))
        if explicit is not None and (not explicit_unit or explicit_unit == line.unit):
            qty, note = explicit, ""
        else:
            qty, note = item_quantity(item, line.unit)
        entry = booked.setdefault(line.pk, {"line": line, "qty": Decimal(0), "g_nos": [], "notes": []})
        entry["g_nos"].append(str(item.g_no))
        if qty is not None:
            entry["qty"] += qty
        if note:
            entry["notes"].append(note)
    created = []
    for entry in booked.values():
        line = entry["line"]
        with transaction.atomic():
            usage = LicenceUsage.objects.create(
                line=line, declaration=declaration, qty=entry["qty"], g_nos=",".join(entry["g_nos"]),
                note="; ".join(entry["notes"])[:255],
            )
        line.used_qty = F("used_qty") + entry["qty"]
        line.save(update_fields=["used_qty"])
        line.refresh_from_db(fields=["used_qty"])
        created.append(usage)
    if created:
        lines_text = "; ".join(
            f"第{u.line.line_no}行 {u.line.code_ts} 核销 {qty_text(u.qty, u.line.unit)}"
            f", 余量 {fmt_qty(u.line.remaining)}" for u in created
        )
        audit.record(None, licence, "报关单放行核销", opinion=f"{declaration}: {lines_text}",
                     after=licence.status_label(), enterprise=licence.enterprise)
    return created


# ----------------------------------------------------------------------------- expiry


@dataclass(frozen=True)
class Expiring:
    kind: str  # "licence" | "certificate"
    obj: Any
    valid_to: dt.date
    days: int


def expiring(enterprise: Enterprise | int, days: int = EXPIRY_WARNING_DAYS,
             today: dt.date | None = None) -> list[Expiring]:
    """Licences (with a balance left) and certificates that expire within ``days``, soonest first."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=days)
    out: list[Expiring] = []
    lic_qs = (
        Licence.objects.for_enterprise(enterprise)
        .filter(valid_from__lte=today, valid_to__gte=today, valid_to__lte=until)
        .exclude(_exhausted_q())
    )
    for lic in lic_qs:
        out.append(Expiring("licence", lic, lic.valid_to, (lic.valid_to - today).days))
    for cert in Certificate.objects.for_enterprise(enterprise).filter(valid_to__gte=today, valid_to__lte=until):
        out.append(Expiring("certificate", cert, cert.valid_to, (cert.valid_to - today).days))
    out.sort(key=lambda e: (e.valid_to, e.kind, e.obj.pk))
    return out


# ----------------------------------------------------------------------------- certificates


def search_certificates(actor: Actor, *, q: str = "", cert_type: str = "", status: str = "",
                        code_ts: str = "") -> QuerySet[Certificate]:
    qs = CERTIFICATES.search(actor, q, cert_type=cert_type)
    if code_ts:
        qs = qs.filter(Exists(CertificateGoods.objects.filter(certificate=OuterRef("pk"),
                                                             code_ts__startswith=code_ts.strip())))
    return filter_status(qs, status)


class CertificateServices(RecordService):
    """证书: the fields of ``CERTIFICATE_SPEC``, the goods it covers and the scanned original."""

    model = Certificate
    spec = CERTIFICATE_SPEC
    what = "证书"
    search_fields = ("cert_no", "issuer", "goods__g_name")
    unique = (("cert_type", "cert_no"), "cert_no", "证书编号 {cert_no} 已存在")
    attachment = "attachment"
    rows = (GOODS,)
    date_order = ("issue_date", "valid_to", "有效期至不能早于签发日期")

    def check_row(self, key: str, row: dict[str, Any], err: Any) -> None:
        hs_row(row, err)


CERTIFICATES = CertificateServices()
certificates, get_certificate = CERTIFICATES.queryset, CERTIFICATES.get
create_certificate, update_certificate = CERTIFICATES.create, CERTIFICATES.update
delete_certificates, delete_certificate = CERTIFICATES.delete_many, CERTIFICATES.delete
