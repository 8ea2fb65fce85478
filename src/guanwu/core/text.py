"""Text that can be stored: no NUL character (PostgreSQL refuses it in text columns) and no
lone UTF-16 surrogate (it cannot be encoded as UTF-8 at all). JSON allows both (``"\\u0000"``,
``"\\ud800"``), so everything the API receives is checked here before it reaches a service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
MESSAGE = "含有不允许的字符 (NUL 或不成对的 Unicode 代理项)"


def is_storable(text: str) -> bool:
    return FORBIDDEN.search(text) is None


def forbidden_paths(value: Any, path: str = "") -> Iterator[str]:
    """The paths (``items[0].g_name``) of every string in ``value`` (keys included) that
    cannot be stored; ``path`` is the prefix of ``value`` itself."""
    if isinstance(value, str):
        if not is_storable(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            key_text = str(key)
            sub = f"{path}.{key_text}" if path else key_text
            if not is_storable(key_text):
                yield path  # the key itself is not echoed back
                continue
            yield from forbidden_paths(item, sub)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from forbidden_paths(item, f"{path}[{index}]")
