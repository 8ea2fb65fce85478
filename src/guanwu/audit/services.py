"""Writing and reading the operation log.

``record`` must be called inside the transaction that makes the change it describes, so the
log and the change commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from guanwu.tenancy.context import Actor

from .models import OperationLog


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))]
        for k in keys
        if _plain(before.get(k)) != _plain(after.get(k))
    }


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    names = fields or [f.attname for f in obj._meta.concrete_fields if f.name not in {"id", "enterprise"}]
    return {name: _plain(getattr(obj, name)) for name in names}


def entry(
    actor: Actor | None,
    obj: models.Model,
    action: str,
    *,
    before: str = "",
    after: str = "",
    changes: dict[str, Any] | None = None,
    opinion: str = "",
    enterprise: Any = None,
) -> OperationLog:
    """One operation-log row for ``obj``, not saved yet (``record_many`` writes several at once).

    ``enterprise`` (an Enterprise or its id) defaults to the actor's, else the object's."""
    user = actor.user if actor else None
    if enterprise is None:
        enterprise = actor.enterprise if actor else getattr(obj, "enterprise_id", None)
    return OperationLog(
        enterprise_id=enterprise.pk if isinstance(enterprise, models.Model) else enterprise,
        user=user,
        user_name=(user.get_full_name() or user.get_username()) if user else "系统",
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        status_before=before,
        status_after=after,
        changes=changes or {},
        opinion=opinion,
    )


def _in_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("operation log must be written inside the change's transaction")


def record(actor: Actor | None, obj: models.Model, action: str, **fields: Any) -> OperationLog:
    """Write one operation-log row for ``obj`` in the caller's transaction (fields as ``entry``)."""
    _in_transaction()
    row = entry(actor, obj, action, **fields)
    row.save(force_insert=True)
    return row


def record_many(rows: list[OperationLog]) -> list[OperationLog]:
    """Write rows made by ``entry`` in one insert, in the caller's transaction."""
    _in_transaction()
    return OperationLog.objects.bulk_create(rows)


def for_object(actor: Actor, obj: models.Model):
    """The log of one object, as the current enterprise may see it."""
    return OperationLog.objects.filter(
        enterprise=actor.enterprise,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("user")


def for_enterprise(actor: Actor):
    return OperationLog.objects.filter(enterprise=actor.enterprise).select_related("content_type", "user")
