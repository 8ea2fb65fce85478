"""``/api/v1/declarations/{id}/documents``: list, upload (multipart), download, delete.

The declaration is looked up before the body is read, so another enterprise's id is a 404
whatever was sent; the upload reads ``file``, ``edoc_code`` and ``g_no_str`` from the form."""

from __future__ import annotations

from django.http import FileResponse
from ninja import Router, Schema, Status

from guanwu.apikit.openapi import file_answer
from guanwu.core import uploads
from guanwu.core.errors import FieldError, ServiceError
from guanwu.declarations.models import DeclarationDocument

from . import services

router = Router(tags=["业务单据"])


class DocumentOut(Schema):
    id: int
    declaration_id: int
    edoc_id: str
    edoc_code: str
    edoc_code_name: str
    file_name: str
    size: int | None
    content_type: str
    g_no_str: str
    edoc_owner_code: str
    edoc_owner_name: str
    sign_time: str
    download_url: str


class DocumentList(Schema):
    count: int
    results: list[DocumentOut]


def document_out(doc: DeclarationDocument) -> dict:
    kind = services.file_kind(doc)
    return {
        "id": doc.pk, "declaration_id": doc.declaration_id, "edoc_id": doc.edoc_id, "edoc_code": doc.edoc_code,
        "edoc_code_name": services.type_name(doc.edoc_code), "file_name": services.display_name(doc),
        "size": int(doc.edoc_size) if doc.edoc_size.isdigit() else None,
        "content_type": kind.content_type if kind else "application/octet-stream", "g_no_str": doc.g_no_str,
        "edoc_owner_code": doc.edoc_owner_code, "edoc_owner_name": doc.edoc_owner_name, "sign_time": doc.sign_time,
        "download_url": f"/api/v1/declarations/{doc.declaration_id}/documents/{doc.pk}",
    }


UPLOAD_BODY = {
    "requestBody": {"content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file", "edoc_code"],
        "properties": {
            "file": {"type": "string", "format": "binary", "title": "单据文件",
                     "description": "PDF/JPG/PNG/XLSX/DOCX/OFD, 默认不超过 10 MB (GUANWU_DOCUMENT_MAX_BYTES)"},
            "edoc_code": {"type": "string", "title": "随附单据类别",
                          "description": "随附单据类别代码, 如 00000001 发票"},
            "g_no_str": {"type": "string", "title": "对应商品项号", "description": "对应商品项号, 如 1,3"},
        },
    }}}},
}


@router.get("/declarations/{declaration_id}/documents", response=DocumentList, summary="报关单的业务单据")
def list_documents(request, declaration_id: int):
    _declaration, docs = services.documents(request.auth, declaration_id)
    return {"count": len(docs), "results": [document_out(d) for d in docs]}


@router.post("/declarations/{declaration_id}/documents", response={201: DocumentOut}, summary="上传业务单据",
             openapi_extra=UPLOAD_BODY)
def upload_document(request, declaration_id: int):
    services.get_declaration(request.auth, declaration_id)
    too_large = uploads.request_too_large(request.META.get("CONTENT_LENGTH"))
    if too_large:
        raise too_large
    if not request.content_type or not request.content_type.startswith("multipart/"):
        message = "请以 multipart/form-data 上传文件"
        raise ServiceError.fields([FieldError("file", message)], message)
    document = services.upload_document(
        request.auth, declaration_id, edoc_code=request.POST.get("edoc_code", ""),
        uploaded=request.FILES.get("file"), g_no_str=request.POST.get("g_no_str", ""),
    )
    return Status(201, document_out(document))


@router.get("/declarations/{declaration_id}/documents/{document_id}", summary="下载业务单据",
            openapi_extra=file_answer("*/*", "业务单据文件 (原文件类型)"))
def download_document(request, declaration_id: int, document_id: int):
    opened = services.open_document(request.auth, declaration_id, document_id)
    return FileResponse(opened.handle, as_attachment=True, filename=opened.name, content_type=opened.content_type)


@router.delete("/declarations/{declaration_id}/documents/{document_id}", response={204: None}, summary="删除业务单据")
def delete_document(request, declaration_id: int, document_id: int):
    services.delete_document(request.auth, declaration_id, document_id)
    return Status(204, None)
