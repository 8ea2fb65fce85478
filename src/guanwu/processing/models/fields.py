"""Field helpers for the processing-trade models: every message field is optional in the
database (暂存 needs few; what 申报 requires is the message layer's job, ``validate_sas``)."""

from __future__ import annotations

from typing import Any

from django.db import models


def text(label: str, length: int, **kwargs: Any) -> models.CharField:
    return models.CharField(label, max_length=length, blank=True, **kwargs)


def decimal(label: str, digits: int, places: int) -> models.DecimalField:
    return models.DecimalField(label, max_digits=digits, decimal_places=places, null=True, blank=True)


def integer(label: str, length: int) -> models.IntegerField:
    field = models.BigIntegerField if length > 9 else models.IntegerField
    return field(label, null=True, blank=True)


def date(label: str) -> models.DateField:
    return models.DateField(label, null=True, blank=True)


def datetime(label: str) -> models.DateTimeField:
    return models.DateTimeField(label, null=True, blank=True)
