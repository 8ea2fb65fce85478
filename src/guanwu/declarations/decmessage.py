"""A declaration's DecMessage: load its rows (one query per relation) and hand them to the
pure builder in :mod:`guanwu.messages.dec` as plain data.

``build_message(declaration, **options) -> bytes`` is what declaring and the XML download call;
``message_input(declaration)`` gives the :class:`DecMessageInput` alone. Child rows come from
prefetched relations: pass a declaration loaded with ``.prefetch_related(*MESSAGE_PREFETCH)``
(the way to build many) or call ``prefetch_message_rows`` for a batch; otherwise what is missing
is loaded here, one query per relation, never one per item.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.db.models import prefetch_related_objects

from guanwu.messages.dec.builder import DecMessageInput, GoodsLimitRows, ItemRows, build_dec_message

from .models import Declaration

__all__ = ["MESSAGE_PREFETCH", "build_message", "message_input", "prefetch_message_rows"]

# The relations a message reads; prefetch them when building many messages.
MESSAGE_PREFETCH = (
    "items__goods_limits__vins",
    "containers",
    "licences",
    "request_certs",
    "other_packs",
    "cop_limits",
    "users",
    "cop_promises",
    "documents",
    "eco_relations",
)

# Relations most declarations leave empty; ``prefetch_message_rows`` asks one EXISTS query which
# of them hold rows at all instead of running an empty prefetch for each.
SPARSE_RELATIONS = (
    "containers", "licences", "request_certs", "other_packs", "cop_limits", "users", "cop_promises",
    "documents", "eco_relations",
)


def _set_cache(obj: Any, name: str, rows: list[Any]) -> None:
    """Store ``rows`` as the prefetched content of relation ``name`` of ``obj`` (what Django's own
    prefetch stores), so ``obj.<name>.all()`` answers without a query."""
    qs = getattr(obj, name).get_queryset()
    qs._result_cache = rows
    qs._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = qs


def _empty_cache(obj: Any, name: str) -> None:
    """Mark relation ``name`` of ``obj`` as prefetched with no rows."""
    _set_cache(obj, name, [])


@functools.cache
def _presence_sql(model: Any) -> tuple[tuple[str, str], ...]:
    """``(relation, SQL)`` pairs; each SQL (one ``%s`` for the id list) answers a row when some
    declaration of the list has rows in that relation. Built once per model: composing the
    same ``Exists`` expressions for every declaration cost more than the queries."""
    qn = connection.ops.quote_name
    out = []
    for name in SPARSE_RELATIONS:
        related = model._meta.get_field(name).related_model
        fk = related._meta.get_field("declaration").column
        out.append((name, f"SELECT 1 FROM {qn(related._meta.db_table)} WHERE {qn(fk)} IN ({{ids}})"))
    item_model = model._meta.get_field("items").related_model
    limit_model = item_model._meta.get_field("goods_limits").related_model
    out.append(("goods_limits", (
        f"SELECT 1 FROM {qn(limit_model._meta.db_table)} l JOIN {qn(item_model._meta.db_table)} i "
        f"ON l.{qn(limit_model._meta.get_field('item').column)} = i.{qn(item_model._meta.pk.column)} "
        f"WHERE i.{qn(item_model._meta.get_field('declaration').column)} IN ({{ids}})"
    )))
    return tuple(out)


def _present_relations(model: Any, ids: list[int]) -> set[str]:
    """The relations (of SPARSE_RELATIONS and ``goods_limits``) some of ``ids`` have rows in: one query."""
    pairs = _presence_sql(model)
    marks = ", ".join(["%s"] * len(ids))
    sql = " UNION ALL ".join(f"SELECT {i} WHERE EXISTS ({query.format(ids=marks)})" for i, (_, query) in
                             enumerate(pairs))
    with connection.cursor() as cursor:
        cursor.execute(sql, ids * len(pairs))
        return {pairs[row[0]][0] for row in cursor.fetchall()}


def prefetch_message_rows(declarations: list[Declaration]) -> None:
    """Load every child row the message reads for ``declarations`` (saved ones): the items (one
    plain query, each item linked to its declaration), and only those other relations that
    some declaration of the batch has."""
    if not declarations:
        return
    model = type(declarations[0])
    present = _present_relations(model, [d.pk for d in declarations])
    by_id = {d.pk: d for d in declarations}
    items: dict[int, list[Any]] = {pk: [] for pk in by_id}
    field = model._meta.get_field("items").field  # DeclarationItem.declaration
    for item in field.model.objects.filter(declaration_id__in=list(by_id)):  # Meta.ordering: declaration, g_no
        field.set_cached_value(item, by_id[item.declaration_id])
        items[item.declaration_id].append(item)
    all_items = []
    for d in declarations:
        _set_cache(d, "items", items[d.pk])
        all_items += items[d.pk]
    if "goods_limits" in present:
        prefetch_related_objects(all_items, "goods_limits__vins")
    else:
        for item in all_items:
            _empty_cache(item, "goods_limits")
    prefetch_related_objects(declarations, *[name for name in SPARSE_RELATIONS if name in present])
    for d in declarations:
        for name in SPARSE_RELATIONS:
            if name not in present:
                _empty_cache(d, name)


def _rows(manager: Any) -> list[dict[str, Any]]:
    """The rows of a (prefetched) relation as plain mappings: each instance's own ``__dict__``
    (field name -> value), no copy."""
    return [vars(obj) for obj in manager.all()]


def message_input(declaration: Declaration) -> DecMessageInput:
    """The plain data of ``declaration``'s DecMessage; loads its child rows when not prefetched."""
    d = declaration
    if d.pk is not None and not getattr(d, "_prefetched_objects_cache", None):
        prefetch_message_rows([d])
    return DecMessageInput(
        head=vars(d),
        items=[
            ItemRows(vars(item), [GoodsLimitRows(vars(limit), _rows(limit.vins)) for limit in item.goods_limits.all()])
            for item in d.items.all()
        ],
        containers=_rows(d.containers),
        licences=_rows(d.licences),
        request_certs=_rows(d.request_certs),
        other_packs=_rows(d.other_packs),
        cop_limits=_rows(d.cop_limits),
        users=_rows(d.users),
        cop_promises=_rows(d.cop_promises),
        documents=_rows(d.documents),
        eco_relations=_rows(d.eco_relations),
    )


def build_message(declaration: Declaration, **options: Any) -> bytes:
    """The DecMessage of ``declaration`` (options as :func:`guanwu.messages.dec.build_dec_message`)."""
    return build_dec_message(message_input(declaration), **options)
