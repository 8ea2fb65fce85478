"""报关单回执: parse what the single window sends back, and build it (for the simulator).

Two receipts answer a DecMessage:

- ``DecImportResponse`` (导入回执, namespace http://www.chinaport.gov.cn/dec): did the single
  window take the file? ResponseCode ``0`` = success (SeqNo, the 统一编号, is assigned), any
  other code = failure with ErrorMessage. Keyed by ClientSeqNo.
- ``DEC_RESULT`` (业务回执): customs processing, keyed by the 统一编号, with a CHANNEL code
  (see ``data/dec_result_channel.csv`` and ``channel_table``). Two shapes exist and both are read: the QP /
  import-client shape ``<DEC_DATA><DEC_RESULT><SEQ_NO/>...</DEC_RESULT><RESULT_INFO/></DEC_DATA>``
  and the single-window shape ``<DEC_RESULT><CUS_CIQ_NO/>...</DEC_RESULT>``.

Parsing is for untrusted files (:func:`guanwu.messages.common.read_untrusted`): ``defusedxml.ElementTree``
with DTDs, entity declarations and external references forbidden (``defusedxml.lxml`` is
deprecated, so lxml is not used here), receipts over 5 MB refused, GB2312/GBK/GB18030 files
transcoded first (expat reads only UTF-8/UTF-16/Latin-1). Any problem raises
:class:`ReceiptError` with a Chinese message, never another exception type. Element names are
matched without namespace.

Pure module: no Django, no models; the status a receipt implies is a plain string equal to a
``guanwu.declarations.models.DeclarationStatus`` value (a test keeps them in step), so the
simulator can use the builders without importing a tenant app.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import ClassVar, Literal
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from lxml import etree

from ..common import read_untrusted
from .structure import NAMESPACE

CHINA = ZoneInfo("Asia/Shanghai")
MAX_RECEIPT_BYTES = 5 * 1024 * 1024
CHANNEL_FILE = Path(__file__).with_name("data") / "dec_result_channel.csv"

# The CHANNEL table (``data/dec_result_channel.csv``): code, text, the DeclarationStatus value it
# implies, and the public sources that list it, checked against each other:
# S1 guohuadeng/odoo-1 custom_addons/cus_center/data/result_status.xml @17166862 (the raw
#    receipt_codes/dec_result_channel.csv of the project's data);
# S2 a public C# customs client, enum CusDecStatus "报关单状态（包含回执）" (namespace
#    Needs.Ccs.Services.Enums);
# S3 a public Vue customs front end, getCusStatus(value) "(C)已放行-..." (grouped by 已放行 /
#    入库未审批 / 不放行).
# Where they disagree the ``note`` column says so. The status decided for each code:
# - reached the single window / data centre, or declared: 已申报 (declared)
# - did not get through, the user corrects or resends: 导入失败 (failed)
# - customs has it and is working on it (入库, 审结, 查验, 需交税费, 挂起 ...): 海关已接收 (accepted)
# - released, paperless (I) or against a guarantee (B, K) included: 放行 (released)
# - closed: 结关 (closed)
# - customs refused, sent back or deleted it (E, Z/v 退回修改, D, A 放行前删除): 退单 (rejected)
# Codes outside the table (S2's two-step 概要申报 codes, S3's S/U on which the sources disagree)
# are recorded without a status change. Receipts can arrive out of order; the service applying
# them decides whether a status may replace the current one (never released back to accepted).


@cache
def channel_table() -> dict[str, dict[str, str]]:
    """CHANNEL code -> its row (name_cn, status, sources, note), from the packaged table."""
    with CHANNEL_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["code"].strip(): {k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)}


CHANNEL_STATUS: dict[str, str] = {code: row["status"] for code, row in channel_table().items()}


class ReceiptError(ValueError):
    """A receipt that cannot be read; ``str(error)`` is a Chinese message for the operator."""


def channels() -> dict[str, str]:
    """CHANNEL code -> Chinese text, from the packaged channel table."""
    return {code: row["name_cn"] for code, row in channel_table().items()}


def channel_text(code: str) -> str:
    """``"L"`` -> ``"海关已接收"``; an unknown code reads ``未知回执类型(X)``."""
    return channels().get(code, f"未知回执类型({code})")


def channel_status(code: str) -> str | None:
    """The DeclarationStatus value a CHANNEL code implies, None for an unknown code."""
    return CHANNEL_STATUS.get(code)


def receipt_dedupe_key(raw: bytes) -> str:
    """sha256 of the raw receipt: the same file read twice has the same key."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class ImportResponse:
    """DecImportResponse (导入回执)."""

    client_seq_no: str
    response_code: str
    error_message: str = ""
    seq_no: str = ""
    trn_pre_id: str = ""

    kind: ClassVar[str] = "response"

    @property
    def ok(self) -> bool:
        return self.response_code == "0"

    @property
    def implied_status(self) -> str:
        return "declared" if self.ok else "failed"

    @property
    def text(self) -> str:
        return "导入成功" if self.ok else (self.error_message or "导入失败")


