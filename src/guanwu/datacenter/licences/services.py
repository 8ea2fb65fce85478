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
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.core.numbers import decimal_for_field
from guanwu.datacenter.bizdocs import files
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned
from guanwu.tenancy.models import Enterprise
from guanwu.tenancy.validators import customs_code_error, uscc_error

from .models import (
    EXPIRY_WARNING_DAYS,
    Certificate,
    CertificateGoods,
    CertificateType,
    Licence,
    LicenceLine,
    LicenceUsage,
    ValidityStatus,
)

log = logging.getLogger(__name__)

LICENCE_FIELDS = ("licence_no", "docu_code", "licence_type", "holder_name", "holder_code", "issuer", "valid_from",
                  "valid_to", "note")
CERTIFICATE_FIELDS = ("cert_type", "cert_no", "issuer", "issue_date", "valid_to", "note")
MAX_LINES = 200
QTY_PLACES = Decimal("0.00001")
ATTACHMENT_KINDS = ("pdf", "jpg", "png", "ofd")


# ----------------------------------------------------------------------------- parsing helpers


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date from a date, ``2024-11-04``, ``20241104`` or ``2024/11/04``; None when empty.
    Raises ValueError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_qty(value: Any, label: str = "") -> Decimal | None:
    """A quantity with the places and digits of ``LicenceLine.qty``; None when empty.
    Raises ValueError with a Chinese message (prefixed by ``label``)."""
    return decimal_for_field(LicenceLine._meta.get_field("qty"), value, label, negative=True)


def fmt_qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def unit_name(code: str) -> str:
    return params.code_name("units", code) or code


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


# ----------------------------------------------------------------------------- licences: reads


def licences(actor: Actor) -> QuerySet[Licence]:
    return Licence.objects.for_enterprise(actor.enterprise)


def get_licence(actor: Actor, licence_id: int | str, *, for_update: bool = False) -> Licence:
    return get_owned(licences(actor), licence_id, "许可证", for_update=for_update)


def _exhausted_q() -> Q:
    has_lines = Exists(LicenceLine.objects.filter(licence=OuterRef("pk")))
    has_balance = Exists(LicenceLine.objects.filter(licence=OuterRef("pk"), used_qty__lt=F("qty")))
    return Q(has_lines) & ~Q(has_balance)


