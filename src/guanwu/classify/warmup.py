"""Gunicorn hook (``guanwu serve`` passes ``--config python:guanwu.classify.warmup``): each web
worker builds the suggestion index in the background as it starts, so that the first
suggestion a user asks for does not wait for it."""

from __future__ import annotations

import threading


def _warm() -> None:
    from django.db import connection

    from guanwu.classify import knowledge

    try:
        knowledge.warm()
    finally:
        connection.close()


def post_worker_init(worker) -> None:
    threading.Thread(target=_warm, name="classify-warmup", daemon=True).start()
