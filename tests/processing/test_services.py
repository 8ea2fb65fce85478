"""Services of 加工贸易 (issue 15): 企业资质申请, 账册 备案/变更, 核注清单, receipts, balances."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from guanwu.core.errors import ServiceError
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import Book, BookVersion, Status
from tests.messages.sas import garment as g

from . import garment_book as gb

pytestmark = pytest.mark.django_db


def test_book_record_and_approval(actor_a):
    book = gb.draft_book(actor_a)
    assert book.materials.count() == 5 and book.boms.count() == 7
    # 单耗 = 净耗 / (1 - (有形 + 无形损耗率) / 100): 1.65 / (1 - 3.5 %)
    bom = book.boms.get(endprd_seqno=1, mtpck_seqno=1)
    assert bom.ucns_qty == sas.ucns_qty(D("1.65"), D("3"), D("0.5"))
    book = gb.approve_book(actor_a, book)
    assert book.status == Status.APPROVED and book.ems_no == g.EMS_NO and book.seq_no
    assert set(book.materials.values_list("modf_markcd", flat=True)) == {"0"}
    version = BookVersion.objects.get(book=book)
    assert version.chg_tms_cnt == 0 and version.status == Status.APPROVED
    box = services.receipt_box(actor_a, book)
    assert box["check_infos"] == [{"seqno": 1, "note": "[3402] 联网电子审核通过, 转岗"}]
    assert box["business_id"] == g.EMS_NO


def _qual_head(**changes):
    return {"finish_valid_date": "2026-12-31", "prcs_prdc_ablt_amt": "100", "master_cuscd": "9001",
            "qua_typecd": "1", **changes}


def test_qualification_required_marks_of_the_seed(actor_a):
    """The seed's red stars (资质数据明细): 结束有效期, 加工生产能力(万美元), 主管海关, 资质类型."""
    with pytest.raises(ServiceError) as exc:
        services.create_application(actor_a, {"conc_addr": "西安", "qua_typecd": ""})
    assert {e.field for e in exc.value.errors} == {"finish_valid_date", "prcs_prdc_ablt_amt", "master_cuscd",
                                                   "qua_typecd"}
    from guanwu.processing.models import QualificationApplication

    assert not QualificationApplication.objects.exists()


def test_qualification_seed_red_star_unit_codes_refused_empty_on_save(actor_a):
    """Seed 001 四 5 (资质数据明细): * 经营单位编码, * 加工单位编码, * 申报单位编码 — "带有红色星号的字段为
    必填项, 否则无法继续保存或申报" (一 4): 暂存 refuses them empty, naming each field in Chinese."""
    with pytest.raises(ServiceError) as exc:
        services.create_application(actor_a, _qual_head(bizop_etpsno="", rcvgd_etpsno="", dcl_etpsno=""))
    messages = {e.field: e.message for e in exc.value.errors}
    assert messages == {"bizop_etpsno": "经营单位编码不能为空", "rcvgd_etpsno": "加工单位编码不能为空",
                        "dcl_etpsno": "申报单位编码不能为空"}
    app = services.create_application(actor_a, _qual_head())
    with pytest.raises(ServiceError) as exc:
        services.update_application(actor_a, app.pk, {"dcl_etpsno": " ", "finish_valid_date": ""})
    assert {e.field for e in exc.value.errors} == {"dcl_etpsno", "finish_valid_date"}
    app.refresh_from_db()
    assert app.dcl_etpsno == actor_a.enterprise.customs_code and app.finish_valid_date is not None


def test_book_head_required_fields_of_nems_fields_refused_at_declare(actor_a):
    """nems_fields.csv ``required`` (EmsTypecd, FinishValidDate, MaxTovrAmt, UcnsDclSegcd Y; 主管海关 and the
    units Y?): 暂存 keeps a partial head, 申报 refuses it with one Chinese error per empty field, sends nothing."""
    from guanwu.gateway.models import OutboxMessage

    book = gb.draft_book(actor_a, ems_typecd="", max_tovr_amt="", finish_valid_date="", dcl_etps_nm="")
    outbox = OutboxMessage.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.declare_book(actor_a, book.pk)
    messages = {e.field: e.message for e in exc.value.errors}
    assert messages == {"ems_typecd": "账册类型代码不能为空", "max_tovr_amt": "最大周转金额(万美元)不能为空",
                        "finish_valid_date": "结束有效日期不能为空", "dcl_etps_nm": "申报企业名称不能为空"}
    book.refresh_from_db()
    assert book.status == Status.DRAFT and OutboxMessage.objects.count() == outbox
    services.update_book(actor_a, book.pk, gb.book_head(dcl_etps_nm=actor_a.enterprise.name))
    assert services.declare_book(actor_a, book.pk).status == Status.DECLARED


