"""Volume and second tabs (issue 11, point 8): the 执行 list pages past 50 rows, 标记操作 selects
every row the query matches, starting with nothing eligible says so, a second tab gets the 409."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Run
from guanwu.autodeclare.services.runs import ALREADY_RUNNING
from guanwu.declarations.models import Declaration
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data
from tests.autodeclare.test_api import call
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def many_drafts(actor, count: int, **head) -> list[int]:
    first = make_draft(actor, **head)
    data = {f.attname: getattr(first, f.attname) for f in Declaration._meta.concrete_fields if not f.primary_key}
    rows = [Declaration(**data) for _ in range(count - 1)]
    created = Declaration.objects.bulk_create(rows)
    return [first.pk, *(d.pk for d in created)]


def test_the_run_list_pages_past_fifty_rows(enabled, client_a):
    """The 执行 table stopped at 50 rows with no paging: it is the shared list, with its pager."""
    ids = many_drafts(enabled, 63)
    services.mark(enabled, ids)
    url = reverse("autodeclare:run")
    page = client_a.get(url).content.decode()
    assert "显示第 1 到第 20 条记录, 总共 63 条记录" in page
    assert len(re.findall(r'<tr data-pk="\d+"', page)) == 20
    last = client_a.get(url + "?page=4").content.decode()
    assert "显示第 61 到第 63 条记录, 总共 63 条记录" in last
    everything = client_a.get(url + "?per_page=100").content.decode()
    shown = {int(pk) for pk in re.findall(r'<tr data-pk="(\d+)"', everything)}
    assert shown == set(AutoDeclaration.objects.values_list("pk", flat=True))
    partial = client_a.get(url + "?page=2", headers={"HX-Request": "true", "HX-Target": "gw-list-results"})
    assert "显示第 21 到第 40 条记录" in partial.content.decode() and "run-panel" not in partial.content.decode()


def test_marks_select_everything_the_query_matches(enabled, client_a):
    """"选择全部 N 条符合查询条件的记录": 130 drafts of a query marked with one action, not 100 per page;
    drafts outside the query are left alone."""
    exports = many_drafts(enabled, 130)
    imported = make_draft(enabled, kind="import")
    url = reverse("autodeclare:marks") + "?ie_flag=E&mark=0&per_page=100"
    page = client_a.get(url).content.decode()
    assert "选择全部 130 条符合查询条件的记录" in page and 'name="all_matching"' in page
    response = client_a.post(url, {"action": "mark", "all_matching": "1"}, follow=True)
    assert "添加智能辅助申报成功 130 条" in response.content.decode()
    assert set(AutoDeclaration.objects.filter(marked=True).values_list("declaration_id", flat=True)) == set(exports)
    assert not AutoDeclaration.objects.filter(declaration=imported).exists()


def test_select_all_matching_has_a_limit_and_then_changes_nothing(enabled, client_a, monkeypatch):
    from guanwu.autodeclare.views import MarkList

    monkeypatch.setattr(MarkList, "bulk_all_limit", 5)
    many_drafts(enabled, 6)
    url = reverse("autodeclare:marks") + "?mark=0"
    response = client_a.post(url, {"action": "mark", "all_matching": "1"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "符合查询条件的记录超过 5 条, 请缩小查询范围后再操作"]
    assert not AutoDeclaration.objects.exists()


def test_starting_with_nothing_eligible_says_so(enabled, client_a):
    """Not "第 0 批次 … 本批次已执行完成" with a countdown: no run, and the reason."""
    profile = services.create_profile(enabled, profile_data(enabled))
    make_draft(enabled)  # not marked
    response = client_a.post(reverse("autodeclare:run"), {"enterprise_type": "agent", "profile_ids": [profile.pk]})
    page = response.content.decode()
    assert response.status_code == 422 and "没有符合条件的报关单" in page
    assert "第 0 批次" not in page and "data-countdown-box" not in page
    assert not Run.objects.exists()
    api = token_client("a_admin")
    answer = call(api, "post", "/api/v1/autodeclare/runs", {"profile_ids": [profile.pk], "enterprise_type": "agent"})
    assert answer.status_code == 422 and answer.json()["detail"].startswith("没有符合条件的报关单")


def test_only_waiting_declarations_start_a_run_that_waits_for_them(enabled, client_a,
                                                                   django_capture_on_commit_callbacks):
    """Marked and waiting for arrival: the run starts, makes no batch, and says what it waits for."""
    make_manifest(arrived=False)
    profile = services.create_profile(enabled, profile_data(enabled, manifest_required=True, arrival_required=True))
    services.mark(enabled, [make_draft(enabled).pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("autodeclare:run"), {"enterprise_type": "agent",
                                                              "profile_ids": [profile.pk]})
    assert response.status_code == 302
    page = client_a.get(reverse("autodeclare:run")).content.decode()
    assert "尚未执行批次" in page and "第 0 批次" not in page
    assert "暂无可以发送的报关单, 下次检查倒计时" in page
    assert re.search(r"申报池待申报 <b[^>]*>1</b> 票: 未运抵 1", page)


def test_a_second_tab_gets_the_409_message(enabled, client_a, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled))
    services.mark(enabled, [make_draft(enabled).pk])
    form = {"enterprise_type": "agent", "profile_ids": [profile.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_a.post(reverse("autodeclare:run"), form).status_code == 302  # the first tab
    services.mark(enabled, [make_draft(enabled).pk])
    response = client_a.post(reverse("autodeclare:run"), form, follow=True)  # the second, on the old page
    assert ALREADY_RUNNING == "已有正在执行的智能辅助申报, 请先停止申报后再开始"
    assert ALREADY_RUNNING in response.content.decode() and 'id="stop-run"' in response.content.decode()
    assert Run.objects.count() == 1
    assert AutoDeclaration.objects.filter(auto_status=AutoStatus.WAITING).count() == 1
