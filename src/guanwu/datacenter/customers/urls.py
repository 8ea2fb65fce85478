"""Pages of this area; included into the ``datacenter`` namespace by datacenter/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    *views.MODULE.urls(),  # list, new, detail, edit, delete; 辅助信息 add, edit, delete
    path("customers/verify/", views.customer_verify, name="customer-verify"),
    path("customers/audit/", views.CustomerAudit.as_view(), name="customer-audit"),
    path("customers/<int:pk>/review/", views.customer_review, name="customer-review"),
    path("customers/<int:pk>/log/", views.customer_log, name="customer-log"),
]
