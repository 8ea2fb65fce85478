"""Receipts of auto-declared declarations become 申报记录 lines."""
