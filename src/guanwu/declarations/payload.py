"""Turning what a form, the API or an Excel row sends into typed declaration data.

One shape for every entry point: a dict of head fields (model field names, the snake_case of
the DecHead elements) with ``items``, ``containers``, ``licences``, ``documents`` and
``other_packs`` lists. ``parse`` converts text, numbers and dates by the model field types,
turns old or named codes into current ones (``502`` -> ``USA``) and names every field it
cannot read; the business rules in ``rules.py`` then run on the same plain structure, whether
it came from a request or from the database (``from_instance``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import models

from guanwu.core.errors import FieldError
from guanwu.core.numbers import decimal_for_field, integer_max
from guanwu.params import services as params

from .models import (
    Declaration,
    DeclarationContainer,
    DeclarationDocument,
    DeclarationItem,
    DeclarationLicence,
    DeclarationOtherPack,
)

# Fields the platform or customs sets; never taken from input.
HEAD_READONLY = frozenset({
    "id", "enterprise", "status", "client_seq_no", "created_by", "created_at", "updated_at", "declared_at",
    "status_changed_at", "reject_reason", "fail_reason", "version", "copied_from", "seq_no", "entry_id",
    "pre_entry_id", "p_date", "risk", "check_flow", "tax_aamin_mark", "data_source",
})
CHILD_READONLY = frozenset({"id", "declaration", "file", "g_no"})
# Numbers that may be negative: 杂费 "应从完税价格中扣除的杂费填报为负值或负率" (填制规范 杂费).
SIGNED_FIELDS = frozenset({"other_rate"})


@dataclass(frozen=True)
class Child:
    key: str  # payload key and related_name
    model: type[models.Model]
    label: str  # 商品项, 集装箱...
    block: str  # dictionary block


CHILDREN: tuple[Child, ...] = (
    Child("items", DeclarationItem, "商品项", "DecList"),
    Child("containers", DeclarationContainer, "集装箱", "DecContainer"),
    Child("licences", DeclarationLicence, "随附单证", "DecLicenseDocus"),
    Child("documents", DeclarationDocument, "随附单据", "EdocRealation"),
    Child("other_packs", DeclarationOtherPack, "其他包装", "DecOtherPack"),
)
CHILD_BY_KEY = {c.key: c for c in CHILDREN}

# Code fields and the parameter table each is validated against.
HEAD_CODES: dict[str, str] = {
    "custom_master": "customs-offices",
    "ie_port": "customs-offices",
    "purp_org_code": "customs-offices",
    "trade_mode": "trade-modes",
    "cut_mode": "cut-modes",
    "traf_mode": "transport-modes",
    "trans_mode": "transaction-modes",
    "trade_country": "countries",
    "trade_area_code": "countries",
    "distinate_port": "ports",
    "desp_port_code": "ports",
    "enty_port_code": "entry-ports",
    "wrap_type": "wrap-types",
    "fee_curr": "currencies",
    "insur_curr": "currencies",
    "other_curr": "currencies",
    "insp_org_code": "ciq-organs",
    "org_code": "ciq-organs",
    "vsa_org_code": "ciq-organs",
    "correlation_reason_flag": "relation-reasons",
}
CHILD_CODES: dict[str, dict[str, str]] = {
    "items": {
        "g_unit": "units",
        "first_unit": "units",
        "second_unit": "units",
        "trade_curr": "currencies",
        "origin_country": "countries",
        "destination_country": "countries",
        "duty_mode": "duty-modes",
        "district_code": "districts",
        "dest_code": "admin-divisions",
        "purpose": "purposes",
        "orig_place_code": "origin-areas",
    },
    "containers": {"container_md": "container-specs"},
    "licences": {"docu_code": "licence-docs"},
    "documents": {"edoc_code": "document-types"},
    "other_packs": {"pack_type": "wrap-types"},
}


def countries_by_meaning(row: dict[str, Any], ie_flag: str) -> dict[str, Any]:
    """A goods row whose ``origin_country`` is the 原产国 and ``destination_country`` the 最终目的国
    (an Excel column, a form field: they mean what their labels say) as the stored fields of an
    ``ie_flag`` declaration, or the stored fields back to their meaning: the same swap.

    For an export the dictionary's note puts the 最终目的国 in OriginCountry and the 原产国 in
    DestinationCountry (see ``rules.item_field_label``); an import stores them as named."""
    if ie_flag != "E" or not ({"origin_country", "destination_country"} & row.keys()):
        return row
    out = dict(row)
    origin, destination = row.get("origin_country"), row.get("destination_country")
    out.pop("origin_country", None)
    out.pop("destination_country", None)
    if destination is not None:
        out["origin_country"] = destination
    if origin is not None:
        out["destination_country"] = origin
    return out


@dataclass
class DeclarationData:
    """Typed declaration values: ``head`` plus one list of row dicts per child block."""

    head: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    containers: list[dict[str, Any]] = field(default_factory=list)
    licences: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    other_packs: list[dict[str, Any]] = field(default_factory=list)

    def rows(self, key: str) -> list[dict[str, Any]]:
        return getattr(self, key)

    @property
    def ie_flag(self) -> str:
        return self.head.get("ie_flag") or ""


@cache
def editable_fields(model: type[models.Model]) -> dict[str, models.Field]:
    readonly = HEAD_READONLY if model is Declaration else CHILD_READONLY
    return {
        f.name: f
        for f in model._meta.concrete_fields
        if f.name not in readonly and not isinstance(f, models.ForeignKey)
    }


def label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _empty(field_: models.Field) -> Any:
    if isinstance(field_, models.CharField):
        return ""
    if isinstance(field_, models.BooleanField):
        return False
    return None


_TRUE = {"1", "true", "yes", "y", "是", "on"}
_FALSE = {"0", "false", "no", "n", "否", "off", ""}


def convert(field_: models.Field, value: Any, name: str, *, signed: bool = False) -> Any:
    """``value`` as the field's Python type; raises ValueError with a Chinese message.
    Numbers are never negative unless ``signed``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _empty(field_)
    if isinstance(field_, models.BooleanField):
        text = str(value).strip().lower()
        if isinstance(value, bool):
            return value
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{name}应为是/否")
    if isinstance(field_, models.CharField):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if len(text) > field_.max_length:
            raise ValueError(f"{name}长度不能超过{field_.max_length}位")
        return text
    if isinstance(field_, models.DecimalField):
        return decimal_for_field(field_, value, name, negative=signed)
    if isinstance(field_, models.IntegerField):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"{name}应为整数") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"{name}应为整数")
        if number < 0:
            raise ValueError(f"{name}不能为负数")
        if number > min(integer_max(field_), 10**12 - 1):  # 12 digits: more than any count on a declaration
            raise ValueError(f"{name}数值过大")
        return int(number)
    if isinstance(field_, models.DateField):
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
        raise ValueError(f"{name}应为日期, 如 2024-11-04")
    return value


