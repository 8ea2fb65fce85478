"""The pages of 跨境电商B2B出口 (seed 003): every page answers, a GET never writes, another
enterprise's ids answer 404, 提交海关 from the list, receipts shown in Chinese, the list detail
with exactly the seed's 表头详情/表体详情 and codes as 名称[代码], 生成报关单 from a summary."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from guanwu.audit.models import OperationLog
from guanwu.crossborder import services
from guanwu.crossborder.models import (
    CebReceipt,
    CebStatus,
    CrossborderSettings,
    ExportList,
    LogisticsCompany,
    Order,
    Summary,
)
from guanwu.tenancy.context import Actor

SHORT = "XAYH"
BATCH_NO = f"SF{timezone.localdate():%Y%m%d}{SHORT}01"


def set_up(actor: Actor) -> None:
    CrossborderSettings.objects.update_or_create(
        enterprise=actor.enterprise,
        defaults={"short_code": SHORT, "customs_code": "9001", "port_code": "9002", "dxp_id": "DXPENT0000000001"},
    )
    LogisticsCompany.objects.get_or_create(
        enterprise=actor.enterprise, short_code="SF",
        defaults={"logistics_code": "4403180001", "logistics_name": "顺丰速运有限公司"},
    )


def order_data(order_no: str, **head) -> dict:
    return {
        "batch_no": BATCH_NO, "order_no": order_no, "ebp_code": "6101960001", "ebp_name": "西安跨境B2B平台",
        "currency": "502", **head,
        "lines": [{"item_no": "SKU1", "item_name": "男式棉制针织T恤", "unit": "011", "qty": Decimal(10),
                   "price": Decimal("2.5")}],
    }


def list_data(order_no: str, logistics_no: str) -> dict:
    """The seed's 清单信息详情 example: 航空运输[5], 美国[502], 木箱[1], 运费 64.995 人民币[142], 毛重 1.18,
    净重 1.13, 件数 1, 总价 10, 简化申报[A]; 表体 6209 均码 无 美国[502] 美元[502] 1."""
    return {
        "batch_no": BATCH_NO, "ie_date": timezone.localdate(), "order_no": order_no, "logistics_no": logistics_no,
        "logistics_code": "4403180001", "logistics_name": "顺丰速运有限公司",
        "owner_code": "6101930001", "owner_name": "甲企业", "traf_mode": "5", "country": "502", "pod": "502",
        "freight": Decimal("64.995"), "f_currency": "142", "insured_fee": Decimal(0), "i_currency": "142",
        "wrap_type": "1", "pack_no": 1, "gross_weight": Decimal("1.18"), "net_weight": Decimal("1.13"),
        "lines": [{"item_no": "1", "g_code": "6209200000", "g_name": "婴儿棉制服装", "g_model": "均码",
                   "bar_code": "无", "country": "502", "currency": "502", "qty": Decimal(1), "unit": "011",
                   "qty1": Decimal("1.13"), "unit1": "035", "price": Decimal(10)}],
    }


@pytest.fixture
def data(actor_a):
    """A 9710 order with its list, a 9810 booking order, and a summary of the list."""
    set_up(actor_a)
    order = services.create_order(actor_a, order_data("SO20240920001"))
    booking = services.create_order(actor_a, order_data("DC20240920001", ebp_code="无", ebp_name="洛杉矶海外仓",
                                                        warehouse_country="502"), order_type="W")
    export_list = services.create_list(actor_a, list_data("SO20240920001", "SF1000000001"))
    return {"order": order, "booking": booking, "list": export_list, "summary": None}


def _summary(actor: Actor, export_list: ExportList) -> Summary:
    """A summary of ``export_list`` (released by customs: set here as the receipts would)."""
    ExportList.objects.filter(pk=export_list.pk).update(status=CebStatus.RELEASED, invt_no="51202024E000000001")
    return services.create_summary_from_lists(actor, [export_list.pk])


def object_pages(data) -> list[str]:
    order, booking, export_list = data["order"], data["booking"], data["list"]
    logistics = LogisticsCompany.objects.get(enterprise=order.enterprise)
    urls = [
        reverse("crossborder:order-detail", args=[order.pk]), reverse("crossborder:order-detail", args=[booking.pk]),
        reverse("crossborder:order-message", args=[order.pk]),
        reverse("crossborder:list-detail", args=[export_list.pk]),
        reverse("crossborder:list-message", args=[export_list.pk]),
        reverse("crossborder:logistics-edit", args=[logistics.pk]),
    ]
    if data.get("summary"):
        urls += [reverse("crossborder:summary-detail", args=[data["summary"].pk]),
                 reverse("crossborder:summary-message", args=[data["summary"].pk])]
    return urls


def pages(data) -> list[str]:
    names = ["dashboard", "order-9710-import", "order-9710-declare", "order-9710-list", "order-9810-import",
             "order-9810-declare", "order-9810-list", "list-import", "list-declare", "list-list", "summary-import",
             "summary-list", "settings", "logistics-list", "logistics-create"]
    urls = [reverse(f"crossborder:{n}") for n in names]
    return [*urls, reverse("crossborder:batch-no") + "?logistics=SF&day=2024-09-20", *object_pages(data)]


def _snapshot() -> dict[str, int]:
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("crossborder").get_models()}
    counts["audit"] = OperationLog.objects.count()
    counts["updated"] = hash(tuple(Order.objects.order_by("pk").values_list("updated_at", "status")))
    return counts


@pytest.mark.django_db
def test_every_page_answers_and_a_get_never_writes(client_a, actor_a, data):
    data["summary"] = _summary(actor_a, data["list"])
    before = _snapshot()
    for url in pages(data):
        response = client_a.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert _snapshot() == before


@pytest.mark.django_db
def test_another_enterprises_ids_answer_404(client, admin_b, actor_a, data):
    data["summary"] = _summary(actor_a, data["list"])
    client.force_login(admin_b)
    before = _snapshot()
    for url in object_pages(data):
        assert client.get(url).status_code == 404, url
    summary = data["summary"]
    for name in ("summary-submit", "summary-declaration"):
        assert client.post(reverse(f"crossborder:{name}", args=[summary.pk])).status_code == 404
    logistics = LogisticsCompany.objects.get(enterprise=actor_a.enterprise)
    assert client.post(reverse("crossborder:logistics-delete", args=[logistics.pk])).status_code == 404
    assert client.post(reverse("crossborder:logistics-edit", args=[logistics.pk]),
                       {"short_code": "ZZ", "logistics_code": "1", "logistics_name": "x"}).status_code == 404
    # the lists of B show none of A's rows; a bulk 提交海关 with A's ids changes nothing
    response = client.get(reverse("crossborder:order-9710-declare"))
    assert "SO20240920001" not in response.content.decode()
    client.post(reverse("crossborder:order-9710-declare"), {"action": "submit", "ids": [data["order"].pk]})
    assert _snapshot() == before


@pytest.mark.django_db
def test_import_page_proposes_the_next_free_serial(client_a, actor_a):
    set_up(actor_a)
    page = client_a.get(reverse("crossborder:order-9710-import")).content.decode()
    today = timezone.localdate()
    assert f'value="SF{today:%Y%m%d}{SHORT}01"' in page  # the batch number, proposed
    assert reverse("imports:template", args=["crossborder-orders-9710"]) in page  # the template offered
    services.create_order(actor_a, order_data("SO1", batch_no=f"SF{today:%Y%m%d}{SHORT}01"))
    page = client_a.get(reverse("crossborder:batch-no"), {"logistics": "SF", "day": today.isoformat()})
    assert f'value="SF{today:%Y%m%d}{SHORT}02"' in page.content.decode()
    lists_page = client_a.get(reverse("crossborder:list-import")).content.decode()  # 清单导入: 批次号 + 出口日期
    assert f'value="{today.isoformat()}"' in lists_page.split('name="ie_date"')[1].split(">")[0]
    page = client_a.get(reverse("crossborder:batch-no"), {"logistics": "YT", "day": "2024-09-20"}).content.decode()
    assert 'value=""' in page and "物流简码YT不是已设置的物流企业" in page


@pytest.mark.django_db
def test_import_page_without_settings_says_what_to_set(client_a):
    page = client_a.get(reverse("crossborder:list-import")).content.decode()
    assert "请先在跨境设置中添加物流企业" in page
    assert reverse("crossborder:settings") in page


@pytest.mark.django_db
def test_submit_from_the_declare_page_queues_ceb303(client_a, actor_a, data):
    from guanwu.gateway.models import OutboxMessage

    url = reverse("crossborder:order-9710-declare")
    response = client_a.post(url, {"action": "submit", "ids": [data["order"].pk]}, follow=True)
    assert "已提交海关 1 份订单" in response.content.decode()
    data["order"].refresh_from_db()
    assert data["order"].status == CebStatus.SENT
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["CEB303Message"]
    # the 申报 page lists what can be sent by default choice 可申报: the sent order is gone from it
    page = client_a.get(url, {"status": "submittable"}).content.decode()
    assert "SO20240920001" not in page
    assert "SO20240920001" in client_a.get(reverse("crossborder:order-9710-list")).content.decode()


@pytest.mark.django_db
def test_receipts_show_in_chinese_on_the_query_page_and_the_detail(client_a, actor_a, data):
    order = data["order"]
    info = "订单编号不存在"
    Order.objects.filter(pk=order.pk).update(status=CebStatus.REJECTED, return_status="100", return_info=info)
    CebReceipt.objects.create(enterprise=actor_a.enterprise, message_type="CEB304", order=order, return_status="100",
                              return_info=info, return_time=timezone.now(), dedupe_key="t-1")
    page = client_a.get(reverse("crossborder:order-9710-list")).content.decode()
    assert "海关退单[100]" in page and info in page
    assert 'class="table-danger"' in page  # a refused row stands out
    detail = client_a.get(reverse("crossborder:order-detail", args=[order.pk])).content.decode()
    assert "CEB304" in detail and "海关退单[100]" in detail and info in detail
    assert "<form" not in detail.split('id="order-detail"')[1].split('id="receipts"')[0]  # read-only


SEED_HEAD = [
    "商品批次号", "订单编号", "物流运单编号", "企业唯一编号", "电子口岸编码", "海关清单编码", "申报地海关代码",
    "出口口岸代码", "电商平台代码", "电商平台名称", "收发货人代码", "收发货人名称", "物流企业代码", "物流企业名称",
    "生产销售企业代码", "生产销售企业名称", "运输方式", "运抵国(地区)", "指运港代码", "包装种类", "运费", "运费币制",
    "运费标志", "毛重(kg)", "保费", "保费币制", "保费标志", "净重(kg)", "监管场所代码", "申报业务类型", "件数",
    "总价(合计)", "备注",
]
SEED_LINES = ["序号", "企业商品货号", "商品名称", "商品编码", "规格型号", "条形码", "目的国", "币制", "申报数量"]


@pytest.mark.django_db
def test_list_detail_shows_exactly_the_seeds_fields_with_codes_as_name_and_code(client_a, data):
    """Seed 003 三 step 9 (查看清单信息详情): 表头详情 in the seed's order, codes as 航空运输[5],
    美国[502], 木箱[1], 人民币[142], 简化申报[A]; 表体详情 序号 ... 申报数量 then the legal quantities."""
    page = client_a.get(reverse("crossborder:list-detail", args=[data["list"].pk])).content.decode()
    head = page.split('id="list-head"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">([^<]+)</th>', head) == SEED_HEAD
    values = dict(re.findall(r'<td[^>]*data-field="([^"]+)">([^<]*)</td>', head))
    assert values["运输方式"] == "航空运输[5]" and values["运抵国(地区)"] == "美国[502]"
    # 包装种类 1: the parameter table's name of the code the seed shows as 木箱[1]
    assert values["包装种类"] == "木制或竹藤等植物性材料制盒/箱[1]"
    assert values["运费币制"] == values["保费币制"] == "人民币[142]"
    assert values["申报业务类型"] == "简化申报[A]" and values["指运港代码"] == "502"
    assert values["运费"] == "64.995" and values["毛重(kg)"] == "1.18" and values["净重(kg)"] == "1.13"
    assert values["件数"] == "1" and values["总价(合计)"] == "10" and values["商品批次号"] == BATCH_NO
    lines = page.split('id="list-lines"')[1].split("</table>")[0]
    headers = re.findall(r"<th>([^<]+)</th>", lines)
    assert headers[:9] == SEED_LINES and {"法定数量", "第二数量"} <= set(headers[9:])
    cells = re.findall(r"<td>([^<]*)</td>", lines)
    assert cells[:9] == ["1", "1", "婴儿棉制服装", "6209200000", "均码", "无", "美国[502]", "美元[502]", "1"]
    assert "<form" not in page.split('id="list-detail"')[1].split('id="receipts"')[0]  # read-only


@pytest.mark.django_db
def test_summary_detail_generates_the_declaration_draft_once_summarised(client_a, actor_a, data):
    summary = _summary(actor_a, data["list"])
    page = client_a.get(reverse("crossborder:summary-detail", args=[summary.pk])).content.decode()
    assert "btn-declaration" not in page and "51202024E000000001" in page  # no CEB792 yet
    Summary.objects.filter(pk=summary.pk).update(
        status=CebStatus.SUMMARIZED, sum_no="SUM0001", decl_seq_no="912345678901234567", op_date=timezone.now())
    page = client_a.get(reverse("crossborder:summary-detail", args=[summary.pk])).content.decode()
    assert 'id="btn-declaration"' in page and "912345678901234567" in page
    response = client_a.post(reverse("crossborder:summary-declaration", args=[summary.pk]))
    summary.refresh_from_db()
    assert summary.declaration_id, re.findall(r'role="alert">([^<]+)', client_a.get("/").content.decode())
    assert summary.declaration_id
    assert response.status_code == 302 and response.url == reverse("declarations:detail", args=[summary.declaration_id])
    page = client_a.get(reverse("crossborder:summary-detail", args=[summary.pk])).content.decode()
    assert 'id="btn-open-declaration"' in page and 'id="btn-declaration"' not in page


@pytest.mark.django_db
def test_dashboard_counts_batches_by_status_with_a_chart(client_a, actor_a, data):
    Order.objects.filter(pk=data["booking"].pk).update(status=CebStatus.REJECTED)
    page = client_a.get(reverse("crossborder:dashboard")).content.decode()
    assert f'data-batch="{BATCH_NO}"' in page
    assert 'id="cb-chart-data"' in page and "echarts.min.js" in page
    assert "海关退单 1" in page and "待申报 1" in page


@pytest.mark.django_db
def test_settings_the_admin_saves_the_short_code_an_operator_may_not(client_a, client, operator_a, ent_a):
    response = client_a.post(reverse("crossborder:settings"), {"short_code": "xa1"}, follow=True)
    assert CrossborderSettings.objects.get(enterprise=ent_a).short_code == "XA1"
    assert "跨境设置已保存" in response.content.decode()
    bad = client_a.post(reverse("crossborder:settings"), {"short_code": "X-1"})
    assert bad.status_code == 422 and "企业简码" in bad.content.decode()
    client.force_login(operator_a)
    assert client.post(reverse("crossborder:settings"), {"short_code": "ZZ"}).status_code == 403
    assert CrossborderSettings.objects.get(enterprise=ent_a).short_code == "XA1"


@pytest.mark.django_db
def test_logistics_companies_add_and_refuse_a_taken_short_code(client_a, ent_a):
    url = reverse("crossborder:logistics-create")
    body = {"short_code": "sf", "logistics_code": "4403180001", "logistics_name": "顺丰速运有限公司", "is_active": "on"}
    assert client_a.post(url, body).status_code == 302
    again = client_a.post(url, body)
    assert again.status_code == 422 and "物流简码SF已被使用" in again.content.decode()
    assert LogisticsCompany.objects.filter(enterprise=ent_a).count() == 1


@pytest.mark.django_db
def test_menu_has_the_seeds_entries(client_a):
    page = client_a.get(reverse("crossborder:dashboard")).content.decode()
    for group in ("9710出口订单管理", "9810出口订仓单管理", "出口清单管理", "汇总申请单", "设置"):
        assert f'<li class="gw-menu-group">{group}</li>' in page
    for name in ("order-9710-import", "order-9710-declare", "list-import", "list-declare", "list-list",
                 "summary-import", "summary-list", "settings", "logistics-list"):
        assert f'href="{reverse(f"crossborder:{name}")}"' in page


@pytest.mark.django_db
def test_list_pages_query_counts_do_not_grow_with_rows(client_a, actor_a, data):
    """No N+1: the 申报/查询 lists and the dashboard cost the same with 2 or 12 rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [reverse(f"crossborder:{n}") for n in ("order-9710-declare", "order-9710-list", "list-list",
                                                   "summary-list", "dashboard")]

    def counts() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client_a.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    _summary(actor_a, data["list"])
    counts()  # the first request loads what every page shares (session, code tables)
    before = counts()
    for n in range(2, 12):
        order = services.create_order(actor_a, order_data(f"SO2024092010{n:02d}"))
        services.create_list(actor_a, list_data(order.order_no, f"SF10000000{n:02d}"))
    assert counts() == before


