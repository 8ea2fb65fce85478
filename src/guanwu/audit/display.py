"""How operation-log rows read to people: object type names and "字段: 旧 → 新" lines."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

# Labels for changed keys that are not model fields (e.g. business settings). Modules add theirs.
_EXTRA_LABELS: dict[str, str] = {}


def register_labels(labels: dict[str, str]) -> None:
    _EXTRA_LABELS.update(labels)


def _default_labels() -> None:
    from guanwu.tenancy.models import BUSINESS_SETTINGS

    register_labels({key: label.split(":")[0].strip() for key, (_default, label) in BUSINESS_SETTINGS.items()})


_default_labels()


def type_label(content_type: ContentType | None) -> str:
    if content_type is None:
        return ""
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else content_type.model


def field_label(content_type: ContentType | None, name: str) -> str:
    model = content_type.model_class() if content_type is not None else None
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None:  # a reverse relation (``items``) has no verbose_name of its own
            return str(getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural)
        if name.endswith("_id"):
            try:
                return str(model._meta.get_field(name[:-3]).verbose_name)
            except FieldDoesNotExist:
                pass
    return _EXTRA_LABELS.get(name, name)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "(空)"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def change_lines(content_type: ContentType | None, changes: dict[str, Any] | None) -> list[str]:
    """``["企业名称: 甲 → 乙", ...]`` from ``{field: [old, new]}``; other shapes are shown as they are."""
    lines = []
    for name, change in (changes or {}).items():
        label = field_label(content_type, name)
        if isinstance(change, list | tuple) and len(change) == 2:
            lines.append(f"{label}: {_text(change[0])} → {_text(change[1])}")
        else:
            lines.append(f"{label}: {_text(change)}")
    return lines


def changes_text(log) -> str:
    return "; ".join(change_lines(ContentType.objects.get_for_id(log.content_type_id), log.changes))


def status_text(log) -> str:
    if log.status_before and log.status_after:
        return f"{log.status_before} → {log.status_after}"
    return log.status_after or log.status_before or ""
