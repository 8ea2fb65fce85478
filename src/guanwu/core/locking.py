"""Row locks that read the same on PostgreSQL and SQLite."""

from __future__ import annotations

from django.db import connection


def lock(qs, *, skip_locked: bool = False, of: tuple[str, ...] = ("self",)):
    """``SELECT ... FOR UPDATE OF <the model's table>`` (joined tables stay unlocked unless named
    in ``of``); SQLite has no row locks (its write transactions are serialised) and gets the
    query unchanged."""
    if not connection.features.has_select_for_update:
        return qs
    options = {"of": of} if connection.features.has_select_for_update_of else {}
    if skip_locked and connection.features.has_select_for_update_skip_locked:
        options["skip_locked"] = True
    return qs.select_for_update(**options)