@pytest.mark.django_db
def test_home_widget_counts_what_waits_and_hides_without_documents(client_a, actor_a):
    assert 'data-widget="crossborder"' not in client_a.get("/").content.decode()
    set_up(actor_a)
    services.create_order(actor_a, order_data("SO20240920001"))
    page = client_a.get("/").content.decode()
    assert "跨境待申报" in page and reverse("crossborder:dashboard") in page


@pytest.mark.django_db
def test_released_lists_become_a_summary_from_the_query_page_and_it_is_submitted_once(client_a, actor_a, data):
    """清单查询 → 生成汇总申请单 (only released lists), then the summary's 提交海关 queues one CEB701;
    a second click sends nothing more."""
    from guanwu.gateway.models import OutboxMessage

    export_list = data["list"]
    url = reverse("crossborder:list-list")
    # not released yet: refused, nothing created
    page = client_a.post(url, {"action": "summary", "ids": [export_list.pk]}, follow=True).content.decode()
    assert not Summary.objects.exists(), page
    ExportList.objects.filter(pk=export_list.pk).update(status=CebStatus.RELEASED, invt_no="51202024E000000001")
    page = client_a.post(url, {"action": "summary", "ids": [export_list.pk]}, follow=True).content.decode()
    summary = Summary.objects.get()
    assert f"已生成汇总申请单 {summary.cop_no}" in page
    submit = reverse("crossborder:summary-submit", args=[summary.pk])
    assert "汇总申请单已提交海关" in client_a.post(submit, follow=True).content.decode()
    assert "未重复发送" in client_a.post(submit, follow=True).content.decode()
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["CEB701Message"]
    summary.refresh_from_db()
    assert summary.status == CebStatus.SENT
