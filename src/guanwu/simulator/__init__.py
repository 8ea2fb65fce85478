"""海关模拟器: plays the single-window client and customs over the gateway folders.

Never imports a tenant app: it reads the messages in ``outbox/`` and answers each by the customs
side of its message family (:mod:`.families`; DecMessages with DecImportResponse and DEC_RESULT
receipts in ``inbox/``, as customs does). See ``engine``. Tenant apps reach its manifests and
arrival reports only through the gateway's customs port (``guanwu.gateway.customs``, implemented
in :mod:`.customs`).
"""