@dataclass(frozen=True)
class DecResult:
    """DEC_RESULT (报关单业务回执). Text fields are kept as received."""

    seq_no: str  # CUS_CIQ_NO / SEQ_NO, 统一编号
    channel: str
    entry_id: str = ""  # 海关编号, empty until customs assigns it
    notice_date: dt.datetime | None = None  # aware, China time when the file has no offset
    note: str = ""
    custom_master: str = ""
    decl_port: str = ""
    agent_name: str = ""
    declare_no: str = ""
    trade_co: str = ""
    customs_field: str = ""
    bonded_no: str = ""
    ie_date: str = ""
    pack_no: str = ""
    bill_no: str = ""
    traf_mode: str = ""
    voyage_no: str = ""
    net_wt: str = ""
    gross_wt: str = ""
    d_date: str = ""
    result_info: str = ""

    kind: ClassVar[str] = "result"

    @property
    def channel_text(self) -> str:
        return channel_text(self.channel)

    @property
    def implied_status(self) -> str | None:
        return channel_status(self.channel)


# DEC_RESULT element -> DecResult field, in the order the QP shape writes them.
_QP_FIELDS = {
    "SEQ_NO": "seq_no", "ENTRY_ID": "entry_id", "NOTICE_DATE": "notice_date", "CHANNEL": "channel",
    "NOTE": "note", "DECL_PORT": "decl_port", "AGENT_NAME": "agent_name", "DECLARE_NO": "declare_no",
    "TRADE_CO": "trade_co", "CUSTOMS_FIELD": "customs_field", "BONDED_NO": "bonded_no", "I_E_DATE": "ie_date",
    "PACK_NO": "pack_no", "BILL_NO": "bill_no", "TRAF_MODE": "traf_mode", "VOYAGE_NO": "voyage_no",
    "NET_WT": "net_wt", "GROSS_WT": "gross_wt", "D_DATE": "d_date",
}
_SW_FIELDS = {
    "CUS_CIQ_NO": "seq_no", "ENTRY_ID": "entry_id", "NOTICE_DATE": "notice_date", "CHANNEL": "channel",
    "NOTE": "note", "CUSTOM_MASTER": "custom_master", "I_E_DATE": "ie_date", "D_DATE": "d_date",
}
_ALIASES = {"IE_DATE": "ie_date", "CUSTOM_MASTER": "custom_master", "CUS_CIQ_NO": "seq_no"}
_RESULT_FIELDS = {**_QP_FIELDS, **_SW_FIELDS, **_ALIASES}
_IMPORT_RESPONSE_FIELDS = ("ResponseCode", "ErrorMessage", "ClientSeqNo", "SeqNo", "TrnPreId")


# ---------------------------------------------------------------------------------- parsing

def _never_raises_other(func):
    """Contract of the parsers: ReceiptError or a result, nothing else."""

    @wraps(func)
    def wrapper(data):
        try:
            return func(data)
        except ReceiptError:
            raise
        except Exception as exc:  # any surprise is a bad receipt, not a crash
            raise ReceiptError(f"回执无法解析：{exc.__class__.__name__}") from exc

    return wrapper


def _root(data: bytes) -> ET.Element:
    return read_untrusted(data, what="回执", max_bytes=MAX_RECEIPT_BYTES, error=ReceiptError)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in el:
        out.setdefault(_local(child.tag), (child.text or "").strip())
    return out


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in el if _local(child.tag) == name), None)