def test_qualification_grid_add_copy_edit_delete_and_declare(actor_a):
    app = services.create_application(actor_a, _qual_head())
    assert app.status == Status.DRAFT and app.bizop_etpsno == actor_a.enterprise.customs_code
    assert app.dcl_typecd == "1" and app.chg_tms_cnt == 0
    row = {"gds_mtno": "1", "gdecd": "4421100090", "gds_nm": "出差", "endprd_gds_spcf_model_desc": "地方",
           "dcl_unitcd": "035", "dcl_uprc_amt": "4", "dcl_currcd": "CNY", "dcl_qty": "4"}
    first = services.save_goods(actor_a, app.pk, "I", row)
    assert first.gds_seqno == 1 and first.dcl_total_amt == D("16")  # 申报总价 = 单价 x 数量 (the seed's grid)
    assert first.lawf_unitcd == "035"  # the tariff's legal unit of 4421100090 (千克)
    [copy] = services.copy_goods(actor_a, app.pk, [first.pk])
    assert copy.gds_seqno == 2 and copy.gds_nm == "出差"
    edited = services.save_goods(actor_a, app.pk, "I", {"gds_nm": "出差2"}, copy.pk)
    assert edited.gds_nm == "出差2" and edited.gdecd == "4421100090"
    services.save_goods(actor_a, app.pk, "E", {**row, "gds_mtno": "11", "gdecd": "8536500000", "dcl_unitcd": "007"})
    assert services.delete_goods(actor_a, app.pk, [copy.pk]) == 1
    with pytest.raises(ServiceError) as exc:
        services.save_goods(actor_a, app.pk, "I", {"gdecd": "9999999999", "dcl_qty": "x"})
    assert {e.field for e in exc.value.errors} == {"gdecd", "dcl_qty"}
    app = services.send_application(actor_a, app.pk)
    assert app.status == Status.SENT
    assert b"<DelcareFlag>0</DelcareFlag>" in gb.last_outbox().payload
    app = services.declare_application(actor_a, app.pk)
    assert app.status == Status.DECLARED
    xml = bytes(gb.last_outbox().payload)
    assert sas.validate_sas(xml) == [] and b"<DelcareFlag>1</DelcareFlag>" in xml
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(app.etps_preent_no, seq))
    services.apply_sas_receipt(gb.ems_receipt("EMS201", seq, "1", "IE0102190002"))
    app.refresh_from_db()
    assert app.status == Status.APPROVED and app.netwk_etps_arcrp_no == "IE0102190002" and app.seq_no == seq


def test_qualification_rejection_keeps_check_lines_for_receipt_box(actor_a):
    """The seed's 回执 box: ``[3349] 加工账册资质: 商务部前置审批开关开启, 企业必须申报表体, 退单``."""
    app = services.create_application(actor_a, _qual_head())
    app = services.declare_application(actor_a, app.pk)
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(app.etps_preent_no, seq))
    note = "[3349] 加工账册资质: 商务部前置审批开关开启, 企业必须申报表体, 退单"
    services.apply_sas_receipt(gb.ems_receipt("EMS201", seq, "3", "", (note,)))
    app.refresh_from_db()
    assert app.status == Status.REJECTED
    box = services.receipt_box(actor_a, app)
    assert box["seq_no"] == seq and box["status"] == "海关退单"
    assert box["check_infos"] == [{"seqno": 1, "note": note}]
    # rejected: editable again, and declared again as a new sending
    services.update_application(actor_a, app.pk, {"rmk": "补充表体"})
    assert services.declare_application(actor_a, app.pk).status == Status.DECLARED


