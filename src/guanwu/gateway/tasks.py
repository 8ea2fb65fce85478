"""The gateway poller in the worker: flush the outbox and read the inbox every few seconds.

A self-rescheduling chain of ``poll_gateway`` tasks runs every ``GUANWU_GATEWAY_POLL_SECONDS``
(default 2), started by an ``on_startup`` hook. Each chain carries a token; only the chain whose
token is current continues, so restarts and several worker threads never multiply chains. A
Huey lock makes sure two workers (or the ``gateway run`` command) never poll at the same time.
A watchdog every minute clears a lock left by a killed process and restarts a dead chain.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, on_startup, periodic_task, task
from huey.exceptions import TaskLockedException

from . import services

log = logging.getLogger(__name__)

LOCK_NAME = "guanwu-gateway-poll"
CHAIN_KEY = "guanwu.gateway.chain"
BEAT_KEY = "guanwu.gateway.beat"
LOCKED_AT_KEY = "guanwu.gateway.locked-at"
STALE_LOCK_SECONDS = 300  # a poll handles at most MAX_FILES_PER_POLL files; far less than this


def poll_interval() -> float:
    return max(0.2, float(getattr(settings, "GUANWU_GATEWAY_POLL_SECONDS", 2)))


def poll_locked() -> dict[str, int] | None:
    """One poll round under the Huey lock; None when another poller holds it."""
    lock = HUEY.lock_task(LOCK_NAME)
    try:
        lock.acquire()
    except TaskLockedException:
        return None
    try:
        HUEY.put(LOCKED_AT_KEY, time.time())
        return services.poll_once()
    finally:
        HUEY.delete(LOCKED_AT_KEY)
        lock.release()


def clear_stale_lock() -> bool:
    """Release the poll lock when its holder has held it for too long (killed mid-poll)."""
    lock = HUEY.lock_task(LOCK_NAME)
    if not lock.is_locked():
        return False
    since = HUEY.get(LOCKED_AT_KEY, peek=True)
    if since is not None and time.time() - float(since) < STALE_LOCK_SECONDS:
        return False
    if since is None:  # locked but no time: note it now, judge at the next watchdog round
        HUEY.put(LOCKED_AT_KEY, time.time())
        return False
    log.warning("gateway poll lock held for over %ss; clearing it", STALE_LOCK_SECONDS)
    lock.clear()
    HUEY.delete(LOCKED_AT_KEY)
    return True


def start_chain() -> str:
    """Start a new poll chain; any older chain ends at its next run."""
    token = uuid.uuid4().hex
    HUEY.put(CHAIN_KEY, token)
    HUEY.put(BEAT_KEY, time.time())
    poll_gateway(token)
    return token


@task(retries=0)
def poll_gateway(chain: str = "") -> dict[str, int] | None:
    """Poll once; with a chain token, also schedule the next run of that chain."""
    if chain and HUEY.get(CHAIN_KEY, peek=True) != chain:
        return None  # superseded by a newer chain
    try:
        return poll_locked()
    finally:
        if chain and not HUEY.immediate:
            HUEY.put(BEAT_KEY, time.time())
            poll_gateway.schedule(args=(chain,), delay=poll_interval())


@on_startup()
def start_gateway_poller() -> None:
    if not HUEY.immediate:
        start_chain()


@periodic_task(crontab(minute="*"))
def gateway_watchdog() -> None:
    clear_stale_lock()
    beat = HUEY.get(BEAT_KEY, peek=True)
    if beat is None or time.time() - float(beat) > max(60.0, 10 * poll_interval()):
        log.warning("gateway poll chain stalled; starting a new one")
        start_chain()
