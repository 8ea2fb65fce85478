"""Round trip: build -> parse gives back the same data, and what is built within the XSD's
lengths validates, for field values drawn by hypothesis from the official XSD's own facets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanwu.messages import ceb
from guanwu.messages.ceb import build_ceb, parse_ceb, validate_ceb
from guanwu.messages.ceb.fields import (
    ATTRIBUTE,
    CHILD,
    CHILDREN,
    CHINA,
    DATE8,
    DECIMAL,
    INTEGER,
    SIGNATURE,
    TEXT,
    TIME14,
    TIME17,
    specs,
)

from . import factories as f
from .xsd_shape import sequence

# No whitespace at the ends (the parser strips it); XML's special characters and CJK included.
ALPHABET = "ABCXYZabcxyz0189-_/.()&<>\"'（），。订单清单海关出口无跨境电商"


def _text(element) -> st.SearchStrategy[str]:
    length = element.facet("length")
    if length is not None:
        return st.text(ALPHABET, min_size=length, max_size=length)
    low = element.facet("minLength") or 0
    high = min(element.facet("maxLength") or 40, 40)
    return st.text(ALPHABET, min_size=low, max_size=high)


def _leaf(kind: str, element, optional: bool) -> st.SearchStrategy:
    if element.fixed is not None:
        return st.just(element.fixed)
    if kind == TEXT:
        return _text(element)
    if kind == DECIMAL:
        value = st.decimals(min_value=0, max_value=Decimal("99999999999999.99999"), places=5,
                            allow_nan=False, allow_infinity=False)
    elif kind == INTEGER:
        value = st.integers(min_value=0, max_value=10 ** (element.facet("totalDigits") or 9) - 1)
    elif kind == DATE8:
        value = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
    else:
        # China has had no daylight saving time since 1991: no ambiguous wall times from 2000 on.
        moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31))
        if kind == TIME14:
            value = moments.map(lambda d: d.replace(microsecond=0, tzinfo=CHINA))
        else:
            assert kind == TIME17
            value = moments.map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000, tzinfo=CHINA))
    return st.none() | value if optional else value


def record(cls: type, tag: str) -> st.SearchStrategy:
    xsd = {e.name: e for e in sequence(tag)}
    fields: dict[str, st.SearchStrategy] = {}
    for spec in specs(cls):
        if spec.kind == ATTRIBUTE:
            fields[spec.name] = _text(type("A", (), {"facet": staticmethod(lambda n: 36 if n == "length" else None)}))
            if spec.xml == "version":
                fields[spec.name] = st.just("1.0")
        elif spec.kind == SIGNATURE:
            fields[spec.name] = st.just("")
        elif spec.kind == CHILD:
            fields[spec.name] = record(spec.cls, spec.xml)
        elif spec.kind == CHILDREN:
            high = min(spec.max_occurs or 2, 2)
            fields[spec.name] = st.lists(record(spec.cls, spec.xml), min_size=spec.min_occurs,
                                         max_size=max(high, spec.min_occurs))
        else:
            fields[spec.name] = _leaf(spec.kind, xsd[spec.xml], spec.optional)
    return st.builds(cls, **fields)


MESSAGES = sorted(ceb.MESSAGE_CLASSES)


@pytest.mark.parametrize("root", MESSAGES)
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_values_within_the_xsd_facets_validate_and_come_back(root, data):
    cls = ceb.MESSAGE_CLASSES[root]
    message = data.draw(record(cls, root))
    xml = build_ceb(message)
    assert validate_ceb(xml) == []
    assert parse_ceb(xml) == message
    assert build_ceb(parse_ceb(xml)) == xml


@pytest.mark.parametrize("message_type", sorted(f.MAKERS))
def test_realistic_messages_come_back_unchanged(message_type):
    message = f.realistic(message_type)
    back = getattr(ceb, f"parse_{message_type.lower()}")(build_ceb(message))
    assert back == message
    assert type(back) is type(message)


def test_a_received_signature_comes_back_and_is_written_again():
    from pathlib import Path

    raw = (Path(__file__).with_name("samples") / "export" / "CEB213Message.xml").read_bytes()
    message = ceb.parse_ceb213(raw)
    assert message.signature
    again = parse_ceb(build_ceb(message))
    assert again == message
    assert validate_ceb(build_ceb(message)) == []
