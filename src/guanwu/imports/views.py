from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from guanwu.core.errors import NotFound, ServiceError

from . import services
from .spec import ImportSpec
from .template import build_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _spec(request, key: str) -> ImportSpec:
    if request.actor is None:
        raise Http404
    try:
        return services.spec_for(request.actor, key)
    except NotFound:
        raise Http404("导入类型不存在") from None


@login_required
def template(request, key: str):
    spec = _spec(request, key)
    response = HttpResponse(build_template(spec), content_type=XLSX)
    response["Content-Disposition"] = _disposition(f"{spec.title}导入模板.xlsx")
    return response


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"import.xlsx\"; filename*=UTF-8''{quote(filename)}"


@login_required
def upload(request, key: str):
    try:
        spec = _spec(request, key)
    except ServiceError as exc:  # an operator opening an admin-only import
        return render(request, "imports/upload.html", {"error": exc.message, "page_title": "导入"}, status=exc.status)
    context = {
        "spec": spec, "modes": services.modes_for(spec), "mode": request.POST.get("mode", "all_or_nothing"),
        "page_title": f"导入{spec.title}", "breadcrumbs": _crumbs(spec), "values": {},
    }
    if request.method == "POST":
        try:
            values = {column.field: request.POST.get(column.field) for column in spec.upload_fields}
            context["values"] = values
            job = services.start_import(request.actor, key, request.FILES.get("file"), context["mode"], values)
        except ServiceError as exc:
            context["error"] = exc.message
            status = exc.status if exc.status != 422 else 400
            template_name = "imports/_panel.html" if request.headers.get("HX-Request") else "imports/upload.html"
            return render(request, template_name, context, status=status)
        if request.headers.get("HX-Request"):
            return render(request, "jobs/_progress.html", {"job": job})
        return redirect(f"{reverse('imports:upload', args=[key])}?job={job.pk}")
    job_id = request.GET.get("job")
    if job_id and job_id.isdigit():
        from guanwu.jobs import services as jobs

        try:
            context["job"] = jobs.get(request.actor, int(job_id))
        except NotFound:
            raise Http404 from None
    return render(request, "imports/upload.html", context)


def _crumbs(spec: ImportSpec) -> list:
    crumbs = []
    if spec.list_url_name:
        with contextlib.suppress(NoReverseMatch):
            crumbs.append((spec.extra.get("list_title", spec.title), reverse(spec.list_url_name)))
    crumbs.append((f"导入{spec.title}", None))
    return crumbs
