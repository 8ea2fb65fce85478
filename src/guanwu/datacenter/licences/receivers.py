"""Released declarations consume the licences they cite (once per declaration)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from guanwu.declarations.signals import declaration_released

from . import services


@receiver(declaration_released, dispatch_uid="licences.consume_on_release")
def consume_on_release(sender: Any, declarations: list[Any], **kwargs: Any) -> None:
    services.consume_declarations(declarations)
