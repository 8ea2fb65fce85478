"""One field specification per record, and the one set of converters.

A record's fields are declared once, mostly read off its model (label = ``verbose_name``,
length, digits, choices, required = not ``blank``)::

    QUALIFICATION = FieldSpec.from_model(Qualification, [
        "qual_type", "cert_no", "issuer",
        Field("customs_code", "主管海关", kind="code", code_table="customs-offices"),
        "valid_from", "valid_to", "note",
    ], overrides={"cert_no": {"upper": True}})

and everything else derives from it: ``spec.clean(data, errors)`` in the services (text trimmed
and within length, dates, decimals and codes parsed, Chinese messages naming the field), the
Excel import columns (``imports.spec.columns_from``), the API schemas (``spec.schema_in`` /
``spec.schema_out``, with the Chinese labels as OpenAPI titles) and the form widgets
(``spec.widgets``).

The converters (``to_text``, ``to_date``, ``to_decimal``, ``code_part``) are the ones every
module uses for user input; each raises ``ValueError`` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import models
from pydantic import BaseModel, ConfigDict, create_model
from pydantic import Field as SchemaField

from guanwu.core.errors import FieldError, ServiceError
from guanwu.core.numbers import INT32_MAX, integer_max, parse_decimal

# ----------------------------------------------------------------------------- converters

DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y.%m.%d")


def to_text(value: Any) -> str:
    """Trimmed text of a form, JSON or Excel value (``2.0`` read from Excel is ``"2"``)."""
    if value is None:
        return ""
    if type(value) is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def to_date(value: Any, label: str = "") -> dt.date | None:
    """A date from a date, ``2024-11-04``, ``20241104``, ``2024/11/04`` or ``2024.11.04``;
    None when empty. Raises ValueError("<label>应为日期, 如 2024-11-04")."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{label}应为日期, 如 2024-11-04")


def to_decimal(value: Any, label: str = "", *, max_digits: int = 19, decimal_places: int = 5,
               negative: bool = False, round_places: bool = False) -> Decimal | None:
    """A Decimal within the column's digits (``core.numbers.parse_decimal``); None when empty."""
    return parse_decimal(value, max_digits=max_digits, decimal_places=decimal_places, label=label,
                         negative=negative, round_places=round_places)


def code_part(text: str) -> str:
    """Pickers and Excel dropdowns write "502 - 美国"; the code is the part before " - "."""
    return text.split(" - ", 1)[0].strip() if " - " in text else text


def _missing(label: str, code: str) -> str:
    raise ValueError(f"{label} {code} 不存在")


# ----------------------------------------------------------------------------- fields

KINDS = ("str", "text", "date", "decimal", "int", "bool", "choice", "code", "file")


