from __future__ import annotations

from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from guanwu.jobs.api import JobOut, job_out

from . import services
from .template import build_template
from .views import XLSX, _disposition

router = Router(tags=["Excel 导入"])


@router.get("/{key}/template")
def download_template(request, key: str):
    spec = services.spec_for(request.auth, key)
    response = HttpResponse(build_template(spec), content_type=XLSX)
    response["Content-Disposition"] = _disposition(f"{spec.title}导入模板.xlsx")
    return response


@router.post("/{key}", response={202: JobOut})
def start(request, key: str, file: File[UploadedFile], mode: Form[str] = "all_or_nothing"):
    job = services.start_import(request.auth, key, file, mode)
    return Status(202, job_out(job))
