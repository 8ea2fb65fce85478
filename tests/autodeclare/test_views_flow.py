"""Pages of 标记操作, 执行, 查询, 申报记录, 智能申报台 and 税费确认 with a run behind them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run, RunStatus
from guanwu.declarations.models import Declaration
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data
from tests.autodeclare.test_tax import demo_rates

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(enabled, django_capture_on_commit_callbacks):
    """A finished batch: one success, one failure (no manifest), one waiting for its taxes."""
    demo_rates()
    make_manifest()
    profile = services.create_profile(enabled, profile_data(enabled, manifest_required=True))
    good = make_draft(enabled)
    bad = make_draft(enabled, bill_no="NOSUCHBILL01")
    taxed = make_draft(enabled)
    Declaration.objects.filter(pk=taxed.pk).update(self_tax=True)
    services.mark(enabled, [good.pk, bad.pk, taxed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(enabled, [profile.pk], "agent")
    return {"profile": profile, "good": good, "bad": bad, "taxed": taxed, "run": Run.objects.get(pk=run.pk)}


def test_marks_page_lists_filters_and_marks(client_a, enabled):
    drafts = [make_draft(enabled) for _ in range(2)]
    url = reverse("autodeclare:marks")
    page = client_a.get(url).content.decode()
    labels = ("报关单类型", "企业类型", "申报地海关", "智能辅助申报标记", "运输方式", "操作员卡号", "当天", "三个月")
    for label in labels:
        assert label in page
    assert "无标记" in page
    response = client_a.post(url + "?mark=0", {"action": "mark", "ids": [d.pk for d in drafts]}, follow=True)
    assert "添加智能辅助申报成功 2 条" in response.content.decode()
    listing = client_a.get(url + "?mark=1&ent_type=agent").content.decode()
    assert listing.count('name="ids"') == 2 and "有标记" in listing
    response = client_a.post(url, {"action": "unmark", "ids": [drafts[0].pk]}, follow=True)
    assert "本次成功取消标记 1 条" in response.content.decode()
    response = client_a.post(url, {"action": "unmark", "ids": [drafts[0].pk]}, follow=True)
    assert "请求参数均不符合取消条件 (报关单状态不为暂存或智能申报状态不为待申报)!" in response.content.decode()


def test_run_page_shows_counters_progress_and_countdown(client_a, scene):
    page = client_a.get(reverse("autodeclare:run")).content.decode()
    assert "当前正在执行第" in page and "本批次智能申报成功" in page and "累计智能申报共" in page
    assert 'id="batch-succeeded">1<' in page and 'id="batch-failed">1<' in page
    assert "倒计时进行中" in page and "data-countdown=" in page and "停止申报" in page
    assert "table-warning" in page and "税费确认" in page  # the self-paid one waits for its taxes
    panel = client_a.get(reverse("autodeclare:run-panel"), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in panel
    response = client_a.post(reverse("autodeclare:run-stop", args=[scene["run"].pk]),
                             headers={"HX-Request": "true"})
    assert response.status_code == 200 and "开始申报" in response.content.decode()
    assert Run.objects.get(pk=scene["run"].pk).status == RunStatus.STOPPED


def test_start_from_the_page(client_a, enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled))
    draft = make_draft(enabled)
    services.mark(enabled, [draft.pk])
    page = client_a.get(reverse("autodeclare:run")).content.decode()
    assert "出口自动申报" in page and "申报单位" in page
    response = client_a.post(reverse("autodeclare:run"), {"enterprise_type": "agent"})
    assert response.status_code == 422 and "请勾选至少一条" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("autodeclare:run"), {"enterprise_type": "agent", "profile_ids": [profile.pk]})
    assert response.status_code == 302
    assert AutoDeclaration.objects.get(declaration=draft).auto_status == AutoStatus.SUCCEEDED


def test_query_records_and_requeue(client_a, scene):
    url = reverse("autodeclare:query")
    page = client_a.get(url + "?status=failed").content.decode()
    assert "未查询到提运单号 NOSUCHBILL01" in page and "智能辅助申报台" in page
    batch = Batch.objects.get()
    assert batch.batch_no in client_a.get(url + f"?batch_no={batch.batch_no}").content.decode()
    records = client_a.get(reverse("autodeclare:records", args=[scene["bad"].pk])).content.decode()
    assert "开始智能申报" in records and "继续智能辅助申报" in records
    auto = AutoDeclaration.objects.get(declaration=scene["bad"])
    response = client_a.post(url, {"action": "requeue", "ids": [auto.pk]}, follow=True)
    assert "已重新加入智能辅助申报池 1 条" in response.content.decode()
    assert AutoDeclaration.objects.get(pk=auto.pk).auto_status == AutoStatus.WAITING


def test_desk_charts_and_batch_page(client_a, scene):
    page = client_a.get(reverse("autodeclare:desk")).content.decode()
    batch = Batch.objects.get()
    assert batch.batch_no in page and 'data-chart="batches"' in page and "无舱单数据" in page
    detail = client_a.get(reverse("autodeclare:desk-batch", args=[batch.pk])).content.decode()
    assert "申报成功(自动)" in detail and "申报失败" in detail and "继续智能辅助申报 (1)" in detail


def test_tax_list_detail_and_confirm(client_a, scene):
    page = client_a.get(reverse("autodeclare:tax-list")).content.decode()
    assert "未确认" in page and "境内收发货人18位" in page
    url = reverse("autodeclare:tax-detail", args=[scene["taxed"].pk])
    detail = client_a.get(url).content.decode()
    assert "税费计算确认明细" in detail and "演示汇率" in detail and 'id="confirm-tax"' in detail
    response = client_a.post(url, follow=True)
    assert "已确认" in response.content.decode()


def test_agreement_document(client_a, enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled))
    draft = make_draft(enabled, trade_code="1101910001", trade_co_scc="91110000100001234U",
                       trade_name="北京客户有限公司")
    services.mark(enabled, [draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(enabled, [profile.pk], "agent")
    page = client_a.get(reverse("autodeclare:agreement", args=[draft.pk])).content.decode()
    assert "代理报关委托协议" in page and "北京客户有限公司" in page and "6109100010" in page


def test_agreement_quantities_read_as_written(client_a, enabled, django_capture_on_commit_callbacks):
    """"200 台", not "200.00000 001 台" (issue 11, point 10): in the page and in the Word file, also
    for an agreement stored before the quantity was stored plain."""
    import io
    import zipfile

    from guanwu.autodeclare.models import AgencyAgreement
    from guanwu.declarations.models import DeclarationItem

    profile = services.create_profile(enabled, profile_data(enabled))
    draft = make_draft(enabled, trade_code="1101910001", trade_co_scc="91110000100001234U",
                       trade_name="北京客户有限公司")
    DeclarationItem.objects.filter(declaration=draft, g_no=1).update(g_qty="200", g_unit="001")
    services.mark(enabled, [draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(enabled, [profile.pk], "agent")
    url = reverse("autodeclare:agreement", args=[draft.pk])
    page = client_a.get(url).content.decode()
    first = re.search(r"<tr data-goods>(.*?)</tr>", page, re.S).group(1)
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", first)]
    assert cells[3] == "200 台" and cells[4] == "11550.00 USD"
    with zipfile.ZipFile(io.BytesIO(client_a.get(url + "?format=docx").content)) as archive:
        text = archive.read("word/document.xml").decode()
    assert "200 台" in text and "200.00000" not in text and "001 台" not in text
    agreement = AgencyAgreement.objects.get(declaration=draft)
    agreement.data["goods"][0].update(qty="200.00000", unit="001 台", total="11550.0000")
    agreement.save()
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", re.search(
        r"<tr data-goods>(.*?)</tr>", client_a.get(url).content.decode(), re.S).group(1))]
    assert cells[3:] == ["200 台", "11550.00 USD"]
