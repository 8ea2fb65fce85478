"""Fast bulk insert for import ``save`` hooks: rows are plain dicts already validated by the
pipeline, so building model instances (most of ``bulk_create``'s cost) is skipped. Values are
adapted per field type, as the ORM would: values the database driver takes as they are (text,
numbers) are not touched, the columns every row shares (``common`` and model defaults) are
adapted once per insert, and a date/time the rows share (one ``now``) once per run of rows.

Rows go in multi-row ``INSERT ... VALUES (...), (...)`` statements of up to ``ROWS_PER_STATEMENT``
rows (fewer when the database limits the parameters of a statement). One statement for many
rows matters beyond fewer round trips: on SQLite every statement that fires a trigger opens a
statement savepoint, and FTS5 writes its pending index to disk at each savepoint (its
xSavepoint), so a table indexed by FTS5 through a trigger (the commodity library) costs ~4x
more inserted row by row (``executemany``: 15.6 s for 100k rows) than a thousand rows a
statement (3.8 s). Beyond a thousand rows a statement the database's own work hardly changes,
but ``insert_overlapped`` hands each statement to its writer thread and back (a few ms of
waiting for the GIL each way): fewer, larger statements (4,000 rows: ~0.5 s less for 100k
rows) leave it less of that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from operator import itemgetter
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

ROWS_PER_STATEMENT = 4000
# field types whose values the database drivers take as they are (the ORM's adaptation of them
# is the identity for values the import pipeline produces)
PLAIN = {
    "CharField", "TextField", "SlugField", "IntegerField", "BigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "BooleanField", "DecimalField", "ForeignKey",
}
_UNSET = object()


def _adapter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """How a value of ``field`` is adapted for the database; None: taken as it is."""
    kind = field.get_internal_type()
    if kind in PLAIN:
        return None
    if kind == "DateField":
        return _same_as_last(connection.ops.adapt_datefield_value)
    if kind == "DateTimeField":
        return _same_as_last(connection.ops.adapt_datetimefield_value)
    return lambda v: field.get_db_prep_save(v, connection)


def _same_as_last(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``adapt`` that reuses its last result for the same (immutable) date or time object."""
    last: list[Any] = [_UNSET, None]

    def cached(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return cached


def _max_params(connection) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:  # the library's own limit (Django assumes the old default of 999)
            import sqlite3

            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, ImportError):
            pass
    return connection.features.max_query_params or 65535


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]], **common: Any) -> int:
    """Insert ``rows`` (field name -> value) with ``common`` values on every row; returns the count.

    Fields absent from both get their model default; every row has the fields of the first one
    (a missing one is None). Must run inside the caller's transaction.
    """
    return _insert(model, rows, common, overlap=False)


def insert_overlapped(model: type[models.Model], rows: Iterable[dict[str, Any]], **common: Any) -> int:
    """``insert`` of rows that take work to make (a generator): they are read one statement's
    rows at a time while the previous statement runs in a writer thread on this connection (the
    database driver lets go of the GIL while a statement runs), so making the rows and the
    database's work overlap. ``rows`` must not use the database itself."""
    return _insert(model, rows, common, overlap=True)


def _executor(connection, cursor) -> tuple[Callable[[str, list[Any]], Any], str]:
    """How the statements run, and their placeholder.

    On SQLite the statements go to the sqlite3 cursor as they are, with its own "?": Django's
    cursor would first rewrite each "%s" by a regex over the statement (0.3 s for 100k rows, in
    the writer thread holding the GIL). Django's error translation stays. Not when queries are
    logged (DEBUG, tests counting queries) or wrapped (``connection.execute_wrapper``): they go
    through Django's cursor, which needs "%s".
    """
    raw = getattr(cursor, "cursor", None)
    if connection.vendor == "sqlite" and not connection.queries_logged and not connection.execute_wrappers:
        import sqlite3

        if isinstance(raw, sqlite3.Cursor):
            def execute(sql: str, params: list[Any]) -> Any:
                connection.validate_no_broken_transaction()
                with connection.wrap_database_errors:
                    return sqlite3.Cursor.execute(raw, sql, params)

            return execute, "?"
    return cursor.execute, "%s"


