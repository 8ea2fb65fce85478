"""The shared list page: filters, sorting, paging, page sizes, export, bulk actions, htmx, queries."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.messages import get_messages
from python_calamine import CalamineWorkbook

from guanwu.audit.models import OperationLog

from . import pages

pytestmark = pytest.mark.urls("tests.ui.urls")

URL = "/test-list/"


def summary(response) -> str:
    return re.search(r"data-list-summary>([^<]*)<", response.content.decode()).group(1)


def row_texts(response) -> list[str]:
    return re.findall(r'<a href="/objects/\d+/">(对象\d+)</a>', response.content.decode())


def read_xlsx(response) -> list[list]:
    body = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()


@pytest.fixture
def many(ent_a, admin_a, ent_b, admin_b, logs_factory):
    logs_factory(ent_b, admin_b, 7, start=500)
    return logs_factory(ent_a, admin_a, 135)


# -- paging ------------------------------------------------------------------------------------


def test_first_page_text_and_default_size(client_a, many):
    response = client_a.get(URL)
    assert response.status_code == 200
    assert summary(response) == "显示第 1 到第 20 条记录, 总共 135 条记录"
    assert row_texts(response) == [f"对象{i:03d}" for i in range(20)]


def test_last_page_and_out_of_range_page(client_a, many):
    assert summary(client_a.get(URL, {"page": 7})) == "显示第 121 到第 135 条记录, 总共 135 条记录"
    assert summary(client_a.get(URL, {"page": 99})) == "显示第 121 到第 135 条记录, 总共 135 条记录"
    assert summary(client_a.get(URL, {"page": "abc"})) == "显示第 1 到第 20 条记录, 总共 135 条记录"


@pytest.mark.parametrize(("per_page", "expected"), [("10", 10), ("50", 50), ("100", 100), ("33", 20), ("x", 20)])
def test_page_sizes(client_a, many, per_page, expected):
    response = client_a.get(URL, {"per_page": per_page})
    assert summary(response) == f"显示第 1 到第 {expected} 条记录, 总共 135 条记录"
    assert len(row_texts(response)) == expected


def test_page_links_keep_filters_and_size(client_a, many):
    page = client_a.get(URL, {"action": "新建", "per_page": 10}).content.decode()
    assert 'href="?action=%E6%96%B0%E5%BB%BA&amp;per_page=10&amp;page=2"' in page
    # changing the page size starts again at page 1 and keeps the filter
    page2 = client_a.get(URL, {"action": "新建", "per_page": 10, "page": 3}).content.decode()
    assert 'href="?action=%E6%96%B0%E5%BB%BA&amp;per_page=50"' in page2


def test_empty_result_text(client_a, many):
    response = client_a.get(URL, {"q": "不存在"})
    assert summary(response) == "没有找到匹配的记录"
    assert "没有找到匹配的记录</td>" in response.content.decode()


# -- tenancy -----------------------------------------------------------------------------------


def test_only_the_current_enterprise_rows_even_when_queryset_forgets(client_a, many):
    response = client_a.get(URL, {"per_page": 100, "page": 2})
    assert "对象500" not in response.content.decode()
    assert summary(response).endswith("总共 135 条记录")


def test_other_enterprise_sees_only_its_rows(client_b, many):
    response = client_b.get(URL)
    assert summary(response) == "显示第 1 到第 7 条记录, 总共 7 条记录"


def test_wrong_tenant_field_is_a_configuration_error(client_a, many):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        client_a.get("/test-list-global/")


def test_anonymous_is_sent_to_login(client, many):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_user_without_enterprise_is_refused(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("lonely", password="x-long-pass-1"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "尚未加入任何企业" in response.content.decode()


# -- filters -----------------------------------------------------------------------------------


def test_text_filter_contains(client_a, many):
    response = client_a.get(URL, {"q": "对象13"})
    assert row_texts(response) == [f"对象{i}" for i in range(130, 135)]


def test_choice_filter_and_invalid_choice(client_a, many):
    assert summary(client_a.get(URL, {"action": "删除"})).endswith("总共 67 条记录")
    response = client_a.get(URL, {"action": "篡改"})
    assert summary(response).endswith("总共 135 条记录")  # an unknown choice filters nothing
    assert "无效的选项" in response.content.decode()


def test_picker_filter_renders_the_shared_picker_and_filters(client_a, many):
    response = client_a.get(URL, {"country": "US"})
    html = response.content.decode()
    assert re.search(r'<select[^>]*name="country"[^>]*data-picker="countries"', html)
    assert '<option value="US" selected>US</option>' in html
    assert summary(response).endswith("总共 45 条记录")


def test_date_range_filter_inclusive_local_days(client_a, ent_a, admin_a, logs_factory):
    logs_factory(ent_a, admin_a, 3, start=0, day=dt.date(2024, 5, 1))
    logs_factory(ent_a, admin_a, 4, start=10, day=dt.date(2024, 5, 2))
    logs_factory(ent_a, admin_a, 5, start=20, day=dt.date(2024, 5, 3))
    assert summary(client_a.get(URL, {"time_from": "2024-05-02", "time_to": "2024-05-02"})).endswith("总共 4 条记录")
    assert summary(client_a.get(URL, {"time_from": "2024-05-02"})).endswith("总共 9 条记录")
    assert summary(client_a.get(URL, {"time_to": "2024-05-02"})).endswith("总共 7 条记录")
    bad = client_a.get(URL, {"time_from": "2024-13-45"})
    assert summary(bad).endswith("总共 12 条记录")
    assert "日期格式应为 YYYY-MM-DD" in bad.content.decode()


def test_filters_have_chinese_labels_and_slash_hint(client_a, many):
    html = client_a.get(URL).content.decode()
    for label in ("对象", "操作", "国别", "操作时间"):
        assert f">{label}</label>" in html
    assert "data-list-filters" in html and "<kbd>/</kbd>" in html


# -- sorting -----------------------------------------------------------------------------------


def test_sort_descending_and_ascending(client_a, many):
    assert row_texts(client_a.get(URL, {"sort": "-object_repr"}))[:3] == ["对象134", "对象133", "对象132"]
    assert row_texts(client_a.get(URL, {"sort": "object_repr"}))[:2] == ["对象000", "对象001"]
    assert row_texts(client_a.get(URL, {"sort": "-seq"}))[0] == "对象134"  # order_by override


def test_sort_by_unknown_or_unsortable_column_is_ignored(client_a, many):
    assert row_texts(client_a.get(URL, {"sort": "content_type__model"}))[0] == "对象000"
    assert row_texts(client_a.get(URL, {"sort": "-password"}))[0] == "对象000"


def test_sort_header_links_toggle(client_a, many):
    html = client_a.get(URL, {"sort": "object_repr"}).content.decode()
    assert 'href="?sort=-object_repr"' in html
    assert 'aria-sort="ascending"' in html
    html = client_a.get(URL, {"sort": "-object_repr"}).content.decode()
    assert 'href="?sort=object_repr"' in html


# -- htmx --------------------------------------------------------------------------------------


def test_htmx_request_gets_only_the_results(client_a, many):
    headers = {"HX-Request": "true", "HX-Target": "gw-list-results"}
    response = client_a.get(URL, {"page": 2, "sort": "-object_repr"}, headers=headers)
    html = response.content.decode()
    assert "<html" not in html and "gw-sidebar" not in html
    assert summary(response) == "显示第 21 到第 40 条记录, 总共 135 条记录"
    assert 'id="gw-list-state" class="d-none" hx-swap-oob="true"' in html
    assert '<input type="hidden" name="sort" value="-object_repr">' in html
    assert "HX-Request" in response["Vary"]


def test_full_page_for_history_restore_and_plain_requests(client_a, many):
    restore = {"HX-Request": "true", "HX-Target": "gw-list-results", "HX-History-Restore-Request": "true"}
    assert "<html" in client_a.get(URL, headers=restore).content.decode()
    html = client_a.get(URL).content.decode()
    assert 'hx-get="/test-list/"' in html and 'hx-push-url="true"' in html
    assert 'action="/test-list/"' in html  # the filter form works without JavaScript


# -- export ------------------------------------------------------------------------------------


def test_export_current_page(client_a, many):
    response = client_a.get(URL, {"export": "page", "page": 2, "per_page": 10, "sort": "-object_repr"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0] == ["对象", "操作", "用户名", "序号", "操作时间"]  # export=False column left out
    assert len(rows) == 11
    assert rows[1][0] == "对象124" and rows[1][2] == "a_admin" and rows[1][3] == 124


def test_export_all_applies_filters(client_a, many):
    rows = read_xlsx(client_a.get(URL, {"export": "all", "action": "删除", "sort": "object_repr"}))
    assert rows[0][0] == "对象"
    assert len(rows) == 1 + 67
    assert {r[1] for r in rows[1:]} == {"删除"}
    assert rows[1][0] == "对象001" and rows[-1][0] == "对象133"


def test_export_all_is_tenant_scoped(client_b, many):
    rows = read_xlsx(client_b.get(URL, {"export": "all"}))
    assert [r[0] for r in rows[1:]] == [f"对象{i}" for i in range(500, 507)]


def test_export_all_over_the_limit_is_refused_in_chinese(client_a, many):
    response = client_a.get("/test-list-small/", {"export": "all", "action": "新建"})
    assert response.status_code == 302
    assert response["Location"] == "/test-list-small/?action=%E6%96%B0%E5%BB%BA"
    message = next(str(m) for m in get_messages(response.wsgi_request))
    assert "超过单次导出上限 10 条" in message


def test_export_buttons_carry_the_current_query(client_a, many):
    html = client_a.get(URL, {"action": "新建", "page": 2}).content.decode()
    assert 'href="?action=%E6%96%B0%E5%BB%BA&amp;export=page&amp;page=2"' in html
    assert 'href="?action=%E6%96%B0%E5%BB%BA&amp;export=all"' in html


# -- bulk actions ------------------------------------------------------------------------------


def test_bulk_action_ignores_forged_foreign_ids(client_a, ent_b, many):
    mine = [log.pk for log in many[:3]]
    foreign = list(OperationLog.objects.filter(enterprise=ent_b).values_list("pk", flat=True)[:2])
    response = client_a.post(f"{URL}?page=2", {"action": "mark", "ids": [*mine, *foreign, "x", ""]})
    assert response.status_code == 302 and response["Location"] == f"{URL}?page=2"
    received = pages.RECEIVED
    assert received == [sorted(mine)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已标记 3 条记录"]


def test_bulk_action_with_only_foreign_ids_does_nothing(client_a, ent_b, many):
    foreign = list(OperationLog.objects.filter(enterprise=ent_b).values_list("pk", flat=True))
    response = client_a.post(URL, {"action": "mark", "ids": foreign})
    assert pages.RECEIVED == []
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["所选记录不存在或无权访问"]


def test_bulk_action_without_selection_or_unknown_action(client_a, many):
    response = client_a.post(URL, {"action": "mark"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["请先勾选要操作的记录"]
    response = client_a.post(URL, {"action": "drop-table", "ids": [many[0].pk]})
    assert "未知的批量操作" in [str(m) for m in get_messages(response.wsgi_request)]
    assert pages.RECEIVED == []


def test_admin_only_bulk_action_hidden_from_and_refused_to_operators(client, operator_a, admin_a, many):
    client.force_login(operator_a)
    html = client.get(URL).content.decode()
    assert 'value="mark"' in html and 'value="purge"' not in html
    response = client.post(URL, {"action": "purge", "ids": [many[0].pk]})
    assert response.status_code == 403
    assert "清除需要企业管理员权限" in response.content.decode()
    assert pages.RECEIVED == []


def test_checkboxes_and_select_all(client_a, many):
    html = client_a.get(URL).content.decode()
    assert "data-select-all" in html
    assert html.count('name="ids"') == 20
    assert 'data-confirm="确定清除?"' in html


def test_no_checkboxes_without_bulk_actions(client_a, many):
    html = client_a.get("/audit/").content.decode()
    assert "data-select-all" not in html and 'name="ids"' not in html


# -- import button -----------------------------------------------------------------------------


def test_import_button_hidden_while_the_upload_url_does_not_exist(client_a, many):
    assert "data-list-import" not in client_a.get(URL).content.decode()


@pytest.mark.urls("tests.ui.urls_with_imports")
def test_import_button_links_to_the_import_panel(client_a, many):
    assert 'href="/imports/logs/upload/" data-list-import' in client_a.get(URL).content.decode()


# -- query counts ------------------------------------------------------------------------------

# session, user, membership (middleware), memberships (switcher), header badges (unread notifications, pending
# invitations, 规范申报 new), count, rows
LIST_QUERIES = 9


@pytest.mark.parametrize("rows", [5, 50])
def test_query_count_does_not_depend_on_rows(client_a, ent_a, admin_a, logs_factory, rows, django_assert_num_queries):
    logs_factory(ent_a, admin_a, rows)
    client_a.get(URL)  # the first request stores the chosen enterprise in the session
    with django_assert_num_queries(LIST_QUERIES):
        response = client_a.get(URL, {"per_page": 100, "sort": "user__username"})
    assert summary(response) == f"显示第 1 到第 {rows} 条记录, 总共 {rows} 条记录"


@pytest.mark.parametrize("rows", [5, 50])
def test_export_query_count_does_not_depend_on_rows(
    client_a, ent_a, admin_a, logs_factory, rows, django_assert_num_queries
):
    logs_factory(ent_a, admin_a, rows)
    client_a.get(URL)  # the first request stores the chosen enterprise in the session
    with django_assert_num_queries(LIST_QUERIES - 4):  # no switcher or header: session, user, membership, count, rows
        response = client_a.get(URL, {"export": "page", "per_page": 100})
    assert len(read_xlsx(response)) == rows + 1

