"""Fast bulk insert for import ``save`` hooks: rows are plain dicts already validated by the
pipeline, so building model instances (most of ``bulk_create``'s cost) is skipped and rows go
to ``executemany`` in chunks. Values are adapted per field type, as the ORM would."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

CHUNK = 5000


def _adapter(field: models.Field, connection) -> Callable[[Any], Any]:
    kind = field.get_internal_type()
    if kind in {"CharField", "TextField", "SlugField", "IntegerField", "BigIntegerField", "PositiveIntegerField",
                "PositiveSmallIntegerField", "SmallIntegerField", "BooleanField", "DecimalField", "ForeignKey"}:
        return lambda v: v
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return lambda v: field.get_db_prep_save(v, connection)


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]], **common: Any) -> int:
    """Insert ``rows`` (field name -> value) with ``common`` values on every row; returns the count.

    Fields absent from both get their model default. Must run inside the caller's transaction.
    """
    rows = list(rows)
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    names = list(dict.fromkeys([*rows[0].keys(), *common.keys()]))
    fields = []
    for f in model._meta.concrete_fields:
        if f.primary_key and isinstance(f, models.AutoField):
            continue
        key = f.name if f.name in names else (f.attname if f.attname in names else None)
        fields.append((f, key))
    common_values = {}
    for f, key in fields:
        if key in common:
            value = common[key]
            common_values[f.attname] = value.pk if isinstance(value, models.Model) else value
        elif key is None:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                now = timezone.now()
                common_values[f.attname] = now if isinstance(f, models.DateTimeField) else now.date()
            elif f.has_default() or not f.null:
                common_values[f.attname] = f.get_default()
            else:
                common_values[f.attname] = None
    adapters = [(_adapter(f, connection), key if key not in common else None, f.attname) for f, key in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f, _ in fields)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            params = [
                [adapt(row.get(key) if key is not None else common_values[attname]) for adapt, key, attname in adapters]
                for row in rows[start : start + CHUNK]
            ]
            cursor.executemany(sql, params)
    return len(rows)
