"""The de-duplication key of the 企业库 (seed 5.2: 系统对本企业海关审核数据和历史申报数据进行比对、查重).

Two rows are the same when their 商品编码 is the same and their 商品名称 and 申报要素 are the same
once normalised: full-width characters as half-width (Unicode NFKC: "ＡＢＣ１２" -> "ABC12", "｜" ->
"|"), letters in lower case, and every space removed (between and inside the elements).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from guanwu.core import fulltext

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


PUBLIC_SCOPE = "pz"  # the public library's keyword scope (enterprise scopes are digits + "z")


def search_text(enterprise_id: int, g_name: str | None, g_model: str | None, public: bool = False) -> str:
    """The keyword index of a library entry (``guanwu.core.fulltext``): the characters, Latin
    words and pinyin of the name and the characters and Latin words of the elements, in the
    enterprise's scope, and once more in the public library's scope (``PUBLIC_SCOPE``) when the
    row is public. A Chinese phrase finds any substring of the name or of the elements, a Latin
    word or pinyin any word by its prefix."""
    tokens, syllables = fulltext.name_tokens(g_name)
    tokens.extend(fulltext.text_tokens(g_model))  # in order, repeats kept: phrases follow positions
    fulltext.add_words(tokens, fulltext.pinyin_words(syllables)[2])
    text = fulltext.scoped(fulltext.enterprise_scope(enterprise_id), tokens)
    if public and tokens:
        text = f"{text} {fulltext.scoped(PUBLIC_SCOPE, tokens)}"
    return text


def keyword_terms(scope: str, q: str) -> list[fulltext.Term]:
    """What a user typed as terms of ``scope`` (an enterprise's or ``PUBLIC_SCOPE``): each word
    between spaces on its own (``咖啡 阿拉比卡``: two phrases, both required, in any order)."""
    terms: list[fulltext.Term] = []
    for word in (q or "").split():
        terms += fulltext.query_terms(scope, word)
    return terms[:fulltext.MAX_QUERY_TERMS]