def test_book_change_counts_up_and_keeps_versions_with_diff(actor_a):
    book = gb.approved_book(actor_a)
    with pytest.raises(ServiceError):
        services.save_book_line(actor_a, book.pk, "materials", {"gds_nm": "x"}, book.materials.first().pk)
    book = services.start_change(actor_a, book.pk)
    assert book.status == Status.DRAFT and book.change_pending
    zip_line = book.materials.get(gds_seqno=4)
    services.save_book_line(actor_a, book.pk, "materials", {"dcl_uprc_amt": "0.4"}, zip_line.pk)
    services.save_book_line(actor_a, book.pk, "materials", gb.material_row(5) | {"gds_seqno": 6, "gds_mtno": "LBL-6"})
    bom = book.boms.get(endprd_seqno=2, mtpck_seqno=5)
    services.delete_book_lines(actor_a, book.pk, "boms", [bom.pk])
    assert book.boms.get(pk=bom.pk).modf_markcd == "2"  # kept and sent as 删除 until approved
    book = services.declare_book(actor_a, book.pk)
    assert book.chg_tms_cnt == 1 and book.dcl_typecd == "2"
    xml = bytes(gb.last_outbox().payload)
    assert sas.validate_sas(xml) == []
    assert b"<ModfMarkcd>2</ModfMarkcd>" in xml and b"<EmsNo>" + g.EMS_NO.encode() in xml
    version = BookVersion.objects.get(book=book, chg_tms_cnt=1)
    assert version.diff["materials"]["added"] == ["6"]
    assert version.diff["materials"]["changed"][0]["fields"]["dcl_uprc_amt"] == ["0.35", "0.4"]
    assert version.diff["boms"]["deleted"] == ["2/1/5"]
    assert "料件增加1、修改1" in version.summary
    services.apply_sas_receipt(gb.ems_receipt("EMS211", book.seq_no, "1", g.EMS_NO))
    book.refresh_from_db()
    assert book.status == Status.APPROVED and not book.change_pending and book.chg_appr_time
    assert not book.boms.filter(pk=bom.pk).exists()
    assert [v.chg_tms_cnt for v in services.book_versions(actor_a, book.pk)] == [1, 0]
    # the second change is 变更次数 2
    services.start_change(actor_a, book.pk)
    assert services.declare_book(actor_a, book.pk).chg_tms_cnt == 2


def test_book_delete_only_while_never_declared(actor_a):
    book = gb.draft_book(actor_a)
    declared = gb.approved_book(actor_a, "E90012400002")
    with pytest.raises(ServiceError) as exc:
        services.delete_books(actor_a, [declared.pk])
    assert exc.value.status == 409
    assert services.delete_books(actor_a, [book.pk]) == 1
    assert not Book.objects.filter(pk=book.pk).exists()


def test_bom_line_must_point_at_existing_rows_and_losses_below_100(actor_a):
    book = gb.draft_book(actor_a)
    with pytest.raises(ServiceError) as exc:
        services.save_book_line(actor_a, book.pk, "boms", {"endprd_seqno": 9, "mtpck_seqno": 1,
                                                           "net_useup_qty": "1", "tgbl_loss_rate": "100"})
    fields = {e.field for e in exc.value.errors}
    assert fields == {"endprd_seqno", "tgbl_loss_rate"}
    with pytest.raises(ServiceError) as exc:
        services.delete_book_lines(actor_a, book.pk, "materials", [book.materials.get(gds_seqno=1).pk])
    assert "仍被单损耗使用" in exc.value.message


def test_approved_book_feeds_the_bonded_library(actor_a):
    """保税商品库 (备案号 + 备案序号) from the approved book: an import declaration's 备案序号 1 is
    the 料件 1, an export's the 成品 1."""
    from guanwu.datacenter.commodities.services import fill_from_bonded

    gb.approved_book(actor_a)
    material = fill_from_bonded(actor_a.enterprise, g.EMS_NO, 1, "I")
    product = fill_from_bonded(actor_a.enterprise, g.EMS_NO, 1, "E")
    assert material["g_name"] == "色织全棉平纹布" and material["trade_curr"] == "USD"
    assert material["first_unit"] == "030" and material["contr_item"] == 1
    assert product["g_name"] == "男式棉制衬衫" and product["code_ts"] == "6205200099"


def test_attached_documents_of_a_book(actor_a, actor_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guanwu.core.errors import NotFound

    book = gb.draft_book(actor_a)
    doc = services.add_document(actor_a, "book", book.pk, {"acmp_form_typecd": "1"},
                                SimpleUploadedFile("合同.pdf", b"%PDF-1.4 test"))
    assert doc.acmp_form_file_nm == "合同.pdf" and doc.file.name.startswith(f"processing/{actor_a.enterprise.pk}/")
    with pytest.raises(ServiceError):
        services.add_document(actor_a, "book", book.pk, {})
    with pytest.raises(NotFound):
        services.add_document(actor_b, "book", book.pk, {"acmp_form_no": "X"})
    assert services.delete_documents(actor_a, "book", book.pk, [doc.pk]) == 1


def test_query_needs_a_queryable_enterprise(actor_a):
    """Seed section 四: 选择可查询企业 is required; the enterprise's own books are found by it."""
    book = gb.approved_book(actor_a)
    with pytest.raises(ServiceError) as exc:
        services.query_books(actor_a, "")
    assert exc.value.errors[0].field == "enterprise_code"
    with pytest.raises(ServiceError):
        services.query_books(actor_a, "1234567890")
    code = actor_a.enterprise.customs_code
    assert services.queryable_enterprises(actor_a)[0] == (code, actor_a.enterprise.name)
    assert list(services.query_books(actor_a, code, ems_no=g.EMS_NO)) == [book]
