"""报文交换: file exchange with the single window (outbox / inbox / sent / done / failed).

- ``services.enqueue(kind, key, payload)``, ``services.flush_outbox()``, ``services.poll_inbox()``
- ``registry.register_handler(root_tag, handler)`` for receipt handlers (in ``AppConfig.ready``)
- ``folders`` for the paths (also used by the simulator)
"""
