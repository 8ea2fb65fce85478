"""Models of 加工贸易 (issue 15): 企业资质申请, 加工贸易账册 (NEMS), 保税核注清单 (INV101),
回执 and 料件余额. Field names are the snake_case of the 金二 element names (as
``guanwu.messages.sas.types``)."""

from .balance import MaterialBalance
from .book import Book, BookBom, BookDocument, BookMaterial, BookProduct, BookVersion
from .common import EDITABLE_STATUSES, LOCKED_STATUSES, GoodsKind, Status
from .inventory import BalanceState, Inventory, InventoryItem, Movement
from .qualification import (
    QualificationApplication,
    QualificationDocument,
    QualificationGoods,
    QualificationVersion,
)
from .receipt import ProcessingReceipt

__all__ = [
    "EDITABLE_STATUSES", "LOCKED_STATUSES", "BalanceState", "Book", "BookBom", "BookDocument", "BookMaterial",
    "BookProduct", "BookVersion", "GoodsKind", "Inventory", "InventoryItem", "MaterialBalance", "Movement",
    "ProcessingReceipt", "QualificationApplication", "QualificationDocument", "QualificationGoods",
    "QualificationVersion", "Status",
]