def parse_notice_date(text: str) -> dt.datetime | None:
    """``2018-12-12T14:40:43``, ``2018-12-12 14:40:43``, ``20181212144043[SS]`` -> aware datetime."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{14}(\d{1,3})?", text):
        try:
            value = dt.datetime.strptime(text[:14], "%Y%m%d%H%M%S")
        except ValueError as exc:
            raise ReceiptError(f"回执时间无效：{text}") from exc
    else:
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise ReceiptError(f"回执时间格式不正确：{text}") from exc
    return value if value.tzinfo else value.replace(tzinfo=CHINA)


def _import_response(root: ET.Element) -> ImportResponse:
    values = _children(root)
    client_seq_no = values.get("ClientSeqNo", "")
    if not client_seq_no:
        raise ReceiptError("导入回执缺少客户端报关单编号(ClientSeqNo)")
    if not values.get("ResponseCode"):
        raise ReceiptError("导入回执缺少响应代码(ResponseCode)")
    return ImportResponse(
        client_seq_no=client_seq_no,
        response_code=values["ResponseCode"],
        error_message=values.get("ErrorMessage", ""),
        seq_no=values.get("SeqNo", ""),
        trn_pre_id=values.get("TrnPreId", ""),
    )


def _dec_result(root: ET.Element) -> DecResult:
    result_info = ""
    if _local(root.tag) == "DEC_DATA":
        info = _child(root, "RESULT_INFO")
        result_info = "".join(info.itertext()).strip() if info is not None else ""
        root = _child(root, "DEC_RESULT")
        if root is None:
            raise ReceiptError("业务回执缺少DEC_RESULT节点")
    values: dict[str, str] = {}
    for name, text in _children(root).items():
        if name in _RESULT_FIELDS:
            values.setdefault(_RESULT_FIELDS[name], text)
    if not values.get("seq_no"):
        raise ReceiptError("业务回执缺少统一编号(CUS_CIQ_NO/SEQ_NO)")
    if not values.get("channel"):
        raise ReceiptError("业务回执缺少回执类型(CHANNEL)")
    notice_date = parse_notice_date(values.pop("notice_date", ""))
    return DecResult(**values, notice_date=notice_date, result_info=result_info)


@_never_raises_other
def parse_import_response(data: bytes) -> ImportResponse:
    """Read a DecImportResponse; ReceiptError for anything else or anything malformed."""
    root = _root(data)
    if _local(root.tag) != "DecImportResponse":
        raise ReceiptError(f"不是导入回执(DecImportResponse)：根元素为{_local(root.tag)}")
    return _import_response(root)


@_never_raises_other
def parse_dec_result(data: bytes) -> DecResult:
    """Read a DEC_RESULT receipt (DEC_DATA/DEC_RESULT or bare DEC_RESULT)."""
    root = _root(data)
    if _local(root.tag) not in {"DEC_DATA", "DEC_RESULT"}:
        raise ReceiptError(f"不是报关单业务回执(DEC_DATA/DEC_RESULT)：根元素为{_local(root.tag)}")
    return _dec_result(root)


@_never_raises_other
def parse_receipt(data: bytes) -> ImportResponse | DecResult:
    """Either receipt, by its root element."""
    root = _root(data)
    name = _local(root.tag)
    if name == "DecImportResponse":
        return _import_response(root)
    if name in {"DEC_DATA", "DEC_RESULT"}:
        return _dec_result(root)
    raise ReceiptError(f"不认识的回执：根元素为{name}，应为DecImportResponse或DEC_DATA/DEC_RESULT")


# --------------------------------------------------------------------------------- building

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _bytes(root: etree._Element) -> bytes:
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def format_notice_date(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo:
        value = value.astimezone(CHINA)
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def build_import_response(response: ImportResponse) -> bytes:
    """DecImportResponse bytes, as the single window writes them."""
    root = etree.Element(f"{{{NAMESPACE}}}DecImportResponse", nsmap={None: NAMESPACE})
    values = {
        "ResponseCode": response.response_code,
        "ErrorMessage": response.error_message,
        "ClientSeqNo": response.client_seq_no,
        "SeqNo": response.seq_no,
        "TrnPreId": response.trn_pre_id,
    }
    for name in _IMPORT_RESPONSE_FIELDS:
        etree.SubElement(root, f"{{{NAMESPACE}}}{name}").text = values[name] or None
    return _bytes(root)


def build_dec_result(result: DecResult, *, form: Literal["qp", "sw"] = "qp") -> bytes:
    """DEC_RESULT bytes: ``qp`` = ``DEC_DATA/DEC_RESULT`` with SEQ_NO and RESULT_INFO (default),
    ``sw`` = bare ``DEC_RESULT`` with CUS_CIQ_NO."""
    if form not in {"qp", "sw"}:
        raise ValueError(f"unknown DEC_RESULT form {form!r}")
    fields = _QP_FIELDS if form == "qp" else _SW_FIELDS
    dec_result = etree.Element("DEC_RESULT")
    for name, attr in fields.items():
        value = format_notice_date(result.notice_date) if attr == "notice_date" else getattr(result, attr)
        etree.SubElement(dec_result, name).text = value or None
    if form == "sw":
        return _bytes(dec_result)
    root = etree.Element("DEC_DATA")
    root.append(dec_result)
    etree.SubElement(root, "RESULT_INFO").text = result.result_info or None
    return _bytes(root)