@dataclass(frozen=True)
class Field:
    """One field of a record. ``kind`` says how input is read and shown:
    str/text (text), date, decimal, int, bool, choice (``choices``), code (a code of the params
    table ``code_table``, checked against it), file (an attachment, uploaded separately)."""

    name: str
    label: str
    kind: str = "str"
    required: bool = False
    max_length: int | None = None
    max_digits: int = 19
    decimal_places: int = 5
    negative: bool = False
    round_places: bool = False  # a decimal with more places is rounded (half up), not refused
    max_int: int = INT32_MAX  # an int's bound: its model field's (``core.numbers.integer_max``)
    choices: Sequence[tuple[str, str]] = ()
    code_table: str = ""
    upper: bool = False
    normalise: bool = False  # a code may also be given as its old 报关 code or exact name (params.normalise)
    help: str = ""
    example: str = ""
    placeholder: str = ""
    width: int = 16  # Excel column width
    cols: int = 3  # form grid columns (of 12)
    imported: bool = True  # an Excel import column
    attrs: tuple[tuple[str, str], ...] = ()  # extra attributes of the form widget (data-* hooks of ui.js)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}")

    @classmethod
    def from_model(cls, model_field: models.Field, **overrides: Any) -> Field:
        kind = "str"
        options: dict[str, Any] = {}
        if isinstance(model_field, models.FileField):
            kind = "file"
        elif isinstance(model_field, models.DateField):
            kind = "date"
        elif isinstance(model_field, models.DecimalField):
            kind = "decimal"
            options = {"max_digits": model_field.max_digits, "decimal_places": model_field.decimal_places}
        elif isinstance(model_field, models.BooleanField):
            kind = "bool"
        elif isinstance(model_field, models.IntegerField):
            kind = "int"
            options = {"max_int": integer_max(model_field)}
        elif model_field.choices:
            kind = "choice"
            options = {"choices": tuple((str(v), str(label)) for v, label in model_field.choices)}
        elif isinstance(model_field, models.TextField):
            kind = "text"
        if overrides.get("code_table") and kind == "str":
            kind = "code"
        values: dict[str, Any] = {
            "name": model_field.name, "label": str(model_field.verbose_name), "kind": kind,
            "required": not model_field.blank and kind not in ("bool", "file"),
            "max_length": model_field.max_length if kind in ("str", "text", "code", "choice") else None,
            "help": str(model_field.help_text or ""), **options,
        }
        values.update(overrides)
        return cls(**values)

    # -- reading input ------------------------------------------------------------------

    def clean(self, raw: Any) -> Any:
        """The value of ``raw`` for the model, or ValueError with a Chinese message.
        Emptiness is not an error here (``FieldSpec.clean`` checks ``required``)."""
        label = self.label
        if self.kind == "date":
            return to_date(raw, label)
        if self.kind == "decimal":
            return to_decimal(raw, label, max_digits=self.max_digits, decimal_places=self.decimal_places,
                              negative=self.negative, round_places=self.round_places)
        if self.kind == "int":
            text = to_text(raw)
            if not text:
                return None
            try:
                number = int(text)
            except ValueError:
                raise ValueError(f"{label}应为整数") from None
            if abs(number) > self.max_int:  # what the column takes on every database (``core.numbers``)
                raise ValueError(f"{label}数值过大")
            return number
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            return to_text(raw).upper() in {"1", "TRUE", "ON", "是", "Y", "YES"}
        if self.kind == "file":
            return raw
        text = to_text(raw)
        if self.kind in ("code", "choice"):
            text = code_part(text)
        if self.upper:
            text = text.upper()
        if self.kind == "choice" and text:
            by_label = {lab: val for val, lab in self.choices}
            values = {val for val, _lab in self.choices}
            if text not in values:
                if text not in by_label:
                    raise ValueError(f"{label}只能是 {'、'.join(lab for _val, lab in self.choices)}")
                text = by_label[text]
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"{label}不能超过 {self.max_length} 个字符")
        if self.kind == "code" and text and self.code_table:
            from guanwu.params import services as params

            if self.normalise:
                return params.normalise(self.code_table, text) or _missing(label, text)
            if not params.code_exists(self.code_table, text):
                _missing(label, text)
        return text

    def is_empty(self, value: Any) -> bool:
        return value is None or value == ""

    def display(self, value: Any) -> str:
        """The text of a stored value (code tables and choices with their names)."""
        if value is None or value == "":
            return ""
        if self.kind == "choice":
            return dict(self.choices).get(str(value), str(value))
        if self.kind == "code" and self.code_table:
            from guanwu.params import services as params

            name = params.code_name(self.code_table, value) or ""
            return f"{value} - {name}" if name else str(value)
        if self.kind == "bool":
            return "是" if value else "否"
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            text = format(value, "f")
            return text.rstrip("0").rstrip(".") if "." in text else text
        return str(value)

    # -- API types ----------------------------------------------------------------------

    def input_type(self) -> Any:
        return {"decimal": Decimal | str, "int": int | str, "bool": bool | str}.get(self.kind, str)

    def output_type(self) -> Any:
        return {"date": dt.date | None, "decimal": Decimal | None, "int": int | None, "bool": bool}.get(
            self.kind, str)

    def description(self) -> str:
        parts = [self.help]
        if self.kind == "date":
            parts.append("日期, 如 2024-11-04")
        elif self.kind == "code" and self.code_table:
            parts.append(f"参数表 {self.code_table} 的代码")
        elif self.kind == "choice":
            parts.append("可选: " + "、".join(f"{v} {lab}" for v, lab in self.choices))
        return "; ".join(p for p in parts if p)


