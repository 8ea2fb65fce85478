"""Helpers shared by the services."""

from __future__ import annotations

from dataclasses import dataclass, field

from guanwu.core.errors import FieldError, ServiceError


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
