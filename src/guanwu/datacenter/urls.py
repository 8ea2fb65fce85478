"""The ``datacenter`` URL namespace: every data-center area's pages under /datacenter/."""

from __future__ import annotations

from guanwu.datacenter.bizdocs.urls import urlpatterns as bizdocs
from guanwu.datacenter.commodities.urls import urlpatterns as commodities
from guanwu.datacenter.customers.urls import urlpatterns as customers
from guanwu.datacenter.licences.urls import urlpatterns as licences
from guanwu.datacenter.qualifications.module import MODULE as qualifications

app_name = "datacenter"
urlpatterns = [*commodities, *customers, *licences, *bizdocs, *qualifications.urls()]
