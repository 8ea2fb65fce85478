"""Where uploaded files are stored: a generated name under the enterprise's folder.

The uploaded name is kept only for display (on the record); the stored name never comes from the
user, so it cannot collide, traverse or reveal anything.
"""

from __future__ import annotations

import uuid
from typing import Any


def tenant_upload_path(folder: str, instance: Any, filename: str) -> str:
    """``<folder>/<enterprise id>/<random hex>.<suffix of the uploaded name>``."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{instance.enterprise_id}/{uuid.uuid4().hex}.{suffix}"
