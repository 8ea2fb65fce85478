"""报关单 messages: DecMessage (报关单导入报文) and its receipts.

- ``build_dec_message(data: DecMessageInput, *, oper_type="C", sign_date=None, certificate="", pretty=True)
  -> bytes`` from plain data (``guanwu.declarations.decmessage`` loads a declaration's rows)
- ``validate_dec_message(xml) -> list[str]`` (Chinese errors against DecMessage.xsd)
- ``parse_dec_message(xml) -> DecMessageData`` (the simulator's reading)
- ``parse_import_response`` / ``parse_dec_result`` / ``parse_receipt`` and
  ``build_import_response`` / ``build_dec_result`` for DecImportResponse and DEC_RESULT
- ``channel_text(code)``, ``channel_status(code)``, ``CHANNEL_STATUS``, ``receipt_dedupe_key(raw)``
"""

from .builder import DecMessageError, DecMessageInput, GoodsLimitRows, ItemRows, build_dec_message, format_decimal
from .parser import DecMessageData, DecMessageFormatError, parse_dec_message
from .receipts import (
    CHANNEL_STATUS,
    DecResult,
    ImportResponse,
    ReceiptError,
    build_dec_result,
    build_import_response,
    channel_status,
    channel_text,
    parse_dec_result,
    parse_import_response,
    parse_receipt,
    receipt_dedupe_key,
)
from .schema import validate_dec_message
from .structure import DEC_MESSAGE_VERSION, NAMESPACE

__all__ = [
    "CHANNEL_STATUS",
    "DEC_MESSAGE_VERSION",
    "NAMESPACE",
    "DecMessageData",
    "DecMessageError",
    "DecMessageFormatError",
    "DecMessageInput",
    "DecResult",
    "GoodsLimitRows",
    "ImportResponse",
    "ItemRows",
    "ReceiptError",
    "build_dec_message",
    "build_dec_result",
    "build_import_response",
    "channel_status",
    "channel_text",
    "format_decimal",
    "parse_dec_message",
    "parse_dec_result",
    "parse_import_response",
    "parse_receipt",
    "receipt_dedupe_key",
    "validate_dec_message",
]
