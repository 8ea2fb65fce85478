"""跨境电商 messages (CEB, 海关跨境电商统一版系统企业对接报文规范 202205版), export side.

Pure functions over plain dataclasses: no Django, no ORM, no tenant app. The caller loads its
rows, fills the records, builds bytes; received bytes parse back into the same records.

Messages (``TYPE``: root element, Chinese name; build/parse/validate for each):

- orders: ``CEB303`` 电子订单 (orderType B = 9710, W = 9810 海外仓订仓单) / ``CEB304`` 回执;
  ``CEB403`` 收款单 / ``CEB404`` 回执
- logistics: ``CEB505`` 运单 / ``CEB506``; ``CEB507`` 运抵单 / ``CEB508``; ``CEB509`` 离境单 / ``CEB510``
- lists: ``CEB603`` 出口清单 (tradeMode 9710/9810) / ``CEB604``; ``CEB605`` 撤销申请单 / ``CEB606``;
  ``CEB607`` 清单总分单 / ``CEB608``
- summaries: ``CEB701`` 汇总申请单 / ``CEB702`` 回执; ``CEB792`` 汇总结果单
- returns: ``CEB213`` 退货申请单 / ``CEB214``; ``CEB215`` 理货明细单 / ``CEB216``

Public API:

- records: ``CEB303Message(order=[Order(order_head=OrderHead(...), order_list=[OrderList(...)])],
  base_transfer=BaseTransfer(...))`` and likewise for every type (``CEBnnnMessage``, its blocks
  named as the official elements, fields the snake_case of the element names: ``order_no``,
  ``ebp_code``, ``ie_flag``, ``g_num``, ``item_no``, ...); ``new_guid()``
- ``build_ceb(message) -> bytes`` and ``build_ceb303`` ... ``build_ceb216`` (type-checked)
- ``parse_ceb(xml) -> Message`` (any export type by root) and ``parse_ceb303`` ... ``parse_ceb216``
  (that type only); ``read_ceb(xml) -> CebDocument`` reads any CEB message, import ones too,
  without types; every parser raises only ``CebParseError`` (Chinese message)
- ``validate_ceb(xml) -> list[str]``: Chinese errors against the official export XSD
  (shipped in ``xsd/``), ``[]`` when valid
- ``NAMESPACE``; ``ROOTS`` root element -> message type for every CEB message (export and
  import), ``EXPORT_ROOTS``, ``IMPORT_ROOTS``, ``MESSAGE_CLASSES`` root -> record class
- ``return_status_text(code)``, ``return_outcome(code)``, ``RETURN_STATUS``, ``ERROR_CODES``
  and the code sets ``ORDER_TYPES``, ``TRADE_MODES``, ... (see :mod:`.status` for sources)
- errors: ``CebMessageError`` > ``CebBuildError``, ``CebParseError``

Left out: ``ExtendMessage`` (free-form extension, never written, ignored when read); signing
(the enterprise's signing device signs; a received ``ds:Signature`` is kept verbatim in
``signature`` and written back as given); the DXP envelopes (terminal/transport nodes).
"""

from .builder import (
    build_ceb,
    build_ceb213,
    build_ceb214,
    build_ceb215,
    build_ceb216,
    build_ceb303,
    build_ceb304,
    build_ceb403,
    build_ceb404,
    build_ceb505,
    build_ceb506,
    build_ceb507,
    build_ceb508,
    build_ceb509,
    build_ceb510,
    build_ceb603,
    build_ceb604,
    build_ceb605,
    build_ceb606,
    build_ceb607,
    build_ceb608,
    build_ceb701,
    build_ceb702,
    build_ceb792,
)
from .common import NAMESPACE, BaseSubscribe, BaseTransfer, Message
from .errors import CebBuildError, CebMessageError, CebParseError
from .fields import format_decimal, new_guid
from .inventory import (
    CEB603Message,
    CEB604Message,
    CEB605Message,
    CEB606Message,
    CEB607Message,
    CEB608Message,
    Inventory,
    InventoryHead,
    InventoryList,
    InventoryReturn,
    InvtCancel,
    InvtCancelReturn,
    WayBill,
    WayBillHead,
    WayBillList,
    WayBillReturn,
)
from .logistics import (
    Arrival,
    ArrivalHead,
    ArrivalList,
    ArrivalReturn,
    CEB505Message,
    CEB506Message,
    CEB507Message,
    CEB508Message,
    CEB509Message,
    CEB510Message,
    Departure,
    DepartureHead,
    DepartureList,
    DepartureReturn,
    Logistics,
    LogisticsReturn,
)
from .orders import (
    CEB303Message,
    CEB304Message,
    CEB403Message,
    CEB404Message,
    Order,
    OrderHead,
    OrderList,
    OrderReturn,
    Receipts,
    ReceiptsReturn,
)
from .parser import (
    EXPORT_ROOTS,
    IMPORT_ROOTS,
    MESSAGE_CLASSES,
    ROOT_ALIASES,
    CebDocument,
    parse_ceb,
    parse_ceb213,
    parse_ceb214,
    parse_ceb215,
    parse_ceb216,
    parse_ceb303,
    parse_ceb304,
    parse_ceb403,
    parse_ceb404,
    parse_ceb505,
    parse_ceb506,
    parse_ceb507,
    parse_ceb508,
    parse_ceb509,
    parse_ceb510,
    parse_ceb603,
    parse_ceb604,
    parse_ceb605,
    parse_ceb606,
    parse_ceb607,
    parse_ceb608,
    parse_ceb701,
    parse_ceb702,
    parse_ceb792,
    read_ceb,
)
from .refunds import (
    CEB213Message,
    CEB214Message,
    CEB215Message,
    CEB216Message,
    InvtRefund,
    InvtRefundDetail,
    InvtRefundDetailReturn,
    InvtRefundHead,
    InvtRefundList,
    RefundReturn,
)
from .schema import validate_ceb
from .status import (
    APP_STATUSES,
    APP_TYPES,
    ERROR_CODES,
    FEE_FLAGS,
    ORDER_TYPE_OF_TRADE_MODE,
    ORDER_TYPES,
    RETURN_OUTCOME,
    RETURN_STATUS,
    STATISTICS_FLAGS,
    SUMMARY_FLAGS,
    TRADE_MODES,
    is_error_status,
    return_outcome,
    return_status_text,
)
from .summary import (
    CEB701Message,
    CEB702Message,
    CEB792Message,
    SummaryApply,
    SummaryApplyHead,
    SummaryApplyList,
    SummaryResult,
    SummaryResultHead,
    SummaryResultList,
    SummaryReturn,
)

