"""Every change to 企业资质申请, 账册 and 核注清单 goes through these functions (ARCHITECTURE.md §4):
they take the acting user, check tenancy, run in one transaction and write the operation log.

Row kinds of the grids (``kind`` arguments): 企业资质申请 ``"I"`` 料件 / ``"E"`` 成品; 账册
``"materials"`` / ``"products"`` / ``"boms"``; 核注清单 lines have one kind.
"""

from .balances import (
    BalanceRow,
    balances,
    check_balances,
    movement_of,
    recompute_balances,
    writeoff_summary,
)
from .books import (
    BOOK_LINES,
    book_defaults,
    book_message,
    book_versions,
    copy_book_lines,
    create_book,
    declare_book,
    delete_book_lines,
    delete_books,
    feed_bonded_items,
    get_book,
    import_book_lines,
    list_books,
    save_book_line,
    send_book,
    start_change,
    update_book,
)
from .documents import add_document, delete_documents
from .inventories import (
    copy_inventory_items,
    create_inventory,
    declare_inventory,
    delete_inventories,
    delete_inventory_items,
    get_inventory,
    inventory_defaults,
    inventory_message,
    list_inventories,
    save_inventory_item,
    update_inventory,
)
from .qualifications import (
    application_defaults,
    application_message,
    copy_goods,
    create_application,
    declare_application,
    delete_applications,
    delete_goods,
    get_application,
    import_goods,
    list_applications,
    save_goods,
    send_application,
    update_application,
)
from .receipts import apply_sas_receipt, latest_receipt, receipt_box

__all__ = [
    "BOOK_LINES", "BalanceRow", "add_document", "application_defaults", "application_message", "apply_sas_receipt", "balances",
    "book_defaults", "book_message", "book_versions", "check_balances", "copy_book_lines", "copy_goods",
    "copy_inventory_items", "create_application", "create_book", "create_inventory", "declare_application",
    "declare_book", "declare_inventory", "delete_applications", "delete_book_lines", "delete_books", "delete_documents",
    "delete_goods", "delete_inventories", "delete_inventory_items", "feed_bonded_items", "get_application",
    "get_book", "get_inventory", "import_book_lines", "import_goods", "inventory_defaults", "inventory_message",
    "latest_receipt", "list_applications", "list_books", "list_inventories", "movement_of", "receipt_box",
    "recompute_balances", "save_book_line", "save_goods", "save_inventory_item", "send_application", "send_book",
    "start_change", "update_application", "update_book", "update_inventory", "writeoff_summary",
]
