"""Home dashboard widgets. Modules add theirs with ``register``; each returns a dict or None."""

from __future__ import annotations

from collections.abc import Callable

from guanwu.tenancy.context import Actor

Widget = Callable[[Actor], dict | None]
_WIDGETS: list[Widget] = []


def register(func: Widget) -> Widget:
    _WIDGETS.append(func)
    return func


def widgets(actor: Actor) -> list[dict]:
    out = []
    for func in _WIDGETS:
        item = func(actor)
        if item:
            out.append(item)
    return out
