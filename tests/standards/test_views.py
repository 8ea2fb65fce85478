"""The pages of 规范申报企业专属库 (seed 002): 企业端授权确认 gates the module (5.1: 如未授权, 操作员
登录系统时, 会给出提示), 企业库查询 with the seed's conditions, marks, 申报要素详情, 导出本页数据, 设为自选 and
设置数据公开状态 (5.2), 公共库查询 without party fields (5.3), 企业信息 with the header's ``new`` (5.4),
and the staff page of the customs side (seed 3). A GET never writes; another enterprise's ids
answer 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guanwu.audit.models import OperationLog
from guanwu.standards.models import (
    Authorisation,
    LibraryEntry,
    Mark,
    MonthlyMessage,
    ReviewedRow,
    ReviewUpload,
    UploadStatus,
)
from guanwu.standards.services import access, normalise, reviews
from guanwu.standards.services.xlsx import workbook

CODE = "2801100000"
G_MODEL = "0|3|氯99.5%|钢瓶|无品牌|无型号|||"
PROMPT = access.NOT_AUTHORISED


def entry(enterprise, name: str, mark: str, *, g_model: str = G_MODEL, day: dt.date = dt.date(2026, 1, 5),
          ie_flag: str = "E", as_agent: bool = True, as_owner: bool = False, reasons=None,
          code_ts: str = CODE) -> LibraryEntry:
    return LibraryEntry.objects.create(
        enterprise=enterprise, key=normalise.key(code_ts, name, g_model), code_ts=code_ts, g_name=name,
        g_model=g_model, trade_mode="0110", ie_flag=ie_flag, as_agent=as_agent, as_owner=as_owner, decl_date=day,
        mark=mark, is_public=mark == Mark.STANDARD, reasons=reasons or [],
        search_text=normalise.search_text(enterprise.pk, name, g_model, mark == Mark.STANDARD),
    )


def message(enterprise, *, read: bool = False) -> MonthlyMessage:
    return MonthlyMessage.objects.create(
        enterprise=enterprise, period="2026-01", title="2026-01 海关规范申报审核情况", pushed_at=timezone.now(),
        read_at=timezone.now() if read else None, total_reviewed=120, total_standard=100, total_nonstandard=20,
        as_agent_count=3, as_owner_count=1, nonstandard_count=1, date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 1, 31))


@pytest.fixture
def data(ent_a):
    return {
        "standard": entry(ent_a, "液氯", Mark.STANDARD),
        "bad": entry(ent_a, "氯气", Mark.NONSTANDARD, g_model="0|3|氯|钢瓶|无品牌||||",
                     reasons=[["成分含量", "未申报含量"]], as_owner=True, as_agent=False),
        "matched": entry(ent_a, "工业氯", Mark.MATCHED, ie_flag="I", day=dt.date(2025, 12, 20)),
        "message": message(ent_a),
    }


@pytest.fixture
def authorised_a(actor_a):
    access.confirm(actor_a)


def snapshot() -> tuple:
    return (
        OperationLog.objects.count(), Authorisation.objects.count(), ReviewUpload.objects.count(),
        ReviewedRow.objects.count(),
        tuple(LibraryEntry.objects.order_by("pk").values_list("pk", "mark", "is_public", "public_closed")),
        tuple(MonthlyMessage.objects.order_by("pk").values_list("pk", "read_at")),
    )


def rows_of(response) -> str:
    return response.content.decode()


# -- 企业端授权确认 (5.1) -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_operator_sees_only_the_prompt_before_authorisation(operator_client_a, data):
    before = snapshot()
    pages = [
        reverse("standards:enterprise-library"), reverse("standards:public-library"), reverse("standards:messages"),
        reverse("standards:library-elements", args=[data["standard"].pk]),
        reverse("standards:message-detail", args=[data["message"].pk]),
    ]
    for url in pages:
        response = operator_client_a.get(url)
        page = response.content.decode()
        assert response.status_code == 403, url
        assert PROMPT in page, url
        assert "液氯" not in page and "2026-01 海关规范申报审核情况" not in page, url
        assert "前往授权确认" not in page  # only the admin is offered the confirmation
    # the writes are refused the same way
    response = operator_client_a.post(reverse("standards:library-own-choice", args=[data["matched"].pk]))
    assert response.status_code == 403
    response = operator_client_a.post(reverse("standards:enterprise-library"),
                                      {"action": "own_choice", "ids": [data["matched"].pk]})
    assert response.status_code == 403
    # nor is the header's new shown, nor may the operator confirm
    page = operator_client_a.get(reverse("standards:authorisation")).content.decode()
    assert PROMPT in page and "std-confirm-button" not in page and 'data-header-badge="standards"' not in page
    assert operator_client_a.post(reverse("standards:authorisation")).status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
def test_admin_confirms_then_operators_use_the_module(client, admin_a, operator_a, ent_a, data):
    client.force_login(admin_a)
    page = client.get(reverse("standards:enterprise-library"))
    assert page.status_code == 403 and access.NOT_AUTHORISED_ADMIN in page.content.decode()
    assert reverse("standards:authorisation") in page.content.decode()
    form = client.get(reverse("standards:authorisation")).content.decode()
    assert 'id="std-confirm-button"' in form and "data-confirm=" in form  # the confirmation dialog
    response = client.post(reverse("standards:authorisation"))
    assert response.status_code == 302 and response["Location"] == reverse("standards:enterprise-library")
    assert Authorisation.objects.for_enterprise(ent_a).get().confirmed_by == admin_a
    assert OperationLog.objects.filter(enterprise=ent_a, action="企业端授权确认").count() == 1
    # a second confirmation is refused with a message, nothing more is written
    response = client.post(reverse("standards:authorisation"), follow=True)
    assert "无需重复确认" in response.content.decode()
    assert OperationLog.objects.filter(enterprise=ent_a, action="企业端授权确认").count() == 1
    client.force_login(operator_a)
    page = client.get(reverse("standards:enterprise-library"))
    assert page.status_code == 200 and "液氯" in page.content.decode()
    assert "已授权" in client.get(reverse("standards:authorisation")).content.decode()


# -- tenancy and GETs ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_answers_and_a_get_never_writes(client_a, authorised_a, data):
    before = snapshot()
    pk = data["standard"].pk
    urls = [
        reverse("standards:index"), reverse("standards:authorisation"),
        reverse("standards:enterprise-library"),
        reverse("standards:enterprise-library") + "?mark=nonstandard&role=owner&code_ts=2801&q=氯&ie_flag=E"
                                                  "&decl_date_from=2026-01-01&decl_date_to=2026-01-31&trade_mode=0110",
        reverse("standards:enterprise-library") + "?export=page",
        reverse("standards:library-elements", args=[pk]),
        reverse("standards:public-library"), reverse("standards:public-library") + "?export=page",
        reverse("standards:public-elements", args=[pk]),
        reverse("standards:messages"), reverse("standards:messages") + "?read=0&pushed_from=2026-01-01",
        reverse("standards:message-detail", args=[data["message"].pk]),
    ]
    for url in urls:
        response = client_a.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
    response = client_a.get(reverse("standards:library-elements", args=[pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()  # the dialog's fragment
    assert snapshot() == before
    # the message stays unread although it was opened: only 标记已读 marks it
    assert MonthlyMessage.objects.get(pk=data["message"].pk).read_at is None


@pytest.mark.django_db
def test_another_enterprises_ids_answer_404(client, admin_b, actor_b, authorised_a, data):
    access.confirm(actor_b)
    client.force_login(admin_b)
    before = snapshot()
    own, bad, msg = data["matched"].pk, data["bad"].pk, data["message"].pk
    for url in (reverse("standards:library-elements", args=[own]), reverse("standards:message-detail", args=[msg]),
                reverse("standards:public-elements", args=[own]), reverse("standards:public-elements", args=[bad])):
        assert client.get(url).status_code == 404, url
    for url, payload in ((reverse("standards:library-own-choice", args=[own]), {}),
                         (reverse("standards:library-visibility", args=[data["standard"].pk]), {"public": "0"}),
                         (reverse("standards:message-read", args=[msg]), {})):
        assert client.post(url, payload).status_code == 404, url
    # B's library does not list A's rows; a bulk action with A's ids changes nothing
    assert "工业氯" not in client.get(reverse("standards:enterprise-library")).content.decode()
    client.post(reverse("standards:enterprise-library"), {"action": "own_choice", "ids": [own]})
    client.post(reverse("standards:messages"), {"action": "read", "ids": [msg]})
    assert snapshot() == before


@pytest.mark.django_db
def test_tenant_404_comes_before_the_authorisation_prompt(client, admin_b, data):
    """B has not confirmed: A's ids are still a 404, not B's prompt (the generic tenant walk)."""
    client.force_login(admin_b)
    assert client.get(reverse("standards:library-elements", args=[data["standard"].pk])).status_code == 404
    assert client.post(reverse("standards:message-read", args=[data["message"].pk])).status_code == 404


# -- 企业库查询 (5.2) -------------------------------------------------------------------------------------------


def listed(response) -> set[int]:
    import re

    return {int(pk) for pk in re.findall(r'<tr data-pk="(\d+)"', response.content.decode())}


@pytest.mark.django_db
def test_library_conditions_and_marks(client_a, authorised_a, data):
    url = reverse("standards:enterprise-library")
    s, b, m = data["standard"].pk, data["bad"].pk, data["matched"].pk
    assert listed(client_a.get(url)) == {s, b, m}
    assert listed(client_a.get(url, {"mark": "nonstandard"})) == {b}
    assert listed(client_a.get(url, {"mark": "matched"})) == {m}
    assert listed(client_a.get(url, {"role": "owner"})) == {b}
    assert listed(client_a.get(url, {"role": "agent"})) == {s, m}
    assert listed(client_a.get(url, {"ie_flag": "I"})) == {m}
    assert listed(client_a.get(url, {"code_ts": "2801"})) == {s, b, m}
    assert listed(client_a.get(url, {"code_ts": "2802"})) == set()
    assert listed(client_a.get(url, {"q": "液氯"})) == {s}
    assert listed(client_a.get(url, {"decl_date_from": "2026-01-01"})) == {s, b}
    assert listed(client_a.get(url, {"trade_mode": "0110"})) == {s, b, m}
    page = client_a.get(url).content.decode()
    for mark in ("规范数据", "不规范数据", "系统匹配数据"):
        assert f">{mark}</span>" in page
    assert "成分含量: 未申报含量" in page  # the 不规范 reason beside the row
    assert "导出本页数据" in page


@pytest.mark.django_db
def test_export_page_has_the_rows_of_the_page_only(client_a, authorised_a, data):
    response = client_a.get(reverse("standards:enterprise-library"), {"export": "page", "mark": "nonstandard"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("标记类型", "商品编码", "商品名称")
    assert [r[2] for r in rows[1:]] == ["氯气"]


@pytest.mark.django_db
def test_own_choice_only_on_system_matched_rows(client_a, authorised_a, ent_a, data):
    url = reverse("standards:enterprise-library")
    page = client_a.get(url).content.decode()
    assert page.count(">设为自选</button>") == 1  # on the 系统匹配数据 row only
    assert 'value="own_choice"' in page  # and the bulk action over the ticked rows
    response = client_a.post(reverse("standards:library-own-choice", args=[data["matched"].pk]), {"next": url})
    assert response.status_code == 302
    assert LibraryEntry.objects.get(pk=data["matched"].pk).mark == Mark.OWN_CHOICE
    assert OperationLog.objects.filter(enterprise=ent_a, action="设为自选").count() == 1
    response = client_a.post(reverse("standards:library-own-choice", args=[data["standard"].pk]), {"next": url},
                             follow=True)
    assert "只有系统匹配数据可以设为自选" in response.content.decode()
    assert LibraryEntry.objects.get(pk=data["standard"].pk).mark == Mark.STANDARD
    # bulk: the refused rows are named, the others done
    other = entry(ent_a, "次氯", Mark.MATCHED)
    response = client_a.post(url, {"action": "own_choice", "ids": [other.pk, data["bad"].pk]}, follow=True)
    assert "已设为企业自选数据 1 条; 1 条未处理" in response.content.decode()
    assert LibraryEntry.objects.get(pk=other.pk).mark == Mark.OWN_CHOICE


@pytest.mark.django_db
def test_closing_a_standard_row_takes_it_out_of_the_public_library(client, client_a, admin_b, actor_b,
                                                                   authorised_a, data):
    access.confirm(actor_b)
    pk = data["standard"].pk
    client_a.post(reverse("standards:library-visibility", args=[pk]), {"public": "0"})
    assert not LibraryEntry.objects.get(pk=pk).is_public
    client.force_login(admin_b)
    assert pk not in listed(client.get(reverse("standards:public-library")))
    assert client.get(reverse("standards:public-elements", args=[pk])).status_code == 404
    # a 不规范 row cannot be made public
    client.force_login(get_user_model().objects.get(username="a_admin"))
    response = client.post(reverse("standards:library-visibility", args=[data["bad"].pk]), {"public": "1"},
                           follow=True)
    assert "只有海关审核的规范数据可以设置公开状态" in response.content.decode()
    assert not LibraryEntry.objects.get(pk=data["bad"].pk).is_public


# -- 公共库查询 (5.3) -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_library_shows_no_party_field(client, admin_b, actor_b, ent_a, authorised_a, data):
    access.confirm(actor_b)
    client.force_login(admin_b)
    response = client.get(reverse("standards:public-library"))
    assert listed(response) == {data["standard"].pk}  # only the public 规范 row, across enterprises
    page = response.content.decode()
    results = page.split('id="gw-list-results"')[1]
    private_words = (ent_a.name, ent_a.customs_code, "申报单位", "收发货人", "企业类别", "不规范", "系统匹配",
                     "设为自选")
    for private in private_words:
        assert private not in results, private
    export = client.get(reverse("standards:public-library"), {"export": "all"})  # page only
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("商品编码", "商品名称", "申报要素", "监管方式", "进出口标志", "申报日期")
    assert len(rows) == 2
    details = client.get(reverse("standards:public-elements", args=[data["standard"].pk])).content.decode()
    assert "液氯" in details and ent_a.name not in details.split("gw-main")[1]


# -- 申报要素详情 -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_element_details_show_the_latest_catalog_names(client_a, authorised_a, data):
    from guanwu.params import services as params

    tariff = params.tariff_item(CODE)
    page = client_a.get(reverse("standards:library-elements", args=[data["bad"].pk])).content.decode()
    for name in tariff.elements:
        assert f"<td>{name}" in page, name
    assert "钢瓶" in page and "海关审核不规范原因" in page and "未申报含量" in page
    flagged = page.split("data-flagged")
    assert len(flagged) == 2 and flagged[1].split("</tr>")[0].count("成分含量") == 1  # the element customs named


# -- 企业信息 (5.4) -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_messages_new_badge_read_filter_and_link(client_a, authorised_a, ent_a, data):
    read = message(ent_a, read=True)
    home = client_a.get(reverse("standards:messages")).content.decode()
    assert 'data-header-badge="standards"' in home and "</i> new <span" in home and "data-header-count>1<" in home
    url = reverse("standards:messages")
    assert listed(client_a.get(url, {"read": "0"})) == {data["message"].pk}
    assert listed(client_a.get(url, {"read": "1"})) == {read.pk}
    assert listed(client_a.get(url, {"pushed_from": "2099-01-01"})) == set()
    detail = client_a.get(reverse("standards:message-detail", args=[data["message"].pk])).content.decode()
    link = "/standards/library/?mark=nonstandard&amp;decl_date_from=2026-01-01&amp;decl_date_to=2026-01-31"
    assert link in detail
    assert listed(client_a.get(link.replace("&amp;", "&"))) == {data["bad"].pk}
    response = client_a.post(reverse("standards:message-read", args=[data["message"].pk]))
    assert response.status_code == 302
    assert MonthlyMessage.objects.get(pk=data["message"].pk).read_at is not None
    assert 'data-header-badge="standards"' not in client_a.get(url).content.decode()


# -- 海关审核数据 (staff) --------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, db):
    staff = get_user_model().objects.create_user(username="customs", password="x-staff-pass-1", is_staff=True)
    client.force_login(staff)
    return client


def upload_file(rows: list[list]) -> io.BytesIO:
    content = workbook("海关审核数据", [c.label for c in reviews.COLUMNS], rows)
    f = io.BytesIO(content)
    f.name = "审核数据.xlsx"
    return f


@pytest.mark.django_db
def test_reviews_page_is_staff_only(client_a, authorised_a):
    assert client_a.get(reverse("standards:reviews")).status_code == 404
    assert client_a.post(reverse("standards:reviews")).status_code == 404
    assert client_a.get(reverse("standards:review-template")).status_code == 404


@pytest.mark.django_db
def test_staff_upload_report_and_export(staff_client, ent_a):
    good = ["", CODE, "液氯", G_MODEL, "0110", "E", ent_a.customs_code, "", ent_a.customs_code, "",
            dt.date(2026, 1, 5), "规范", ""]
    broken = ["", "28011", "液氯", G_MODEL, "0110", "X", "", "", ent_a.customs_code, "", dt.date(2026, 1, 5),
              "不规范", ""]
    response = staff_client.post(reverse("standards:reviews"), {"file": upload_file([good, broken])}, follow=True)
    page = response.content.decode()
    assert "1 行不符合导入规则" in page and 'id="std-review-report"' in page and "应为10位数字" in page
    assert ReviewedRow.objects.count() == 0
    rejected = ReviewUpload.objects.get()
    assert rejected.status == UploadStatus.REJECTED
    response = staff_client.post(reverse("standards:reviews"), {"file": upload_file([good])}, follow=True)
    assert "已导入 1 行" in response.content.decode()
    assert ReviewedRow.objects.count() == 1
    assert MonthlyMessage.objects.for_enterprise(ent_a).count() == 1
    listing = staff_client.get(reverse("standards:reviews"), {"status": "rejected"})
    assert listed(listing) == {rejected.pk}
    export = staff_client.get(reverse("standards:review-export", args=[rejected.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert next(sheet.iter_rows(values_only=True)) == ("行号", "不符合的规则")
    assert staff_client.get(reverse("standards:reviews"), {"export": "page"}).status_code == 200
    assert staff_client.post(reverse("standards:reviews"), {}).status_code == 302  # no file: a message


@pytest.mark.django_db
def test_element_details_flag_catalog_changes(client_a, authorised_a, data, monkeypatch):
    """When the catalog changed since the declaration, the dialog names the added and dropped elements."""
    from guanwu.standards.services import library

    def changed(code_ts, g_model, decl_date):
        return {"code_ts": code_ts, "catalog_name": "氯", "catalog_version": 2, "declared_version": 1, "changed": True,
                "elements": [{"name": "品牌类型", "value": "0", "added": False},
                             {"name": "签约日期", "value": "", "added": True}],
                "added": ["签约日期"], "dropped": [{"name": "用途", "value": "消毒"}], "unmatched_values": [],
                "known": True}

    monkeypatch.setattr(library, "element_details", changed)
    page = client_a.get(reverse("standards:library-elements", args=[data["matched"].pk]),
                        HTTP_HX_REQUEST="true").content.decode()
    assert 'id="std-catalog-changed"' in page and "新增要素 签约日期" in page and "取消要素 用途" in page
    assert page.split("data-added")[1].split("</tr>")[0].count("签约日期") == 1
    assert "<s>用途</s>" in page and "消毒" in page


@pytest.mark.django_db
def test_platform_admin_index_links_the_staff_pages(client):
    """海关审核数据 and 报文交换错误 live outside the admin; its index links them for platform staff."""
    staff = get_user_model().objects.create_superuser(username="platform-x", password="x-staff-pass-1")
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("standards:reviews")}"' in html and f'href="{reverse("gateway:errors")}"' in html
    assert "平台页面" in html
