"""料件余额 per 账册: imported, consumed, returned, domestic_sold, reserved, balance; the check
that refuses a list before it is sent; reservation on 申报 and release on 退单.

The movements are the list lines themselves: what a list does follows from its head
(:func:`movement_of`) and where it stands with customs (``Inventory.balance_state``):

- 料件进口 (进口, 料件) adds to ``imported`` once customs passed it (posted);
- 成品出口 (出口, 成品) consumes every 料件 of the product's 单损耗 of the 单耗版本号 the line
  names (the version in force when it names none, filled in at 申报): ``qty x 单耗`` with 单耗 =
  净耗 / (1 - (有形损耗率 + 无形损耗率) / 100) (issue 15; nems_fields.csv UcnsQty; the Single
  Window 单损耗 form) — ``BookBom.ucns_qty`` keeps it;
- 料件退运 (出口, 料件: 0265 料件复出, 0664 料件退换 ...) adds to ``returned``;
- 料件内销 (进口, 料件 under a 内销 监管方式: 0644 进料料件内销, 0245 来料料件内销, 0844/0845 边角料内销)
  adds to ``domestic_sold``;
- a list declared and not answered yet holds its quantities in ``reserved`` (an import list holds
  nothing: what has not come in cannot be used); customs passing it moves them to their column,
  returning it (退单) or a failed import releases them.

balance = imported - consumed - returned - domestic_sold - reserved. ``MaterialBalance`` keeps
these per 料件. Every change of one list's balance state applies that list's own per-料件
quantities to the kept rows (:func:`apply_list`: the book row locked, one bulk upsert), so a
receipt costs what its list costs, not what the book costs. :func:`recompute_balances` is the
full rebuild from all the lines (aggregate queries: lines summed per product and version first,
then one join with the BOM) — the repair path (``guanwu`` shell / a data fix); after any sequence
of operations it gives exactly the kept rows (tests/processing/test_balances_property.py).
A BOM change never needs it: the 单耗 of a version a counted list uses is frozen
(``services.books.bom_versions_in_use``, changes refused), so consumption always follows the
单耗版本号 the line was declared under.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Sum

from guanwu.core.errors import FieldError
from guanwu.tenancy.context import Actor

from ..models import (
    BalanceState,
    Book,
    BookBom,
    BookMaterial,
    BookProduct,
    Inventory,
    InventoryItem,
    MaterialBalance,
    Movement,
)

QTY = Decimal("0.000000001")  # MaterialBalance decimals (28, 9)
ZERO = Decimal(0)
COLUMNS = ("imported", "consumed", "returned", "domestic_sold", "reserved")
COLUMN_OF = {Movement.IMPORT: "imported", Movement.EXPORT: "consumed", Movement.RETURN: "returned",
             Movement.DOMESTIC_SALE: "domestic_sold"}
COUNTED = (BalanceState.RESERVED, BalanceState.POSTED)
# 监管方式 of 料件内销 lists (监管方式代码表: 0644 进料料件内销, 0245 来料料件内销, 0844 进料边角料内销,
# 0845 来料边角料内销).
DOMESTIC_SALE_MODES = frozenset({"0644", "0245", "0844", "0845"})
LIVE_BOM = ("0", "1", "2")  # 修改标志 of BOM rows in force: not a 3-增加 customs has not approved


@dataclass(frozen=True)
class BalanceRow:
    gds_seqno: int
    gds_mtno: str
    code_ts: str
    g_name: str
    unit: str
    imported: Decimal
    consumed: Decimal
    returned: Decimal
    domestic_sold: Decimal
    reserved: Decimal
    balance: Decimal


def movement_of(impexp_markcd: str, mtpck_endprd_markcd: str, supv_modecd: str) -> Movement:
    """What a list with this head does to the balances (see the module doc)."""
    if mtpck_endprd_markcd == "I":
        if impexp_markcd == "I":
            return Movement.DOMESTIC_SALE if supv_modecd in DOMESTIC_SALE_MODES else Movement.IMPORT
        if impexp_markcd == "E":
            return Movement.RETURN
    if mtpck_endprd_markcd == "E" and impexp_markcd == "E":
        return Movement.EXPORT
    return Movement.NONE  # 成品退换 进口 and the like: not counted here


def _q(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(QTY, rounding=ROUND_HALF_UP)


def _book_id(book: Book | int) -> int:
    return book if isinstance(book, int) else book.pk


def _add(row: dict[str, Decimal], movement: str, state: str, qty: Decimal) -> None:
    if state == BalanceState.RESERVED:
        if movement != Movement.IMPORT:  # an import not yet in holds nothing
            row["reserved"] += qty
    else:
        row[COLUMN_OF[Movement(movement)]] += qty


def recompute_balances(book: Book | int) -> int:
    """Rebuild the book's ``MaterialBalance`` rows from its lists (one row per 料件, zeros for a
    料件 no list moved); returns the number of rows. The repair path: the services keep the rows
    with :func:`apply_list`. One DELETE and one INSERT ... SELECT (:func:`_rebuild_sql`): nothing
    goes through Python rows. Call in a transaction; the book row is locked first."""
    book_id = _book_id(book)
    enterprise_id = Book.objects.select_for_update().filter(pk=book_id).values_list("enterprise_id", flat=True).get()
    MaterialBalance.objects.filter(book_id=book_id).delete()
    with connection.cursor() as cursor:
        cursor.execute(*_rebuild_sql(book_id, enterprise_id))
    return MaterialBalance.objects.filter(book_id=book_id).count()


def _rebuild_sql(book_id: int, enterprise_id: int) -> tuple[str, list[Any]]:
    """INSERT ... SELECT of every 料件's columns, summed in one pass per source and pivoted on
    (movement, state) with CASE (no GROUP BY on the state):

    - every 料件 of the book with zeros (a row per 料件, as the balances page shows them);
    - 料件 lists (进口, 退运, 内销) summed per 备案序号;
    - 成品 export lists summed per (成品, 单耗版本号) first (10,000 rows for 100,000 lines), then
      joined once with the BOM in force through the covering index ``proc_bom_lookup`` (SQLite's
      CROSS JOIN keeps s outside) and summed per 料件.

    Each column is rounded to the kept 9 decimals (as ``_q``)."""
    mb, bm = MaterialBalance._meta.db_table, BookMaterial._meta.db_table
    inv, item, bom = Inventory._meta.db_table, InventoryItem._meta.db_table, BookBom._meta.db_table
    live = ", ".join(f"'{m}'" for m in LIVE_BOM)
    posted, reserved = BalanceState.POSTED.value, BalanceState.RESERVED.value

    def when(state: str, movement: str | None = None) -> str:
        cond = f"v.balance_state = '{state}'" + (f" AND v.movement = '{movement}'" if movement else "")
        return f"SUM(CASE WHEN {cond} THEN i.dcl_qty ELSE 0 END)"

    direct = (
        f"SELECT i.putrec_seqno AS m, {when(posted, Movement.IMPORT.value)} AS imp, 0 AS con, "
        f"{when(posted, Movement.RETURN.value)} AS ret, {when(posted, Movement.DOMESTIC_SALE.value)} AS dom, "
        f"SUM(CASE WHEN v.balance_state = '{reserved}' AND v.movement <> '{Movement.IMPORT.value}' "
        f"THEN i.dcl_qty ELSE 0 END) AS res "
        f"FROM {inv} v JOIN {item} i ON i.inventory_id = v.id "
        f"WHERE v.book_id = %s AND v.balance_state IN ('{posted}', '{reserved}') "
        f"AND v.movement IN ('{Movement.IMPORT.value}', '{Movement.RETURN.value}', '{Movement.DOMESTIC_SALE.value}') "
        f"AND i.putrec_seqno IS NOT NULL GROUP BY i.putrec_seqno"
    )
    summed = (
        f"SELECT i.putrec_seqno AS p, i.ucns_verno AS ver, {when(posted)} AS qp, {when(reserved)} AS qr "
        f"FROM {inv} v JOIN {item} i ON i.inventory_id = v.id "
        f"WHERE v.book_id = %s AND v.balance_state IN ('{posted}', '{reserved}') "
        f"AND v.movement = '{Movement.EXPORT.value}' GROUP BY i.putrec_seqno, i.ucns_verno"
    )
    exported = (
        f"SELECT b.mtpck_seqno AS m, 0 AS imp, SUM(s.qp * b.ucns_qty) AS con, 0 AS ret, 0 AS dom, "
        f"SUM(s.qr * b.ucns_qty) AS res FROM s CROSS JOIN {bom} b "
        f"WHERE b.book_id = %s AND b.endprd_seqno = s.p AND b.ucns_verno = s.ver AND b.modf_markcd IN ({live}) "
        f"GROUP BY b.mtpck_seqno"
    )
    zeros = f"SELECT gds_seqno AS m, 0 AS imp, 0 AS con, 0 AS ret, 0 AS dom, 0 AS res FROM {bm} WHERE book_id = %s"
    columns = ", ".join(f"ROUND(SUM(t.{c}), 9)" for c in ("imp", "con", "ret", "dom", "res"))
    sql = (
        f"WITH s AS ({summed}) "
        f"INSERT INTO {mb} (enterprise_id, book_id, gds_seqno, {', '.join(COLUMNS)}) "
        f"SELECT %s, %s, t.m, {columns} FROM ({zeros} UNION ALL {direct} UNION ALL {exported}) t "
        f"WHERE t.m IS NOT NULL GROUP BY t.m"
    )
    return sql, [book_id, enterprise_id, book_id, book_id, book_id, book_id]


def apply_list(inventory: Inventory, old_state: str, new_state: str) -> int:
    """Move the kept ``MaterialBalance`` rows by one list changing its balance state (申报 none ->
    reserved, 通过 reserved -> posted, 退单/failed reserved|posted -> released): its per-料件
    quantities (:func:`_demand_of_lines`, the same aggregate as the full rebuild) taken out of the
    old state's column and put in the new one. The book row is locked first (``select_for_update``)
    so two receipts of the same book apply one after the other and neither delta is lost; the
    touched rows are written with one bulk upsert. Call in the transaction that saved the state.
    Returns the number of 料件 rows written."""
    book_id = inventory.book_id
    if book_id is None or inventory.movement == Movement.NONE or old_state == new_state:
        return 0
    if old_state not in COUNTED and new_state not in COUNTED:
        return 0
    enterprise_id = Book.objects.select_for_update().filter(pk=book_id).values_list("enterprise_id", flat=True).get()
    quantities = {seqno: qty for seqno, qty in _demand_of_lines(inventory).items() if seqno is not None and qty}
    deltas: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(COLUMNS, ZERO))
    for state, sign in ((old_state, -1), (new_state, 1)):
        if state in COUNTED:
            for seqno, qty in quantities.items():
                _add(deltas[seqno], inventory.movement, state, sign * qty)
    deltas = {seqno: row for seqno, row in deltas.items() if any(row.values())}
    if not deltas:
        return 0
    kept = {seqno: values for seqno, *values in MaterialBalance.objects.select_for_update().filter(
        book_id=book_id, gds_seqno__in=list(deltas)).order_by().values_list("gds_seqno", *COLUMNS)}
    zeros = [ZERO] * len(COLUMNS)
    rows = [(enterprise_id, book_id, seqno,
             *(old + deltas[seqno][c] for old, c in zip(kept.get(seqno, zeros), COLUMNS, strict=True)))
            for seqno in sorted(deltas)]
    # one upsert statement, executed for every row (the ORM's bulk_create would build a model
    # instance and prepare every field per row: the larger part of the time at 2,000 rows)
    table = MaterialBalance._meta.db_table
    names = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (enterprise_id, book_id, gds_seqno, {names}) "
            f"VALUES ({', '.join(['%s'] * (3 + len(COLUMNS)))}) ON CONFLICT (book_id, gds_seqno) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS), rows)
    return len(rows)


def balances(actor: Actor, book_id: int | str) -> list[BalanceRow]:
    """One row per 料件 of the book (a GET: reads the kept rows, writes nothing)."""
    from .books import get_book

    book = get_book(actor, book_id)
    return book_balances(book)


def book_balances(book: Book) -> list[BalanceRow]:
    kept = {b.gds_seqno: b for b in MaterialBalance.objects.filter(book=book)}
    out = []
    for m in BookMaterial.objects.filter(book=book).order_by("gds_seqno"):
        b = kept.get(m.gds_seqno)
        values = {c: getattr(b, c) if b else ZERO for c in COLUMNS}
        balance = values["imported"] - values["consumed"] - values["returned"] - values["domestic_sold"] \
            - values["reserved"]
        out.append(BalanceRow(gds_seqno=m.gds_seqno, gds_mtno=m.gds_mtno, code_ts=m.gdecd, g_name=m.gds_nm,
                              unit=m.dcl_unitcd, balance=balance, **values))
    return out


def check_balances(inventory: Inventory) -> list[FieldError]:
    """Refusals before sending, one per line (``items.<n>.<field>``): a 备案序号 the book does not
    have, an exported 成品 without 单损耗 of its 单耗版本号, a list that would overdraw a 料件
    (balance < what it takes). The inventory's lines must have their 单耗版本号 resolved
    (``resolve_versions``). Reads the kept balances: run it with the book locked."""
    errors: list[FieldError] = []
    if inventory.movement == Movement.NONE or inventory.book_id is None:
        return errors
    lines = list(InventoryItem.objects.filter(inventory=inventory).order_by("gds_seqno", "id")
                 .values_list("gds_seqno", "putrec_seqno", "ucns_verno", "dcl_qty"))
    index = {g: i for i, (g, *_rest) in enumerate(lines)}
    product_side = inventory.movement == Movement.EXPORT
    named = {p for _g, p, _v, _q in lines if p is not None}
    known = set((BookProduct if product_side else BookMaterial).objects.filter(
        book_id=inventory.book_id, gds_seqno__in=named).exclude(modf_markcd="3").values_list("gds_seqno", flat=True))
    what = "成品" if product_side else "料件"
    for gds_seqno, putrec_seqno, _verno, qty in lines:
        i = index[gds_seqno]
        if putrec_seqno not in known:
            errors.append(FieldError(f"items.{i}.putrec_seqno",
                                     f"第{gds_seqno}项: 账册中没有已备案的{what}序号{putrec_seqno}"))
        if qty is None or qty <= 0:
            errors.append(FieldError(f"items.{i}.dcl_qty", f"第{gds_seqno}项: 申报数量应大于0"))
    if errors or inventory.movement == Movement.IMPORT:
        return errors
    live_bom = BookBom.objects.filter(book_id=inventory.book_id, modf_markcd__in=LIVE_BOM)
    if product_side:
        products = {p for _g, p, _v, _q in lines}
        with_bom = set(live_bom.filter(endprd_seqno__in=products).values_list("endprd_seqno", "ucns_verno")
                       .order_by().distinct())
        for gds_seqno, putrec_seqno, verno, _qty in lines:
            if (putrec_seqno, verno) not in with_bom:
                errors.append(FieldError(f"items.{index[gds_seqno]}.ucns_verno",
                                         f"第{gds_seqno}项: 成品序号{putrec_seqno}没有单耗版本号"
                                         f"{verno or '(空)'}的单损耗, 不能出口"))
        if errors:
            return errors
    needed = _demand_of_lines(inventory)
    kept = {seqno: imported - consumed - returned - sold - reserved  # in Decimal: exact at the boundary
            for seqno, imported, consumed, returned, sold, reserved in MaterialBalance.objects.filter(
                book_id=inventory.book_id, gds_seqno__in=list(needed)).order_by().values_list("gds_seqno", *COLUMNS)}
    short = {seqno: (qty, kept.get(seqno, ZERO)) for seqno, qty in needed.items() if qty > kept.get(seqno, ZERO)}
    if not short:
        return errors
    names = dict(BookMaterial.objects.filter(book_id=inventory.book_id, gds_seqno__in=short)
                 .values_list("gds_seqno", "gds_nm"))
    texts = {m: f"料件序号{m}({names.get(m, '')})余量不足: 余量{_text(left)}, 本清单需{_text(qty)}"
             for m, (qty, left) in short.items()}
    uses: dict[tuple[int, str], set[int]] = defaultdict(set)
    if product_side:
        for endprd, verno, mtpck in live_bom.filter(mtpck_seqno__in=short, endprd_seqno__in=products).values_list(
                "endprd_seqno", "ucns_verno", "mtpck_seqno"):
            uses[(endprd, verno)].add(mtpck)
    for gds_seqno, putrec_seqno, verno, _qty in lines:
        hit = sorted(uses[(putrec_seqno, verno)] if product_side else {putrec_seqno} & short.keys())
        if hit:
            errors.append(FieldError(f"items.{index[gds_seqno]}.dcl_qty",
                                     f"第{gds_seqno}项: " + "; ".join(texts[m] for m in hit)))
    return errors


def _demand_of_lines(inventory: Inventory) -> dict[int, Decimal]:
    """What a list not yet counted would take, per 料件 (the same aggregate as the balances)."""
    items = InventoryItem.objects.filter(inventory=inventory)
    if inventory.movement != Movement.EXPORT:
        return {s: _q(q) for s, q in items.values_list("putrec_seqno").order_by().annotate(q=Sum("dcl_qty"))}
    item, bom = InventoryItem._meta.db_table, BookBom._meta.db_table
    live = ", ".join(f"'{m}'" for m in LIVE_BOM)
    # the list's lines summed per (成品, 单耗版本号), then joined once with the BOM in force
    # through the covering index proc_bom_lookup (s kept outside by CROSS JOIN), as the rebuild
    sql = (f"WITH s AS (SELECT putrec_seqno AS p, ucns_verno AS ver, SUM(dcl_qty) AS q FROM {item} "
           f"WHERE inventory_id = %s GROUP BY putrec_seqno, ucns_verno) "
           f"SELECT b.mtpck_seqno, SUM(s.q * b.ucns_qty) FROM s CROSS JOIN {bom} b "
           f"WHERE b.book_id = %s AND b.endprd_seqno = s.p AND b.ucns_verno = s.ver AND b.modf_markcd IN ({live}) "
           f"GROUP BY b.mtpck_seqno")
    with connection.cursor() as cursor:
        cursor.execute(sql, [inventory.pk, inventory.book_id])
        return {seqno: _q(qty) for seqno, qty in cursor.fetchall()}


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def writeoff_summary(actor: Actor, book_id: int | str) -> dict[str, Any]:
    """核销 view data: the balance rows and the totals (imported vs consumed vs balance) for the chart."""
    rows = balances(actor, book_id)
    totals = {c: sum((getattr(r, c) for r in rows), ZERO) for c in (*COLUMNS, "balance")}
    return {"rows": rows, "totals": totals}
