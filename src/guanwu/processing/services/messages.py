"""Models -> the plain data of ``guanwu.messages.sas`` (EMS101, EMS111, INV101) and the sending:
build, ``validate_sas``, enqueue in the caller's transaction."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from guanwu.core.errors import ServiceError
from guanwu.messages import sas
from guanwu.tenancy.context import Actor

from .common import CODE_TABLES, message_errors, to_jin2

RECEIVER_ID = "DXPEDCSAS0000001"  # the Single Window's SAS data centre (public samples' receiver)


def new_message_id(kind: str) -> str:
    """报文唯一编号 of one sending: the outbox key, unique for ever."""
    return f"{kind}{timezone.now():%Y%m%d%H%M%S}{uuid.uuid4().hex[:16].upper()}"


def envelope(actor: Actor, message_id: str) -> sas.Envelope:
    ent = actor.enterprise
    return sas.Envelope(
        message_id=message_id, file_name=f"{message_id}.xml", sender_id=f"DXPENT{ent.customs_code}"[:64],
        receiver_id=RECEIVER_ID, send_time=timezone.localtime().replace(tzinfo=None, microsecond=0),
        ic_card=f"{ent.customs_code}{actor.user.pk:03d}"[:30],
    )


def record(cls: type, obj: models.Model | dict[str, Any], **extra: Any) -> Any:
    """A message dataclass from a model row (fields of the same name) plus ``extra``; 币制/国别 in
    their 金二 form (``common.CODE_TABLES``: USD -> 502, CHN -> 142)."""
    get = obj.get if isinstance(obj, dict) else (lambda name, default=None: getattr(obj, name, default))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in extra:
            values[f.name] = extra[f.name]
            continue
        value = get(f.name, None)
        if f.name in CODE_TABLES:
            value = to_jin2(f.name, value)
        values[f.name] = "" if value is None and f.default == "" else value
    return cls(**values)


def rows(cls: type, objs: Iterable[models.Model], **extra: Any) -> list[Any]:
    return [record(cls, o, **extra) for o in objs]


def check(xml: bytes, rows_map: dict[str, str] | None = None) -> None:
    """``validate_sas`` or 422 with every problem as a field error."""
    problems = sas.validate_sas(xml)
    if problems:
        raise ServiceError.fields(message_errors(problems, rows_map), f"报文校验未通过, 共{len(problems)}处错误")


def send(kind: str, message_id: str, xml: bytes) -> None:
    from guanwu.gateway import services as gateway  # the gateway app loads after this one

    gateway.enqueue(kind, message_id, xml)
