"""Pages of this area; included into the ``datacenter`` namespace by datacenter/urls.py."""

from __future__ import annotations

from .views import BONDED, COMMODITIES

urlpatterns = [*COMMODITIES.urls(), *BONDED.urls()]
