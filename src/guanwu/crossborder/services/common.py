"""Helpers shared by the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, Forbidden, ServiceError
from guanwu.tenancy.context import Actor

from ..models import DELETABLE


def refuse(field_name: str, message: str, status: int = 422) -> ServiceError:
    error = ServiceError.fields([FieldError(field_name, message)], message)
    error.status = status
    return error


def refused(errors: list[FieldError], what: str) -> ServiceError:
    """All the errors at once; the message is the error itself when there is one."""
    message = errors[0].message if len(errors) == 1 else f"{what}校验未通过，共{len(errors)}处错误"
    return ServiceError.fields(errors, message)


@dataclass
class SubmitOutcome:
    """What 提交海关 did: ``sent`` ids, ``skipped`` ids (already sent, nothing sent again),
    ``messages`` the guids of the files queued."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def delete_documents(actor: Actor, rows: list[Any], title: str, *, entered: str = "导入",
                     name: Callable[[Any], Any] = str, check: Callable[[Any], None] | None = None) -> int:
    """删除 documents customs never accepted (待申报, 申报失败; ``rows`` locked by the caller, inside
    its transaction); an operator only their own (``entered``: how they came in); ``check`` may refuse
    one more. All refused or all deleted, each logged."""
    for row in rows:
        if row.status not in DELETABLE:
            raise ServiceError(
                f"{title}{name(row)}状态为“{row.get_status_display()}”，只能删除待申报或申报失败的{title}", status=409
            )
        if not actor.is_admin and row.created_by_id != actor.user.pk:
            raise Forbidden(f"操作员只能删除自己{entered}的{title}")
        if check is not None:
            check(row)
    for row in rows:
        audit.record(actor, row, f"删除{title}", before=row.get_status_display(), after="已删除")
        row.delete()
    return len(rows)