# Root element -> message type, for every message of the CEB family (namespace NAMESPACE):
# the export ones (typed here) and the import ones (recognised, read by read_ceb).
ROOTS: dict[str, str] = {**EXPORT_ROOTS, **IMPORT_ROOTS}

__all__ = [
    "APP_STATUSES", "APP_TYPES", "ERROR_CODES", "EXPORT_ROOTS", "FEE_FLAGS", "IMPORT_ROOTS", "MESSAGE_CLASSES",
    "NAMESPACE", "ORDER_TYPES", "ORDER_TYPE_OF_TRADE_MODE", "RETURN_OUTCOME", "RETURN_STATUS", "ROOTS",
    "ROOT_ALIASES", "STATISTICS_FLAGS", "SUMMARY_FLAGS", "TRADE_MODES",
    "Arrival", "ArrivalHead", "ArrivalList", "ArrivalReturn", "BaseSubscribe", "BaseTransfer",
    "CEB213Message", "CEB214Message", "CEB215Message", "CEB216Message", "CEB303Message", "CEB304Message",
    "CEB403Message", "CEB404Message", "CEB505Message", "CEB506Message", "CEB507Message", "CEB508Message",
    "CEB509Message", "CEB510Message", "CEB603Message", "CEB604Message", "CEB605Message", "CEB606Message",
    "CEB607Message", "CEB608Message", "CEB701Message", "CEB702Message", "CEB792Message",
    "CebBuildError", "CebDocument", "CebMessageError", "CebParseError",
    "Departure", "DepartureHead", "DepartureList", "DepartureReturn",
    "Inventory", "InventoryHead", "InventoryList", "InventoryReturn", "InvtCancel", "InvtCancelReturn",
    "InvtRefund", "InvtRefundDetail", "InvtRefundDetailReturn", "InvtRefundHead", "InvtRefundList",
    "Logistics", "LogisticsReturn", "Message", "Order", "OrderHead", "OrderList", "OrderReturn",
    "Receipts", "ReceiptsReturn", "RefundReturn",
    "SummaryApply", "SummaryApplyHead", "SummaryApplyList", "SummaryResult", "SummaryResultHead",
    "SummaryResultList", "SummaryReturn",
    "WayBill", "WayBillHead", "WayBillList", "WayBillReturn",
    "build_ceb", "build_ceb213", "build_ceb214", "build_ceb215", "build_ceb216", "build_ceb303", "build_ceb304",
    "build_ceb403", "build_ceb404", "build_ceb505", "build_ceb506", "build_ceb507", "build_ceb508",
    "build_ceb509", "build_ceb510", "build_ceb603", "build_ceb604", "build_ceb605", "build_ceb606",
    "build_ceb607", "build_ceb608", "build_ceb701", "build_ceb702", "build_ceb792",
    "format_decimal", "is_error_status", "new_guid",
    "parse_ceb", "parse_ceb213", "parse_ceb214", "parse_ceb215", "parse_ceb216", "parse_ceb303", "parse_ceb304",
    "parse_ceb403", "parse_ceb404", "parse_ceb505", "parse_ceb506", "parse_ceb507", "parse_ceb508",
    "parse_ceb509", "parse_ceb510", "parse_ceb603", "parse_ceb604", "parse_ceb605", "parse_ceb606",
    "parse_ceb607", "parse_ceb608", "parse_ceb701", "parse_ceb702", "parse_ceb792",
    "read_ceb", "return_outcome", "return_status_text", "validate_ceb",
]
