"""The de-duplication key of the 企业库 (seed 5.2: 系统对本企业海关审核数据和历史申报数据进行比对、查重).

Two rows are the same when their 商品编码 is the same and their 商品名称 and 申报要素 are the same
once normalised: full-width characters as half-width (Unicode NFKC: "ＡＢＣ１２" -> "ABC12", "｜" ->
"|"), letters in lower case, and every space removed (between and inside the elements).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """``text`` as compared: NFKC (full-width -> half-width), lower case, no whitespace."""
    if not text:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower())


def key(code_ts: str, g_name: str | None, g_model: str | None) -> str:
    """sha1 of 商品编码, normalised 商品名称 and normalised 申报要素 (40 hex digits)."""
    return digest(code_ts, normalise(g_name), normalise(g_model))


def digest(code_ts: str, name: str, model: str) -> str:
    """``key`` of texts already normalised."""
    raw = f"{(code_ts or '').strip()}\x1f{name}\x1f{model}"
    return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


def search_text(g_name: str | None, g_model: str | None) -> str:
    """What the keyword query searches: normalised name and elements."""
    return f"{normalise(g_name)} {normalise(g_model)}"[:520]
