"""Normalising goods text, the dedupe key, pinyin, and the keyword index of the commodity library.

Normalisation (``normalize``): strip, full-width -> half-width (ＡＢＣ１２３（） -> ABC123()),
ideographic space -> space, runs of white space -> one space, Latin letters case-folded. The
申报要素 (``g_model``) are normalised segment by segment (``normalize_model``), so
``"1| 0 |针织"`` and ``"1|0|针织"`` are the same goods.

The keyword index is one precomputed text column, ``Commodity.search``: a space-separated list
of ASCII tokens, each prefixed with the enterprise id (``12z...``) so that every enterprise has
its own vocabulary and a match never has to be filtered by tenant afterwards:

- each Chinese character of the name as ``u`` + its hex code point, in order: a phrase of
  consecutive tokens finds any substring of the name (咖啡 -> ``"12zu5496 12zu5561"``);
- Latin letters and digits of the name and of the 规格型号 (brands, model numbers) as words,
  matched by prefix (``dell*``);
- the full pinyin of the name and its initials, matched by prefix (``kafei*``, ``kfd*``), and
  the same from every later character on, so pinyin finds any part of the name as Chinese
  text does (已焙炒咖啡豆: ``kfd*``, ``kafeidou*``; 笔记本电脑: ``dn*``);
- the I/E flag and the trade company's code (``12ye``, ``12yt6101930001``, see ``filter_tokens``).

The token building, the query syntax, the index (FTS5 / tsvector) and the match are the shared
mechanism of ``guanwu.core.fulltext`` (the 企业库 of ``standards`` uses it too); this module adds
the commodity library's own parts (normalisation of the model, the dedupe key, filter tokens).
Tokens are plain ASCII so that SQLite's FTS5 and PostgreSQL's ``to_tsvector('simple', ...)``
read them the same way whatever the database's locale. ``match_query`` turns what a user
types into the FTS5 and tsquery syntax. Pinyin is read character by character (pypinyin's
most common reading): a whole-phrase conversion costs ~170 µs a name, too slow for imports of
100k rows; a polyphone inside a word (重庆) may therefore be read by its other reading.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from guanwu.core import fulltext
from guanwu.core.fulltext import MAX_QUERY_TERMS, MAX_WORD, Term, fts5_query, normalize, tsquery  # noqa: F401

_LATIN = fulltext.LATIN
_half_width = fulltext.half_width
_folded = fulltext.folded
_suffixes = fulltext.pinyin_suffixes


def normalize_model(value: str | None) -> str:
    """申报要素 normalised element by element (the separator | kept): the same as normalising
    each element, in one pass over the whole text."""
    if not value:
        return ""
    text = " ".join(_half_width(value).split()).casefold()
    if " " in text:  # white space is single spaces now: the ones next to a bar go
        text = text.replace(" |", "|").replace("| ", "|")
    return text


def dedupe_key(trade: str, ie_flag: str, code_ts: str, g_name: str, g_model: str) -> str:
    """The identity of one library entry (within an enterprise): 32 hex characters.

    ``trade`` is the trade company's 10-digit code, or its name when the code is empty.
    """
    parts = (normalize(trade), (ie_flag or "").strip().upper(), (code_ts or "").strip(), normalize(g_name),
             normalize_model(g_model))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def trade_key(trade_code: str, trade_name: str) -> str:
    return (trade_code or "").strip() or normalize(trade_name)


# ----------------------------------------------------------------------------- the index


def filter_tokens(enterprise_id: int, ie_flag: str = "", trade_code: str = "") -> list[str]:
    """Tokens of the picker's filters (I/E, trade company code): ``12ye``, ``12yt6101930001``.

    They carry ``y`` after the enterprise id where words carry ``z``, so no word can collide
    with them; with them in the index a type-ahead narrowed by direction and trade company
    finds its newest matches within them (see ``services.CANDIDATES``)."""
    prefix = f"{enterprise_id}y"
    out = []
    if ie_flag:
        out.append(f"{prefix}{ie_flag.strip().lower()[:1]}")
    code = _LATIN.findall((trade_code or "").strip().casefold())
    if code:
        out.append(f"{prefix}t{''.join(code)[:MAX_WORD]}")
    return out


@lru_cache(maxsize=4096)
def _filter_text(enterprise_id: int, ie_flag: str, trade_code: str) -> str:
    return " ".join(filter_tokens(enterprise_id, ie_flag, trade_code))


def index_columns(enterprise_id: int, g_name: str, g_model: str, ie_flag: str = "",
                  trade_code: str = "") -> tuple[str, str, str]:
    """(pinyin, initials, search) of an entry in one pass: the words of ``pinyin`` and
    the keyword index (``fulltext``: the name's characters, Latin words and pinyin, the model's
    Latin words) plus the filter tokens (``filter_tokens``)."""
    tokens, syllables = fulltext.name_tokens(g_name)
    name_pinyin, name_initials, words = fulltext.pinyin_words(syllables)
    seen = set(tokens)
    # white space does not split [a-z0-9] words differently
    fulltext.add_words(tokens, (w[:MAX_WORD] for w in _LATIN.findall(_folded(g_model))), seen)
    fulltext.add_words(tokens, words, seen)
    text = fulltext.scoped(fulltext.enterprise_scope(enterprise_id), tokens)
    extra = _filter_text(enterprise_id, ie_flag or "", trade_code or "")
    if extra:
        text = f"{text} {extra}" if text else extra
    return name_pinyin, name_initials, text


def query_terms(enterprise_id: int, q: str) -> list[Term]:
    return fulltext.query_terms(fulltext.enterprise_scope(enterprise_id), q)


def filter_terms(enterprise_id: int, ie_flag: str = "", trade_code: str = "") -> list[Term]:
    return [Term((token,), prefix=False) for token in filter_tokens(enterprise_id, ie_flag, trade_code)]


def hs_prefix(q: str) -> str | None:
    """The HS code prefix a query stands for ("8471", "8471.30" -> "847130"), or None."""
    compact = (q or "").replace(".", "").replace(" ", "").strip()
    if 2 <= len(compact) <= 10 and compact.isdigit():
        return compact
    return None
