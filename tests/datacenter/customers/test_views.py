"""客户管理 pages: list and export, form with 工商信息校验, detail with 辅助信息 and 客户业务情况,
the audit list with batch review and the 审核详情 / 操作记录 dialogs."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guanwu.datacenter.customers import monitoring, services
from guanwu.datacenter.customers.models import Customer, CustomerContact, CustomerStatus
from guanwu.declarations.models import DeclarationStatus
from tests.datacenter.customers.factories import customer_data, scc
from tests.declarations.factories import make_export_declaration, make_import_declaration

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_list_filters_and_export_all_fields(client_a, actor_a, actor_b):
    services.create_customer(actor_a, customer_data(1, name="西安丝路国际贸易有限公司"))
    approved = services.create_customer(actor_a, customer_data(2, name="宝鸡华宇钛业有限公司"))
    services.approve(actor_a, approved.pk)
    services.create_customer(actor_b, customer_data(3, name="乙企业的客户"))
    page = client_a.get("/datacenter/customers/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "西安丝路国际贸易有限公司" in html and "宝鸡华宇钛业有限公司" in html and "乙企业的客户" not in html
    assert "总共 2 条记录" in html and "/imports/customers/" in html and "/datacenter/customers/new/" in html
    html = client_a.get("/datacenter/customers/?q=bjhy").content.decode()
    assert "宝鸡华宇钛业有限公司" in html and "西安丝路" not in html
    html = client_a.get("/datacenter/customers/?status=pending").content.decode()
    assert "西安丝路" in html and "宝鸡华宇" not in html
    export = client_a.get("/datacenter/customers/?export=all")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:12] == ["客户代码", "客户名称", "社会信用代码", "检验检疫代码", "海关编码", "联系方式", "联系人",
                            "公司地址", "所属国", "邮政编码", "备注", "E-MAIL"]
    assert {r[1] for r in rows[1:]} == {"西安丝路国际贸易有限公司", "宝鸡华宇钛业有限公司"}
    assert rows[1][8] == "CHN - 中国"


def test_create_through_the_form_shows_field_errors_then_saves(client_a):
    data = customer_data(1, scc="91610131MA6TX0101A")
    response = client_a.post("/datacenter/customers/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "校验位错误" in html and "is-invalid" in html and "客户审核已开启" in html
    data["scc"] = scc(1)
    response = client_a.post("/datacenter/customers/new/", data)
    customer = Customer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/datacenter/customers/{customer.pk}/"
    assert customer.status == CustomerStatus.PENDING
    page = client_a.get(response["Location"]).content.decode()
    assert "待审核" in page and customer.code in page and "已新增客户" in page


def test_verify_button_answers_without_saving(client_a, actor_a):
    existing = services.create_customer(actor_a, customer_data(1))
    ok = client_a.post("/datacenter/customers/verify/", customer_data(2), headers=HTMX)
    assert 'data-verify="ok"' in ok.content.decode()
    bad = client_a.post("/datacenter/customers/verify/", customer_data(2, customs_code=existing.customs_code,
                                                                       ciq_code="1"), headers=HTMX).content.decode()
    assert 'data-verify="failed"' in bad and "海关编码" in bad and "检验检疫代码应为10位数字" in bad
    mine = client_a.post(f"/datacenter/customers/verify/?exclude={existing.pk}", customer_data(1), headers=HTMX)
    assert 'data-verify="ok"' in mine.content.decode()
    assert Customer.objects.count() == 1


def test_edit_resubmits_for_approval(client_a, actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    services.approve(actor_a, customer.pk)
    form = client_a.get(f"/datacenter/customers/{customer.pk}/edit/").content.decode()
    assert "重新审核" in form and customer.scc in form
    response = client_a.post(f"/datacenter/customers/{customer.pk}/edit/", customer_data(1, contact="李娜"))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.contact == "李娜" and customer.status == CustomerStatus.PENDING


def test_detail_maintains_aux_information(client_a, actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    base = f"/datacenter/customers/{customer.pk}"
    response = client_a.post(f"{base}/contacts/add/", {"name": "刘洋", "position": "单证主管", "email": "x@y.cn"})
    assert response.status_code == 302 and response["Location"].endswith("#aux-contacts")
    contact = CustomerContact.objects.get()
    bad = client_a.post(f"{base}/bank-accounts/add/", {"bank_name": "中国银行", "account_no": "1"})
    assert bad.status_code == 422 and "银行账号应为4至40位数字或字母" in bad.content.decode()
    client_a.post(f"{base}/bank-accounts/add/", {"bank_name": "中国银行", "account_no": "102868000123",
                                                 "currency": "USD"})
    client_a.post(f"{base}/addresses/add/", {"kind": "shipping", "address": "西安国际港务区港务大道 99 号"})
    client_a.post(f"{base}/notes/add/", {"content": "年底续签代理协议"})
    html = client_a.get(f"{base}/").content.decode()
    for text in ("刘洋", "单证主管", "102868000123", "USD - 美元", "发货地址", "年底续签代理协议", "新增联系人"):
        assert text in html, text
    edit = client_a.get(f"{base}/contacts/{contact.pk}/edit/")
    assert edit.status_code == 200 and "刘洋" in edit.content.decode()
    client_a.post(f"{base}/contacts/{contact.pk}/edit/", {"name": "刘洋", "mobile": "13909181234"})
    contact.refresh_from_db()
    assert contact.mobile == "13909181234" and contact.position == ""
    client_a.post(f"{base}/contacts/{contact.pk}/delete/")
    assert not CustomerContact.objects.exists()
    # another customer's row is not reachable through this customer
    other = services.create_customer(actor_a, customer_data(2))
    note = services.add_aux(actor_a, other.pk, "notes", {"content": "别的客户"})
    assert client_a.post(f"{base}/notes/{note.pk}/delete/").status_code == 404


def test_business_monitoring_from_declarations(client_a, actor_a, admin_a):
    customer = services.create_customer(actor_a, customer_data(1))
    now = timezone.now()
    last_month = now - dt.timedelta(days=31)
    make_export_declaration(actor_a.enterprise, trade_code=customer.customs_code, status=DeclarationStatus.RELEASED,
                            declared_at=last_month)
    make_import_declaration(actor_a.enterprise, trade_code="", trade_co_scc=customer.scc,
                            status=DeclarationStatus.REJECTED, declared_at=now)
    latest = make_export_declaration(actor_a.enterprise, trade_code=customer.customs_code,
                                     status=DeclarationStatus.ACCEPTED, declared_at=now)
    make_export_declaration(actor_a.enterprise, trade_code=customer.customs_code)  # a draft: not declared
    make_export_declaration(actor_a.enterprise, declared_at=now)  # another trade company
    summary = monitoring.business_summary(actor_a, customer)
    assert (summary.count, summary.rejected) == (3, 1)
    assert summary.rejection_percent == "33.3%"
    assert summary.values == [("USD", "美元", Decimal("197005.0000"))]  # 2 x 23190 + 150625
    assert summary.last == latest
    chart = summary.chart()
    assert len(chart["months"]) == 12 and chart["months"][-1] == timezone.localtime(now).strftime("%Y-%m")
    assert chart["counts"][-1] == 2 and chart["rejected"][-1] == 1 and sum(chart["counts"]) == 3
    assert chart["values"][-1] == 150625 + 23190 and chart["currency"] == "USD"

    html = client_a.get(f"/datacenter/customers/{customer.pk}/").content.decode()
    assert 'data-stat="count">3<' in html and "33.3%" in html and "vendor/echarts/echarts.min.js" in html
    data = json.loads(re.search(r'<script id="customer-chart-data" type="application/json">(.*?)</script>',
                                html).group(1))
    assert data["counts"] == chart["counts"]


def test_audit_list_tabs_and_batch_review_with_opinion(client_a, actor_a):
    one, two = (services.create_customer(actor_a, customer_data(n)) for n in (1, 2))
    services.approve(actor_a, two.pk)
    page = client_a.get("/datacenter/customers/audit/").content.decode()
    assert "客户审核" in page and 'name="opinion"' in page and 'value="approve"' in page
    assert re.search(r'data-status-tab="pending">待审核 <span[^>]*>1<', page)
    rows = re.findall(r'<tr data-pk="(\d+)"', page)
    assert rows[0] == str(one.pk)  # pending first
    response = client_a.post("/datacenter/customers/audit/", {"action": "reject", "ids": [one.pk], "opinion": ""})
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == CustomerStatus.PENDING
    client_a.post("/datacenter/customers/audit/", {"action": "reject", "ids": [one.pk, two.pk], "opinion": "资料不全"})
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.status == two.status == CustomerStatus.REJECTED and one.review_opinion == "资料不全"
    html = client_a.get("/datacenter/customers/audit/?status=rejected").content.decode()
    assert "资料不全" in html and "总共 2 条记录" in html


def test_operator_sees_audit_but_cannot_review(operator_client_a, actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    page = operator_client_a.get("/datacenter/customers/audit/").content.decode()
    assert 'value="approve"' not in page and "操作记录" in page
    dialog = operator_client_a.get(f"/datacenter/customers/{customer.pk}/review/", headers=HTMX).content.decode()
    assert "仅企业管理员可以审核客户" in dialog and 'value="approve"' not in dialog
    forbidden = operator_client_a.post(f"/datacenter/customers/{customer.pk}/review/", {"action": "approve"})
    assert forbidden.status_code == 403
    bulk = operator_client_a.post("/datacenter/customers/audit/", {"action": "approve", "ids": [customer.pk]})
    assert bulk.status_code == 403
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PENDING


def test_review_dialog_and_operation_log_dialog(client_a, actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    url = f"/datacenter/customers/{customer.pk}/review/"
    dialog = client_a.get(f"{url}?next=/datacenter/customers/audit/%3Fstatus%3Dpending", headers=HTMX)
    html = dialog.content.decode()
    assert "审核详情" in html and customer.code in html and customer.scc in html and "<html" not in html
    missing = client_a.post(url, {"action": "reject", "opinion": ""}, headers=HTMX).content.decode()
    assert "审核驳回请填写审核意见" in missing and "is-invalid" in missing
    done = client_a.post(url, {"action": "approve", "opinion": "核对无误", "next": "/datacenter/customers/audit/"},
                         headers=HTMX)
    assert done["HX-Redirect"] == "/datacenter/customers/audit/"
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.APPROVED
    log = client_a.get(f"/datacenter/customers/{customer.pk}/log/", headers=HTMX).content.decode()
    assert "操作时间" in log and "客户状态" in log and "审核意见" in log
    assert "核对无误" in log and "审核通过" in log and "a_admin" in log
    page = client_a.get(f"/datacenter/customers/{customer.pk}/log/")
    assert page.status_code == 200 and "<html" in page.content.decode()
    # without JavaScript: a full page, then back where the user came from
    full = client_a.post(url, {"action": "reject", "opinion": "撤销", "next": "/datacenter/customers/"})
    assert full.status_code == 302 and full["Location"] == "/datacenter/customers/"
    assert client_a.post(url, {"action": "reject", "opinion": "", "next": "https://evil.example/"}).status_code == 422


def test_delete_from_detail(client_a, actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    response = client_a.post(f"/datacenter/customers/{customer.pk}/delete/")
    assert response.status_code == 302 and not Customer.objects.exists()


def test_dashboard_widget_counts_pending(client_a, actor_a):
    services.create_customer(actor_a, customer_data(1))
    html = client_a.get("/").content.decode()
    assert "待审核客户" in html and "/datacenter/customers/audit/?status=pending" in html


@pytest.mark.parametrize("url", ["/datacenter/customers/", "/datacenter/customers/audit/"])
def test_list_pages_query_count_does_not_grow_with_rows(client_a, actor_a, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client_a.get(url).status_code == 200
        return len(ctx.captured_queries)

    for n in range(1, 4):
        services.approve(actor_a, services.create_customer(actor_a, customer_data(n)).pk)
    queries()  # warm caches (content types, parameter tables)
    few = queries()
    for n in range(4, 21):
        services.reject(actor_a, services.create_customer(actor_a, customer_data(n)).pk, "资料不全")
    assert queries() == few
