"""随附单据 of a 企业资质申请 or an 账册 (the 随附单据 tab): upload with the shared checks of
``core/uploads.py`` (size, content sniffed, extension matching), download (another enterprise's id
is a 404), delete — each write logged on its owner, as the declaration's attached documents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from guanwu.audit import services as audit
from guanwu.core import uploads
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..models import BookDocument, QualificationDocument
from .common import check_editable, coerce, ids_of

FIELDS = ("acmp_form_typecd", "acmp_form_no", "acmp_form_file_nm", "rmk")
OWNERS = {"application": "企业资质申请", "book": "账册"}


@dataclass
class Opened:
    handle: IO[bytes]
    name: str
    content_type: str


def _owner(actor: Actor, owner: str, owner_id: int | str, *, for_update: bool = True) -> Any:
    if owner == "application":
        from .qualifications import get_application

        return get_application(actor, owner_id, for_update=for_update), QualificationDocument, "application"
    if owner == "book":
        from .books import get_book

        return get_book(actor, owner_id, for_update=for_update), BookDocument, "book"
    raise ServiceError("随附单据应属于企业资质申请(application)或账册(book)")


def list_documents(actor: Actor, owner: str, owner_id: int | str) -> list[QualificationDocument | BookDocument]:
    obj, model, key = _owner(actor, owner, owner_id, for_update=False)
    return list(model.objects.filter(**{key: obj}).order_by("id"))


@transaction.atomic
def add_document(actor: Actor, owner: str, owner_id: int | str, data: dict[str, Any],
                 file: UploadedFile | None = None) -> QualificationDocument | BookDocument:
    """新增 a 随附单据 (``owner`` "application" or "book"): a 随附单证编号, a file, or both; the file
    passes ``uploads.check_upload`` (PDF, JPG, PNG, Excel, Word, OFD; the size limit)."""
    obj, model, key = _owner(actor, owner, owner_id)
    check_editable(obj, OWNERS[owner])
    values, errors = coerce(model, data if isinstance(data, dict) else {}, FIELDS)
    checked = None
    if file is not None:
        try:
            checked = uploads.check_upload(file, field="file")
        except ServiceError as exc:
            errors.extend(exc.errors or [FieldError("file", exc.message)])
    if not values.get("acmp_form_no") and file is None:
        errors.append(FieldError("acmp_form_no", "请填写随附单证编号或上传文件"))
    if errors:
        raise ServiceError.fields(errors, errors[0].message)
    document = model(enterprise=actor.enterprise, **{key: obj}, **values)
    if checked is not None:
        document.acmp_form_file_nm = (document.acmp_form_file_nm or checked.display_name)[:255]
        document.file.save(f"{uuid.uuid4().hex}.{checked.kind.extensions[0]}", checked.file, save=False)
    document.save()
    size = f" ({uploads.human_size(checked.size)})" if checked is not None else ""
    audit.record(actor, obj, "上传随附单据", before=obj.get_status_display(), after=obj.get_status_display(),
                 changes={"acmp_form_no": [None, document.acmp_form_no]},
                 opinion=f"{document.acmp_form_no or ''} {document.acmp_form_file_nm}{size}".strip()[:500])
    return document


def open_document(actor: Actor, owner: str, owner_id: int | str, document_id: int | str) -> Opened:
    """下载: the stored file of one 随附单据 of the owner (404 for another enterprise's ids, a GET
    never writes)."""
    obj, model, key = _owner(actor, owner, owner_id, for_update=False)
    document = get_owned(model.objects.filter(**{key: obj}), document_id, "随附单据")
    if not document.file:
        raise NotFound("该随附单据没有上传文件")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise NotFound("单据文件不存在, 请重新上传") from None
    kind = next((k for k in uploads.KINDS.values()
                 if uploads.extension(document.file.name) in k.extensions), None)
    return Opened(handle, document.acmp_form_file_nm or document.file.name.rsplit("/", 1)[-1],
                  kind.content_type if kind else "application/octet-stream")


@transaction.atomic
def delete_documents(actor: Actor, owner: str, owner_id: int | str, ids: list[int | str]) -> int:
    obj, model, key = _owner(actor, owner, owner_id)
    check_editable(obj, OWNERS[owner])
    docs = list(model.objects.filter(**{key: obj}, pk__in=ids_of(ids, "要删除的随附单据")))
    if not docs:
        raise ServiceError("要删除的随附单据不存在")
    files = [(d.file.storage, d.file.name) for d in docs if d.file]
    names = "、".join(d.acmp_form_file_nm or d.acmp_form_no for d in docs)
    model.objects.filter(pk__in=[d.pk for d in docs]).delete()
    audit.record(actor, obj, "删除随附单据", before=obj.get_status_display(), after=obj.get_status_display(),
                 changes={"rows": [len(docs), 0]}, opinion=names[:500])
    for storage, name in files:
        uploads.delete_on_commit(storage, name)
    return len(docs)
