"""Root URLs plus the test list pages; the imports app is left out so its upload URL is missing."""

from django.urls import path

from guanwu.urls import urlpatterns as root

from .pages import GlobalPage, LogListPage, SmallExportPage

urlpatterns = [
    *[p for p in root if not str(p.pattern).startswith("imports/")],
    path("test-list/", LogListPage.as_view(), name="test-list"),
    path("test-list-small/", SmallExportPage.as_view(), name="test-list-small"),
    path("test-list-global/", GlobalPage.as_view(), name="test-list-global"),
]
