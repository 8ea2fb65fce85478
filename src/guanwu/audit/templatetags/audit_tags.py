"""``{% operation_log obj %}``: the 操作记录 panel any object page can show."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from guanwu.audit import services
from guanwu.audit.display import change_lines

register = template.Library()

PANEL_LIMIT = 50


@register.inclusion_tag("audit/_log.html", takes_context=True)
def operation_log(context: template.Context, obj: Any, limit: int = PANEL_LIMIT, title: str = "操作记录") -> dict:
    """The latest ``limit`` log rows of ``obj`` the current enterprise may see."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or obj is None:
        return {"logs": [], "title": title}
    rows = list(services.for_object(actor, obj)[: limit + 1])
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    more_url = None
    if len(rows) > limit:
        rows = rows[:limit]
        more_url = f"{reverse('audit:list')}?object_type={content_type.pk}&object_id={obj.pk}"
    return {"logs": rows, "title": title, "more_url": more_url}


@register.filter
def log_changes(log) -> list[str]:
    return change_lines(ContentType.objects.get_for_id(log.content_type_id), log.changes)
