"""A keyword index over Chinese and Latin text, shared by the libraries (商品数据库, 企业库, 公共库).

One precomputed text column per row holds a space-separated list of plain ASCII tokens, each
prefixed with a scope (``12z`` for enterprise 12) so that every scope has its own vocabulary and
a match never has to be filtered by tenant afterwards (a row may carry the tokens of several
scopes, e.g. an enterprise's and the public library's):

- each Chinese character as ``u`` + its hex code point, in order: a phrase of consecutive
  tokens finds any substring of the text (咖啡 -> ``"12zu5496 12zu5561"``);
- Latin letters and digits as words, matched by prefix (``dell*``);
- for a name, its full pinyin and its initials, matched by prefix (``kafei*``, ``kfd*``), and
  the same from every later character on, so pinyin finds any part of the name as Chinese
  text does (已焙炒咖啡豆: ``kfd*``, ``kafeidou*``; 笔记本电脑: ``dn*``).

Tokens are plain ASCII so that SQLite's FTS5 and PostgreSQL's ``to_tsvector('simple', ...)``
read them the same way whatever the database's locale. The index itself is an FTS5
external-content table kept in step by triggers on SQLite and a GIN index over a stored,
generated ``tsvector`` column on PostgreSQL (``index_operation`` in a migration); other
databases search the column with LIKE (``match_ids``). ``query_terms`` turns what a user types
into terms, ``fts5_query`` / ``tsquery`` into each database's syntax. Pinyin is read character
by character (pypinyin's most common reading): a whole-phrase conversion costs ~170 µs a name,
too slow for builds of 100k rows; a polyphone inside a word (重庆) may be read by its other reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, migrations
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import Expression, RawSQL

# full-width ASCII variants U+FF01..U+FF5E -> U+0021..U+007E; ideographic space -> space
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
LATIN = re.compile(r"[a-z0-9]+")
PIECES = re.compile(r"[a-z0-9]+|[^\x00-\x7f]")
MAX_WORD = 24  # longer Latin words and pinyin are cut (prefix matching still works)
MAX_QUERY_TERMS = 8


def half_width(value: str) -> str:
    """``value`` with full-width ASCII variants as ASCII (translated only when it has any:
    ``str.translate`` looks up every character of a non-ASCII text)."""
    text = value if type(value) is str else str(value)
    if not text.isascii() and _WIDE.search(text):
        return text.translate(_WIDTH)
    return text


def normalize(value: str | None) -> str:
    """Half-width, runs of white space as one space, stripped, case-folded."""
    if not value:
        return ""
    # split/join: the runs of white space (``str.isspace``, what ``\\s`` matches) as one space, stripped
    return " ".join(half_width(value).split()).casefold()


def folded(value: str | None) -> str:
    """Half-width and case-folded, white space as it is: enough for the Latin words of a text."""
    return half_width(value).casefold() if value else ""


# --------------------------------------------------------------------------------- tokens


@lru_cache(maxsize=65536)
def char_pinyin(ch: str) -> str:
    from pypinyin import lazy_pinyin

    out = lazy_pinyin(ch, errors="ignore")
    return out[0].lower() if out and out[0].isascii() else ""


def cjk(ch: str) -> str:
    return f"u{ord(ch):x}"


def pinyin_suffixes(syllables: list[str]) -> list[str]:
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


# per piece: (token without the scope prefix or "", pinyin syllable or "")
_CHARS: dict[str, tuple[str, str]] = {}


def char_token(piece: str) -> tuple[str, str]:
    """(token, pinyin syllable) of one piece of ``PIECES`` (a Latin word or one character)."""
    found = _CHARS.get(piece)
    if found is None:
        if piece.isascii():
            found = (piece[:MAX_WORD], piece)
        else:
            found = (cjk(piece) if piece.isalnum() else "", char_pinyin(piece))
        if len(piece) == 1:
            _CHARS[piece] = found
    return found


def name_tokens(name: str | None) -> tuple[list[str], list[str]]:
    """(tokens, pinyin syllables) of a name: its characters and Latin words, in order."""
    tokens: list[str] = []
    syllables: list[str] = []
    chars = _CHARS
    for piece in PIECES.findall(normalize(name)):
        token, syllable = chars.get(piece) or char_token(piece)
        if token:
            tokens.append(token)
        if syllable:
            syllables.append(syllable)
    return tokens, syllables


def text_tokens(text: str | None) -> list[str]:
    """Tokens of a text searched as written (no pinyin): its characters and Latin words."""
    chars = _CHARS
    out = []
    for piece in PIECES.findall(normalize(text)):
        token = (chars.get(piece) or char_token(piece))[0]
        if token:
            out.append(token)
    return out


def pinyin_words(syllables: list[str]) -> tuple[str, str, list[str]]:
    """(full pinyin, initials, words to index) of a name's syllables."""
    full = "".join(syllables)[:100]
    initials = "".join([p[0] for p in syllables])[:50]
    return full, initials, [full[:MAX_WORD], initials[:MAX_WORD], *pinyin_suffixes(syllables)]


