"""Pages of this area; included into the ``datacenter`` namespace by datacenter/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("documents/", views.document_list, name="document-list"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/upload/", views.document_upload, name="document-upload"),
    path("documents/<int:pk>/zip/", views.document_zip, name="document-zip"),
    path("documents/<int:pk>/<int:doc_id>/", views.document_download, name="document-download"),
    path("documents/<int:pk>/<int:doc_id>/delete/", views.document_delete, name="document-delete"),
]
