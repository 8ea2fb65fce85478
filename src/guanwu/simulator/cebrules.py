"""The customs side's rules for 跨境电商 (CEB) export documents: returnStatus codes, the
商品批次号 format, the HS code against the tariff.

returnStatus codes written (spec 海关跨境电商统一版系统企业对接报文规范 202205版, the project's
``data/raw/ceb_spec_gacc_202205/``; texts in :mod:`guanwu.messages.ceb.status`):

- the progress codes of the receipts' returnStatus documentation (spec tables 2-7 订单回执,
  2-42 清单回执, 2-77 汇总申请单回执, 2-21/2-28/2-35 运单/运抵/离境回执): 1 电子口岸已暂存,
  2 电子口岸申报中, 120 海关入库, 399 海关审结, 500 海关查验, 800 放行, 899 结关, 100 海关退单;
- processing errors ("若小于0数字表示处理异常回执"), codes of spec §7 table 7-2
  (出口统一版业务报文错误信息及其代码): orders -301008 参数校验不通过 (XSD or 商品批次号),
  -301009 appType 不正确/未找到操作的订单, -301010 已存在相同编号的订单, -301011 该订单已向海关申报
  清单，状态不符; waybills -504011 参数校验不通过, -504015 已存在相同编号的运单; lists (table 7-2's
  清单操作错误 range) -621001 清单报文校验失败, -621004 清单已经申报过，请勿重复申报.
  Table 7-2 has no codes for 汇总申请单, 运抵单 or 离境单: those get -1 (the simulator's own
  negative code, ``receipts.PROCESSING_ERROR``).

Business rejections at audit (an unknown order, an HS code not in the tariff, a summary naming
unknown or unreleased lists) are 100 海关退单 with the reason in returnInfo, as customs answers a
list it sends back.
"""

from __future__ import annotations

import datetime as dt
import re
import threading

from guanwu.params import index as params_index

# ------------------------------------------------------------------------------ returnStatus

DRAFT = "1"  # 电子口岸已暂存 (appStatus 1 暂存)
DECLARING = "2"  # 电子口岸申报中
STORED = "120"  # 海关入库
AUDITED = "399"  # 海关审结
INSPECTION = "500"  # 海关查验
RELEASED = "800"  # 放行
CLOSED = "899"  # 结关
REJECTED = "100"  # 海关退单

ORDER_INVALID = "-301008"  # 参数校验不通过
ORDER_NOT_FOUND_FOR_APP_TYPE = "-301009"  # 订单标识(appType)不正确,未找到操作的订单
ORDER_EXISTS = "-301010"  # 已存在相同编号的订单
ORDER_HAS_LIST = "-301011"  # 该订单已向海关申报清单，状态不符
WAYBILL_INVALID = "-504011"  # 参数校验不通过
WAYBILL_EXISTS = "-504015"  # 已存在相同编号的运单
LIST_INVALID = "-621001"  # 清单报文校验失败
LIST_DECLARED = "-621004"  # 清单已经申报过，请勿重复申报
OTHER_ERROR = "-1"  # no code in table 7-2 for the message type: the simulator's own

# The processing-error code of a message that fails the XSD (or cannot be read), by type.
INVALID_CODE = {"CEB303": ORDER_INVALID, "CEB505": WAYBILL_INVALID, "CEB603": LIST_INVALID}


def invalid_code(message_type: str | None) -> str:
    return INVALID_CODE.get(message_type or "", OTHER_ERROR)


# ------------------------------------------------------------------------------ 商品批次号

# Format from the seed (陕西单一窗口 跨境B2B通关服务平台 一般出口管理 指南, 9710 出口订单管理 step 4):
# "商品批次号格式：物流简码+日期+企业简码+两位流水号". The simulator reads it from the head's 备注
# (note), written "批次SD20240506YS01" / "商品批次号：SD20240506YS01" (the CEB export messages have no
# batch element: only the import order CEB311 has batchNumbers). 物流简码: letters; 日期: YYYYMMDD;
# 企业简码: letters and digits; 流水号: two digits.
BATCH_IN_NOTE = re.compile(r"(?:商品)?批次(?:号)?\s*[:：]?\s*([0-9A-Za-z]+)")
_BATCH = re.compile(r"^(?P<logistics>[A-Za-z]*)(?P<date>\d{0,8})(?P<enterprise>.*?)(?P<serial>\d{0,2})$")


def batch_no_in(note: str) -> str:
    m = BATCH_IN_NOTE.search(note or "")
    return m.group(1) if m else ""


def batch_no_problem(batch_no: str) -> str:
    """"" when ``batch_no`` has the format 物流简码 + 日期 + 企业简码 + 两位流水号, else which part
    is wrong (Chinese)."""
    value = batch_no.strip()
    if not value.isalnum() or not value.isascii():
        return f"商品批次号{value}只能由字母和数字组成（物流简码+日期+企业简码+两位流水号）"
    m = re.match(r"^[A-Za-z]+", value)
    if not m:
        return f"商品批次号{value}的物流简码缺失：应以物流简码（字母）开头"
    rest = value[m.end():]
    date = rest[:8]
    if len(date) < 8 or not date.isdigit():
        return f"商品批次号{value}的日期有误：物流简码{m.group(0)}之后应为8位日期YYYYMMDD"
    try:
        dt.datetime.strptime(date, "%Y%m%d")
    except ValueError:
        return f"商品批次号{value}的日期{date}不是有效日期（YYYYMMDD）"
    rest = rest[8:]
    if len(rest) < 2 or not rest[-2:].isdigit():
        return f"商品批次号{value}的流水号有误：应以两位数字流水号结尾"
    if not rest[:-2]:
        return f"商品批次号{value}的企业简码缺失：日期与两位流水号之间应为企业简码"
    return ""


# ------------------------------------------------------------------------------ tariff

_prefix_lock = threading.Lock()
_prefixes: dict[int, frozenset[str]] = {}


def _tariff_prefixes() -> tuple[dict[str, object], frozenset[str]] | None:
    """(code -> item, every 4/6/8-digit prefix) of the current tariff; None when none is loaded."""
    idx = params_index.tariff()
    if idx is None or not idx.items:
        return None
    with _prefix_lock:
        prefixes = _prefixes.get(idx.version_id)
        if prefixes is None:
            prefixes = frozenset(code[:n] for code in idx.by_code for n in (4, 6, 8))
            _prefixes.clear()
            _prefixes[idx.version_id] = prefixes
    return idx.by_code, prefixes  # type: ignore[return-value]


def hs_code_problem(g_code: str) -> str:
    """"" when 商品编码 ``g_code`` is in the tariff: a 10-digit code must be a tariff line; a shorter
    one (spec table 2-38, gcode: "对于符合简化申报的商品，前4位按税则归类申报（需要存在相应章节）")
    must begin one. A tariff not loaded checks nothing."""
    code = (g_code or "").strip()
    loaded = _tariff_prefixes()
    if loaded is None:
        return ""
    by_code, prefixes = loaded
    if not code.isdigit() or len(code) not in (4, 6, 8, 10):
        return f"商品编码{code}格式有误（应为4、6、8或10位数字）"
    if len(code) == 10:
        return "" if code in by_code else f"商品编码{code}在商品税则中不存在"
    return "" if code in prefixes else f"商品编码{code}在商品税则中没有相应章节"