def add_words(tokens: list[str], words: Iterable[str], seen: set[str] | None = None) -> list[str]:
    """``tokens`` and then each of ``words`` not already among them (in place)."""
    seen = set(tokens) if seen is None else seen
    for word in words:
        if word and word not in seen:
            seen.add(word)
            tokens.append(word)
    return tokens


def scoped(prefix: str, tokens: list[str]) -> str:
    """The index text of ``tokens`` in the scope ``prefix``: ``12zu5496 12zu5561 12zdell``."""
    return prefix + f" {prefix}".join(tokens) if tokens else ""


def enterprise_scope(enterprise_id: int) -> str:
    return f"{enterprise_id}z"


# --------------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Term:
    """One part of a query: consecutive Chinese characters (a phrase) or a word (a prefix)."""

    tokens: tuple[str, ...]
    prefix: bool


def query_terms(prefix: str, q: str) -> list[Term]:
    """What a user typed as terms of the scope ``prefix``: runs of Chinese characters as
    phrases, Latin words and digits as prefixes; punctuation separates; at most MAX_QUERY_TERMS."""
    terms: list[Term] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            terms.append(Term(tuple(prefix + t for t in run), prefix=False))
            run.clear()

    for piece in PIECES.findall(normalize(q)):
        if piece.isascii():
            flush()
            terms.append(Term((prefix + piece[:MAX_WORD],), prefix=True))
        elif piece.isalnum():
            run.append(cjk(piece))
        else:
            flush()
    flush()
    return terms[:MAX_QUERY_TERMS]


def _query(terms: list[Term], prefix: str, phrase: Callable[[tuple[str, ...]], str], conjunction: str) -> str:
    """``terms`` all required: a prefix term as its token and ``prefix``, a phrase by ``phrase``."""
    return conjunction.join(f"{t.tokens[0]}{prefix}" if t.prefix else phrase(t.tokens) for t in terms)


def fts5_query(terms: list[Term], any_term: bool = False) -> str:
    """``"12zu5496 12zu5561" AND 12zdell*`` (tokens are alphanumeric: nothing to escape); with
    ``any_term``, OR between the terms."""
    return _query(terms, "*", lambda tokens: '"' + " ".join(tokens) + '"', " OR " if any_term else " AND ")


def tsquery(terms: list[Term], any_term: bool = False) -> str:
    """``12zu5496 <-> 12zu5561 & 12zdell:*`` for ``to_tsquery('simple', ...)``; with ``any_term``,
    ``|`` between the terms."""
    return _query(terms, ":*", lambda tokens: f"({' <-> '.join(tokens)})" if len(tokens) > 1 else tokens[0],
                  " | " if any_term else " & ")


# ------------------------------------------------------------------------------ the index


def fts_table(table: str) -> str:
    return f"{table}_fts"


def tsv_column(column: str) -> str:
    return f"{column}_tsv"


def match_ids(qs: QuerySet, table: str, column: str, terms: list[Term], limit: int | None = None,
              any_term: bool = False) -> RawSQL | QuerySet:
    """A subquery of the ids of ``table`` whose ``column`` matches all ``terms`` (with ``any_term``:
    any of them, the candidates of a resemblance the caller then scores, as the suggester's
    examples) (newest id first on SQLite, at most ``limit``): FTS5 on SQLite, the GIN-indexed
    tsvector on PostgreSQL, LIKE on ``qs`` (the model's rows) elsewhere. Use as
    ``qs.filter(pk__in=...)``."""
    tail = " LIMIT %s" if limit else ""
    extra = [limit] if limit else []
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":  # FTS5 reads its matches newest first at no cost
        fts = quote(fts_table(table))
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC{tail}"
        return RawSQL(sql, [fts5_query(terms, any_term), *extra])
    if connection.vendor == "postgresql":  # GIN has no order: the first matches the scan finds
        sql = f"SELECT id FROM {quote(table)} WHERE {quote(tsv_column(column))} @@ to_tsquery('simple', %s){tail}"
        return RawSQL(sql, [tsquery(terms, any_term), *extra])
    condition = Q()
    for term in terms:
        matched = Q(**{f"{column}__contains": " ".join(term.tokens)})
        condition = (condition | matched) if any_term else (condition & matched)
    found = qs.filter(condition).order_by("-id").values("id")
    return found[:limit] if limit else found


