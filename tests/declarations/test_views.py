"""Declaration pages: list with filters and bulk actions, entry page (new / edit / read-only),
saving through the page's endpoint, receipts polling, print view, tenant isolation."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from guanwu.declarations.models import Declaration, DeclarationStatus, Receipt, ReceiptKind
from tests.declarations.factories import make_export_declaration, make_import_declaration
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db

API = "/api/v1/declarations"


def page_config(response) -> dict:
    match = re.search(r'<script id="decl-config" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    assert match, "the entry page embeds its configuration"
    return json.loads(match.group(1))


def row_pks(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-pk="(\d+)"', response.content.decode())]


# ------------------------------------------------------------------------------------- list


def test_list_renders_columns_filters_and_actions(client_a, ent_a, admin_a):
    decl = make_import_declaration(ent_a, admin_a, status=DeclarationStatus.RELEASED, seq_no="I20240000000000123",
                                   entry_id="224820241000000123")
    response = client_a.get(reverse("declarations:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for header in ("统一编号", "海关编号", "客户端编号", "进出口", "状态", "境内收发货人", "监管方式", "提运单号",
                   "录入时间", "申报时间"):
        assert f">{header}" in html
    for name in ('name="ie_flag"', 'name="status"', 'name="no"', 'name="trade"', 'name="bill_no"',
                 'name="created_from"', 'name="declared_to"'):
        assert name in html
    assert "新增进口" in html and "新增出口" in html
    assert f'href="{reverse("declarations:create")}?ie=E"' in html
    assert 'href="/imports/declarations/"' in html and "Excel导入" in html
    assert 'value="declare"' in html and 'value="delete"' in html
    assert 'class="badge text-bg-success gw-status" data-status="released">放行<' in html
    assert "0110 一般贸易" in html
    assert reverse("declarations:detail", args=[decl.pk]) in html
    assert reverse("declarations:print", args=[decl.pk]) in html


def test_list_filters(client_a, ent_a, admin_a, ent_b, admin_b):
    imp = make_import_declaration(ent_a, admin_a)
    exp = make_export_declaration(ent_a, admin_a, status=DeclarationStatus.DECLARED, seq_no="E20240000000000777")
    make_import_declaration(ent_b, admin_b)  # another enterprise's: never listed
    url = reverse("declarations:list")
    assert sorted(row_pks(client_a.get(url))) == sorted([imp.pk, exp.pk])
    assert row_pks(client_a.get(url, {"ie_flag": "E"})) == [exp.pk]
    assert row_pks(client_a.get(url, {"status": "draft"})) == [imp.pk]
    assert row_pks(client_a.get(url, {"no": "0000777"})) == [exp.pk]
    assert row_pks(client_a.get(url, {"bill_no": "MEDUXY"})) == [imp.pk]
    assert sorted(row_pks(client_a.get(url, {"trade": ent_a.customs_code}))) == sorted([imp.pk, exp.pk])
    assert row_pks(client_a.get(url, {"declared_from": "2000-01-01"})) == []
    assert len(row_pks(client_a.get(url, {"created_from": "2000-01-01"}))) == 2


def test_bulk_delete_drafts_and_refuse_others(client_a, ent_a, admin_a):
    draft = make_import_declaration(ent_a, admin_a)
    released = make_import_declaration(ent_a, admin_a, status=DeclarationStatus.RELEASED)
    url = reverse("declarations:list")
    response = client_a.post(url, {"action": "delete", "ids": [draft.pk, released.pk]}, follow=True)
    assert "只能删除暂存的报关单" in response.content.decode()
    assert Declaration.objects.filter(pk=draft.pk).exists()
    response = client_a.post(url, {"action": "delete", "ids": [draft.pk]}, follow=True)
    assert "已删除 1 份报关单" in response.content.decode()
    assert not Declaration.objects.filter(pk=draft.pk).exists()


def test_bulk_declare_shows_each_result(client_a, actor_a, ent_a, admin_a, settings, tmp_path):
    settings.GATEWAY_DIR = tmp_path / "gateway"
    from guanwu.declarations import services

    good = services.create_draft(actor_a, export_payload())
    bad = services.create_draft(actor_a, export_payload(gross_wet="1", net_wt="2"))
    response = client_a.post(reverse("declarations:list"), {"action": "declare", "ids": [good.pk, bad.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "批量申报结果" in html
    assert 'data-declared>1<' in html and 'data-failed>1<' in html
    assert re.search(rf'<tr data-pk="{good.pk}" class="table-success">', html)
    assert re.search(rf'<tr data-pk="{bad.pk}" class="table-danger">', html)
    assert "不能大于毛重" in html
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == DeclarationStatus.DECLARED
    assert bad.status == DeclarationStatus.DRAFT


def test_copy_row_action_opens_the_copy(client_a, ent_a, admin_a):
    decl = make_export_declaration(ent_a, admin_a, status=DeclarationStatus.REJECTED)
    response = client_a.post(reverse("declarations:copy", args=[decl.pk]), {"next": reverse("declarations:list")})
    copy = Declaration.objects.exclude(pk=decl.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("declarations:detail", args=[copy.pk])
    assert copy.status == DeclarationStatus.DRAFT and copy.copied_from_id == decl.pk
    assert copy.items.count() == 3


def test_list_query_count_does_not_grow_with_rows(client_a, ent_a, admin_a, django_assert_max_num_queries):
    for _ in range(3):
        make_import_declaration(ent_a, admin_a)
    client_a.get(reverse("declarations:list"))  # warm caches (sessions, content types)
    with django_assert_max_num_queries(12):
        few = client_a.get(reverse("declarations:list"))
    for _ in range(10):
        make_import_declaration(ent_a, admin_a)
    with django_assert_max_num_queries(12):
        many = client_a.get(reverse("declarations:list"))
    # the pages counted are the list with its rows (not a redirect or an error page)
    assert (few.status_code, many.status_code) == (200, 200)
    assert "总共 3 条记录" in few.content.decode()
    html = many.content.decode()
    assert "总共 13 条记录" in html
    assert len(re.findall(r'<tr data-pk="\d+"', html)) == 13  # every row, on the one page


# ------------------------------------------------------------------------------------ entry


def test_new_export_page_has_layout_labels_required_marks_and_defaults(client_a, ent_a):
    response = client_a.get(reverse("declarations:create"), {"ie": "E"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "新增出口报关单" in html
    for label in ("申报地海关", "出境关别", "出口日期", "境内发货人", "境外收货人", "生产销售单位", "申报单位",
                  "运输方式", "运输工具名称", "航次号", "提运单号", "监管方式", "征免性质", "许可证号", "运抵国(地区)",
                  "指运港", "离境口岸", "包装种类", "件数", "毛重(千克)", "净重(千克)", "成交方式", "运费", "保费",
                  "杂费", "贸易国(地区)", "无其他包装", "标记唛码", "备注", "自报自缴"):
        assert f">{label}</label>" in html, label
    # 启运港 and 货物存放地点 are import fields; the deprecated 检验检疫 organs are not shown
    for label in ("货物存放地点", "启运港", "检验检疫受理机关", "领证机关", "口岸检验检疫机关"):
        assert f">{label}</label>" not in html, label
    # 申报必填 fields are marked
    assert re.search(r'class="gw-cell-label gw-required" for="h-custom_master">申报地海关<', html)
    assert re.search(r'class="gw-cell-label gw-required" for="h-traf_mode">运输方式<', html)
    assert re.search(r'class="gw-cell-label" for="h-manual_no">备案号<', html)
    # code fields are shared pickers on their parameter tables
    assert re.search(r'<select id="h-custom_master" name="custom_master"[^>]*data-picker="customs-offices"', html)
    assert re.search(r'<select id="h-distinate_port" name="distinate_port"[^>]*data-picker="ports"', html)
    assert re.search(r'class="gw-cell-label gw-required" for="h-distinate_port">指运港<', html)
    assert "data-enter-nav" in html
    # the enterprise is the declaring agent of a new declaration
    assert f'name="agent_code" value="{ent_a.customs_code}"' in html
    config = page_config(response)
    assert config["id"] is None and config["ie_flag"] == "E" and config["editable"] is True
    assert config["urls"]["api"] == API
    labels = {c["name"]: c["label"] for c in config["columns"]["items"]}
    assert labels["origin_country"] == "最终目的国(地区)"
    assert labels["destination_country"] == "原产国(地区)"
    assert labels["district_code"] == "境内货源地"
    assert "dest_code" not in labels
    names = [c["name"] for c in config["columns"]["items"]]
    assert names.index("destination_country") < names.index("origin_country")  # 原产国 first
    required = {c["name"] for c in config["columns"]["items"] if c["required"]}
    assert {"code_ts", "g_name", "g_qty", "decl_total", "district_code"} <= required
    assert set(config["columns"]) == {"items", "containers", "licences", "documents", "other_packs"}


def test_new_import_page_labels(client_a):
    html = client_a.get(reverse("declarations:create"), {"ie": "I"}).content.decode()
    for label in ("进境关别", "进口日期", "境内收货人", "境外发货人", "消费使用单位", "启运国(地区)", "经停港",
                  "入境口岸", "启运港", "货物存放地点", "目的地海关"):
        assert f">{label}</label>" in html, label
    assert re.search(r'class="gw-cell-label gw-required" for="h-desp_port_code">启运港<', html)
    assert ">口岸检验检疫机关</label>" not in html  # deprecated (字段已废弃，不再使用)
    config = page_config(client_a.get(reverse("declarations:create")))
    assert config["ie_flag"] == "I"
    labels = {c["name"]: c["label"] for c in config["columns"]["items"]}
    assert labels["origin_country"] == "原产国(地区)" and labels["district_code"] == "境内目的地"
    assert labels["dest_code"] == "目的地代码"


def test_edit_page_shows_values_code_names_and_tariffs(client_a, ent_a, admin_a):
    decl = make_export_declaration(ent_a, admin_a)
    response = client_a.get(reverse("declarations:detail", args=[decl.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="5316" selected>大鹏海关</option>' in html
    assert 'name="bill_no" value="COSU6234567890"' in html
    config = page_config(response)
    assert config["id"] == decl.pk and config["version"] == decl.version and config["editable"] is True
    items = config["children"]["items"]
    assert [i["g_no"] for i in items] == [1, 2, 3]
    assert items[0]["g_model"].startswith("0|0|针织")
    tariff = config["tariffs"]["6109100010"]
    assert tariff["first_unit"] == "011" and tariff["second_unit"] == "035"
    assert tariff["elements"][0]["name"] == "品牌类型"
    assert config["names"]["units"]["035"] == "千克"
    assert config["names"]["countries"]["DEU"] == "德国"
    assert len(config["children"]["containers"]) == 1 and len(config["children"]["licences"]) == 1
    assert 'id="btn-save"' in html and 'id="btn-declare"' in html and 'id="btn-delete"' in html


def test_entry_page_query_count_does_not_grow_with_items(
    client_a, ent_a, admin_a, django_assert_max_num_queries, monkeypatch
):
    from guanwu.declarations.models import DeclarationItem
    from guanwu.params import index

    # the code-table index re-checks its version once a second (2 queries); a slow run must not count them
    monkeypatch.setattr(index, "CHECK_EVERY", 3600.0)

    decl = make_export_declaration(ent_a, admin_a)
    url = reverse("declarations:detail", args=[decl.pk])
    client_a.get(url)
    with django_assert_max_num_queries(25) as few:
        client_a.get(url)
    item = decl.items.first()
    for g_no in range(4, 50):
        item.pk = None
        item.g_no = g_no
        item.save()
    assert DeclarationItem.objects.filter(declaration=decl).count() == 49
    with django_assert_max_num_queries(len(few.captured_queries)):
        client_a.get(url)


def test_read_only_when_declared(client_a, ent_a, admin_a):
    decl = make_import_declaration(ent_a, admin_a, status=DeclarationStatus.DECLARED,
                                   client_seq_no="610193000100000099")
    response = client_a.get(reverse("declarations:detail", args=[decl.pk]))
    html = response.content.decode()
    assert page_config(response)["editable"] is False
    assert 'id="btn-save"' not in html and 'id="btn-declare"' not in html and 'id="btn-delete"' not in html
    assert 'id="btn-copy"' in html and 'id="btn-print"' in html
    assert "只能查看" in html
    assert 'name="bill_no" value="MEDUXY123456"' in html and "readonly" in html
    assert re.search(r'<select id="h-custom_master"[^>]*disabled', html)
    # customs is working on it: the status polls
    assert f'hx-get="{reverse("declarations:live", args=[decl.pk])}?shown=declared"' in html
    assert 'hx-trigger="every 2s"' in html


def test_rejected_is_editable_and_shows_the_reason(client_a, ent_a, admin_a):
    decl = make_import_declaration(ent_a, admin_a, status=DeclarationStatus.REJECTED,
                                   reject_reason="[0069] 提运单号在舱单中不存在")
    response = client_a.get(reverse("declarations:detail", args=[decl.pk]))
    html = response.content.decode()
    assert page_config(response)["editable"] is True
    assert "退单原因:" in html and "[0069] 提运单号在舱单中不存在" in html
    assert "hx-trigger" not in html


def test_live_partial_lists_receipts_in_time_order_and_stops_polling(client_a, ent_a, admin_a):
    decl = make_import_declaration(ent_a, admin_a, status=DeclarationStatus.ACCEPTED, seq_no="I20240000000000001",
                                   entry_id="224820241000000001")
    for n, (channel, text, status) in enumerate([("L", "海关已接收", "accepted"), ("P", "报关单放行", "released")]):
        Receipt.objects.create(enterprise=ent_a, declaration=decl, kind=ReceiptKind.RESULT, channel=channel,
                               channel_text=text, implied_status=status, dedupe_key=f"k{n}", note=f"note-{n}")
    url = reverse("declarations:live", args=[decl.pk])
    html = client_a.get(url, {"shown": "accepted"}).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert html.index("海关已接收") < html.index("报关单放行")
    assert '<div id="receipts" hx-swap-oob="true">' in html
    assert "224820241000000001" in html
    decl.status = DeclarationStatus.CLOSED
    decl.save()
    response = client_a.get(url, {"shown": "accepted"})
    assert "hx-trigger" not in response.content.decode()
    assert "HX-Refresh" not in response  # both read-only: no reload
    decl.status = DeclarationStatus.REJECTED
    decl.save()
    assert client_a.get(url, {"shown": "accepted"})["HX-Refresh"] == "true"  # editable again


def test_receipts_tab_on_the_entry_page(client_a, ent_a, admin_a):
    decl = make_import_declaration(ent_a, admin_a, status=DeclarationStatus.RELEASED)
    Receipt.objects.create(enterprise=ent_a, declaration=decl, kind=ReceiptKind.RESULT, channel="P",
                           channel_text="报关单放行", implied_status="released", dedupe_key="x1")
    html = client_a.get(reverse("declarations:detail", args=[decl.pk])).content.decode()
    assert 'id="receipts-body"' in html and "报关单放行" in html
    assert 'id="receipts-count" class="badge rounded-pill text-bg-secondary">1<' in html
    assert "data-operation-log" in html


# ------------------------------------------------------------------------- saving via the page


def test_save_through_the_pages_endpoint_creates_and_updates_a_draft(client_a, ent_a):
    config = page_config(client_a.get(reverse("declarations:create"), {"ie": "E"}))
    body = export_payload()
    body.pop("items")
    # exactly what the page sends: the header fields it shows, the grids, the direction
    sent = {name: body.get(name, "") for name in config["head_fields"]}
    sent["ie_flag"] = config["ie_flag"]
    sent["items"] = export_payload()["items"]
    sent["containers"] = export_payload()["containers"]
    for key in ("licences", "documents", "other_packs"):
        sent[key] = []
    response = client_a.post(config["urls"]["api"], sent, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    decl = Declaration.objects.get(pk=created["id"])
    assert decl.enterprise == ent_a and decl.status == DeclarationStatus.DRAFT
    assert decl.items.count() == 2 and decl.items.get(g_no=1).first_unit == "011"  # from the tariff
    assert decl.agent_code == ent_a.customs_code
    # the edit page then PUTs with its version
    config = page_config(client_a.get(reverse("declarations:detail", args=[decl.pk])))
    stored = client_a.get(f"{API}/{decl.pk}").json()  # what the page's inputs show
    sent.update({name: stored[name] for name in config["head_fields"]})
    sent.pop("ie_flag")
    sent["version"] = config["version"]
    sent["items"] = list(reversed(sent["items"]))  # moved rows
    response = client_a.put(f"{API}/{decl.pk}", sent, content_type="application/json")
    assert response.status_code == 200, response.content
    assert decl.items.get(g_no=1).code_ts == "6110200011"
    stale = client_a.put(f"{API}/{decl.pk}", sent, content_type="application/json")
    assert stale.status_code == 409  # someone else saved meanwhile


def test_errors_come_back_with_field_paths(client_a):
    body = export_payload(custom_master="", net_wt="abc")
    body["items"][1]["code_ts"] = "9999999999"
    response = client_a.post(API, body, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "net_wt" in fields
    body = export_payload(custom_master="")
    body["items"][1]["code_ts"] = "9999999999"
    response = client_a.post(API, body, content_type="application/json")
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "custom_master" in errors
    assert "items[1].code_ts" in errors and "第2项" in errors["items[1].code_ts"]


def test_check_returns_declare_errors_and_warnings(client_a, actor_a):
    from guanwu.declarations import services

    body = export_payload(gross_wet="2650.5")
    body["items"][1]["district_code"] = ""  # 申报 needs it, 暂存 does not
    decl = services.create_draft(actor_a, body)
    data = client_a.post(f"{API}/{decl.pk}/check", content_type="application/json").json()
    assert not data["ok"]
    errors = {e["field"]: e["message"] for e in data["errors"]}
    assert "items[1].district_code" in errors and "第2项" in errors["items[1].district_code"]
    assert any(w["field"] == "gross_wet" for w in data["warnings"])  # 毛重等于净重


# ------------------------------------------------------------------------------------ print


def test_print_view(client_a, ent_a, admin_a):
    decl = make_export_declaration(ent_a, admin_a, seq_no="E20240000000000456", entry_id="531620240000000456")
    response = client_a.get(reverse("declarations:print", args=[decl.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "中华人民共和国海关出口货物报关单" in html
    assert "531620240000000456" in html
    assert "境内发货人" in html and "出境关别" in html and "运抵国(地区)" in html and "境内货源地" in html
    assert "大鹏海关(5316)" in html and "水路运输(2)" in html and "一般贸易(0110)" in html
    assert "棉制针织T恤衫" in html and "0|0|针织|T恤衫" in html
    assert "3000件" in html and "1650.5千克" in html and "11550" in html
    # 出口: 原产国 is held in destination_country, 最终目的国 in origin_country
    first_item = html[html.index('<tr class="item">'):]
    assert first_item.index("中国(CHN)") < first_item.index("德国(DEU)")
    assert "@page" not in html and "print.css" in html
    imp = make_import_declaration(ent_a, admin_a)
    html = client_a.get(reverse("declarations:print", args=[imp.pk])).content.decode()
    assert "中华人民共和国海关进口货物报关单" in html and "境内目的地" in html and "A:224800124000123000" in html


# -------------------------------------------------------------------------------- isolation


def test_other_enterprises_declaration_is_404_everywhere(client_a, ent_b, admin_b):
    other = make_import_declaration(ent_b, admin_b)
    for name in ("detail", "live", "print"):
        assert client_a.get(reverse(f"declarations:{name}", args=[other.pk])).status_code == 404, name
    assert client_a.post(reverse("declarations:copy", args=[other.pk])).status_code == 404
    assert client_a.put(f"{API}/{other.pk}", {"bill_no": "X"}, content_type="application/json").status_code == 404
    # bulk actions silently drop foreign ids
    response = client_a.post(reverse("declarations:list"), {"action": "delete", "ids": [other.pk]}, follow=True)
    assert "所选记录不存在或无权访问" in response.content.decode()
    assert Declaration.objects.filter(pk=other.pk).exists()


def test_login_required(client):
    response = client.get(reverse("declarations:create"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_menu_and_import_links(client_a):
    html = client_a.get("/").content.decode()
    assert f'href="{reverse("declarations:create")}"' in html
    assert f'href="{reverse("declarations:list")}"' in html
    response = client_a.get(reverse("declarations:import"))
    assert response.status_code == 302 and response.url == "/imports/declarations/"
    assert "暂存报关单" in html  # dashboard widget
