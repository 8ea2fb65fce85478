"""Gunicorn hook (``guanwu serve`` passes ``--config python:guanwu.classify.warmup``): each web
worker loads the suggestion index in the background as it starts, so that the first suggestion
a user asks for does not wait for it.

The index is trained by ``guanwu classify_index``, which ``guanwu serve`` starts beside the web
server (a process of its own, whose ~650 MB peak is given back when it exits): a worker waits
for its file (the builder holds ``stored.lock`` while it trains) and loads it; it never trains
itself, so a worker that starts before the builder took the lock asks again a second later.
Where the index is not kept on disk (``CLASSIFY_INDEX_CACHE`` off) each worker builds its own.
If no file comes within ``WAIT_SECONDS``, the first suggestion builds it (``knowledge.current``).
"""

from __future__ import annotations

import threading
import time

WAIT_SECONDS = 600


def _warm() -> None:
    from django.db import connection

    from guanwu.classify import knowledge, stored

    try:
        if not stored.enabled():
            knowledge.warm()
            return
        deadline, pause = time.monotonic() + WAIT_SECONDS, 1.0
        while knowledge.current(build_missing=False) is None and time.monotonic() < deadline:
            time.sleep(pause)  # the builder not started yet (or failed): ask again, less often
            pause = min(30.0, pause * 2)
    finally:
        connection.close()


def post_worker_init(worker) -> None:
    threading.Thread(target=_warm, name="classify-warmup", daemon=True).start()
