"""提交海关: build CEB303 / CEB603 / CEB701 from the stored rows, validate against the official
XSD, enqueue through the gateway; the documents become 已申报 in the same transaction."""

from __future__ import annotations

from guanwu.tenancy.context import Actor

from .common import SubmitOutcome


def submit_orders(actor: Actor, ids: list[int | str]) -> SubmitOutcome:
    raise NotImplementedError


def submit_lists(actor: Actor, ids: list[int | str]) -> SubmitOutcome:
    raise NotImplementedError


def submit_summaries(actor: Actor, ids: list[int | str]) -> SubmitOutcome:
    raise NotImplementedError


def order_message_xml(actor: Actor, pk: int | str) -> bytes:
    """The CEB303 file that carried the order (or the one 提交海关 would send, for a draft)."""
    raise NotImplementedError


def list_message_xml(actor: Actor, pk: int | str) -> bytes:
    raise NotImplementedError


def summary_message_xml(actor: Actor, pk: int | str) -> bytes:
    raise NotImplementedError
