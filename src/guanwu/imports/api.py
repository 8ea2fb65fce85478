from __future__ import annotations

from typing import Annotated

from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from guanwu.apikit.bodies import choices_text
from guanwu.apikit.openapi import file_answer
from guanwu.jobs.api import JobOut, job_out

from . import services
from .template import build_template
from .views import XLSX, _disposition

router = Router(tags=["Excel 导入"])
ExcelFile = Annotated[UploadedFile, File(title="Excel 文件")]
ImportMode = Annotated[str, Form(title="导入方式", description=choices_text(services.MODES.items()))]


@router.get("/{key}/template", summary="下载导入模板", openapi_extra=file_answer(XLSX, "Excel 导入模板"))
def download_template(request, key: str):
    spec = services.spec_for(request.auth, key)
    response = HttpResponse(build_template(spec), content_type=XLSX)
    response["Content-Disposition"] = _disposition(f"{spec.title}导入模板.xlsx")
    return response


@router.post("/{key}", response={202: JobOut}, summary="上传 Excel 导入 (后台任务)",
             description="导入类型要求随文件提交的值 (如跨境导入的商品批次号 batch_no、出口日期 ie_date) "
                         "以同名表单字段提交。")
def start(request, key: str, file: ExcelFile, mode: ImportMode = "all_or_nothing"):
    spec = services.spec_for(request.auth, key)
    values = {column.field: request.POST.get(column.field) for column in spec.upload_fields}
    job = services.start_import(request.auth, key, file, mode, values)
    return Status(202, job_out(job))
