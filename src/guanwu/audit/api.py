"""``GET /api/v1/audit``: the current enterprise's operation log, optionally for one object.

Mount in ``guanwu/api.py``: ``api.add_router("/audit", audit_router)``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from ninja import Query, Router, Schema

from guanwu.apikit.params import Limit, Offset
from guanwu.core.errors import FieldError, ServiceError

from . import services
from .display import change_lines, type_label

router = Router(tags=["操作记录"])

MAX_LIMIT = 500


class LogFilter(Schema):
    object_type: str | None = None  # "app_label.model", e.g. "tenancy.membership"
    object_id: str | None = None
    action: str | None = None
    limit: Limit = 100
    offset: Offset = 0


class LogOut(Schema):
    id: int
    created_at: datetime
    user_name: str
    object_type: str
    object_type_label: str
    object_id: str
    object_repr: str
    action: str
    status_before: str
    status_after: str
    changes: dict[str, Any]
    changes_text: list[str]
    opinion: str


class LogPage(Schema):
    count: int
    items: list[LogOut]


def _content_type(value: str) -> ContentType:
    app_label, _, model = value.lower().partition(".")
    content_type = ContentType.objects.filter(app_label=app_label, model=model).first() if model else None
    if content_type is None:
        raise ServiceError.fields([FieldError("object_type", "未知的对象类型, 应为 app.model, 如 tenancy.membership")])
    return content_type


@router.get("", response=LogPage)
def list_logs(request, filters: Query[LogFilter]):
    actor = request.auth
    qs = services.for_enterprise(actor)
    if filters.object_type:
        qs = qs.filter(content_type=_content_type(filters.object_type))
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    limit = min(filters.limit, MAX_LIMIT)
    offset = filters.offset
    items = []
    for log in qs[offset : offset + limit]:
        content_type = ContentType.objects.get_for_id(log.content_type_id)
        items.append({
            "id": log.pk, "created_at": log.created_at, "user_name": log.user_name,
            "object_type": f"{content_type.app_label}.{content_type.model}",
            "object_type_label": type_label(content_type), "object_id": log.object_id,
            "object_repr": log.object_repr, "action": log.action, "status_before": log.status_before,
            "status_after": log.status_after, "changes": log.changes,
            "changes_text": change_lines(content_type, log.changes), "opinion": log.opinion,
        })
    return {"count": qs.count(), "items": items}
