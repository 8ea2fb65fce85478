"""Licences: validation, goods lines, and usage booked once per released declaration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from guanwu.audit.models import OperationLog
from guanwu.core.errors import NotFound, ServiceError
from guanwu.datacenter.licences import services
from guanwu.datacenter.licences.models import Licence, LicenceUsage, ValidityStatus
from guanwu.declarations import services as declarations
from guanwu.declarations import signals
from guanwu.declarations.models import DeclarationGoodsLimit, DeclarationStatus
from guanwu.messages.dec.receipts import DecResult, ImportResponse, build_dec_result, build_import_response
from tests.datacenter.licences.helpers import (
    crane_import,
    licence_data,
    make_certificate,
    make_licence,
    released,
    today,
)

pytestmark = pytest.mark.django_db


def fields(exc: ServiceError) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


def balances(licence: Licence) -> dict[str, Decimal]:
    return {line.code_ts: line.remaining for line in licence.lines.all()}


# ------------------------------------------------------------------------------ create / update


def test_create_licence_with_lines_fills_names_and_units_from_the_tariff(actor_a):
    data = licence_data(lines=[{"code_ts": "8426200000", "qty": "5"}, {"code_ts": "84264110", "qty": "3.5"}])
    licence = services.create_licence(actor_a, data)
    lines = list(licence.lines.all())
    assert [(ln.line_no, ln.code_ts, ln.g_name, ln.qty, ln.unit) for ln in lines] == [
        (1, "8426200000", "塔式起重机", Decimal("5"), "001"),
        (2, "84264110", "轮胎式起重机", Decimal("3.5"), "001"),
    ]
    assert licence.enterprise == actor_a.enterprise and licence.created_by == actor_a.user
    assert licence.status() == ValidityStatus.VALID
    log = OperationLog.objects.get(object_id=str(licence.pk), content_type__model="licence")
    assert log.action == "新增" and "塔式起重机" in str(log.changes)


def test_create_licence_names_every_bad_field(actor_a):
    bad = licence_data(
        licence_no="", docu_code="W", holder_name="", holder_code="12345", valid_from="2024-13-01",
        valid_to="", lines=[
            {"code_ts": "9999999999", "qty": "1", "unit": "001"},
            {"code_ts": "8426200000", "qty": "0", "unit": "999"},
            {"code_ts": "8426200000", "qty": "abc", "unit": "001"},
            {"code_ts": "84262", "qty": "1"},
        ],
    )
    with pytest.raises(ServiceError) as caught:
        services.create_licence(actor_a, bad)
    errors = fields(caught.value)
    assert errors["licence_no"] == "许可证编号不能为空"
    assert "W" in errors["docu_code"]
    assert errors["holder_name"] == "持证单位名称不能为空"
    assert "持证单位代码" in errors["holder_code"]
    assert "日期" in errors["valid_from"] and errors["valid_to"] == "有效期止不能为空"
    assert "税则中不存在" in errors["lines[0].code_ts"]
    assert "大于0" in errors["lines[1].qty"] and "999" in errors["lines[1].unit"]
    assert "重复" in errors["lines[2].code_ts"] and "数字" in errors["lines[2].qty"]
    assert "8位或10位" in errors["lines[3].code_ts"]
    assert not Licence.objects.exists()


def test_licence_needs_a_docu_code_or_type_and_a_unique_number(actor_a, actor_b):
    with pytest.raises(ServiceError) as caught:
        services.create_licence(actor_a, licence_data(docu_code="", licence_type=""))
    assert "docu_code" in fields(caught.value)
    ciq = services.create_licence(actor_a, licence_data(docu_code="", licence_type="325"))  # 进境动植物检疫许可证
    assert ciq.licence_type == "325"
    with pytest.raises(ServiceError) as caught:
        services.create_licence(actor_a, licence_data(licence_no=ciq.licence_no))
    assert "已存在" in fields(caught.value)["licence_no"]
    make_licence(actor_b, licence_no=ciq.licence_no)  # another enterprise may hold the same number
    with pytest.raises(ServiceError) as caught:
        services.create_licence(actor_a, licence_data(licence_no="X-1", valid_to=(today() - dt.timedelta(days=400))
                                                      .isoformat()))
    assert fields(caught.value)["valid_to"] == "有效期止不能早于有效期起"


def test_update_keeps_line_identity_and_protects_used_lines(actor_a):
    licence = make_licence(actor_a)
    tower = licence.lines.get(line_no=1)
    tower.used_qty = Decimal("2")
    tower.save()
    LicenceUsage.objects.create(line=tower, declaration=released(actor_a), qty=Decimal("2"))
    keep = {"id": tower.pk, "code_ts": "8426200000", "g_name": "塔式起重机", "qty": "6", "unit": "001"}
    updated = services.update_licence(actor_a, licence.pk, {"issuer": "商务部", "lines": [keep]})
    assert updated.issuer == "商务部"
    assert [(ln.pk, ln.qty, ln.used_qty) for ln in updated.lines.all()] == [(tower.pk, Decimal("6"), Decimal("2"))]
    for change, field in (({"qty": "1"}, "lines[0].qty"), ({"code_ts": "8426411000"}, "lines[0].code_ts")):
        with pytest.raises(ServiceError) as caught:
            services.update_licence(actor_a, licence.pk, {"lines": [{**keep, **change}]})
        assert field in fields(caught.value)
    with pytest.raises(ServiceError) as caught:
        services.update_licence(actor_a, licence.pk, {"lines": [], "issuer": "不会保存"})
    assert "不能删除" in fields(caught.value)["lines"]
    licence.refresh_from_db()
    assert licence.issuer == "商务部" and licence.lines.count() == 1
    with pytest.raises(ServiceError, match="核销记录"):
        services.delete_licence(actor_a, licence.pk)


def test_other_enterprises_licence_is_not_found(actor_a, actor_b):
    licence = make_licence(actor_b)
    for call in (
        lambda: services.get_licence(actor_a, licence.pk),
        lambda: services.update_licence(actor_a, licence.pk, {"issuer": "x"}),
        lambda: services.delete_licence(actor_a, licence.pk),
    ):
        with pytest.raises(NotFound):
            call()
    assert Licence.objects.get(pk=licence.pk).issuer == "陕西省商务厅"


# ------------------------------------------------------------------------------ usage


def test_release_consumes_each_cited_licence_once(actor_a):
    licence = make_licence(actor_a)
    declaration = released(actor_a)
    first = services.consume_declaration(declaration)
    assert len(first) == 2
    assert balances(licence) == {"8426200000": Decimal("3"), "84264110": Decimal("2")}
    assert services.consume_declaration(declaration) == []  # the signal again, a re-run: nothing more
    signals.declaration_released.send(sender=type(declaration), declarations=[declaration])
    assert balances(licence) == {"8426200000": Decimal("3"), "84264110": Decimal("2")}
    usage = LicenceUsage.objects.get(line__code_ts="8426200000")
    assert (usage.qty, usage.g_nos, usage.declaration_id) == (Decimal("2"), "1", declaration.pk)
    log = OperationLog.objects.get(object_id=str(licence.pk), action="报关单放行核销")
    assert "余量 3" in log.opinion and log.user_name == "系统"
    second = released(actor_a)
    services.consume_declaration(second)
    assert balances(licence) == {"8426200000": Decimal("1"), "84264110": Decimal("1")}
    assert LicenceUsage.objects.count() == 4


def test_quantity_is_taken_in_the_unit_of_the_licence_line(actor_a):
    licence = make_licence(actor_a, lines=[
        {"code_ts": "8426200000", "g_name": "塔式起重机", "qty": "100000", "unit": "035"},  # by weight
        {"code_ts": "8426411000", "g_name": "轮胎式起重机", "qty": "10", "unit": "011"},  # 件: no such unit
    ])
    services.consume_declaration(released(actor_a))
    tower, wheeled = licence.lines.all()
    assert tower.used_qty == Decimal("47000")  # second legal quantity, in kg
    assert wheeled.used_qty == 0
    note = LicenceUsage.objects.get(line=wheeled).note
    assert "不一致" in note and "人工核对" in note


def test_only_licences_of_the_declarations_enterprise_with_the_cited_code_are_consumed(actor_a, actor_b):
    other = make_licence(actor_b)
    wrong_code = make_licence(actor_a, licence_no="24-AA-000001", docu_code="7")
    raw = crane_import(licences=[{"docu_code": "O", "cert_code": "24-O6-100231"},
                                 {"docu_code": "O", "cert_code": "24-AA-000001"}])
    services.consume_declaration(released(actor_a, raw))
    assert not LicenceUsage.objects.exists()
    assert other.lines.filter(used_qty__gt=0).count() == 0 and wrong_code.lines.filter(used_qty__gt=0).count() == 0


def test_goods_limit_citations_consume_their_item_with_the_written_off_quantity(actor_a):
    licence = make_licence(actor_a, docu_code="", licence_type="402",  # 进口旧机电产品备案
                           licence_no="402-2024-0001")
    declaration = released(actor_a, crane_import(licences=[]))
    tower = declaration.items.get(g_no=1)
    DeclarationGoodsLimit.objects.create(item=tower, lic_type_code="402", licence_no="402-2024-0001",
                                         lic_wrtof_qty="1", lic_wrtof_qty_unit="001")
    services.consume_declaration(declaration)
    assert balances(licence) == {"8426200000": Decimal("4"), "84264110": Decimal("3")}


def test_release_receipt_books_usage_through_the_signal(actor_a, django_capture_on_commit_callbacks):
    licence = make_licence(actor_a)
    draft = declarations.create_draft(actor_a, crane_import())
    with django_capture_on_commit_callbacks(execute=True):
        decl = declarations.declare(actor_a, draft.pk)
    seq, entry = "000000000012345678", "224820241000012345"
    with django_capture_on_commit_callbacks(execute=True):
        declarations.apply_receipt(build_import_response(ImportResponse(
            client_seq_no=decl.client_seq_no, response_code="0", error_message="", seq_no=seq)), "r1.xml")
        declarations.apply_receipt(build_dec_result(DecResult(
            seq_no=seq, channel="P", entry_id=entry, note="",
            notice_date=dt.datetime(2024, 11, 5, 10, 0, tzinfo=dt.UTC))), "r2.xml")
    decl.refresh_from_db()
    assert decl.status == DeclarationStatus.RELEASED
    assert balances(licence) == {"8426200000": Decimal("3"), "84264110": Decimal("2")}


def test_status_filters_agree_with_the_computed_status(actor_a):
    t = today()
    valid = make_licence(actor_a, licence_no="V")
    expiring = make_licence(actor_a, licence_no="S", valid_to=(t + dt.timedelta(days=10)).isoformat())
    expired = make_licence(actor_a, licence_no="E", valid_from=(t - dt.timedelta(days=90)).isoformat(),
                           valid_to=(t - dt.timedelta(days=1)).isoformat())
    not_yet = make_licence(actor_a, licence_no="N", valid_from=(t + dt.timedelta(days=3)).isoformat())
    exhausted = make_licence(actor_a, licence_no="X")
    exhausted.lines.update(used_qty=1000)
    expected = {valid: "valid", expiring: "expiring", expired: "expired", not_yet: "not_yet", exhausted: "exhausted"}
    for licence, status in expected.items():
        licence = Licence.objects.get(pk=licence.pk)
        assert licence.status() == status
        assert list(services.filter_status(services.licences(actor_a), status)) == [licence]
    assert [e.obj.licence_no for e in services.expiring(actor_a.enterprise)] == ["S"]


def test_certificate_attachment_and_field_errors_at_once(actor_a):
    """Issue 11, point 16: an .exe attachment is named next to a date error, and nothing is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guanwu.datacenter.licences.models import Certificate

    exe = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    data = {"cert_type": "origin", "cert_no": "C1", "issue_date": "2024-05-01", "valid_to": "2024-01-01"}
    with pytest.raises(ServiceError) as caught:
        services.create_certificate(actor_a, data, exe)
    assert set(fields(caught.value)) == {"valid_to", "attachment"}
    assert not Certificate.objects.exists()
    cert = make_certificate(actor_a)
    with pytest.raises(ServiceError) as caught:
        services.update_certificate(actor_a, cert.pk, {"valid_to": "2000-01-01"}, exe)
    assert set(fields(caught.value)) == {"valid_to", "attachment"}


def test_licence_update_names_line_and_field_errors_at_once(actor_a):
    licence = make_licence(actor_a)
    tower = licence.lines.get(line_no=1)
    tower.used_qty = Decimal("2")
    tower.save()
    keep = {"id": tower.pk, "code_ts": "8426200000", "g_name": "塔式起重机", "qty": "1", "unit": "001"}
    with pytest.raises(ServiceError) as caught:
        services.update_licence(actor_a, licence.pk, {"licence_no": "", "lines": [keep]})
    assert {"licence_no", "lines[0].qty"} <= set(fields(caught.value))
