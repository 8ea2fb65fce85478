"""Running numbers kept in a counter row: ``next_value`` adds one and reads it back in one
``UPDATE ... RETURNING`` (PostgreSQL, SQLite >= 3.35), creating the row on first use.

The UPDATE takes the row's lock until the caller's transaction ends, so concurrent callers
queue on it and never get the same number; call it inside the transaction that stores it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db import connection, models
from django.db.models import F


def _returning() -> bool:
    return connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35)
    )


def _increment(model: type[models.Model], where: dict[str, Any], field: str) -> int | None:
    if not _returning():
        if not model.objects.filter(**where).update(**{field: F(field) + 1}):
            return None
        return model.objects.filter(**where).values_list(field, flat=True).get()
    meta = model._meta
    qn = connection.ops.quote_name
    column = qn(meta.get_field(field).column)
    conditions = " AND ".join(f"{qn(meta.get_field(name).column)} = %s" for name in where)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(meta.db_table)} SET {column} = {column} + 1 WHERE {conditions} RETURNING {column}",
            [value.pk if isinstance(value, models.Model) else value for value in where.values()],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_value(model: type[models.Model], where: dict[str, Any], field: str = "last") -> int:
    """The next number of the counter row ``where`` (field names -> values) of ``model``."""
    value = _increment(model, where, field)
    if value is None:
        model.objects.get_or_create(**where)
        value = _increment(model, where, field)
        assert value is not None
    return value
