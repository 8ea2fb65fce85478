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


def test_a_record_field_of_a_model_field_takes_that_column_s_bound():
    """A small integer column refuses 40,000 (32,767 on every database); a big one takes three
    billion, which a 32-bit column would refuse."""
    small = Field.from_model(models.SmallIntegerField(name="level", verbose_name="级别"))
    assert small.clean("32767") == 32_767
    with pytest.raises(ValueError, match="级别数值过大"):
        small.clean("40000")
    big = Field.from_model(models.BigIntegerField(name="serial", verbose_name="序号"))
    assert big.clean("3000000000") == 3_000_000_000
    with pytest.raises(ValueError, match="序号数值过大"):
        big.clean(str(10**15))
    assert Field.from_model(models.IntegerField(name="qty", verbose_name="数量")).max_int == INT32_MAX
