from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from guanwu.core.errors import NotFound

from . import api, index, services


@login_required
def tariff(request):
    q = request.GET.get("q", "").strip()
    count, items = services.search_tariff(q, 50)
    context = {"q": q, "count": count, "items": items}
    if request.headers.get("HX-Request") and request.GET.get("partial") == "results":
        return render(request, "params/_tariff_results.html", context)
    code = request.GET.get("code") or (items[0].code_ts if q and items else "")
    detail = _detail(code) if code else None
    if request.headers.get("HX-Request") and request.GET.get("partial") == "detail":
        return render(request, "params/_tariff_detail.html", {"detail": detail})
    return render(request, "params/tariff.html", {
        **context, "detail": detail, "page_title": "商品税则查询",
        "breadcrumbs": [("参数与税则", None), ("商品税则查询", None)],
    })


def _detail(code: str) -> dict | None:
    try:
        return api.tariff_detail(code)
    except NotFound:
        return None


@login_required
def tables(request):
    return render(request, "params/tables.html", {
        "tables": index.tables(), "page_title": "参数代码表",
        "breadcrumbs": [("参数与税则", None), ("参数代码表", None)],
    })


@login_required
def table_entries(request, slug: str):
    idx = index.table(slug)
    if idx is None:
        raise Http404("参数表不存在")
    q = request.GET.get("q", "").strip()
    count, entries = services.search(slug, q, 200)
    context = {"table": idx, "q": q, "count": count, "entries": entries}
    if request.headers.get("HX-Request"):
        return render(request, "params/_entries.html", context)
    return render(request, "params/table.html", {
        **context, "page_title": idx.name,
        "breadcrumbs": [("参数与税则", None), ("参数代码表", reverse("params:tables")), (idx.name, None)],
    })
