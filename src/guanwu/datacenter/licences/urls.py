"""Pages of this area; included into the ``datacenter`` namespace by datacenter/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("licences/", views.licence_list, name="licence-list"),
    path("licences/new/", views.licence_create, name="licence-create"),
    path("licences/<int:pk>/", views.licence_detail, name="licence-detail"),
    path("licences/<int:pk>/edit/", views.licence_edit, name="licence-edit"),
    path("licences/<int:pk>/delete/", views.licence_delete, name="licence-delete"),
    path("certificates/", views.certificate_list, name="certificate-list"),
    path("certificates/new/", views.certificate_create, name="certificate-create"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate-detail"),
    path("certificates/<int:pk>/edit/", views.certificate_edit, name="certificate-edit"),
    path("certificates/<int:pk>/delete/", views.certificate_delete, name="certificate-delete"),
    path("certificates/<int:pk>/attachment/", views.certificate_attachment, name="certificate-attachment"),
]
