"""Every change to cross-border documents goes through these functions (ARCHITECTURE.md §4)."""

from .batches import (
    batch_counts,
    find_batch,
    get_batch,
    get_or_create_batch,
    list_batches,
    next_batch_no,
    next_serial,
    status_counts,
    validate_batch_no,
)
from .common import SubmitOutcome
from .declaration import prepare_declaration
from .lists import create_list, delete_lists, get_list, import_lists, list_lists
from .orders import create_order, delete_orders, get_order, import_orders, list_orders
from .receipts import apply_receipt, apply_receipts
from .settings import (
    delete_logistics_company,
    get_logistics_company,
    get_settings,
    list_logistics_companies,
    save_logistics_company,
    update_settings,
)
from .submit import (
    list_message_xml,
    message_file,
    order_message_xml,
    submit_lists,
    submit_orders,
    submit_summaries,
    summary_message_xml,
)
from .summaries import (
    create_summary,
    create_summary_from_lists,
    delete_summaries,
    get_summary,
    import_summaries,
    list_summaries,
)

__all__ = [
    "SubmitOutcome", "apply_receipt", "apply_receipts", "batch_counts", "create_list", "create_order",
    "create_summary", "create_summary_from_lists", "delete_lists", "delete_logistics_company", "delete_orders",
    "delete_summaries", "find_batch", "get_batch", "get_list", "get_logistics_company", "get_or_create_batch",
    "get_order", "get_settings", "get_summary", "import_lists", "import_orders", "import_summaries",
    "list_batches", "list_lists", "list_logistics_companies", "list_message_xml", "list_orders", "list_summaries",
    "message_file", "next_batch_no", "next_serial", "order_message_xml", "prepare_declaration",
    "save_logistics_company", "status_counts", "submit_lists", "submit_orders", "submit_summaries",
    "summary_message_xml", "update_settings", "validate_batch_no",
]
