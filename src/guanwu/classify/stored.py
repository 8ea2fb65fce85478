"""The suggestion index kept on disk, so that a process starting up loads it (about 0.5 s)
instead of building it (about 75 s on the CI machine, most of it the heading classifier):
``guanwu serve``'s web workers and the queue's worker each hold one.

The file is named by the fingerprint of the tariff, CIQ and glossary text the index was built
from and by a digest of the code that builds it (this package's modules and the versions of
scikit-learn, SciPy and NumPy): a new tariff version, glossary row or change of the building code
gives a new name, and the old files are removed when the new one is written. It lives in
``CLASSIFY_INDEX_DIR`` (``DATA_DIR/classify``), which only the product writes: the file is a
pickle, and a pickle is code. A file that cannot be read is logged and rebuilt. A file is
written to a temporary name and renamed, so that two processes writing at once leave one whole
file. It is a cache, not data: the first suggestion after a deployment may write it.

The file is a pickle (protocol 5) whose NumPy buffers (the n-gram matrices, the classifiers'
weights, the n-gram digests of ``tfidf``, the names of ``packed``: 79 of its 82 MB) are written
out of band after it and read back as views of one read-only memory map: the processes of one
machine (web workers, the queue's worker) share those pages through the page cache instead of
each holding its own copy, and a process loads the index without reading it whole. With three
processes holding it, each one's PSS went from 453 to 313 MB (``benchmarks/bench_hs_memory.py``).
The arrays are read-only; the index is never changed in place. A file replaced by a newer one
stays mapped, as it was, for the processes still holding it (POSIX)."""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import pickle
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar

import numpy
import scipy
import sklearn
from django.conf import settings

try:
    import fcntl
except ImportError:  # not on POSIX: no lock
    fcntl = None  # type: ignore[assignment]


class Fingerprinted(Protocol):
    fingerprint: str


T = TypeVar("T", bound=Fingerprinted)
log = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parent
_code_digest: str | None = None
MAGIC = b"guanwu-index-v2\n"  # then the layout: (count, pickle offset, pickle length, (offset, length) * count)
_ALIGN = 64  # each buffer starts on a 64-byte boundary, as NumPy would allocate it


def enabled() -> bool:
    return bool(getattr(settings, "CLASSIFY_INDEX_CACHE", True))


def code_digest() -> str:
    """Of the modules that build the index and the libraries whose objects the file holds."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256(f"{sklearn.__version__} {scipy.__version__} {numpy.__version__}".encode())
        for path in sorted(_PACKAGE.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        _code_digest = digest.hexdigest()
    return _code_digest


def path_for(fingerprint: str) -> Path:
    key = hashlib.sha256(f"{fingerprint} {code_digest()}".encode()).hexdigest()[:24]
    return Path(settings.CLASSIFY_INDEX_DIR) / f"index-{key}.pickle"


@contextmanager
def lock() -> Iterator[None]:
    """Held while a process looks for the stored index and, finding none, builds and stores it:
    web workers starting together build it once, the others wait and load it (an advisory
    ``flock`` on a file beside the index; where there is none, each process builds its own)."""
    if not enabled():
        yield
        return
    directory = Path(settings.CLASSIFY_INDEX_DIR)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fh = (directory / ".lock").open("a")
    except OSError:
        yield
        return
    with fh:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)


def load(fingerprint: str, kind: type[T]) -> T | None:
    """The index (a ``kind``: ``knowledge.Knowledge``) stored for this fingerprint, or None
    (none stored, unreadable, or not this one)."""
    if not enabled():
        return None
    path = path_for(fingerprint)
    try:
        known: Any = _read(path)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign file: build afresh and overwrite it
        log.warning("suggestion index %s unreadable; rebuilding it", path, exc_info=True)
        return None
    if not isinstance(known, kind) or known.fingerprint != fingerprint:
        log.warning("suggestion index %s holds something else; rebuilding it", path)
        return None
    return known


def store(known: Fingerprinted) -> None:
    """Write the index for the next process; a failure to write costs only that process's time."""
    if not enabled():
        return
    path = path_for(known.fingerprint)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                _write(fh, known)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in path.parent.glob("index-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        log.warning("suggestion index not written to %s", path, exc_info=True)


def _write(fh: BinaryIO, known: object) -> None:
    buffers: list[pickle.PickleBuffer] = []
    body = pickle.dumps(known, protocol=5, buffer_callback=buffers.append)
    raws = [b.raw() for b in buffers]
    head = len(MAGIC) + struct.calcsize(f"<3Q{2 * len(raws)}Q")
    spans, end = [], _aligned(head) + len(body)
    for raw in raws:
        start = _aligned(end)
        spans += [start, raw.nbytes]
        end = start + raw.nbytes
    fh.write(MAGIC + struct.pack(f"<3Q{len(spans)}Q", len(raws), _aligned(head), len(body), *spans))
    for start, chunk in zip([_aligned(head), *spans[0::2]], [body, *raws], strict=True):
        fh.write(b"\0" * (start - fh.tell()))
        fh.write(chunk)


def _read(path: Path) -> object:
    """The index in ``path``, its buffers views of a read-only map of the file (``ValueError``
    for a file not written by ``_write`` or cut short)."""
    with path.open("rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise ValueError("not a stored suggestion index")
    at = len(MAGIC)
    count, body_at, body_len = struct.unpack_from("<3Q", view, at)
    spans = struct.unpack_from(f"<{2 * count}Q", view, at + 24)
    pairs = [(body_at, body_len), *zip(spans[0::2], spans[1::2], strict=True)]
    if any(start + length > len(view) for start, length in pairs):
        raise ValueError("stored suggestion index cut short")
    return pickle.loads(view[body_at:body_at + body_len],
                        buffers=[view[start:start + length] for start, length in pairs[1:]])


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN
