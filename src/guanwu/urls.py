from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from guanwu.api import api
from guanwu.ui import views as ui_views

admin.site.site_header = "关务 平台管理"
admin.site.site_title = "关务 平台管理"
admin.site.index_template = "ui/admin_index.html"  # links to the staff pages outside the admin

urlpatterns = [
    path("", ui_views.home, name="home"),
    path("healthz", ui_views.healthz, name="healthz"),
    # browsers ask for /favicon.ico whatever the page names
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("ui/favicon.svg")), name="favicon"),
    path("accounts/", include("guanwu.accounts.urls")),
    path("enterprise/", include("guanwu.tenancy.urls")),
    path("params/", include("guanwu.params.urls")),
    path("jobs/", include("guanwu.jobs.urls")),
    path("imports/", include("guanwu.imports.urls")),
    path("audit/", include("guanwu.audit.urls")),
    path("declarations/", include("guanwu.declarations.urls")),
    path("gateway/", include("guanwu.gateway.urls")),
    path("datacenter/", include("guanwu.datacenter.urls")),
    path("autodeclare/", include("guanwu.autodeclare.urls")),
    path("crossborder/", include("guanwu.crossborder.urls")),
    path("processing/", include("guanwu.processing.urls")),
    path("standards/", include("guanwu.standards.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
