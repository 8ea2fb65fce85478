"""Every change to a declaration goes through these functions (see ARCHITECTURE.md §4)."""

from .declare import check_declaration, declare, declare_many, reserve_client_seq_no
from .drafts import (
    EDITABLE,
    copy_declaration,
    create_draft,
    delete_declarations,
    enterprise_defaults,
    is_editable,
    update_draft,
)
from .queries import find_party, get_declaration, list_declarations
from .receipts import apply_receipt, apply_receipts

__all__ = [
    "EDITABLE",
    "apply_receipt",
    "apply_receipts",
    "check_declaration",
    "copy_declaration",
    "create_draft",
    "declare",
    "declare_many",
    "delete_declarations",
    "enterprise_defaults",
    "find_party",
    "get_declaration",
    "is_editable",
    "list_declarations",
    "reserve_client_seq_no",
    "update_draft",
]
