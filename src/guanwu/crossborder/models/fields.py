"""Field helpers: CEB elements are optional in the database; the message's XSD and the
services say what is required (as ``declarations.models.fields``)."""

from __future__ import annotations

from typing import Any

from django.db import models


def text(label: str, length: int, **kwargs: Any) -> models.CharField:
    return models.CharField(label, max_length=length, blank=True, **kwargs)


def decimal(label: str, digits: int = 19, places: int = 5) -> models.DecimalField:
    return models.DecimalField(label, max_digits=digits, decimal_places=places, null=True, blank=True)


def integer(label: str) -> models.IntegerField:
    return models.IntegerField(label, null=True, blank=True)


def date(label: str) -> models.DateField:
    return models.DateField(label, null=True, blank=True)


def datetime(label: str) -> models.DateTimeField:
    return models.DateTimeField(label, null=True, blank=True)