def _normalise_code(table: str, value: Any) -> Any:
    if not value:
        return value
    current = params.normalise(table, value)
    return current or value


def _parse_row(
    model: type[models.Model], raw: Any, path: str, row_label: str, codes: dict[str, str], errors: list[FieldError]
) -> dict[str, Any]:
    fields_ = editable_fields(model)
    out = {name: _empty(f) for name, f in fields_.items()}
    if not isinstance(raw, dict):
        errors.append(FieldError(path.rstrip("."), f"{row_label}格式错误"))
        return out
    for key, value in raw.items():
        if key in {"id", "g_no", "version"}:
            continue
        f = fields_.get(key)
        if f is None:
            errors.append(FieldError(f"{path}{key}", f"{row_label}未知字段: {key}"))
            continue
        try:
            value = convert(f, value, f"{row_label}{f.verbose_name}", signed=key in SIGNED_FIELDS)
        except ValueError as exc:
            errors.append(FieldError(f"{path}{key}", str(exc)))
            continue
        if key in codes and isinstance(value, str):
            value = _normalise_code(codes[key], value)
        out[key] = value
    return out


def parse(raw: Any) -> tuple[DeclarationData, list[FieldError]]:
    """Typed data and the conversion errors (empty when everything could be read)."""
    errors: list[FieldError] = []
    data = DeclarationData()
    if not isinstance(raw, dict):
        return data, [FieldError("", "报关单数据格式错误")]
    head_raw = {k: v for k, v in raw.items() if k not in CHILD_BY_KEY}
    data.head = _parse_row(Declaration, head_raw, "", "", HEAD_CODES, errors)
    for child in CHILDREN:
        rows = raw.get(child.key)
        if rows is None:
            continue
        if not isinstance(rows, list):
            errors.append(FieldError(child.key, f"{child.label}应为列表"))
            continue
        for index, row in enumerate(rows):
            prefix = f"第{index + 1}项" if child.key == "items" else f"{child.label}第{index + 1}行"
            parsed = _parse_row(child.model, row, f"{child.key}[{index}].", prefix, CHILD_CODES[child.key], errors)
            if child.key == "items":
                parsed["g_no"] = index + 1
            data.rows(child.key).append(parsed)
    return data, errors


def from_instance(declaration: Declaration) -> DeclarationData:
    """The stored declaration in the same shape (children from prefetched relations when present)."""
    data = DeclarationData(
        head={name: getattr(declaration, name) for name in editable_fields(Declaration)}
    )
    for child in CHILDREN:
        names = list(editable_fields(child.model))
        if child.key == "items":
            names.append("g_no")
        for row in getattr(declaration, child.key).all():
            data.rows(child.key).append({name: getattr(row, name) for name in names})
    return data


def code_uses(data: DeclarationData) -> set[tuple[str, str]]:
    """The ``(code table, code)`` pairs a declaration names (what its enterprise "uses")."""
    out = {(table, str(data.head[name])) for name, table in HEAD_CODES.items() if data.head.get(name)}
    for child in CHILDREN:
        codes = CHILD_CODES.get(child.key, {})
        for row in data.rows(child.key):
            out.update((table, str(row[name])) for name, table in codes.items() if row.get(name))
    return out


def to_payload(data: DeclarationData) -> dict[str, Any]:
    """JSON-friendly dict of ``data`` (decimals and dates as strings)."""

    def plain(row: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in row.items():
            if isinstance(v, Decimal):
                v = format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f").rstrip("0")
            elif isinstance(v, dt.date):
                v = v.isoformat()
            out[k] = v
        return out

    payload = plain(data.head)
    for child in CHILDREN:
        payload[child.key] = [plain(r) for r in data.rows(child.key)]
    return payload
