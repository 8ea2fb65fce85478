"""Receipt handlers by root element: apps register theirs in ``AppConfig.ready``::

    from guanwu.gateway.registry import register_handler

    register_handler("DecImportResponse", apply_import_response)
    register_handler("DEC_RESULT", apply_dec_result)   # also gets DEC_DATA (see ROOT_ALIASES)

A handler is ``handler(content: bytes, file_name: str) -> object``. The gateway calls it inside
its own transaction; raising any exception rolls that transaction back and quarantines the file
(``failed/`` plus a GatewayError whose reason is ``str(exception)``, so raise Chinese messages).
A handler must apply a receipt once: the same file may be read twice (crash between commit and
move), so dedupe by content hash (``guanwu.messages.dec.receipt_dedupe_key``).
Pure module, importable before the app registry is ready.
"""

from __future__ import annotations

from collections.abc import Callable

Handler = Callable[[bytes, str], object]

_HANDLERS: dict[str, Handler] = {}

# Roots that carry the same receipt in another wrapper: the import client writes DEC_RESULT as
# ``<DEC_DATA><DEC_RESULT>...</DEC_RESULT><RESULT_INFO/></DEC_DATA>``. A handler registered for
# the alias itself wins.
ROOT_ALIASES: dict[str, str] = {"DEC_DATA": "DEC_RESULT"}


def register_handler(root_tag: str, handler: Handler) -> None:
    """Handle files whose root element's local name is ``root_tag`` (namespace ignored).

    Registering the same tag again replaces the handler (reloads, tests).
    """
    if not root_tag or "}" in root_tag:
        raise ValueError(f"root_tag is a local element name without namespace: {root_tag!r}")
    _HANDLERS[root_tag] = handler


def unregister_handler(root_tag: str) -> None:
    _HANDLERS.pop(root_tag, None)


def get_handler(root_tag: str) -> Handler | None:
    handler = _HANDLERS.get(root_tag)
    if handler is None and root_tag in ROOT_ALIASES:
        handler = _HANDLERS.get(ROOT_ALIASES[root_tag])
    return handler


def registered_tags() -> list[str]:
    return sorted(_HANDLERS)
