"""The library learns from declarations: receivers of the declaration signals (after commit)."""

from __future__ import annotations

from typing import Any

from . import services


def on_declaration_done(sender: Any, declaration, **kwargs: Any) -> None:
    """Accepted or released: learn its goods (once per declaration, see ``services.learn``)."""
    services.learn([declaration])
