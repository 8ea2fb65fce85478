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

Tokens are plain ASCII so that SQLite's FTS5 and PostgreSQL's ``to_tsvector('simple', ...)``
read them the same way whatever the database's locale. ``match_query`` turns what a user
types into the FTS5 and tsquery syntax. Pinyin is read character by character (pypinyin's
most common reading): a whole-phrase conversion costs ~170 µs a name, too slow for imports of
100k rows; a polyphone inside a word (重庆) may therefore be read by its other reading.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# full-width ASCII variants U+FF01..U+FF5E -> U+0021..U+007E; ideographic space -> space
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_LATIN = re.compile(r"[a-z0-9]+")
_PIECES = re.compile(r"[a-z0-9]+|[^\x00-\x7f]")
MAX_WORD = 24  # longer Latin words and pinyin are cut (prefix matching still works)
MAX_QUERY_TERMS = 8


def _half_width(value: str) -> str:
    """``value`` with full-width ASCII variants as ASCII (translated only when it has any:
    ``str.translate`` looks up every character of a non-ASCII text)."""
    text = value if type(value) is str else str(value)
    if not text.isascii() and _WIDE.search(text):
        return text.translate(_WIDTH)
    return text


def normalize(value: str | None) -> str:
    if not value:
        return ""
    # split/join: the runs of white space (``str.isspace``, what ``\s`` matches) as one space, stripped
    return " ".join(_half_width(value).split()).casefold()


def normalize_model(value: str | None) -> str:
    """申报要素 normalised element by element (the separator | kept): the same as normalising
    each element, in one pass over the whole text."""
    if not value:
        return ""
    text = " ".join(_half_width(value).split()).casefold()
    if " " in text:  # white space is single spaces now: the ones next to a bar go
        text = text.replace(" |", "|").replace("| ", "|")
    return text


def _folded(value: str | None) -> str:
    """Half-width and case-folded, white space as it is: enough for the Latin words of a text."""
    return _half_width(value).casefold() if value else ""


def dedupe_key(trade: str, ie_flag: str, code_ts: str, g_name: str, g_model: str) -> str:
    """The identity of one library entry (within an enterprise): 32 hex characters.

    ``trade`` is the trade company's 10-digit code, or its name when the code is empty.
    """
    parts = (normalize(trade), (ie_flag or "").strip().upper(), (code_ts or "").strip(), normalize(g_name),
             normalize_model(g_model))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def trade_key(trade_code: str, trade_name: str) -> str:
    return (trade_code or "").strip() or normalize(trade_name)


# --------------------------------------------------------------------------------- pinyin


@lru_cache(maxsize=65536)
def _char_pinyin(ch: str) -> str:
    from pypinyin import lazy_pinyin

    out = lazy_pinyin(ch, errors="ignore")
    return out[0].lower() if out and out[0].isascii() else ""


# ----------------------------------------------------------------------------- the index


def _cjk(ch: str) -> str:
    return f"u{ord(ch):x}"


def _suffixes(syllables: list[str]) -> list[str]:
    """What lets a pinyin query match anywhere in a name, not only at its start: the initials
    and the full pinyin from each later character on (笔记本电脑: ``jbdn``, ``bdn``, ``dn``,
    ``jibendiannao`` ... ``diannao``), at least two letters; names are read up to MAX_WORD
    characters."""
    syllables = syllables[:MAX_WORD]
    initials = "".join(s[0] for s in syllables)
    out = []
    for i in range(1, len(syllables)):
        if len(initials) - i >= 2:
            out.append(initials[i:])
        full = "".join(syllables[i:])[:MAX_WORD]
        if len(full) >= 2:
            out.append(full)
    return out


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


# per character: (token without the enterprise prefix or "", pinyin syllable or "")
_CHARS: dict[str, tuple[str, str]] = {}


def _char(piece: str) -> tuple[str, str]:
    found = _CHARS.get(piece)
    if found is None:
        if piece.isascii():
            found = (piece[:MAX_WORD], piece)
        else:
            found = (f"u{ord(piece):x}" if piece.isalnum() else "", _char_pinyin(piece))
        if len(piece) == 1:
            _CHARS[piece] = found
    return found


