"""The 加工贸易账册 pages (seed 001 section 四): 企业资质申请 head + grids, 账册 with 变更, 核注清单
declared and refused for overdraw per line, 加工贸易账册查询 with the 回执 box, 核销 with its export.
Another enterprise's ids are 404 and a GET never writes."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from guanwu.audit.models import OperationLog
from guanwu.processing import services
from guanwu.processing.models import Book, Inventory, QualificationApplication, QualificationGoods
from tests.messages.sas import garment as g
from tests.processing import garment_book as gb

pytestmark = pytest.mark.django_db


def post_json(client: Client, url: str, body: dict) -> tuple[int, dict]:
    r = client.post(url, json.dumps(body), content_type="application/json")
    return r.status_code, r.json()


QUAL_HEAD = {
    "bizop_etpsno": "6101930001",
    "rcvgd_etpsno": "6101930001",
    "dcl_etpsno": "6101930001",
    "dcl_typecd": "1",
    "finish_valid_date": "2026-12-31",
    "prcs_prdc_ablt_amt": "100",
    "master_cuscd": "9001",
    "qua_typecd": "1",
    "input_time": "2019-04-12",
}


def test_qualification_new_stars_and_tabs(client_a):
    page = client_a.get("/processing/qualifications/new/").content.decode()
    for label in (
        "预录入统一编号",
        "档案库编号",
        "经营单位编码",
        "经营单位社会信用代码",
        "加工单位编码",
        "申报单位编码",
        "申报单位类型",
        "联系地址",
        "申报类型",
        "结束有效期",
        "加工生产能力(万美元)",
        "主管海关",
        "录入单位编码",
        "录入单位社会信用代码",
        "备案批准日期",
        "变更批准日期",
        "录入日期",
        "风险担保标志",
        "变更次数",
        "资质类型",
        "备注",
    ):
        assert label in page, label
    # the seed's red stars: 经营/加工/申报单位编码, 结束有效期, 加工生产能力, 主管海关, 资质类型
    assert page.count("gw-required") == 7
    for tab in ("表头", "料件", "成品", "随附单据"):
        assert tab in page
    for button in ("新增", "暂存"):
        assert button in page


def test_qualification_save_grid_rows_and_declare(client_a, actor_a):
    r = client_a.post("/processing/qualifications/new/", QUAL_HEAD)
    assert r.status_code == 302
    app = QualificationApplication.objects.get()
    assert app.status == "draft"
    base = f"/processing/qualifications/{app.pk}/rows/"
    row = {
        "gds_mtno": "1",
        "gdecd": "4421100090",
        "gds_nm": "出差",
        "endprd_gds_spcf_model_desc": "地方",
        "dcl_unitcd": "035",
        "dcl_uprc_amt": "4",
        "dcl_currcd": "CNY",
        "dcl_qty": "4",
    }
    status, body = post_json(client_a, base + "save/", {"kind": "I", "id": None, "row": row})
    assert status == 200, body
    saved = body["row"]
    assert saved["gds_seqno"] == 1 and saved["lawf_unitcd"] == "035" and saved["dcl_total_amt"] == "16"
    assert saved["_names"]["dcl_unitcd"] == "千克"
    # edit in place: Enter saves the changed row
    status, body = post_json(client_a, base + "save/", {"kind": "I", "id": saved["id"], "row": {**row, "dcl_qty": "5"}})
    assert status == 200 and body["row"]["dcl_qty"] == "5"
    # a bad code: 422 naming the field, nothing saved
    status, body = post_json(client_a, base + "save/", {"kind": "E", "id": None, "row": {**row, "dcl_qty": "x"}})
    assert status == 422 and body["errors"][0]["field"] == "dcl_qty"
    assert QualificationGoods.objects.count() == 1
    r = client_a.post(f"/processing/qualifications/{app.pk}/declare/")
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == "declared"


def test_foreign_ids_are_404(client_a, actor_b):
    other = gb.draft_book(actor_b)
    app = services.create_application(actor_b, QUAL_HEAD)
    for url in (
        f"/processing/books/{other.pk}/",
        f"/processing/books/{other.pk}/writeoff/",
        f"/processing/books/{other.pk}/lines/materials.json",
        f"/processing/qualifications/{app.pk}/",
        f"/processing/receipt/book/{other.pk}/",
        f"/processing/books/{other.pk}/rows/template.xlsx?kind=materials",
    ):
        assert client_a.get(url).status_code == 404, url
    status = client_a.post(
        f"/processing/books/{other.pk}/rows/save/",
        json.dumps({"kind": "materials", "row": {"gds_nm": "x"}}),
        content_type="application/json",
    ).status_code
    assert status == 404
    assert client_a.post(f"/processing/books/{other.pk}/declare/").status_code == 404


def test_get_never_writes(client_a, actor_a):
    book = gb.approved_book(actor_a)
    inv = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 100)]))
    app = services.create_application(actor_a, QUAL_HEAD)
    logs = OperationLog.objects.count()
    stamps = (Book.objects.get(pk=book.pk).updated_at, Inventory.objects.get(pk=inv.pk).updated_at)
    for url in (
        "/processing/qualifications/",
        "/processing/qualifications/new/",
        f"/processing/qualifications/{app.pk}/",
        "/processing/books/",
        "/processing/books/new/",
        f"/processing/books/{book.pk}/",
        f"/processing/books/{book.pk}/writeoff/",
        f"/processing/books/{book.pk}/writeoff/?export=xlsx",
        "/processing/inventories/I/",
        "/processing/inventories/E/new/",
        f"/processing/inventory/{inv.pk}/",
        "/processing/query/",
        "/processing/writeoff/",
        f"/processing/receipt/book/{book.pk}/",
        f"/processing/books/{book.pk}/lines/materials.json?q=FAB",
    ):
        assert client_a.get(url).status_code == 200, url
    assert OperationLog.objects.count() == logs
    assert (Book.objects.get(pk=book.pk).updated_at, Inventory.objects.get(pk=inv.pk).updated_at) == stamps


def test_overdraw_refused_per_line(client_a, actor_a):
    book = gb.approved_book(actor_a)
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 100), (3, 1000)])))
    export = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 1000)]))
    r = client_a.post(f"/processing/inventory/{export.pk}/declare/")
    assert r.status_code == 422
    page = r.content.decode()
    assert "申报失败" in page and "data-declare-errors" in page
    raw = re.search(r'id="grid-inventories-items-config"[^>]*>(.*?)</script>', page, re.S).group(1)
    config = json.loads(raw)
    assert config["rows"][0]["_error"]
    export.refresh_from_db()
    assert export.status == "draft"


def test_query_needs_enterprise_and_shows_receipt_box(client_a, actor_a):
    book = gb.approved_book(actor_a)
    page = client_a.get("/processing/query/?enterprise=&doc=book").content.decode()
    assert "请选择可查询企业" in page
    page = client_a.get(f"/processing/query/?enterprise={g.ETPS_NO}&doc=book").content.decode()
    assert "只能查询本企业" in page  # not the enterprise nor one of its clients
    code = actor_a.enterprise.customs_code
    Book.objects.filter(pk=book.pk).update(bizop_etpsno=code)
    page = client_a.get(f"/processing/query/?enterprise={code}&doc=book").content.decode()
    assert book.ems_no in page
    r = client_a.get(f"/processing/query/open/?enterprise={code}&doc=book&selected={book.pk}&action=receipt")
    assert r.status_code == 302
    page = client_a.get(r["Location"]).content.decode()
    for label in ("预录入统一编号", "业务编号", "数据状态", "审批日期", "备注", "回执明细", "序号", "检查信息"):
        assert label in page
    assert "[3402] 联网电子审核通过, 转岗" in page
    r = client_a.get(f"/processing/query/open/?enterprise={code}&doc=book&selected={book.pk}&action=detail")
    assert r["Location"] == f"/processing/books/{book.pk}/?view=1"


def test_writeoff_page_and_export(client_a, actor_a):
    book = gb.approved_book(actor_a)
    gb.pass_inventory(
        actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 1000), (3, 10000), (5, 1000)]))
    )
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 100)])))
    page = client_a.get(f"/processing/books/{book.pk}/writeoff/").content.decode()
    assert "writeoff-chart" in page and "FAB-CT-001" in page
    r = client_a.get(f"/processing/books/{book.pk}/writeoff/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_excel_import_into_the_materials_grid(client_a, actor_a):
    """The 料件 grid's import: the template of the shared pipeline, filled, uploaded; a bad cell
    names its Excel row and nothing is imported; a good file adds the rows with their 序号."""
    import io

    from openpyxl import load_workbook

    app = services.create_application(actor_a, QUAL_HEAD)
    base = f"/processing/qualifications/{app.pk}/rows/"
    template = client_a.get(base + "template.xlsx?kind=I")
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    ws = wb["料件"]
    headers = [c.value for c in ws[1]]
    assert "商品编码" in headers and "产销国(地区)" in headers and "法定计量单位" not in headers

    def upload(rows: list[dict]) -> tuple[int, dict]:
        for r in range(ws.max_row, 1, -1):
            ws.delete_rows(r)
        for row in rows:
            ws.append([row.get(h) for h in headers])
        data = io.BytesIO()
        wb.save(data)
        data.seek(0)
        data.name = "goods.xlsx"
        response = client_a.post(base + "import/", {"kind": "I", "file": data})
        return response.status_code, response.json()

    good = {"料号": "A1", "商品编码": "4421100090", "商品名称": "出差", "申报计量单位": "035", "申报单价": 4,
            "币制": "CNY", "申报数量": 4}
    status, body = upload([good, {**good, "料号": "A2", "申报数量": "很多"}])
    assert status == 422 and body["errors"][0]["row"] == 3
    assert not QualificationGoods.objects.exists()
    status, body = upload([good, {**good, "料号": "A2"}])
    assert status == 200, body
    assert body["count"] == 2
    assert sorted(QualificationGoods.objects.values_list("gds_seqno", "lawf_unitcd")) == [(1, "035"), (2, "035")]


def test_book_change_versions_and_delete(client_a, actor_a):
    draft = gb.draft_book(actor_a)
    page = client_a.get(f"/processing/books/{draft.pk}/").content.decode()
    assert 'data-action="delete"' in page and 'data-action="change"' not in page
    book = gb.approved_book(actor_a)
    page = client_a.get(f"/processing/books/{book.pk}/").content.decode()
    assert 'data-action="change"' in page and 'data-action="delete"' not in page
    assert client_a.post(f"/processing/books/{book.pk}/delete/").status_code == 302
    assert Book.objects.filter(pk=book.pk).exists()  # approved once: never deleted
    assert client_a.post(f"/processing/books/{book.pk}/change/").status_code == 302
    material = book.materials.get(gds_seqno=1)
    status, body = post_json(
        client_a, f"/processing/books/{book.pk}/rows/save/",
        {"kind": "materials", "id": material.pk, "row": {"dcl_uprc_amt": "2.5"}},
    )
    assert status == 200, body
    assert client_a.post(f"/processing/books/{book.pk}/declare/").status_code == 302
    page = client_a.get(f"/processing/books/{book.pk}/").content.decode()
    assert "变更记录" in page and "data-versions" in page
    assert client_a.post(f"/processing/books/{draft.pk}/delete/").status_code == 302
    assert not Book.objects.filter(pk=draft.pk).exists()


def test_qualification_red_star_unit_code_refused_on_save_page(client_a):
    """Seed 001 一 4: a red-star field left empty stops 暂存 (经营单位编码 here), the page names it."""
    r = client_a.post("/processing/qualifications/new/", {**QUAL_HEAD, "bizop_etpsno": ""})
    assert r.status_code in (200, 422)
    assert "经营单位编码不能为空" in r.content.decode()
    assert not QualificationApplication.objects.exists()


def test_grid_currency_and_country_codes_stored_as_params_codes(client_a):
    """币制/国别 in the grid: the picker's params code (or the 金二 numeric one) is kept as the params
    code with its name; an unknown code is a 422 naming the field."""
    client_a.post("/processing/qualifications/new/", QUAL_HEAD)
    app = QualificationApplication.objects.get()
    base = f"/processing/qualifications/{app.pk}/rows/"
    row = {"gds_mtno": "1", "gdecd": "4421100090", "gds_nm": "出差", "dcl_unitcd": "035", "dcl_qty": "4"}
    status, body = post_json(client_a, base + "save/", {"kind": "I", "id": None,
                                                        "row": {**row, "dcl_currcd": "502", "natcd": "CHN"}})
    assert status == 200, body
    assert (body["row"]["dcl_currcd"], body["row"]["natcd"]) == ("USD", "CHN")
    assert body["row"]["_names"]["dcl_currcd"] == "美元"
    status, body = post_json(client_a, base + "save/", {"kind": "I", "id": None, "row": {**row, "natcd": "QQQ"}})
    assert status == 422 and body["errors"] == [{"field": "natcd", "message": "产销国(地区)代码QQQ不存在"}]
    assert QualificationGoods.objects.count() == 1
