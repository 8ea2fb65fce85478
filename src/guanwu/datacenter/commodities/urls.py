"""Pages of this area; included into the ``datacenter`` namespace by datacenter/urls.py."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("commodities/", views.commodity_list, name="commodity-list"),
    path("commodities/new/", views.commodity_create, name="commodity-create"),
    path("commodities/<int:pk>/edit/", views.commodity_edit, name="commodity-edit"),
    path("bonded-items/", views.bonded_list, name="bonded-list"),
    path("bonded-items/new/", views.bonded_create, name="bonded-create"),
    path("bonded-items/<int:pk>/edit/", views.bonded_edit, name="bonded-edit"),
]