def _code_name(f: Field, value: Any) -> str:
    """A picker's one option before it loads: the code's name (the picker shows "code - name")."""
    if f.kind != "code" or not value or not f.code_table:
        return ""
    from guanwu.params import services as params

    return params.code_name(f.code_table, value) or str(value)


@dataclass(frozen=True)
class FieldSpec:
    """The fields of one record, in form/import/export order."""

    fields: tuple[Field, ...]
    title: str = ""
    _by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})

    @classmethod
    def from_model(cls, model: type[models.Model], names: Iterable[str | Field],
                   overrides: dict[str, dict[str, Any]] | None = None, title: str = "") -> FieldSpec:
        overrides = overrides or {}
        out = []
        for item in names:
            if isinstance(item, Field):
                out.append(item)
            else:
                out.append(Field.from_model(model._meta.get_field(item), **overrides.get(item, {})))
        return cls(tuple(out), title or str(model._meta.verbose_name))

    def __iter__(self):
        return iter(self.fields)

    def __getitem__(self, name: str) -> Field:
        return self._by_name[name]

    def names(self, *, files: bool = False) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if files or f.kind != "file")

    def with_fields(self, *changes: Field) -> FieldSpec:
        by_name = {f.name: f for f in changes}
        return FieldSpec(tuple(by_name.get(f.name, f) for f in self.fields), self.title)

    def replace(self, name: str, **changes: Any) -> FieldSpec:
        return self.with_fields(replace(self[name], **changes))

    # -- services -----------------------------------------------------------------------

    def clean(self, data: dict[str, Any], errors: list[FieldError], *, prefix: str = "") -> dict[str, Any]:
        """Every (non-file) field of ``data`` read for the model; what is wrong goes to ``errors``
        (``FieldError(prefix + name, message)``) and the field's value is then None/""."""
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.kind == "file":
                continue
            try:
                value = f.clean(data.get(f.name))
            except ValueError as exc:
                errors.append(FieldError(prefix + f.name, str(exc)))
                value = None if f.kind in ("date", "decimal", "int") else ""
                out[f.name] = value
                continue
            if f.required and f.is_empty(value):
                errors.append(FieldError(prefix + f.name, f"{f.label}不能为空"))
            out[f.name] = value if value is not None or f.kind in ("date", "decimal", "int") else ""
        return out

    def values_of(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.names()}

    def defaults(self, model: type[models.Model]) -> dict[str, Any]:
        """The model's defaults of the fields that have one (a new record's form)."""
        out = {}
        for name in self.names():
            model_field = model._meta.get_field(name)
            if model_field.has_default():
                out[name] = model_field.get_default()
        return out

    def snapshot(self, obj: Any) -> dict[str, Any]:
        """What the operation log compares: the displayed value of each field."""
        return {f.label: f.display(getattr(obj, f.name)) for f in self.fields if f.kind != "file"}

    # -- API ------------------------------------------------------------------------------

    def schema_in(self, name: str, **extra: Any) -> type:
        """The request body: every field optional (updates send what changes; the services say
        what is missing), titled with its Chinese label. ``extra``: more (type, default) fields."""

        fields: dict[str, Any] = {}
        for f in self.fields:
            if f.kind == "file":
                continue
            fields[f.name] = (f.input_type() | None, SchemaField(
                None, title=f.label, description=f.description() or None,
                examples=[f.example] if f.example else None, max_length=None,
            ))
        fields.update(extra)
        model = create_model(name, __base__=InputBody, **fields)
        model.model_config["title"] = f"{self.title}(输入)" if self.title else name
        return model

    def schema_out(self, name: str, *, displays: bool = True, **extra: Any) -> type:
        """The answer: ``id``, every field titled with its label and, with ``displays``, the name of
        each code/choice (``<name>_display``). ``extra``: more (type, default) fields; one named
        like a field replaces its type."""
        from ninja import Schema

        fields: dict[str, Any] = {"id": (int, SchemaField(title="ID"))}
        for f in self.fields:
            if f.kind == "file":
                continue
            fields[f.name] = (f.output_type(), SchemaField(title=f.label))
            if displays and f.kind in ("code", "choice"):
                fields[f"{f.name}_display"] = (str, SchemaField("", title=f"{f.label}(名称)"))
        fields.update(extra)
        return create_model(name, __base__=Schema, **fields)

    def out(self, obj: Any) -> dict[str, Any]:
        """``obj`` as the ``schema_out`` dict."""
        data: dict[str, Any] = {"id": obj.pk}
        for f in self.fields:
            if f.kind == "file":
                continue
            value = getattr(obj, f.name)
            data[f.name] = value
            if f.kind in ("code", "choice"):
                data[f"{f.name}_display"] = f.display(value)
        return data

    # -- forms ----------------------------------------------------------------------------

    def widgets(self, values: dict[str, Any], errors: dict[str, list[str]], *,
                prefix: str = "") -> list[dict[str, Any]]:
        """One dict per field for the shared form template (``ui/_field.html``); ``prefix`` keeps
        the element ids of several forms on one page apart."""
        out = []
        for f in self.fields:
            value = values.get(f.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = f.display(value)
            out.append({
                "name": f.name, "id": f"id_{prefix}{f.name}", "label": f.label, "kind": f.kind, "required": f.required,
                "maxlength": f.max_length, "cols": f.cols, "help": f.help, "placeholder": f.placeholder,
                "value": "" if value is None else value, "errors": errors.get(f.name, []),
                "choices": list(f.choices), "table": f.code_table,
                "value_text": _code_name(f, value), "attrs": f.attrs,
            })
        return out


@dataclass(frozen=True)
class RowsSpec:
    """Child rows under a record (a licence's goods lines, a certificate's goods), declared once::

        LINES = RowsSpec("lines", "商品", LINE_SPEC, LicenceLine, parent="licence", ids=True,
                         prefix="line_", title="商品信息")

    ``clean`` reads a posted list (errors name row and column: ``lines[1].qty`` /
    ``商品第2行 许可数量应为数字``), ``text`` is the operation log's value, ``write`` replaces the
    stored rows (in the caller's transaction), ``schema_field`` is the API body's list and
    ``form`` the context of ``ui/_rows.html``. ``RecordService.rows`` wires all of it."""

    key: str  # the input key and error path: lines -> lines[1].qty
    label: str  # a row's name in messages: 商品 -> 商品第2行 许可数量不能为空
    spec: FieldSpec
    model: type[models.Model] | None = None
    parent: str = ""  # the model's foreign key to the record
    order: str = "line_no"  # numbered 1.. in the given order ("": not numbered)
    ids: bool = False  # rows keep their identity: a row with ``id`` updates that row
    max_rows: int = 200
    truncate: bool = False  # more than ``max_rows``: the first are kept (else an error)
    skip_empty: bool = False  # a row with nothing in it is left out (else its required fields are errors)
    title: str = ""  # the list as a whole (default ``label``): 商品信息应为列表
    prefix: str = ""  # the form's input names, ``<prefix><field>``
    keep: tuple[str, ...] = ()  # a posted row with none of these filled is left out (default: any field)
    summary: Callable[[Any], str] = str  # one stored row in the operation log
    extra: tuple[tuple[str, str], ...] = ()  # read-only columns of the form: (attribute, header)
    locked: Callable[[Any], bool] | None = None  # a stored row that may not be removed ...
    locked_fields: tuple[str, ...] = ()  # ... nor have these changed in the form
    locked_title: str = ""
    hints: tuple[tuple[str, str], ...] = ()  # (field, attribute of an empty hint line under its input)
    help: str = ""
    check: Callable[[dict[str, Any], Callable[[str, str], None]], None] | None = None  # a row's own rules

    def err(self, errors: list[FieldError], index: int, name: str, message: str) -> None:
        """An error of row ``index`` (0-based), column ``name`` ("" for the row)."""
        path = f"{self.key}[{index}]" + (f".{name}" if name else "")
        errors.append(FieldError(path, f"{self.label}第{index + 1}行{' ' if name else ''}{message}"))

    def clean(self, raw: Any, errors: list[FieldError],
              check: Callable[[dict[str, Any], Callable[[str, str], None]], None] | None = None,
              ) -> list[dict[str, Any]]:
        """The rows of ``raw`` (a list of dicts) read by ``spec``; ``check(row, err)`` adds the
        rules of a row (``err(field, message)``) and may complete its values."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            errors.append(FieldError(self.key, f"{self.title or self.label}应为列表"))
            return []
        if len(raw) > self.max_rows and not self.truncate:
            errors.append(FieldError(self.key, f"{self.label}最多 {self.max_rows} 行"))
            return []
        out = []
        for index, item in enumerate(raw[:self.max_rows]):
            if not isinstance(item, dict):
                self.err(errors, index, "", "格式错误")
                continue
            if self.skip_empty and not any(to_text(item.get(n)) for n in self.spec.names()):
                continue
            found: list[FieldError] = []
            row = self.spec.clean(item, found)
            for error in found:
                self.err(errors, index, error.field, error.message)
            if self.ids:
                try:
                    row["id"] = int(item["id"]) if item.get("id") not in (None, "") else None
                except (TypeError, ValueError):
                    self.err(errors, index, "id", "编号错误")
                    row["id"] = None
            for rule in (self.check, check):
                if rule is not None:
                    rule(row, lambda name, message, index=index: self.err(errors, index, name, message))
            out.append(row)
        return out

    def clean_one(self, data: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
        """One row edited on its own (``base``: its stored values); ServiceError (422) with one
        message per field, named as in a form of its own (``email``: ``E-MAIL 格式不正确``)."""
        errors: list[FieldError] = []
        row = self.spec.clean({**(base or {}), **{n: data[n] for n in self.spec.names() if n in data}}, errors)
        if self.check is not None:
            self.check(row, lambda name, message: errors.append(FieldError(name, message)))
        if errors:
            first = {e.field: e for e in reversed(errors)}
            raise ServiceError.fields([e for e in errors if first[e.field] is e], message=f"{self.label}校验未通过")
        return row

    # -- storage --------------------------------------------------------------------------

    def stored(self, parent: Any) -> Any:
        rows = self.model._default_manager.filter(**{self.parent: parent})
        return rows.order_by(self.order) if self.order else rows

    def text(self, parent: Any) -> str:
        return "; ".join(self.summary(row) for row in self.stored(parent))

    def write(self, parent: Any, rows: list[dict[str, Any]]) -> None:
        """Replace the stored rows by ``rows``: rows with an ``id`` keep their identity."""
        names = self.spec.names()
        kept = [row["id"] for row in rows if row.get("id")]
        stored = self.stored(parent)
        stored.exclude(pk__in=kept).delete()
        if self.order and kept:  # renumber in two steps so that (parent, order) stays unique
            stored.update(**{self.order: models.F(self.order) + 10_000})
        new = []
        for index, row in enumerate(rows, start=1):
            values = {n: row[n] for n in names} | ({self.order: index} if self.order else {})
            if row.get("id"):
                self.model._default_manager.filter(pk=row["id"]).update(**values)
            else:
                new.append(self.model(**{self.parent: parent}, **values))
        self.model._default_manager.bulk_create(new)

    # -- API and form ---------------------------------------------------------------------

    def schema_field(self, name: str, description: str = "") -> tuple[Any, Any]:
        """The request body's ``(type, Field)`` of the list (``schema_in(**{rows.key: ...})``)."""
        from guanwu.apikit.params import Id

        extra = {"id": (Id | None, SchemaField(None, title=f"{self.label}行ID"))} if self.ids else {}
        row = self.spec.schema_in(name, **extra)
        return (list[row] | None, SchemaField(None, title=self.title or self.label, description=description or None))

    def values_of(self, parent: Any) -> list[dict[str, Any]]:
        return [self._form_row(row) for row in self.stored(parent)]

    def _form_row(self, row: Any) -> dict[str, Any]:
        out = {"id": row.pk, **self.spec.values_of(row)}
        out.update({name: Field(name, "", kind="decimal").display(getattr(row, name)) for name, _h in self.extra})
        out["_locked"] = bool(self.locked and self.locked(row))
        return out

    def posted(self, post: Any) -> list[dict[str, str]]:
        """The rows of a form: the columns ``<prefix><name>`` side by side."""
        names = (("id",) if self.ids else ()) + self.spec.names()
        columns = {name: post.getlist(f"{self.prefix}{name}") for name in names}
        rows = []
        for i in range(max((len(v) for v in columns.values()), default=0)):
            row = {name: (values[i] if i < len(values) else "").strip() for name, values in columns.items()}
            if any(row.get(k) for k in (self.keep or self.spec.names())):
                rows.append(row)
        return rows

    def form(self, rows: list[dict[str, Any]] | None, errors: dict[str, list[str]], parent: Any = None,
             table_id: str = "") -> dict[str, Any]:
        """The context of ``ui/_rows.html``: one table row of widgets per row (one empty row when
        there is none), the errors on their cells, the stored rows' read-only columns."""
        rows = list(rows or [{}])
        if parent is not None and self.ids:  # posted rows again: the stored rows' locks and columns
            stored = {str(r.pk): r for r in self.stored(parent)}
            rows = [{**row, **{k: v for k, v in self._form_row(stored[str(row["id"])]).items() if k[0] == "_"
                               or k in dict(self.extra)}} if str(row.get("id") or "") in stored else row
                    for row in rows]
        hints = dict(self.hints)
        items = []
        for index, row in enumerate(rows):
            start = f"{self.key}[{index}]"
            cell_errors = {k[len(start) + 1:]: v for k, v in errors.items() if k.startswith(start + ".")}
            widgets = self.spec.widgets(row, cell_errors, prefix=f"{self.prefix}{index}_")
            for w in widgets:
                w["readonly"] = row.get("_locked") and w["name"] in self.locked_fields
                w["hint"] = hints.get(w["name"], "")
            items.append({"id": row.get("id") or "", "widgets": widgets, "locked": row.get("_locked"),
                          "extra": [row.get(name, "") for name, _h in self.extra],
                          "errors": errors.get(start, [])})
        blank = self.spec.widgets({}, {}, prefix=f"{self.prefix}new_")
        for w in blank:
            w["hint"] = hints.get(w["name"], "")
        return {"spec": self, "items": items,
                "blank": {"blank": True, "widgets": blank, "extra": ["" for _ in self.extra]},
                "list_errors": errors.get(self.key, []), "table_id": table_id or self.key,
                "headers": [(f.label, f.required) for f in self.spec] + [(h, False) for _n, h in self.extra]}


class InputBody(BaseModel):
    """Request bodies keep the keys they do not declare (``model_extra``) so that ``body_data``
    refuses them by name, after the route has answered 404 for a foreign id. A plain pydantic
    model: ninja's Schema reads its input through a getter that drops the undeclared keys."""

    model_config = ConfigDict(extra="allow")


def _unknown_keys(model: BaseModel, prefix: str = "") -> list[str]:
    found = [prefix + key for key in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        if isinstance(value, BaseModel):
            found += _unknown_keys(value, f"{prefix}{name}.")
        elif isinstance(value, list):
            for i, row in enumerate(value):
                if isinstance(row, BaseModel):
                    found += _unknown_keys(row, f"{prefix}{name}[{i}].")
    return found


def body_data(payload: BaseModel | None, *, exclude_unset: bool = True) -> dict[str, Any]:
    """The fields a request body sent, for the services. A key the record does not have is
    refused ("不允许的字段", with its path) and nothing is written: a misspelt field would
    otherwise look saved."""
    if payload is None:
        return {}
    unknown = _unknown_keys(payload)
    if unknown:
        raise ServiceError.fields([FieldError(key, "不允许的字段") for key in unknown],
                                  f"请求中有不允许的字段: {', '.join(unknown)}")
    return payload.model_dump(exclude_unset=exclude_unset)
