"""Integers read from input are held to what an integer column takes on every database
(``core.numbers``): PostgreSQL's integer is 32-bit, SQLite takes any 64-bit number, so a bound left
to the database would be a 500 on one backend and a saved row on the other."""

from __future__ import annotations

import pytest
from django.db import models

from guanwu.core.fields import Field
from guanwu.core.numbers import INT32_MAX, integer_max


def test_a_record_field_refuses_an_integer_beyond_32_bits():
    field = Field("qty", "数量", kind="int")
    assert field.clean(str(INT32_MAX)) == INT32_MAX
    assert field.clean(-INT32_MAX) == -INT32_MAX
    for too_large in (INT32_MAX + 1, -INT32_MAX - 1, 10**40):
        with pytest.raises(ValueError, match="数量数值过大"):
            field.clean(too_large)


def test_the_bound_follows_the_model_field():
    assert integer_max(models.IntegerField()) == INT32_MAX == 2_147_483_647
    assert integer_max(models.PositiveIntegerField()) == INT32_MAX
    assert integer_max(models.SmallIntegerField()) == 32_767
    assert integer_max(models.BigIntegerField()) == 10**15 - 1