def filter_licence_status(qs: QuerySet[Licence], status: str, today: dt.date | None = None) -> QuerySet[Licence]:
    """Licences whose ``Licence.status`` is ``status`` (the same precedence, in SQL)."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    current = Q(valid_from__lte=today, valid_to__gte=today)
    if status == ValidityStatus.EXPIRED:
        return qs.filter(valid_to__lt=today)
    if status == ValidityStatus.NOT_YET:
        return qs.filter(valid_from__gt=today)
    if status == ValidityStatus.EXHAUSTED:
        return qs.filter(current & _exhausted_q())
    if status == ValidityStatus.EXPIRING:
        return qs.filter(current & ~_exhausted_q() & Q(valid_to__lte=soon))
    if status == ValidityStatus.VALID:
        return qs.filter(current & ~_exhausted_q() & Q(valid_to__gt=soon))
    if status == "usable":  # may be cited today
        return qs.filter(current & ~_exhausted_q())
    return qs


def search_licences(
    actor: Actor, *, q: str = "", docu_code: str = "", status: str = "", code_ts: str = "",
    expires_before: dt.date | None = None,
) -> QuerySet[Licence]:
    qs = licences(actor)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(licence_no__icontains=q) | Q(holder_name__icontains=q) | Q(issuer__icontains=q)
            | Q(lines__g_name__icontains=q)
        ).distinct()
    if docu_code:
        qs = qs.filter(docu_code=docu_code)
    if code_ts:
        qs = qs.filter(Exists(LicenceLine.objects.filter(licence=OuterRef("pk"), code_ts__startswith=code_ts.strip())))
    if status:
        qs = filter_licence_status(qs, status)
    if expires_before:
        qs = qs.filter(valid_to__lte=expires_before)
    return qs


def usages(licence: Licence) -> QuerySet[LicenceUsage]:
    return LicenceUsage.objects.filter(line__licence=licence).select_related("line", "declaration")


# ----------------------------------------------------------------------------- licences: writes


@dataclass
class _LineInput:
    id: int | None
    code_ts: str
    g_name: str
    qty: Decimal | None
    unit: str


def _clean_fields(model: type[models.Model], names: Iterable[str], data: dict[str, Any],
                  errors: list[FieldError], upper: Iterable[str] = ()) -> dict[str, Any]:
    """The head fields of a licence or certificate: dates parsed, text trimmed and within length."""
    out: dict[str, Any] = {}
    for name in names:
        model_field = model._meta.get_field(name)
        label = model_field.verbose_name
        raw = data.get(name)
        if isinstance(model_field, models.DateField):
            try:
                out[name] = parse_date(raw)
            except ValueError:
                errors.append(FieldError(name, f"{label}应为日期, 如 2024-11-04"))
                out[name] = None
            continue
        value = _text(raw)
        if name in upper:
            value = value.upper()
        if len(value) > model_field.max_length:
            errors.append(FieldError(name, f"{label}不能超过 {model_field.max_length} 个字符"))
        out[name] = value
    return out


def _clean_licence(data: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    out = _clean_fields(Licence, LICENCE_FIELDS, data, errors, upper=("holder_code",))
    if not out["licence_no"]:
        errors.append(FieldError("licence_no", "许可证编号不能为空"))
    if out["docu_code"] and not params.code_exists("licence-docs", out["docu_code"]):
        errors.append(FieldError("docu_code", f"监管证件代码 {out['docu_code']} 不存在"))
    if out["licence_type"] and not params.code_exists("licence-types", out["licence_type"]):
        errors.append(FieldError("licence_type", f"许可证类别 {out['licence_type']} 不存在"))
    if not out["docu_code"] and not out["licence_type"]:
        errors.append(FieldError("docu_code", "请选择监管证件代码或许可证类别"))
    if not out["holder_name"]:
        errors.append(FieldError("holder_name", "持证单位名称不能为空"))
    code = out["holder_code"]
    if code:
        message = customs_code_error(code) if len(code) == 10 else uscc_error(code) if len(code) == 18 else (
            "持证单位代码应为10位海关编码或18位统一社会信用代码"
        )
        if message:
            errors.append(FieldError("holder_code", message))
    if out["valid_from"] is None and not any(e.field == "valid_from" for e in errors):
        errors.append(FieldError("valid_from", "有效期起不能为空"))
    if out["valid_to"] is None and not any(e.field == "valid_to" for e in errors):
        errors.append(FieldError("valid_to", "有效期止不能为空"))
    if out["valid_from"] and out["valid_to"] and out["valid_to"] < out["valid_from"]:
        errors.append(FieldError("valid_to", "有效期止不能早于有效期起"))
    return out


def _clean_lines(raw_lines: Any, errors: list[FieldError]) -> list[_LineInput]:
    if raw_lines is None:
        return []
    if not isinstance(raw_lines, list):
        errors.append(FieldError("lines", "商品信息应为列表"))
        return []
    if len(raw_lines) > MAX_LINES:
        errors.append(FieldError("lines", f"商品最多 {MAX_LINES} 行"))
        return []
    out: list[_LineInput] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_lines):
        path = f"lines[{index}]"
        prefix = f"商品第{index + 1}行"
        if not isinstance(raw, dict):
            errors.append(FieldError(path, f"{prefix}格式错误"))
            continue
        try:
            line_id = int(raw["id"]) if raw.get("id") not in (None, "") else None
        except (TypeError, ValueError):
            errors.append(FieldError(f"{path}.id", f"{prefix}编号错误"))
            line_id = None
        code = _text(raw.get("code_ts")).replace(".", "")
        g_name = _text(raw.get("g_name"))
        unit = _text(raw.get("unit"))
        if " - " in unit:
            unit = unit.split(" - ", 1)[0].strip()
        tariff_name, tariff_unit = "", ""
        if not code:
            errors.append(FieldError(f"{path}.code_ts", f"{prefix} 商品编号不能为空"))
        elif not code.isdigit() or len(code) not in (8, 10):
            errors.append(FieldError(f"{path}.code_ts", f"{prefix} 商品编号应为8位或10位数字"))
        else:
            known, tariff_name, tariff_unit = hs_lookup(code)
            if not known:
                errors.append(FieldError(f"{path}.code_ts", f"{prefix} 商品编号 {code} 在税则中不存在"))
            elif code in seen:
                errors.append(FieldError(f"{path}.code_ts", f"{prefix} 商品编号 {code} 与第{seen[code] + 1}行重复"))
            seen.setdefault(code, index)
        g_name = g_name or tariff_name
        if not g_name:
            errors.append(FieldError(f"{path}.g_name", f"{prefix} 商品名称不能为空"))
        elif len(g_name) > 255:
            errors.append(FieldError(f"{path}.g_name", f"{prefix} 商品名称不能超过 255 个字符"))
        try:
            qty = parse_qty(raw.get("qty"), f"{prefix} 许可数量")
        except ValueError as exc:
            errors.append(FieldError(f"{path}.qty", str(exc)))
            qty = None
        else:
            if qty is None:
                errors.append(FieldError(f"{path}.qty", f"{prefix} 许可数量不能为空"))
            elif qty <= 0:
                errors.append(FieldError(f"{path}.qty", f"{prefix} 许可数量应大于0"))
        unit = unit or tariff_unit
        if not unit:
            errors.append(FieldError(f"{path}.unit", f"{prefix} 计量单位不能为空"))
        elif not params.code_exists("units", unit):
            errors.append(FieldError(f"{path}.unit", f"{prefix} 计量单位 {unit} 不存在"))
        out.append(_LineInput(line_id, code, g_name, qty, unit))
    return out


def _lines_text(lines: Iterable[Any]) -> str:
    return "; ".join(f"{line.code_ts} {line.g_name} {fmt_qty(line.qty)}{unit_name(line.unit)}" for line in lines)


def _write_lines(licence: Licence, lines: list[_LineInput], errors: list[FieldError]) -> None:
    existing = {line.pk: line for line in licence.lines.select_for_update()}
    kept: set[int] = set()
    for index, item in enumerate(lines):
        if item.id is None:
            continue
        line = existing.get(item.id)
        if item.id in kept:
            errors.append(FieldError(f"lines[{index}].id", f"商品第{index + 1}行重复"))
            continue
        if line is None:
            errors.append(FieldError(f"lines[{index}].id", f"商品第{index + 1}行不属于本许可证"))
            continue
        kept.add(line.pk)
        if line.used_qty and item.code_ts != line.code_ts:
            errors.append(FieldError(f"lines[{index}].code_ts", f"商品第{index + 1}行已有核销记录, 不能修改商品编号"))
        if line.used_qty and item.unit != line.unit:
            errors.append(FieldError(f"lines[{index}].unit", f"商品第{index + 1}行已有核销记录, 不能修改计量单位"))
        if item.qty is not None and item.qty < line.used_qty:
            errors.append(FieldError(
                f"lines[{index}].qty",
                f"商品第{index + 1}行许可数量不能小于已核销数量 {fmt_qty(line.used_qty)}",
            ))
    for pk, line in existing.items():
        if pk not in kept and (line.used_qty or line.usages.exists()):
            errors.append(FieldError("lines", f"商品 {line.code_ts} {line.g_name} 已有核销记录, 不能删除"))
    if errors:
        return
    licence.lines.exclude(pk__in=kept).delete()
    # Renumber in two steps so that (licence, line_no) stays unique throughout.
    licence.lines.update(line_no=F("line_no") + 10_000)
    for index, item in enumerate(lines, start=1):
        values = {"line_no": index, "code_ts": item.code_ts, "g_name": item.g_name, "qty": item.qty, "unit": item.unit}
        if item.id is not None:
            LicenceLine.objects.filter(pk=item.id).update(**values)
        else:
            LicenceLine.objects.create(licence=licence, **values)


def _licence_snapshot(licence: Licence) -> dict[str, Any]:
    snap = {name: getattr(licence, name) for name in LICENCE_FIELDS}
    snap["lines"] = _lines_text(licence.lines.all())
    return snap


def _check_unique(actor: Actor, licence_no: str, exclude_pk: int | None, errors: list[FieldError]) -> None:
    if licence_no and licences(actor).filter(licence_no=licence_no).exclude(pk=exclude_pk).exists():
        errors.append(FieldError("licence_no", f"许可证编号 {licence_no} 已存在"))


@transaction.atomic
def create_licence(actor: Actor, data: dict[str, Any]) -> Licence:
    if not isinstance(data, dict):
        raise ServiceError("许可证数据格式错误")
    errors: list[FieldError] = []
    values = _clean_licence(data, errors)
    lines = _clean_lines(data.get("lines"), errors)
    if any(line.id is not None for line in lines):
        errors.append(FieldError("lines", "新增许可证的商品不能带编号"))
    _check_unique(actor, values["licence_no"], None, errors)
    if errors:
        raise ServiceError.fields(errors)
    licence = Licence.objects.create(enterprise=actor.enterprise, created_by=actor.user, **values)
    _write_lines(licence, lines, errors)
    audit.record(actor, licence, "新增", after=licence.status_label(),
                 changes=audit.diff({}, _licence_snapshot(licence)))
    return licence


@transaction.atomic
def update_licence(actor: Actor, licence_id: int | str, data: dict[str, Any] | None) -> Licence:
    licence = get_licence(actor, licence_id, for_update=True)
    if not isinstance(data, dict):
        raise ServiceError("许可证数据格式错误")
    before = _licence_snapshot(licence)
    merged = {**before, **{k: v for k, v in data.items() if k in LICENCE_FIELDS}}
    errors: list[FieldError] = []
    values = _clean_licence(merged, errors)
    lines = None
    if "lines" in data:
        lines = _clean_lines(data.get("lines"), errors)
    _check_unique(actor, values["licence_no"], licence.pk, errors)
    if errors:
        raise ServiceError.fields(errors)
    for name, value in values.items():
        setattr(licence, name, value)
    licence.save()
    if lines is not None:
        _write_lines(licence, lines, errors)
        if errors:  # raising inside the transaction undoes the head change too
            raise ServiceError.fields(errors)
    changes = audit.diff(before, _licence_snapshot(licence))
    if changes:
        audit.record(actor, licence, "修改", before=licence.status_label(), after=licence.status_label(),
                     changes=changes)
    return licence


@transaction.atomic
def delete_licences(actor: Actor, ids: Iterable[int | str]) -> int:
    found = [get_licence(actor, pk, for_update=True) for pk in ids]
    for licence in found:
        if LicenceUsage.objects.filter(line__licence=licence).exists():
            raise ServiceError(f"{licence}已有核销记录, 不能删除")
    for licence in found:
        audit.record(actor, licence, "删除", before=licence.status_label(), after="已删除",
                     changes=audit.diff(_licence_snapshot(licence), {}))
        licence.delete()
    return len(found)


def delete_licence(actor: Actor, licence_id: int | str) -> None:
    delete_licences(actor, [licence_id])


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


def cited_licences(declaration: Any) -> list[_Citation]:
    """The licences of the declaration's enterprise it cites: 随附单证 (docu_code + cert_code,
    every item) and 产品资质 of goods items (lic_type_code + licence_no, that item, with the
    许可证核销数量 when given)."""
    from guanwu.declarations.models import DeclarationGoodsLimit, DeclarationLicence

    docs = list(DeclarationLicence.objects.filter(declaration=declaration).exclude(cert_code=""))
    limits = list(
        DeclarationGoodsLimit.objects.filter(item__declaration=declaration).exclude(licence_no="")
        .select_related("item")
    )
    numbers = {d.cert_code.strip() for d in docs} | {g.licence_no.strip() for g in limits}
    if not numbers:
        return []
    found = {
        lic.licence_no: lic
        for lic in Licence.objects.filter(enterprise_id=declaration.enterprise_id, licence_no__in=numbers)
    }
    out: dict[int, _Citation] = {}
    for doc in docs:
        lic = found.get(doc.cert_code.strip())
        if lic is not None and (not lic.docu_code or lic.docu_code == doc.docu_code):
            out.setdefault(lic.pk, _Citation(lic)).all_items = True
    for limit in limits:
        lic = found.get(limit.licence_no.strip())
        if lic is None or (lic.licence_type and limit.lic_type_code and lic.licence_type != limit.lic_type_code):
            continue
        explicit = None
        try:
            explicit = parse_qty(limit.lic_wrtof_qty)
        except ValueError:
            explicit = None
        citation = out.setdefault(lic.pk, _Citation(lic))
        citation.items[limit.item_id] = (explicit if explicit and explicit > 0 else None, limit.lic_wrtof_qty_unit)
    return list(out.values())


def consume_declarations(declarations: list[Any]) -> list[LicenceUsage]:
    """``consume_declaration`` for each of ``declarations`` that cites a licence number at all
    (two queries find them, so a round of released declarations citing none costs nothing more)."""
    from guanwu.declarations.models import DeclarationGoodsLimit, DeclarationLicence

    ids = [d.pk for d in declarations]
    citing = set(DeclarationLicence.objects.filter(declaration_id__in=ids).exclude(cert_code="")
                 .values_list("declaration_id", flat=True))
    citing |= set(DeclarationGoodsLimit.objects.filter(item__declaration_id__in=ids).exclude(licence_no="")
                  .values_list("item__declaration_id", flat=True))
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
            f"第{u.line.line_no}行 {u.line.code_ts} 核销 {fmt_qty(u.qty)}{unit_name(u.line.unit)}"
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


def certificates(actor: Actor) -> QuerySet[Certificate]:
    return Certificate.objects.for_enterprise(actor.enterprise)


def get_certificate(actor: Actor, certificate_id: int | str, *, for_update: bool = False) -> Certificate:
    return get_owned(certificates(actor), certificate_id, "证书", for_update=for_update)


def filter_certificate_status(qs: QuerySet[Certificate], status: str,
                              today: dt.date | None = None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    if status == ValidityStatus.EXPIRED:
        return qs.filter(valid_to__lt=today)
    if status == ValidityStatus.EXPIRING:
        return qs.filter(valid_to__gte=today, valid_to__lte=soon)
    if status == ValidityStatus.VALID:
        return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=soon))
    return qs


def search_certificates(actor: Actor, *, q: str = "", cert_type: str = "", status: str = "",
                        code_ts: str = "") -> QuerySet[Certificate]:
    qs = certificates(actor)
    if q:
        q = q.strip()
        qs = qs.filter(Q(cert_no__icontains=q) | Q(issuer__icontains=q) | Q(goods__g_name__icontains=q)).distinct()
    if cert_type:
        qs = qs.filter(cert_type=cert_type)
    if code_ts:
        qs = qs.filter(Exists(CertificateGoods.objects.filter(certificate=OuterRef("pk"),
                                                             code_ts__startswith=code_ts.strip())))
    if status:
        qs = filter_certificate_status(qs, status)
    return qs


def _clean_certificate(data: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    out = _clean_fields(Certificate, CERTIFICATE_FIELDS, data, errors)
    if not out["cert_type"]:
        errors.append(FieldError("cert_type", "证书类型不能为空"))
    elif out["cert_type"] not in CertificateType.values:
        by_label = {label: value for value, label in CertificateType.choices}
        if out["cert_type"] in by_label:
            out["cert_type"] = by_label[out["cert_type"]]
        else:
            errors.append(FieldError("cert_type", "证书类型不正确"))
    if not out["cert_no"]:
        errors.append(FieldError("cert_no", "证书编号不能为空"))
    if out["issue_date"] and out["valid_to"] and out["valid_to"] < out["issue_date"]:
        errors.append(FieldError("valid_to", "有效期至不能早于签发日期"))
    return out


def _clean_goods(raw_goods: Any, errors: list[FieldError]) -> list[tuple[str, str]]:
    if raw_goods is None:
        return []
    if not isinstance(raw_goods, list):
        errors.append(FieldError("goods", "相关商品应为列表"))
        return []
    out = []
    for index, raw in enumerate(raw_goods[:MAX_LINES]):
        if not isinstance(raw, dict):
            errors.append(FieldError(f"goods[{index}]", f"相关商品第{index + 1}行格式错误"))
            continue
        code = _text(raw.get("code_ts")).replace(".", "")
        name = _text(raw.get("g_name"))
        if not code and not name:
            continue
        if code:
            if not code.isdigit() or len(code) not in (8, 10):
                errors.append(FieldError(f"goods[{index}].code_ts",
                                         f"相关商品第{index + 1}行 商品编号应为8位或10位数字"))
            else:
                known, tariff_name, _unit = hs_lookup(code)
                if not known:
                    errors.append(FieldError(f"goods[{index}].code_ts",
                                             f"相关商品第{index + 1}行 商品编号 {code} 在税则中不存在"))
                name = name or tariff_name
        if len(name) > 255:
            errors.append(FieldError(f"goods[{index}].g_name", f"相关商品第{index + 1}行 商品名称过长"))
        out.append((code, name))
    return out


def _certificate_snapshot(cert: Certificate) -> dict[str, Any]:
    snap = {name: getattr(cert, name) for name in CERTIFICATE_FIELDS}
    snap["cert_type"] = cert.get_cert_type_display() if cert.cert_type else ""
    snap["goods"] = "; ".join(str(g) for g in cert.goods.all())
    snap["attachment"] = cert.attachment_name
    return snap


def _write_goods(cert: Certificate, goods: list[tuple[str, str]]) -> None:
    cert.goods.all().delete()
    CertificateGoods.objects.bulk_create([
        CertificateGoods(certificate=cert, line_no=i, code_ts=code, g_name=name)
        for i, (code, name) in enumerate(goods, start=1)
    ])


def _check_cert_unique(actor: Actor, values: dict[str, Any], exclude_pk: int | None,
                       errors: list[FieldError]) -> None:
    if values.get("cert_type") and values.get("cert_no") and certificates(actor).filter(
        cert_type=values["cert_type"], cert_no=values["cert_no"]
    ).exclude(pk=exclude_pk).exists():
        errors.append(FieldError("cert_no", f"证书编号 {values['cert_no']} 已存在"))


def _store_attachment(cert: Certificate, uploaded: UploadedFile) -> str | None:
    """Check and store ``uploaded`` as the certificate's attachment; the old file's name to
    delete after commit."""
    checked = files.check_upload(uploaded, field="attachment", allowed=ATTACHMENT_KINDS)
    old = cert.attachment.name or None
    cert.attachment.save(f"attachment.{checked.kind.extensions[0]}", checked.file, save=False)
    cert.attachment_name = checked.display_name[:128]
    cert.attachment_size = checked.size
    return old


def _delete_file_on_commit(storage: Any, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def create_certificate(actor: Actor, data: dict[str, Any], attachment: UploadedFile | None = None) -> Certificate:
    stored: list[str] = []
    try:
        return _create_certificate(actor, data, attachment, stored)
    except Exception:
        _remove_files(stored)
        raise


@transaction.atomic
def _create_certificate(actor: Actor, data: dict[str, Any], attachment: UploadedFile | None,
                        stored: list[str]) -> Certificate:
    if not isinstance(data, dict):
        raise ServiceError("证书数据格式错误")
    errors: list[FieldError] = []
    values = _clean_certificate(data, errors)
    goods = _clean_goods(data.get("goods"), errors)
    _check_cert_unique(actor, values, None, errors)
    if errors:
        raise ServiceError.fields(errors)
    cert = Certificate(enterprise=actor.enterprise, created_by=actor.user, **values)
    if attachment is not None:
        _store_attachment(cert, attachment)
        stored.append(cert.attachment.name)
    cert.save()
    _write_goods(cert, goods)
    audit.record(actor, cert, "新增", after=cert.status_label(), changes=audit.diff({}, _certificate_snapshot(cert)))
    return cert


def update_certificate(actor: Actor, certificate_id: int | str, data: dict[str, Any] | None,
                       attachment: UploadedFile | None = None, *, remove_attachment: bool = False) -> Certificate:
    stored: list[str] = []
    try:
        return _update_certificate(actor, certificate_id, data, attachment, remove_attachment, stored)
    except Exception:
        _remove_files(stored)
        raise


@transaction.atomic
def _update_certificate(actor: Actor, certificate_id: int | str, data: dict[str, Any] | None,
                        attachment: UploadedFile | None, remove_attachment: bool, stored: list[str]) -> Certificate:
    cert = get_certificate(actor, certificate_id, for_update=True)
    if not isinstance(data, dict):
        raise ServiceError("证书数据格式错误")
    before = _certificate_snapshot(cert)
    raw_before = {name: getattr(cert, name) for name in CERTIFICATE_FIELDS}
    merged = {**raw_before, **{k: v for k, v in data.items() if k in CERTIFICATE_FIELDS}}
    errors: list[FieldError] = []
    values = _clean_certificate(merged, errors)
    goods = _clean_goods(data.get("goods"), errors) if "goods" in data else None
    _check_cert_unique(actor, values, cert.pk, errors)
    if errors:
        raise ServiceError.fields(errors)
    for name, value in values.items():
        setattr(cert, name, value)
    storage = cert.attachment.storage
    if attachment is not None:
        old = _store_attachment(cert, attachment)
        stored.append(cert.attachment.name)
        _delete_file_on_commit(storage, old)
    elif remove_attachment and cert.attachment:
        _delete_file_on_commit(storage, cert.attachment.name)
        cert.attachment = ""
        cert.attachment_name = ""
        cert.attachment_size = None
    cert.save()
    if goods is not None:
        _write_goods(cert, goods)
    changes = audit.diff(before, _certificate_snapshot(cert))
    if changes:
        audit.record(actor, cert, "修改", before=cert.status_label(), after=cert.status_label(), changes=changes)
    return cert


@transaction.atomic
def delete_certificates(actor: Actor, ids: Iterable[int | str]) -> int:
    found = [get_certificate(actor, pk, for_update=True) for pk in ids]
    for cert in found:
        audit.record(actor, cert, "删除", before=cert.status_label(), after="已删除",
                     changes=audit.diff(_certificate_snapshot(cert), {}))
        if cert.attachment:
            _delete_file_on_commit(cert.attachment.storage, cert.attachment.name)
        cert.delete()
    return len(found)


def delete_certificate(actor: Actor, certificate_id: int | str) -> None:
    delete_certificates(actor, [certificate_id])


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # pragma: no cover - best effort
            log.warning("could not delete orphaned certificate file %s", name)
