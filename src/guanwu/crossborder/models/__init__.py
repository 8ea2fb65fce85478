"""Models of 跨境电商 B2B 出口 (field names: the snake_case of the CEB element names)."""

from .batch import Batch
from .common import DELETABLE, SUBMITTABLE, CebDocument, CebStatus
from .lists import ExportList, ExportListLine, StatisticsFlag, Waybill
from .orders import TRADE_MODE_OF_ORDER_TYPE, Order, OrderLine, OrderType
from .receipts import CebReceipt
from .settings import CrossborderSettings, LogisticsCompany
from .summaries import Summary, SummaryFlag, SummaryLine

__all__ = [
    "DELETABLE", "SUBMITTABLE", "TRADE_MODE_OF_ORDER_TYPE",
    "Batch", "CebDocument", "CebReceipt", "CebStatus", "CrossborderSettings", "ExportList", "ExportListLine",
    "LogisticsCompany", "Order", "OrderLine", "OrderType", "StatisticsFlag", "Summary", "SummaryFlag",
    "SummaryLine", "Waybill",
]
