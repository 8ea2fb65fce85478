"""Receipt handlers by root element: apps register theirs in ``AppConfig.ready``::

    from guanwu.gateway.registry import register_handler

    register_handler("DecImportResponse", apply_import_response)
    register_handler("DEC_RESULT", apply_dec_result)   # also gets DEC_DATA (see ROOT_ALIASES)

A handler is ``handler(content: bytes, file_name: str) -> object``. The gateway calls it inside
its own transaction; raising any exception rolls that transaction back and quarantines the file
(``failed/`` plus a GatewayError whose reason is ``str(exception)``, so raise Chinese messages).
A handler must apply a receipt once: the same file may be read twice (crash between commit and
move), so dedupe by content hash (``guanwu.messages.dec.receipt_dedupe_key``).

A handler may come with a batch form, ``batch(files: list[(content, file_name)]) -> list[outcome]``
(one outcome per file, an exception instance for a file to quarantine), which the poller calls
with the consecutive files of a round that share it, in one savepoint; should the batch raise,
the poller applies those files one by one with the single handler instead.
Pure module, importable before the app registry is ready.
"""

from __future__ import annotations

from collections.abc import Callable

Handler = Callable[[bytes, str], object]
BatchHandler = Callable[[list[tuple[bytes, str]]], list[object]]

_HANDLERS: dict[str, Handler] = {}
_BATCH: dict[str, tuple[Handler, BatchHandler]] = {}  # tag -> (the handler it goes with, batch)

# Roots that carry the same receipt in another wrapper: the import client writes DEC_RESULT as
# ``<DEC_DATA><DEC_RESULT>...</DEC_RESULT><RESULT_INFO/></DEC_DATA>``. A handler registered for
# the alias itself wins.
ROOT_ALIASES: dict[str, str] = {"DEC_DATA": "DEC_RESULT"}


def register_handler(root_tag: str, handler: Handler, *, batch: BatchHandler | None = None) -> None:
    """Handle files whose root element's local name is ``root_tag`` (namespace ignored).

    Registering the same tag again replaces the handler (reloads, tests).
    """
    if not root_tag or "}" in root_tag:
        raise ValueError(f"root_tag is a local element name without namespace: {root_tag!r}")
    _HANDLERS[root_tag] = handler
    if batch is None:
        _BATCH.pop(root_tag, None)
    else:
        _BATCH[root_tag] = (handler, batch)


def unregister_handler(root_tag: str) -> None:
    _HANDLERS.pop(root_tag, None)
    _BATCH.pop(root_tag, None)


def get_handler(root_tag: str) -> Handler | None:
    handler = _HANDLERS.get(root_tag)
    if handler is None and root_tag in ROOT_ALIASES:
        handler = _HANDLERS.get(ROOT_ALIASES[root_tag])
    return handler


def get_batch_handler(root_tag: str) -> BatchHandler | None:
    """The batch form of the handler ``get_handler`` returns, if it was registered with one."""
    handler = get_handler(root_tag)
    for tag in (root_tag, ROOT_ALIASES.get(root_tag, "")):
        pair = _BATCH.get(tag)
        if pair is not None and pair[0] is handler:
            return pair[1]
    return None


def registered_tags() -> list[str]:
    return sorted(_HANDLERS)
