"""Receipts of the processing-trade family, applied once (dedupe by content hash)."""

from __future__ import annotations

from typing import Any

from django.db import models

from guanwu.tenancy.context import Actor

from ..models import ProcessingReceipt


def apply_sas_receipt(content: bytes, file_name: str = "") -> ProcessingReceipt | None:
    raise NotImplementedError


def register() -> None:
    """Register the handlers with the gateway (``AppConfig.ready``)."""


def latest_receipt(obj: models.Model) -> ProcessingReceipt | None:
    raise NotImplementedError


def receipt_box(actor: Actor, obj: models.Model) -> dict[str, Any]:
    raise NotImplementedError
