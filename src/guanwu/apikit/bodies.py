"""Request bodies (and answers) that the OpenAPI documents while the service keeps the checking.

Some write endpoints hand their body to a service that reads it field by field and names every
field it cannot take, in the words the UI shows beside a cell (``items[0].code_ts``: "第1项商品
编号..."), in its own order (the record's 404 and the role's 403 before any field). Letting
pydantic check such a body first would change those answers. A ``ServiceBody`` therefore
*describes* the body (titles, types, lengths, choices: derived from the model fields, so nothing
is restated) and passes it on unchanged: ``body.raw()`` is exactly the JSON object that was sent,
unknown fields included (the service refuses them with a Chinese error, as before).

``body_model`` builds one from a field specification; ``field_schema`` is the JSON Schema of a
Django model field as the API takes it. ``answer_model`` / ``answer_schema`` / ``answer_fields``
do the same for what an endpoint answers: the dict its ``*_out`` function builds is sent exactly
as built, and the OpenAPI (and so schemathesis) knows its fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, ClassVar

from django.db import models
from ninja import Schema
from pydantic import (
    ConfigDict,
    Field,
    PrivateAttr,
    SkipValidation,
    WithJsonSchema,
    model_serializer,
    model_validator,
)

DECIMAL_TEXT = r"^-?\d+(\.\d+)?$"


def choices_text(choices: Iterable[tuple[Any, Any]]) -> str:
    """``I: 进口; E: 出口``: how a description lists the values a field takes."""
    return "; ".join(f"{value}: {label}" for value, label in choices)


def field_schema(field: models.Field, *, description: str = "") -> dict[str, Any]:
    """What the API takes for ``field``: its JSON type, length or digits and choices, its Chinese
    name as ``title`` (``description`` adds to the field's ``help_text``)."""
    schema: dict[str, Any]
    if isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.DecimalField):
        whole = field.max_digits - field.decimal_places
        schema = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_TEXT}]}
        description = f"数字 (整数部分最多 {whole} 位, 小数最多 {field.decimal_places} 位); " + description
    elif isinstance(field, models.IntegerField):
        schema = {"type": "integer", "minimum": 0}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
    if field.choices:
        schema["enum"] = [value for value, _label in field.choices]
        description = choices_text(field.choices) + (f"; {description}" if description else "")
    schema["title"] = str(field.verbose_name)
    text = "; ".join(filter(None, (description.strip("; "), str(field.help_text or ""))))
    if text:
        schema["description"] = text
    return schema


def documented(schema: dict[str, Any]) -> Any:
    """A body field described by ``schema`` and taken as sent (the service checks it)."""
    return Annotated[Any, WithJsonSchema(schema)]


def rows_of(model: type[Schema], title: str, description: str = "") -> Any:
    """A list of ``model`` rows, documented as such and taken (or answered) as it is."""
    return Annotated[SkipValidation[list[model]], Field(title=title, description=description or None)]  # type: ignore[valid-type]


def answer_schema(field: models.Field, *, title: str = "") -> dict[str, Any]:
    """``field`` as answered: text as text, decimals as text (``"12.5"``), dates ``YYYY-MM-DD``,
    times ISO 8601, a foreign key as the related id, a JSON field as the JSON stored (an array or
    an object, as its default); a number, date, time or key that is not filled in is ``null``.
    ``title`` replaces the field's name where the answer names the value otherwise."""
    if isinstance(field, models.ForeignKey):
        schema: dict[str, Any] = {"type": ["integer", "null"] if field.null else "integer",
                                  "title": f"{field.verbose_name} id"}
    elif isinstance(field, models.JSONField):
        default = field.get_default()
        schema = {"type": "array" if isinstance(default, list) else "object", "title": str(field.verbose_name)}
    else:
        schema = _stored_answer(field)
    if title:
        schema["title"] = title
    return schema


def answer_fields(model: type[models.Model], *names: str, **renamed: str) -> dict[str, dict[str, Any]]:
    """The answer schemas of ``model``'s fields ``names``, and of ``renamed`` (answer key -> field
    name) where the ``*_out`` function names a field otherwise (``"user": "user_name"``)."""
    fields = {name: answer_schema(model._meta.get_field(name)) for name in names}
    fields.update({key: answer_schema(model._meta.get_field(name)) for key, name in renamed.items()})
    return fields


