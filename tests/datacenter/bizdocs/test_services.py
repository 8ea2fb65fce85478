"""Business documents: upload fills the EdocRealation fields, stored names are generated, deletes
follow the declaration's status, everything is logged and tenant-checked."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden, NotFound, ServiceError
from guanwu.datacenter.bizdocs import services
from guanwu.declarations import services as declarations
from guanwu.declarations.models import DeclarationDocument, DeclarationStatus
from tests.datacenter.bizdocs import samples
from tests.declarations.factories import make_import_declaration
from tests.declarations.payloads import import_payload

pytestmark = pytest.mark.django_db


def upload(actor, declaration, name="发票 INV-2024-1103.pdf", data=None, code="00000001", g_no_str=""):
    return services.upload_document(actor, declaration.pk, edoc_code=code, g_no_str=g_no_str,
                                    uploaded=SimpleUploadedFile(name, data or samples.pdf()))


def test_upload_fills_the_edoc_fields_and_stores_under_a_generated_name(actor_a):
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user)
    data = samples.pdf()
    doc = upload(actor_a, declaration, name="../发票 INV-2024-1103.pdf", data=data, g_no_str="2，1")
    assert re.fullmatch(r"2248" r"00000001" r"IM\d{8}" + f"{doc.pk:010d}" + r"\.pdf", doc.edoc_id)
    assert doc.edoc_code == "00000001" and doc.edoc_fomat_type == "US"
    assert doc.edoc_cop_id == "发票 INV-2024-1103.pdf" and doc.edoc_size == str(len(data))
    assert (doc.edoc_owner_code, doc.edoc_owner_name) == (actor_a.enterprise.customs_code, actor_a.enterprise.name)
    assert doc.g_no_str == "2,1" and re.fullmatch(r"\d{8} \d\d:\d\d:\d\d", doc.sign_time)
    assert re.fullmatch(rf"declarations/{actor_a.enterprise.pk}/{declaration.pk}/[0-9a-f]{{32}}\.pdf", doc.file.name)
    with default_storage.open(doc.file.name, "rb") as fh:
        assert fh.read() == data
    log = OperationLog.objects.get(object_id=str(declaration.pk), action="上传单据")
    assert "发票: 发票 INV-2024-1103.pdf" in log.opinion and log.changes == {"documents": [0, 1]}
    _declaration, docs = services.documents(actor_a, declaration.pk)
    assert docs == [doc]  # the keyed EdocRealation row without a file is not a business document


def test_upload_refuses_bad_type_code_and_item_numbers(actor_a):
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user)
    cases = [
        ({"code": ""}, "edoc_code", "请选择单据类型"),
        ({"code": "99999999"}, "edoc_code", "不在随附单据类别代码表中"),
        ({"g_no_str": "1,5"}, "g_no_str", "没有第5项"),
        ({"g_no_str": "a"}, "g_no_str", "应为数字"),
        ({"data": samples.EXE, "name": "setup.pdf"}, "file", "Windows 可执行程序"),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(ServiceError) as caught:
            upload(actor_a, declaration, **kwargs)
        assert caught.value.errors[0].field == field and message in caught.value.errors[0].message
    assert not DeclarationDocument.objects.exclude(file="").exists()
    folder = f"declarations/{actor_a.enterprise.pk}/{declaration.pk}"
    assert not default_storage.exists(folder) or not default_storage.listdir(folder)[1]


def test_size_limit(actor_a, settings):
    settings.GUANWU_DOCUMENT_MAX_BYTES = 2048
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user)
    with pytest.raises(ServiceError, match="超过上限 2 KB"):
        upload(actor_a, declaration, data=samples.pdf() + b"%" * 4096)


def test_delete_after_declaring_is_for_admins(actor_a, operator_actor_a, django_capture_on_commit_callbacks):
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user, status=DeclarationStatus.RELEASED)
    doc = upload(operator_actor_a, declaration)
    name = doc.file.name
    with pytest.raises(Forbidden, match="企业管理员"):
        services.delete_document(operator_actor_a, declaration.pk, doc.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(actor_a, declaration.pk, doc.pk)
    assert not DeclarationDocument.objects.filter(pk=doc.pk).exists()
    assert not default_storage.exists(name)
    assert OperationLog.objects.filter(object_id=str(declaration.pk), action="删除单据").count() == 1
    draft = make_import_declaration(actor_a.enterprise, actor_a.user)
    services.delete_document(operator_actor_a, draft.pk, upload(operator_actor_a, draft).pk)


def test_another_enterprises_documents_are_not_found(actor_a, actor_b):
    theirs = make_import_declaration(actor_b.enterprise, actor_b.user)
    doc = upload(actor_b, theirs)
    for call in (
        lambda: services.documents(actor_a, theirs.pk),
        lambda: services.open_document(actor_a, theirs.pk, doc.pk),
        lambda: services.delete_document(actor_a, theirs.pk, doc.pk),
        lambda: upload(actor_a, theirs),
        lambda: services.zip_entries(actor_a, [theirs.pk]),
    ):
        with pytest.raises(NotFound):
            call()
    mine = make_import_declaration(actor_a.enterprise, actor_a.user)
    with pytest.raises(NotFound):  # their document through my declaration
        services.open_document(actor_a, mine.pk, doc.pk)
    assert DeclarationDocument.objects.filter(pk=doc.pk).exists()


def test_edoc_id_uses_the_customs_office_of_the_declaration(actor_a):
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user, custom_master="5316", ie_port="5301")
    doc = upload(actor_a, declaration, name="pl.xlsx", data=samples.xlsx(), code="00000002")
    assert doc.edoc_id.startswith("531600000002IM") and doc.edoc_id.endswith(".xlsx")


def test_documents_survive_saving_the_declaration_in_the_entry_page(actor_a):
    declaration = declarations.create_draft(actor_a, import_payload())
    doc = upload(actor_a, declaration)
    sent = [{k: getattr(doc, k) for k in ("edoc_id", "edoc_code", "edoc_cop_id", "edoc_fomat_type")}]
    declarations.update_draft(actor_a, declaration.pk, {"note_s": "改备注", "documents": sent})
    assert declaration.documents.exclude(file="").count() == 1


def test_upload_names_every_problem_at_once(actor_a):
    """Issue 11, point 16: a wrong type, an executable and a bad item number in one answer."""
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user)
    with pytest.raises(ServiceError) as caught:
        upload(actor_a, declaration, code="99999999", data=samples.EXE, name="setup.pdf", g_no_str="1,5")
    assert [e.field for e in caught.value.errors] == ["edoc_code", "file", "g_no_str"]
    assert not DeclarationDocument.objects.exclude(file="").exists()
