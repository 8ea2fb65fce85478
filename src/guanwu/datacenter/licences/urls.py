"""Pages of this area; included into the ``datacenter`` namespace by datacenter/urls.py."""

from __future__ import annotations

from .views import CERTIFICATES, LICENCES

urlpatterns = [*LICENCES.urls(), *CERTIFICATES.urls()]