def _stored_answer(field: models.Field) -> dict[str, Any]:
    schema = field_schema(field)
    schema.pop("enum", None)  # a stored value answers as it is, even one a later rule refuses
    if isinstance(field, models.DecimalField):
        schema.pop("anyOf")
        schema["type"] = ["string", "null"]
        schema["description"] = schema.get("description", "").replace("数字 (", "数字文本 (", 1)
    elif isinstance(field, (models.IntegerField, models.DateField)) and field.null:
        schema["type"] = [schema["type"], "null"]
    schema.pop("maxLength", None)
    schema.pop("minimum", None)
    return schema


def answer_rows(model: type[Answer], title: str, description: str = "") -> Any:
    """A list of ``model`` rows in an answer."""
    return Annotated[list[model], Field(title=title, description=description or None)]  # type: ignore[valid-type]


def _finish_schema(schema: dict[str, Any], cls: type[ServiceBody] | type[Answer]) -> None:
    """The object as documented: the Chinese title, what is required; for a body no unknown
    fields and no ``default: null`` (a field left out is "not given", which the service tells
    from null)."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)
    if issubclass(cls, ServiceBody):
        schema["additionalProperties"] = False
    schema.update(cls.__body_doc__)


class ServiceBody(Schema):
    """A JSON object documented by its fields and passed to the service as sent."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_finish_schema)
    __body_doc__: ClassVar[dict[str, Any]] = {}
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_as_sent(cls, value: Any, handler: Any) -> Any:
        body = handler(value if isinstance(value, dict) else {})
        body._raw = dict(value) if isinstance(value, dict) else {}
        return body

    def raw(self) -> dict[str, Any]:
        """The JSON object exactly as sent."""
        return dict(self._raw)


class Answer(Schema):
    """An answer documented by its fields and sent exactly as the endpoint built it: the dict
    is kept and serialized as it is (its keys, order and values; a key the documentation leaves
    out is still sent, and ``tests/test_schemathesis.py`` flags it). Use the route's
    ``exclude_unset=True`` for the answers built otherwise."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_finish_schema)
    __body_doc__: ClassVar[dict[str, Any]] = {}
    _built: dict[str, Any] | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_as_built(cls, value: Any, handler: Any) -> Any:
        answer = handler(value)
        if isinstance(value, dict):
            answer._built = value
        return answer

    @model_serializer(mode="wrap")
    def _send_as_built(self, handler: Any):  # no return type: the schema stays the fields
        return handler(self) if self._built is None else self._built


def body_model(
    name: str,
    fields: dict[str, Any],
    *,
    title: str,
    description: str = "",
    required: tuple[str, ...] = (),
) -> type[ServiceBody]:
    """A ``ServiceBody`` named ``name`` (its OpenAPI component) whose fields are ``fields``
    (name -> a JSON Schema dict, or an annotation such as ``rows_of``). ``required`` lists what
    the documentation marks required; the service still answers a missing one itself."""
    return _model(ServiceBody, name, fields, title=title, description=description, required=required)


def answer_model(name: str, fields: dict[str, Any], *, title: str, description: str = "",
                 optional: tuple[str, ...] = ()) -> type[Answer]:
    """An ``Answer`` named ``name``: every field of ``fields`` is always there, except ``optional``."""
    required = tuple(k for k in fields if k not in optional)
    return _model(Answer, name, fields, title=title, description=description, required=required)


def _model(base: type, name: str, fields: dict[str, Any], *, title: str, description: str,
           required: tuple[str, ...]) -> Any:
    doc: dict[str, Any] = {"title": title}
    if description:
        doc["description"] = description
    if required:
        doc["required"] = list(required)
    namespace: dict[str, Any] = {
        "__module__": base.__module__,
        "__qualname__": name,
        "__body_doc__": doc,
        "__annotations__": {
            key: documented(value) if isinstance(value, dict) else value for key, value in fields.items()
        },
        **{key: None for key in fields},
    }
    return type(name, (base,), namespace)