FEW_MATCHES = 2_000  # up to this many matches a page reads them by id and sorts them
MANY_MATCHES = 50_000  # beyond this many matches a count checks the rows against the list too


class _MatchList(Expression):
    """``pk IN (the matches)`` on SQLite, written for the planner by the shape of the query:

    - a page (an ordered query) checks the rows it reads in its own order against the list
      (``+pk IN``: the unary plus keeps the planner from reading every match by id and sorting
      them all: 0.25 s for a word in every row of 330k, ≤ 25 ms with it whatever the word);
    - a count reads the matches by id (∝ the matches, 34 ms for 24k of 330k), unless there are
      more than ``MANY_MATCHES`` (then checking the rows is cheaper: ∝ the rows, ~90 ms at 330k)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, pk: str, sql: str, params: list, many: bool) -> None:
        super().__init__()
        self.pk, self.sql, self.params, self.many = pk, sql, params, many

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def, override]
        query = compiler.query
        ordered = bool(query.order_by) or bool(query.default_ordering and query.get_meta().ordering)
        plus = "+" if ordered or self.many else ""
        return f"{plus}{self.pk} IN ({self.sql})", list(self.params)


def filter_matching(qs: QuerySet, table: str, column: str, terms: list[Term]) -> QuerySet:
    """``qs`` (rows of ``table``) narrowed to the rows whose ``column`` matches all ``terms``.

    On SQLite the matches are counted first (FTS5 alone, ~10 ms for 24k of 330k): none is an
    empty answer, a few are read by id, more by ``_MatchList``."""
    if connection.vendor != "sqlite":
        return qs.filter(pk__in=match_ids(qs.model.objects.all(), table, column, terms))
    quote = connection.ops.quote_name
    fts = quote(fts_table(table))
    sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"
    params = [fts5_query(terms)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, MANY_MATCHES + 1])
        found = cursor.fetchone()[0]
    if not found:
        return qs.none()
    if found <= FEW_MATCHES:  # reading them all by id and sorting them is cheaper than any scan
        return qs.filter(pk__in=RawSQL(sql, params))
    pk = f"{quote(table)}.{quote(qs.model._meta.pk.column)}"
    return qs.filter(_MatchList(pk, sql, params, found > MANY_MATCHES))


def index_sql(table: str, column: str) -> dict[str, tuple[list[str], list[str]]]:
    """{vendor: (forward statements, reverse statements)} of the keyword index on ``table.column``
    (the same SQL as the commodity library's migrations 0002 and 0004)."""
    fts = fts_table(table)
    tsv = tsv_column(column)
    short = table.split("_", 1)[-1]
    sqlite = [
        f"CREATE VIRTUAL TABLE {fts} USING fts5("
        f"{column}, content='{table}', content_rowid='id', tokenize='ascii')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    sqlite_reverse = [
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TABLE IF EXISTS {fts}",
    ]
    postgres = [
        f"ALTER TABLE {table} ADD COLUMN {tsv} tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple', {column})) STORED",
        f"CREATE INDEX {short}_{tsv} ON {table} USING gin ({tsv})",
    ]
    postgres_reverse = [
        f"DROP INDEX IF EXISTS {short}_{tsv}",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {tsv}",
    ]
    return {"sqlite": (sqlite, sqlite_reverse), "postgresql": (postgres, postgres_reverse)}


def index_operation(table: str, column: str) -> migrations.RunPython:
    """A migration operation creating (reversing: dropping) the keyword index on ``table.column``;
    nothing on other databases (``match_ids`` falls back to LIKE)."""
    statements = index_sql(table, column)

    def run(which: int):
        def go(apps, schema_editor) -> None:
            for sql in statements.get(schema_editor.connection.vendor, ([], []))[which]:
                schema_editor.execute(sql)

        return go

    return migrations.RunPython(run(0), run(1))