def _insert(model: type[models.Model], rows: Iterable[dict[str, Any]], common: dict[str, Any], *,
            overlap: bool) -> int:
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    connection = connections[router.db_for_write(model)]
    names = list(dict.fromkeys([*first.keys(), *common.keys()]))
    fields = []
    for f in model._meta.concrete_fields:
        if f.primary_key and isinstance(f, models.AutoField):
            continue
        key = f.name if f.name in names else (f.attname if f.attname in names else None)
        fields.append((f, key))
    # columns of the rows' own values first, then the columns every row shares (adapted once)
    per_row: list[tuple[models.Field, str, Callable[[Any], Any] | None]] = []
    shared: list[tuple[models.Field, Any]] = []
    for f, key in fields:
        if key is not None and key not in common:
            per_row.append((f, key, _adapter(f, connection)))
            continue
        if key is not None:
            value = common[key]
            value = value.pk if isinstance(value, models.Model) else value
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            now = timezone.now()
            value = now if isinstance(f, models.DateTimeField) else now.date()
        elif f.has_default() or not f.null:
            value = f.get_default()
        else:
            value = None
        adapt = _adapter(f, connection)
        value = value if adapt is None else adapt(value)
        if isinstance(value, str) and type(value) is not str:  # a TextChoices member: its text
            value = str.__str__(value)  # (the driver would look for an adapter of its class each row)
        shared.append((f, value))
    tail = [value for _, value in shared]
    keys = [key for _, key, _ in per_row]
    if len(keys) > 1:
        values_of = itemgetter(*keys)
    else:  # one column (a tuple all the same) or none
        def values_of(row: dict[str, Any]) -> tuple[Any, ...]:
            return tuple(row[key] for key in keys)
    adapt_at = [(i, adapt) for i, (_, _, adapt) in enumerate(per_row) if adapt is not None]

    def params_of(chunk: list[dict[str, Any]]) -> list[Any]:
        params: list[Any] = []
        for row in chunk:
            try:
                values = values_of(row)
            except KeyError:  # a row without some of the first row's fields: None there
                values = tuple(row.get(key) for key in keys)
            if adapt_at:
                values = list(values)
                for i, adapt in adapt_at:
                    values[i] = adapt(values[i])
            params += values
            params += tail
        return params

    qn = connection.ops.quote_name
    columns = [f for f, _, _ in per_row] + [f for f, _ in shared]
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in columns)}) VALUES "
    per_statement = max(1, min(ROWS_PER_STATEMENT, _max_params(connection) // len(columns)))

    def chunks() -> Iterator[list[dict[str, Any]]]:
        chunk = [first]
        for row in it:
            if len(chunk) == per_statement:
                yield chunk
                chunk = []
            chunk.append(row)
        yield chunk

    count = 0
    with connection.cursor() as cursor:
        execute, mark = _executor(connection, cursor)
        one = f"({', '.join([mark] * len(columns))})"
        statements: dict[int, str] = {}

        def sql_for(count: int) -> str:
            sql = statements.get(count)
            if sql is None:
                sql = statements[count] = head + ", ".join([one] * count)
            return sql

        if not overlap:
            for chunk in chunks():
                execute(sql_for(len(chunk)), params_of(chunk))
                count += len(chunk)
            return count
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-insert") as writer:
            running: Future | None = None
            try:
                for chunk in chunks():
                    params = params_of(chunk)
                    if running is not None:
                        running.result()  # one statement at a time, in order; its error is raised here
                    running = writer.submit(execute, sql_for(len(chunk)), params)
                    count += len(chunk)
                running.result()
            finally:
                if running is not None:
                    wait([running])  # the connection is free again before anything else uses it
    return count
