"""What a receipt's ``returnStatus`` means, in Chinese, and the code sets of the export messages.

Sources of :data:`RETURN_STATUS` (the shipped receipt codes, project file
``data/raw/receipt_codes/ceb_return_status.csv``):

- 1, 2, 3, 4, 100, 120, 300, 399, 800, 899: the ``returnStatus`` documentation strings of the
  official XSD 海关跨境出口业务节点报文定义202205.xsd (OrderReturn, InventoryReturn, ...) and the
  spec 202205 tables 2-7, 2-42 ("1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/
  100海关退单/120海关入库/300人工审核/399海关审结/800放行/899结关");
- 500 查验 is also in spec table 2-42 ("500海关查验"); 500, 501, 502, 503, 599, 700 from
  github.com/zhengjin-me/common-customs-beans (MIT), ``CustomsResultStatus.kt`` @7577fb69;
- 505 移交 and 600 挂起: the official XSD, RefundReturn/returnStatus documentation.
- "若小于0数字表示处理异常回执" (every returnStatus documentation string): a negative code is a
  processing error; :data:`ERROR_CODES` are those of spec 202205 §7 table 7-2 ("出口统一版业务
  报文错误信息及其代码") that concern export messages: 企业 (-10101, -10102), 订单 (-301001 to
  -301015) and 运单 (-504000 to -504016), texts as printed with the "[*]" placeholders dropped.
  The table has no codes of its own for CEB603 lists or CEB701 summaries; its -621xxx range
  (清单操作错误, written for the import list CEB621) gives the two the customs simulator answers
  an export list with: -621001 清单报文校验失败 and -621004 清单已经申报过，请勿重复申报. For
  summaries the returnInfo of a receipt carries the reason.
"""

from __future__ import annotations

RETURN_STATUS: dict[str, str] = {
    "1": "电子口岸已暂存",
    "2": "电子口岸申报中",
    "3": "发送海关成功",
    "4": "发送海关失败",
    "100": "海关退单",
    "120": "海关入库",
    "300": "人工审核",
    "399": "海关审结",
    "500": "查验",
    "501": "扣留移送通关",
    "502": "扣留移送缉私",
    "503": "扣留移送法规",
    "505": "移交",
    "599": "其他扣留",
    "600": "挂起",
    "700": "退运",
    "800": "放行",
    "899": "结关",
}

ERROR_CODES: dict[str, str] = {
    "-10101": "无效企业类型",
    "-10102": "无效企业代码",
    "-301001": "订单商品表体信息不存在",
    "-301002": "订单商品信息内有重复商品序号",
    "-301003": "订单信息查询不存在",
    "-301004": "订单信息查询不存在",
    "-301005": "订单信息查询不存在",
    "-301006": "检索到多条订单信息",
    "-301007": "订单业务报文信息不能为空",
    "-301008": "参数校验不通过",
    "-301009": "订单标识(appType)不正确,未找到操作的订单",
    "-301010": "已存在相同编号的订单",
    "-301011": "该订单已向海关申报清单，状态不符",
    "-301012": "订单报文处理失败，未找到对应操作",
    "-301013": "订单报文处理失败，系统异常",
    "-301014": "订单报文处理失败，接收报文为旧报文数据，不做处理",
    "-301015": "订单报文处理失败，报文表头数据超过限制",
    "-504000": "运单报文解析失败！",
    "-504010": "运单业务报文不能为空",
    "-504011": "参数校验不通过",
    "-504012": "物流运单已存在",
    "-504013": "物流运单报文数量超过限制",
    "-504014": "运单标识(appType)不正确,未找到操作的运单",
    "-504015": "已存在相同编号的运单",
    "-504016": "该运单已向海关申报运单，状态不符",
    "-621001": "清单报文校验失败",
    "-621004": "清单已经申报过，请勿重复申报",
}

# How far a document got, per status, for whoever keeps its state (plain strings; the
# cross-border module maps them onto its own statuses):
# - "sent": the e-port has it or is passing it on (1 暂存, 2 申报中, 3 发送海关成功);
# - "failed": it did not reach customs or could not be processed (4 发送海关失败, negatives);
# - "rejected": customs sent it back (100 海关退单);
# - "accepted": customs has it (120 入库, 300 人工审核, 399 审结);
# - "held": inspection or detention (500 查验, 501/502/503/599 扣留, 505 移交, 600 挂起);
# - "returned": 700 退运; "released": 800 放行; "closed": 899 结关.
RETURN_OUTCOME: dict[str, str] = {
    "1": "sent", "2": "sent", "3": "sent",
    "4": "failed",
    "100": "rejected",
    "120": "accepted", "300": "accepted", "399": "accepted",
    "500": "held", "501": "held", "502": "held", "503": "held", "505": "held", "599": "held", "600": "held",
    "700": "returned",
    "800": "released",
    "899": "closed",
}


def is_error_status(code: str) -> bool:
    """A negative returnStatus: "小于0数字表示处理异常回执"."""
    code = (code or "").strip()
    return code.startswith("-") and code[1:].isdigit()


def return_status_text(code: str) -> str:
    """``"120"`` -> ``"海关入库"``, ``"-301010"`` -> ``"处理异常：已存在相同编号的订单"``,
    an unknown code -> ``"未知回执状态(xyz)"``."""
    code = (code or "").strip()
    if code in RETURN_STATUS:
        return RETURN_STATUS[code]
    if is_error_status(code):
        return "处理异常" + (f"：{ERROR_CODES[code]}" if code in ERROR_CODES else f"({code})")
    return f"未知回执状态({code})"


def return_outcome(code: str) -> str | None:
    """The outcome class of a returnStatus (see RETURN_OUTCOME); "failed" for any negative
    code; None for an unknown one."""
    code = (code or "").strip()
    if is_error_status(code):
        return "failed"
    return RETURN_OUTCOME.get(code)


# Code sets the export messages use (spec 202205 tables and the 202205 revision note).
ORDER_TYPES = {"E": "B2C出口订单", "B": "B2B出口订单", "W": "海外仓订仓单"}  # OrderHead/orderType
# InventoryHead/tradeMode: "一般出口填9610，特殊区域出口填1210，B2B出口填9710，出口海关仓填9810"
# (names of the 监管方式 codes: 海关总署公告2014年第12号/第57号, 2020年第75号).
TRADE_MODES = {
    "9610": "跨境贸易电子商务",
    "1210": "保税跨境贸易电子商务",
    "9710": "跨境电子商务企业对企业直接出口",
    "9810": "跨境电子商务出口海外仓",
}
ORDER_TYPE_OF_TRADE_MODE = {"9610": "E", "9710": "B", "9810": "W"}
APP_TYPES = {"1": "新增", "2": "变更", "3": "删除"}
APP_STATUSES = {"1": "暂存", "2": "申报"}
STATISTICS_FLAGS = {"A": "简化申报", "B": "汇总申报"}  # InventoryHead/statisticsFlag
FEE_FLAGS = {"1": "率", "2": "单价", "3": "总价"}  # InventoryHead/fFlag, iFlag (the XSD fixes both to "3")
SUMMARY_FLAGS = {"1": "按收发货人单一汇总", "2": "按收发货人和生产销售单位汇总"}  # SummaryApplyHead/summaryFlag
