"""Every change of 智能辅助申报 goes through these functions (see ARCHITECTURE.md §4)."""

from .agreements import ensure_agreement, generate, get_agreement, needs_agreement
from .common import NOT_ENABLED, can_manage_profiles, is_enabled, require_enabled
from .enablement import disable, enable, enablement
from .marks import (
    CANCEL_REFUSED,
    MarkOutcome,
    cancellable,
    declared_by_hand,
    mark,
    requeue,
    requeueable,
    unmark,
    unmark_message,
)
from .profiles import DUPLICATE, create_profile, delete_profiles, get_profile, list_profiles, update_profile
from .queries import auto_declarations, get_auto, get_batch, records
from .runs import active_run, get_run, latest_run, run_out, run_view, selectable_profiles, start_run, stop_run
from .tax import confirm as confirm_tax
from .tax import ensure_assessment, get_assessment

__all__ = [
    "CANCEL_REFUSED", "DUPLICATE", "NOT_ENABLED", "MarkOutcome", "active_run", "auto_declarations",
    "can_manage_profiles", "cancellable", "confirm_tax", "create_profile", "declared_by_hand", "delete_profiles",
    "disable", "enable",
    "enablement", "ensure_agreement", "ensure_assessment", "generate", "get_agreement", "get_assessment", "get_auto",
    "get_batch", "get_profile", "get_run", "is_enabled", "latest_run", "list_profiles", "mark", "needs_agreement",
    "records", "requeue", "requeueable", "require_enabled", "run_out", "run_view", "selectable_profiles",
    "start_run", "stop_run", "unmark", "unmark_message", "update_profile",
]
