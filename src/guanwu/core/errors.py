"""Errors raised by services and turned into Chinese messages by views and the API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class ServiceError(Exception):
    """A business rule refused the action; nothing was changed.

    ``errors`` name the offending fields ("" for the whole object) with Chinese messages.
    """

    message: str
    errors: list[FieldError] = field(default_factory=list)
    status: int = 422

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def fields(cls, errors: list[FieldError], message: str = "数据校验未通过") -> ServiceError:
        return cls(message=message, errors=list(errors))


class NotFound(ServiceError):
    def __init__(self, message: str = "记录不存在或无权访问") -> None:
        super().__init__(message=message, status=404)


class Forbidden(ServiceError):
    def __init__(self, message: str = "没有执行此操作的权限") -> None:
        super().__init__(message=message, status=403)
