"""What the processing-trade services share: reading user input into model values with Chinese
field errors, the legal units from the tariff, the grid operations (save a row, copy, delete,
import) and turning ``validate_sas`` messages into field errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, Forbidden, ServiceError
from guanwu.core.numbers import integer_max
from guanwu.messages.dictionary import snake
from guanwu.params import index as params_index
from guanwu.params import services as params
from guanwu.tenancy.context import Actor

from ..models import EDITABLE_STATUSES, Status

DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


# ------------------------------------------------------------------ 币制 and 国别: one convention
#
# The models store what the pickers store: the codes of the params tables ``currencies`` (USD,
# CNY) and ``countries`` (USA, CHN), as the 报关单 does. The 金二 messages carry the old numeric
# codes of the 海关 币制/国别代码表 (the tables' ``old_code``: 502, 142): the field tables say
# char(3) 币制代码/国别代码 without naming the table, and the public INV101/NEMS samples we have
# carry numeric codes (``<DclCurrcd>142</DclCurrcd>``, ``<Natcd>502</Natcd>``) — thin sources, so
# the mapping lives here, at the boundary where rows are loaded for the builder
# (``messages.record``), and the message layer stays pure. Input in either form (or the exact
# name) is accepted and stored as the params code; an unknown code is refused naming the field.
CODE_TABLES = {
    "dcl_currcd": "currencies",
    "natcd": "countries",
    "destination_natcd": "countries",
    "stship_trsarv_natcd": "countries",
}


def to_jin2(field: str, value: Any) -> Any:
    """The 金二 form (the params table's old numeric code) of a stored 币制/国别 code; unchanged when
    the table is not loaded or the code has no old code."""
    slug = CODE_TABLES.get(field)
    if not slug or not value:
        return value
    table = params_index.table(slug)
    entry = table.get(str(value)) if table is not None else None
    return entry.old_code if entry is not None and entry.old_code else value


def from_jin2(field: str, value: Any) -> Any:
    """A 币制/国别 code read from a receipt (numeric 金二 form or params code) as the params code."""
    slug = CODE_TABLES.get(field)
    if not slug or not value or not params.table_exists(slug):
        return value
    return params.normalise(slug, str(value)) or value


def _code_value(key: str, text: str, name: str, where: str, errors: list[FieldError]) -> str | None:
    slug = CODE_TABLES.get(key)
    if not slug or not text or not params.table_exists(slug):
        return text
    code = params.normalise(slug, text)
    if code is None:
        errors.append(FieldError(where, f"{name}代码{text}不存在"))
    return code


def label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def coerce(model: type[models.Model], raw: dict[str, Any], names: Iterable[str], *, path: str = "",
           errors: list[FieldError] | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """The values of ``raw`` for the fields ``names`` of ``model`` (only the keys present), typed:
    text stripped and length-checked, numbers as Decimal/int, dates. A key of ``raw`` that is not
    one of ``names`` is refused (a typo must not be dropped silently). ``path`` prefixes the
    error field names (``items.3.``)."""
    errors = [] if errors is None else errors
    allowed = set(names)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{path}{key}"
        if key not in allowed:
            errors.append(FieldError(where, f"不能填写的字段：{key}"))
            continue
        field = model._meta.get_field(key)
        name = str(field.verbose_name)
        if isinstance(value, str):
            value = value.strip()
        if isinstance(field, models.CharField):
            text = "" if value is None else str(value).strip()
            if len(text) > field.max_length:
                errors.append(FieldError(where, f"{name}不能超过{field.max_length}个字符"))
                continue
            code = _code_value(key, text, name, where, errors)
            if code is not None:
                values[key] = code
        elif value in (None, ""):
            values[key] = None
        elif isinstance(field, models.DecimalField):
            try:
                number = Decimal(str(value))
            except (InvalidOperation, ValueError):
                errors.append(FieldError(where, f"{name}应为数字"))
                continue
            whole = field.max_digits - field.decimal_places
            if not number.is_finite() or abs(number) >= Decimal(10) ** whole:
                errors.append(FieldError(where, f"{name}数值过大"))
                continue
            if number.as_tuple().exponent < -field.decimal_places:  # type: ignore[operator]
                errors.append(FieldError(where, f"{name}最多{field.decimal_places}位小数"))
                continue
            values[key] = number
        elif isinstance(field, models.IntegerField):
            try:
                number_i = int(str(value))
            except ValueError:
                errors.append(FieldError(where, f"{name}应为整数"))
                continue
            if not 0 <= number_i <= integer_max(field):
                errors.append(FieldError(where, f"{name}超出范围"))
                continue
            values[key] = number_i
        elif isinstance(field, models.DateTimeField):
            parsed = _parse_datetime(value)
            if parsed is None:
                errors.append(FieldError(where, f"{name}应为日期时间(yyyy-MM-dd HH:mm:ss)"))
                continue
            values[key] = parsed
        elif isinstance(field, models.DateField):
            parsed_d = _parse_date(value)
            if parsed_d is None:
                errors.append(FieldError(where, f"{name}应为日期(yyyy-MM-dd)"))
                continue
            values[key] = parsed_d
        else:  # pragma: no cover - every message field is one of the above
            values[key] = value
    return values, errors


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value), fmt).date()
        except ValueError:
            continue
    return None


def _parse_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        parsed = None
        for fmt in (*DATETIME_FORMATS, *DATE_FORMATS):
            try:
                parsed = dt.datetime.strptime(str(value), fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def fill_units(values: dict[str, Any], *, code: str = "gdecd", first: str = "lawf_unitcd",
               second: str | None = "secd_lawf_unitcd", path: str = "",
               errors: list[FieldError] | None = None) -> None:
    """法定计量单位 (and the second one) from the tariff of the 商品编码; an unknown code is an
    error when the tariff is loaded (the simulator refuses it too: issue 15, 'each material's HS
    code existing in the tariff')."""
    code_ts = values.get(code)
    if not code_ts:
        return
    tariff = params.tariff_item(code_ts)
    if tariff is None:
        if errors is not None and params_index.tariff() is not None:  # a loaded tariff
            errors.append(FieldError(f"{path}{code}", f"商品编码{code_ts}不在税则中"))
        return
    values[first] = tariff.first_unit
    if second is not None:
        values[second] = tariff.second_unit or ""


def check_editable(obj: Any, what: str) -> None:
    if obj.status not in EDITABLE_STATUSES:
        raise ServiceError(f"{what}状态为“{obj.get_status_display()}”, 不能修改", status=409)


def create_head(actor: Actor, model: type[models.Model], values: dict[str, Any], **fixed: Any) -> Any:
    """新增 + 暂存 of a document (企业资质申请, 账册): a draft of the actor's enterprise, 变更次数 0,
    from the checked head ``values`` (and ``fixed`` values the user does not give); logged.
    Call inside the caller's transaction."""
    obj = model(enterprise=actor.enterprise, created_by=actor.user, status=Status.DRAFT, chg_tms_cnt=0, **fixed,
                **values)
    obj.save(force_insert=True)
    audit.record(actor, obj, "暂存", after=Status.DRAFT.label)
    return obj


def update_head(actor: Actor, obj: Any, what: str, fields: Iterable[str],
                checked: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """暂存 an edited head of ``obj`` (locked by the caller, inside its transaction): refused unless
    editable; ``checked(current values)`` gives the values to set (only the fields given change);
    logged with what changed."""
    check_editable(obj, what)
    before = audit.snapshot(obj, fields)
    for key, value in checked(before).items():
        setattr(obj, key, value)
    obj.save()
    audit.record(actor, obj, "暂存", before=obj.get_status_display(), after=obj.get_status_display(),
                 changes=audit.diff(before, audit.snapshot(obj, fields)))
    return obj


def delete_documents(actor: Actor, rows: list[Any], what: str, refused: Callable[[Any], str]) -> int:
    """删除 documents (``rows`` locked by the caller, inside its transaction): ``refused(row)`` says
    why one may not go ("" when it may); an operator deletes only their own. All refused or all
    deleted, each logged."""
    for row in rows:
        why = refused(row)
        if why:
            raise ServiceError(why, status=409)
        if not actor.is_admin and row.created_by_id != actor.user.pk:
            raise Forbidden(f"操作员只能删除自己录入的{what}")
    for row in rows:
        audit.record(actor, row, "删除", before=row.get_status_display(), after="已删除")
        row.delete()
    return len(rows)


def next_seqno(queryset: models.QuerySet, field: str = "gds_seqno") -> int:
    return (queryset.aggregate(n=Max(field))["n"] or 0) + 1


def ids_of(raw: Iterable[Any], what: str) -> list[int]:
    try:
        ids = [int(x) for x in raw]
    except (TypeError, ValueError):
        raise ServiceError(f"请选择{what}") from None
    if not ids:
        raise ServiceError(f"请选择{what}")
    return ids


def save_unique(obj: models.Model, message: str, field: str, **kwargs: Any) -> None:
    """Save a row whose unique 序号 another row may have taken meanwhile: a field error instead."""
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError:
        raise ServiceError.fields([FieldError(field, message)], message) from None


def model_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


# ----------------------------------------------------------------- validate_sas -> field errors

_PROBLEM = re.compile(r"^(?:(?P<row>\S+?第(?P<n>\d+)项)|表头)?\s*(?:[^()：]*\((?P<element>[A-Za-z]+)\))?：")
ROW_PATHS = {"表体": "items", "料件": "materials", "成品": "products", "单损耗": "boms"}


def message_errors(problems: list[str], rows: dict[str, str] | None = None) -> list[FieldError]:
    """``validate_sas`` messages as field errors: ``表体第3项 商品编码(Gdecd)：...`` ->
    ``items.2.gdecd``; ``rows`` renames the row kinds (the qualification's 料件 are ``imgs``)."""
    paths = {**ROW_PATHS, **(rows or {})}
    out = []
    for problem in problems:
        m = _PROBLEM.match(problem)
        field = ""
        if m:
            element = snake(m.group("element")) if m.group("element") else ""
            if m.group("row"):
                kind = m.group("row").split("第")[0]
                prefix = paths.get(kind)
                if prefix:
                    field = f"{prefix}.{int(m.group('n')) - 1}" + (f".{element}" if element else "")
            elif element:
                field = element
        out.append(FieldError(field, problem))
    return out
