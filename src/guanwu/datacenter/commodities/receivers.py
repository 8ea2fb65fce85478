"""The library learns from declarations: receivers of the declaration signals (after commit)."""

from __future__ import annotations

from typing import Any

from . import services


def on_declaration_done(sender: Any, declarations: list, **kwargs: Any) -> None:
    """Accepted or released: learn their goods (once per declaration, see ``services.learn``)."""
    services.learn(declarations)
