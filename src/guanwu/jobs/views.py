from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import render

from guanwu.core.errors import NotFound
from guanwu.ui.lists import Column, DateRangeFilter, ListPage, TextFilter

from . import services
from .models import Job


class JobList(ListPage):
    title = "后台任务"
    breadcrumbs = (("企业设置", None),)
    select_related = ("user",)
    filters = (
        TextFilter("q", "任务名称", fields=("title",)),
        DateRangeFilter("created", "提交时间", field="created_at"),
    )
    columns = (
        Column("title", "任务", link="jobs:detail"),
        Column("get_status_display", "状态"),
        Column("done", "成功"),
        Column("failed", "失败"),
        Column("total", "总数"),
        Column("message", "结果说明"),
        Column("user", "提交人"),
        Column("created_at", "提交时间", sortable=True),
    )
    ordering = ("-created_at",)

    def queryset(self, actor):
        return Job.objects.all()


def _job(request, job_id: int) -> Job:
    if request.actor is None:
        raise Http404
    try:
        return services.get(request.actor, job_id)
    except NotFound:
        raise Http404("任务不存在") from None


@login_required
def detail(request, pk: int):
    job = _job(request, pk)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_progress.html", {"job": job})
    return render(request, "jobs/detail.html", {
        "job": job, "page_title": job.title, "breadcrumbs": [("后台任务", "/jobs/"), (job.title, None)],
    })


@login_required
def error_file(request, pk: int):
    job = _job(request, pk)
    if not job.output_file or not default_storage.exists(job.output_file):
        raise Http404("没有错误文件")
    name = f"{job.title}-错误行-{job.pk}.xlsx"
    return FileResponse(default_storage.open(job.output_file, "rb"), as_attachment=True, filename=name)

