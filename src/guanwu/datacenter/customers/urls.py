"""Pages of this area; included into the ``datacenter`` namespace by datacenter/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views
from .services import AUX_KINDS

urlpatterns: list[URLPattern] = [
    *views.MODULE.urls(),  # list, new, detail, edit, delete
    path("customers/verify/", views.customer_verify, name="customer-verify"),
    path("customers/audit/", views.CustomerAudit.as_view(), name="customer-audit"),
    path("customers/<int:pk>/review/", views.customer_review, name="customer-review"),
    path("customers/<int:pk>/log/", views.customer_log, name="customer-log"),
]
# 辅助信息: one set of routes per kind (contacts, addresses, bank-accounts, notes)
for _key in AUX_KINDS:
    urlpatterns += [
        path(f"customers/<int:pk>/{_key}/add/", views.aux_add, {"kind": _key}, name=f"customer-{_key}-add"),
        path(f"customers/<int:pk>/{_key}/<int:item>/edit/", views.aux_edit, {"kind": _key},
             name=f"customer-{_key}-edit"),
        path(f"customers/<int:pk>/{_key}/<int:item>/delete/", views.aux_delete, {"kind": _key},
             name=f"customer-{_key}-delete"),
    ]
