from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guanwu.audit import services as audit
from guanwu.jobs.models import Job

from .dashboard import widgets
from .responses import actor_required


@actor_required
def home(request):
    actor = request.actor
    recent_jobs = Job.objects.for_enterprise(actor.enterprise).select_related("user")[:5]
    recent_logs = audit.for_enterprise(actor)[:8]
    return render(request, "ui/home.html", {
        "page_title": "首页", "widgets": widgets(actor), "recent_jobs": recent_jobs, "recent_logs": recent_logs,
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
