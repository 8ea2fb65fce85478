"""Header badges: small counters in the page header of every page (e.g. 未读通知).

A module registers a function ``actor -> dict | None`` under a key; ``None`` hides the badge
(e.g. the module is not enabled for this enterprise). The dict has::

    {"label": "通知", "count": 3, "url": "/autodeclare/notifications/?unread=1",
     "icon": "bi-bell", "title": "未读通知"}          # icon and title optional

The header shows the label with the count (no count when it is 0). Badges are worked out
lazily, when the header is rendered, and once per request: anonymous pages, htmx partials and
exports cost no query; a badge should cost one cheap query. Registering a key again replaces
the function; badges show in registration order; one that raises is logged and left out, so a
broken module never takes every page down.

``ui`` imports no module: each module registers its own badges (in its ``AppConfig.ready``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils.functional import SimpleLazyObject

from guanwu.tenancy.context import Actor

Badge = Callable[[Actor], dict | None]
_BADGES: dict[str, Badge] = {}
log = logging.getLogger(__name__)


def register_header_badge(key: str, func: Badge) -> Badge:
    _BADGES[key] = func
    return func


def unregister_header_badge(key: str) -> None:
    _BADGES.pop(key, None)


def header_badges(actor: Actor) -> list[dict]:
    out = []
    for key, func in _BADGES.items():
        try:
            item = func(actor)
        except Exception:
            log.exception("header badge %s failed", key)
            continue
        if item:
            out.append({"key": key, "icon": "", "title": item.get("label", ""), "count": 0, **item})
    return out


def lazy_header_badges(actor: Actor) -> SimpleLazyObject:
    """The badges, computed the first time the template looks at them."""
    return SimpleLazyObject(lambda: header_badges(actor))
