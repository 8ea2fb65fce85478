"""API routes of this area; mounted under /api/v1 by datacenter/api.py."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["客户管理"])
