"""随附单据 of a 企业资质申请 or an 账册 (the 随附单据 tab): add with an optional file, delete."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.tenancy.context import Actor

from ..models import BookDocument, QualificationDocument
from .common import check_editable, coerce, ids_of

FIELDS = ("acmp_form_typecd", "acmp_form_no", "acmp_form_file_nm", "rmk")
MAX_FILE_BYTES = 20 * 1024 * 1024


def _owner(actor: Actor, owner: str, owner_id: int | str) -> Any:
    if owner == "application":
        from .qualifications import get_application

        return get_application(actor, owner_id, for_update=True), QualificationDocument, "application"
    if owner == "book":
        from .books import get_book

        return get_book(actor, owner_id, for_update=True), BookDocument, "book"
    raise ServiceError("随附单据应属于企业资质申请(application)或账册(book)")


@transaction.atomic
def add_document(actor: Actor, owner: str, owner_id: int | str, data: dict[str, Any],
                 file: UploadedFile | None = None) -> QualificationDocument | BookDocument:
    """新增 a 随附单据 (``owner`` "application" or "book")."""
    obj, model, key = _owner(actor, owner, owner_id)
    check_editable(obj, "单据")
    values, errors = coerce(model, data if isinstance(data, dict) else {}, FIELDS)
    if file is not None and file.size > MAX_FILE_BYTES:
        errors.append(FieldError("file", "随附单据文件不能超过20MB"))
    if not values.get("acmp_form_no") and file is None:
        errors.append(FieldError("acmp_form_no", "请填写随附单证编号或上传文件"))
    if errors:
        raise ServiceError.fields(errors, "随附单据校验未通过")
    document = model(enterprise=actor.enterprise, **{key: obj}, **values)
    if file is not None:
        document.acmp_form_file_nm = document.acmp_form_file_nm or file.name[:255]
        document.file = file
    document.save()
    audit.record(actor, obj, "新增随附单据", changes={"acmp_form_no": [None, document.acmp_form_no]})
    return document


@transaction.atomic
def delete_documents(actor: Actor, owner: str, owner_id: int | str, ids: list[int | str]) -> int:
    obj, model, key = _owner(actor, owner, owner_id)
    check_editable(obj, "单据")
    deleted, _ = model.objects.filter(**{key: obj}, pk__in=ids_of(ids, "要删除的随附单据")).delete()
    audit.record(actor, obj, "删除随附单据", changes={"rows": [deleted, 0]})
    return deleted
