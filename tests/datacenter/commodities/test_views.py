"""List pages (query by 境内收发货人名称, 商品名称, 商品编号, 进出口标志, keyword; export) and forms."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from guanwu.datacenter.commodities.models import BondedItem, Commodity
from tests.datacenter.commodities.helpers import released_export, released_import

LIST = "/datacenter/commodities/"


def test_commodity_list_filters_and_export(client_a, ent_a, django_capture_on_commit_callbacks):
    released_export(ent_a, django_capture_on_commit_callbacks)
    released_import(ent_a, django_capture_on_commit_callbacks)
    page = client_a.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert "棉制针织T恤衫" in text and "笔记本电脑" in text and "下载模板" in text and "导入文件" in text
    assert "总共 5 条记录" in text
    assert "总共 2 条记录" in client_a.get(LIST, {"ie_flag": "I"}).content.decode()
    assert "总共 2 条记录" in client_a.get(LIST, {"code": "6109"}).content.decode()
    assert "总共 1 条记录" in client_a.get(LIST, {"name": "T恤"}).content.decode()
    assert "总共 5 条记录" in client_a.get(LIST, {"trade": "甲企业"}).content.decode()
    assert "没有找到" in client_a.get(LIST, {"trade": "别的公司"}).content.decode()
    assert "总共 3 条记录" in client_a.get(LIST, {"q": "针织"}).content.decode()
    assert "总共 1 条记录" in client_a.get(LIST, {"q": "dell"}).content.decode()
    assert "总共 1 条记录" in client_a.get(LIST, {"q": "8471"}).content.decode()
    export = client_a.get(LIST, {"export": "all", "ie_flag": "E"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert sheet.max_row == 4 and sheet.cell(1, 1).value == "商品编号"


def test_list_query_count_does_not_grow_with_rows(client_a, ent_a, django_capture_on_commit_callbacks,
                                                  django_assert_max_num_queries):
    released_export(ent_a, django_capture_on_commit_callbacks)
    released_import(ent_a, django_capture_on_commit_callbacks)
    client_a.get(LIST)  # loads the code tables' in-process index once
    with django_assert_max_num_queries(10):
        assert client_a.get(LIST).status_code == 200


def test_commodity_form_create_edit_and_errors(client_a, ent_a):
    data = {"trade_code": ent_a.customs_code, "trade_name": ent_a.name, "ie_flag": "E", "code_ts": "6109100010",
            "g_name": "棉制针织T恤衫", "g_model": "0|0|针织|T恤衫|圆领|100%棉|无品牌|TS-1|无|无|无", "g_unit": "011"}
    bad = client_a.post("/datacenter/commodities/new/", {**data, "g_model": "1|0"})
    assert bad.status_code == 422 and "申报要素应有11项" in bad.content.decode()
    assert client_a.post("/datacenter/commodities/new/", data).status_code == 302
    obj = Commodity.objects.get()
    assert obj.first_unit == "011" and obj.source == "manual"
    page = client_a.get(f"/datacenter/commodities/{obj.pk}/edit/")
    assert page.status_code == 200 and "棉制针织T恤衫" in page.content.decode()
    assert client_a.post(f"/datacenter/commodities/{obj.pk}/edit/", {**data, "decl_price": "5"}).status_code == 302
    obj.refresh_from_db()
    assert str(obj.decl_price) == "5.0000"
    deleted = client_a.post(LIST, {"action": "delete", "ids": [obj.pk]})
    assert deleted.status_code == 302 and not Commodity.objects.exists()


def test_bonded_list_by_record_no_and_form(client_a, ent_a):
    data = {"ems_no": "E61019000001", "item_no": "1", "code_ts": "8542319000", "g_name": "微控制器", "g_unit": "007"}
    assert client_a.post("/datacenter/bonded-items/new/", data).status_code == 302
    assert client_a.post("/datacenter/bonded-items/new/", {**data, "item_no": "2", "ems_no": "C61"}).status_code == 422
    BondedItem.objects.create(enterprise=ent_a, ems_no="C61019000002", item_no=1, code_ts="8534009000", g_name="电路板")
    page = client_a.get("/datacenter/bonded-items/", {"ems_no": "E61019000001"}).content.decode()
    assert "微控制器" in page and "电路板" not in page and "格式必须与模板一致" in page
    item = BondedItem.objects.get(ems_no="E61019000001")
    assert client_a.get(f"/datacenter/bonded-items/{item.pk}/edit/").status_code == 200


def test_other_enterprise_pages_answer_404(client, admin_b, ent_a):
    obj = BondedItem.objects.create(enterprise=ent_a, ems_no="E61019000001", item_no=1, code_ts="8534009000",
                                    g_name="电路板")
    client.force_login(admin_b)
    assert client.get(f"/datacenter/bonded-items/{obj.pk}/edit/").status_code == 404
    assert client.post(f"/datacenter/bonded-items/{obj.pk}/edit/", {"g_name": "x"}).status_code == 404


def test_the_form_s_countries_mean_what_their_labels_say(client_a, ent_a):
    """Issue 11, point 17 for the library: an export entry keyed 原产国 CHN, 最终目的国 DEU is used as
    such in a declaration (stored like an export goods item: DestinationCountry = 原产国)."""
    data = {"trade_code": ent_a.customs_code, "trade_name": ent_a.name, "ie_flag": "E", "code_ts": "6109100010",
            "g_name": "棉制针织T恤衫", "origin_country": "CHN", "destination_country": "DEU"}
    response = client_a.post("/datacenter/commodities/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Commodity.objects.get(g_name="棉制针织T恤衫")
    assert (entry.destination_country, entry.origin_country) == ("CHN", "DEU")
    page = client_a.get(f"/datacenter/commodities/{entry.pk}/edit/").content.decode()
    origin = page[page.index('name="origin_country"'):]
    assert 'value="CHN"' in origin[:origin.index("</select>")]
    # a bad code is named, and shown, on the field typed into
    response = client_a.post(f"/datacenter/commodities/{entry.pk}/edit/", {**data, "destination_country": "QQQ"})
    assert response.status_code == 422
    assert "最终目的国(地区) QQQ 不存在" in response.content.decode()


def test_the_import_s_countries_mean_what_their_headers_say(actor_a, django_capture_on_commit_callbacks):
    from tests.datacenter.commodities.test_imports import COMMODITY_HEADERS, row, run, xlsx

    rows = [row(origin_country="CHN", destination_country="DEU")]  # an export (出口) row
    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, rows), "all_or_nothing",
              django_capture_on_commit_callbacks)
    assert job.status == "succeeded", job.result
    entry = Commodity.objects.get()
    assert (entry.destination_country, entry.origin_country) == ("CHN", "DEU")
