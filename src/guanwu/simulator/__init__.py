"""海关模拟器: plays the single-window client and customs over the gateway folders.

Never imports a tenant app: it reads DecMessages from ``outbox/`` and answers with
DecImportResponse and DEC_RESULT receipts in ``inbox/``, as customs does. See ``engine``.
"""
