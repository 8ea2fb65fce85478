"""金关二期 加工贸易 (processing trade) messages: the pure message layer of the
加工贸易账册 module. No Django, no ORM, no tenant app: plain data in, bytes out, and back.

Sent messages (enterprise -> Single Window), plain data in :mod:`.types`:

- ``build_inv101(Inv101) -> bytes`` / ``parse_inv101(bytes) -> Inv101``: 保税核注清单 INV101
  (InvtHeadType, InvtListType, SysId, OperCusRegCode)
- ``build_nems(Nems)`` / ``parse_nems``: 加工贸易账册 备案 and 变更, message type EMS111
  (NemsHead, NemsImgList 料件, NemsExgList 成品, NemsCmList 单损耗)
- ``build_qualification(Qualification)`` / ``parse_qualification``: 企业资质申请 (联网企业档案库),
  message type EMS101 (NemsTrHeadType, NemsTrImgTypes, NemsTrExgTypes; partly guanwu's own
  structure, see README.md)
- ``build_sas_message(data)`` / ``parse_sas_message(bytes)``: any of the three
- ``validate_sas(xml) -> list[str]``: the generated XSD (``xsd/{INV101,EMS111,EMS101}.xsd``) and
  the conditional rules, as Chinese errors naming row and element; ``[]`` when valid
- ``ucns_qty(net, tgbl, intgb)``: 单耗 = 净耗 / (1 - (有形 + 无形损耗率) / 100)

Receipts (Single Window / customs -> enterprise), :mod:`.receipts`, each with ``build_*`` (the
simulator) and ``parse_*`` (the platform), ``implied_status`` a key of ``STATES``:

- ``CommonResponse`` (CommonResponeMessage), ``Inv201Receipt`` (核注清单审核), ``Inv202Receipt``
  (生成报关单), ``Inv211Receipt`` (记账/核扣), ``EmsReceipt`` (EMS201 / EMS211 资质/账册审批:
  guanwu simulator's own format); ``parse_sas_receipt`` / ``build_sas_receipt`` for any of them
- ``check_line(code, detail)``, ``parse_check_line(note)``, ``manage_result_for(effects)``: the
  ``[3349] ..., 退单`` check-info lines
- ``code_text(table, code)``, ``code_state(table, code)``: the code tables of ``data/codes.csv``

Numbers (:mod:`.numbers`): ``make_bond_invt_no`` (QD + 关区 + yy + I/E + 9 digits, 18
characters), ``make_ems_no`` (E + 主管海关 + yy + 5 digits, 12), ``make_seq_no``, ``is_*``.

Namespaces: sent messages have none (root ``Signature`` with
``xsi:noNamespaceSchemaLocation="<type>.xsd"``); customs receipts are ``Package`` in
``http://www.w3.org/2000/09/xmldsig#``; ``CommonResponeMessage`` has none. ``DOCUMENT_ROOTS``
lists the document roots of the family (Clark notation); ``ROOTS`` maps each root element that
names a message type — the business root under BussinessData, the receipt body, or the
document root of CommonResponeMessage — to that type; ``identify(bytes)`` does both steps.
"""

from .builder import SasMessageError, build_inv101, build_nems, build_qualification, build_sas_message
from .codes import STATES, code_state, code_text
from .identify import DOCUMENT_ROOTS, NAMESPACE, RECEIPT_NAMESPACE, ROOTS, identify
from .numbers import is_bond_invt_no, is_ems_no, is_seq_no, make_bond_invt_no, make_ems_no, make_seq_no
from .parser import (
    SasMessageFormatError,
    message_type_of,
    parse_inv101,
    parse_nems,
    parse_qualification,
    parse_sas_message,
)
from .receipts import (
    BondInvtBsc,
    BondInvtDtl,
    BwsDt,
    CheckInfo,
    CheckLine,
    CommonResponse,
    EmsReceipt,
    HdeApprResult,
    Inv201Receipt,
    Inv202Receipt,
    Inv211Receipt,
    InvApprResult,
    ReceiptEnvelope,
    ReceiptError,
    SasReceipt,
    build_common_response,
    build_ems_receipt,
    build_inv201,
    build_inv202,
    build_inv211,
    build_sas_receipt,
    check_line,
    manage_result_for,
    parse_check_line,
    parse_common_response,
    parse_ems_receipt,
    parse_inv201,
    parse_inv202,
    parse_inv211,
    parse_sas_receipt,
)
from .schema import validate_sas
from .types import (
    Envelope,
    Inv101,
    InvtHead,
    InvtItem,
    Nems,
    NemsCm,
    NemsExg,
    NemsHead,
    NemsImg,
    PocketInfo,
    Qualification,
    QualificationGoods,
    QualificationHead,
    SasMessage,
    ucns_qty,
)

__all__ = [
    "DOCUMENT_ROOTS",
    "NAMESPACE",
    "RECEIPT_NAMESPACE",
    "ROOTS",
    "STATES",
    "BondInvtBsc",
    "BondInvtDtl",
    "BwsDt",
    "CheckInfo",
    "CheckLine",
    "CommonResponse",
    "EmsReceipt",
    "Envelope",
    "HdeApprResult",
    "Inv101",
    "Inv201Receipt",
    "Inv202Receipt",
    "Inv211Receipt",
    "InvApprResult",
    "InvtHead",
    "InvtItem",
    "Nems",
    "NemsCm",
    "NemsExg",
    "NemsHead",
    "NemsImg",
    "PocketInfo",
    "Qualification",
    "QualificationGoods",
    "QualificationHead",
    "ReceiptEnvelope",
    "ReceiptError",
    "SasMessage",
    "SasMessageError",
    "SasMessageFormatError",
    "SasReceipt",
    "build_common_response",
    "build_ems_receipt",
    "build_inv101",
    "build_inv201",
    "build_inv202",
    "build_inv211",
    "build_nems",
    "build_qualification",
    "build_sas_message",
    "build_sas_receipt",
    "check_line",
    "code_state",
    "code_text",
    "identify",
    "is_bond_invt_no",
    "is_ems_no",
    "is_seq_no",
    "make_bond_invt_no",
    "make_ems_no",
    "make_seq_no",
    "manage_result_for",
    "message_type_of",
    "parse_check_line",
    "parse_common_response",
    "parse_ems_receipt",
    "parse_inv101",
    "parse_inv201",
    "parse_inv202",
    "parse_inv211",
    "parse_nems",
    "parse_qualification",
    "parse_sas_message",
    "parse_sas_receipt",
    "ucns_qty",
    "validate_sas",
]
