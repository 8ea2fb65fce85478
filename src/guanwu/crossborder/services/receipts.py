"""回执: CEB304/604/702/792 and the logistics receipts, applied once each."""

from __future__ import annotations

RECEIPT_ROOTS = (
    "CEB304Message", "CEB604Message", "CEB702Message", "CEB792Message",
    "CEB505Message", "CEB506Message", "CEB507Message", "CEB508Message", "CEB509Message", "CEB510Message",
)


def apply_receipts(files: list[tuple[bytes, str]]) -> list[object]:
    raise NotImplementedError


def apply_receipt(raw: bytes, file_name: str = "") -> object:
    raise NotImplementedError
