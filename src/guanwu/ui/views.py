from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guanwu.jobs.models import Job

from .dashboard import widgets


@login_required
def home(request):
    if request.actor is None:
        return render(request, "ui/no_enterprise.html", status=403)
    recent_jobs = Job.objects.for_enterprise(request.enterprise).select_related("user")[:5]
    return render(request, "ui/home.html", {
        "page_title": "首页", "widgets": widgets(request.actor), "recent_jobs": recent_jobs,
    })


@require_GET
def healthz(request):
    status: dict[str, object] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # report, never raise
        ok = False
        status["database"] = {"ok": False, "error": str(exc)}
    try:
        from huey.contrib.djhuey import HUEY

        pending = HUEY.pending_count()
        status["queue"] = {"ok": True, "backend": type(HUEY).__name__, "pending": pending}
    except Exception as exc:
        ok = False
        status["queue"] = {"ok": False, "error": str(exc)}
    status["status"] = "ok" if ok else "error"
    return JsonResponse(status, status=200 if ok else 503)