@lru_cache(maxsize=4096)
def _filter_text(enterprise_id: int, ie_flag: str, trade_code: str) -> str:
    return " ".join(filter_tokens(enterprise_id, ie_flag, trade_code))


def index_columns(enterprise_id: int, g_name: str, g_model: str, ie_flag: str = "",
                  trade_code: str = "") -> tuple[str, str, str]:
    """(pinyin, initials, search) of an entry in one pass: the words of ``pinyin`` and
    the keyword index plus the filter tokens (``filter_tokens``)."""
    tokens: list[str] = []
    full: list[str] = []
    chars = _CHARS
    for piece in _PIECES.findall(normalize(g_name)):
        token, syllable = chars.get(piece) or _char(piece)
        if token:
            tokens.append(token)
        if syllable:
            full.append(syllable)
    name_pinyin = "".join(full)[:100]
    name_initials = "".join([p[0] for p in full])[:50]
    seen = set(tokens)
    for word in _LATIN.findall(_folded(g_model)):  # white space does not split [a-z0-9] words differently
        word = word[:MAX_WORD]
        if word not in seen:
            seen.add(word)
            tokens.append(word)
    for word in (name_pinyin[:MAX_WORD], name_initials[:MAX_WORD], *_suffixes(full)):
        if word and word not in seen:
            seen.add(word)
            tokens.append(word)
    prefix = f"{enterprise_id}z"
    text = prefix + f" {prefix}".join(tokens) if tokens else ""
    extra = _filter_text(enterprise_id, ie_flag or "", trade_code or "")
    if extra:
        text = f"{text} {extra}" if text else extra
    return name_pinyin, name_initials, text


@dataclass(frozen=True)
class Term:
    """One part of a query: consecutive Chinese characters (a phrase) or a word (a prefix)."""

    tokens: tuple[str, ...]
    prefix: bool


def query_terms(enterprise_id: int, q: str) -> list[Term]:
    prefix = f"{enterprise_id}z"
    terms: list[Term] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            terms.append(Term(tuple(prefix + t for t in run), prefix=False))
            run.clear()

    for piece in _PIECES.findall(normalize(q)):
        if piece.isascii():
            flush()
            terms.append(Term((prefix + piece[:MAX_WORD],), prefix=True))
        elif piece.isalnum():
            run.append(_cjk(piece))
        else:
            flush()
    flush()
    return terms[:MAX_QUERY_TERMS]


def filter_terms(enterprise_id: int, ie_flag: str = "", trade_code: str = "") -> list[Term]:
    return [Term((token,), prefix=False) for token in filter_tokens(enterprise_id, ie_flag, trade_code)]


def _query(terms: list[Term], prefix: str, phrase: Callable[[tuple[str, ...]], str], conjunction: str) -> str:
    """``terms`` all required: a prefix term as its token and ``prefix``, a phrase by ``phrase``."""
    return conjunction.join(f"{t.tokens[0]}{prefix}" if t.prefix else phrase(t.tokens) for t in terms)


def fts5_query(terms: list[Term]) -> str:
    """``"12zu5496 12zu5561" AND 12zdell*`` (tokens are alphanumeric: nothing to escape)."""
    return _query(terms, "*", lambda tokens: '"' + " ".join(tokens) + '"', " AND ")


def tsquery(terms: list[Term]) -> str:
    """``12zu5496 <-> 12zu5561 & 12zdell:*`` for ``to_tsquery('simple', ...)``."""
    return _query(terms, ":*", lambda tokens: f"({' <-> '.join(tokens)})" if len(tokens) > 1 else tokens[0], " & ")


def hs_prefix(q: str) -> str | None:
    """The HS code prefix a query stands for ("8471", "8471.30" -> "847130"), or None."""
    compact = (q or "").replace(".", "").replace(" ", "").strip()
    if 2 <= len(compact) <= 10 and compact.isdigit():
        return compact
    return None
