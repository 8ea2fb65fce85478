"""Like ``tests.ui.urls`` but with a stand-in ``imports:upload`` (built by the imports app)."""

from django.http import HttpResponse
from django.urls import include, path

from .urls import urlpatterns as base

fake_imports = ([path("<str:spec>/upload/", lambda request, spec: HttpResponse(spec), name="upload")], "imports")

urlpatterns = [*base, path("imports/", include(fake_imports))]
