"""智能辅助申报 as an enterprise admin walks it: enable, create a profile, mark drafts, start,
watch the counters and the countdown, stop."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from guanwu.autodeclare.models import Profile
from tests.autodeclare.conftest import make_draft, make_manifest
from tests.browser.conftest import login


def test_enable_profile_mark_start_and_stop(page, actor_a):
    make_manifest()  # COSU6201234560: matches the export, arrived
    good = make_draft(actor_a)
    lost = make_draft(actor_a, bill_no="NOSUCHBILL01")
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "a_admin")

    # -- until enabled, the module explains how to enable it ----------------------------------
    page.goto("/autodeclare/profiles/")
    expect(page.locator("[data-not-enabled]")).to_contain_text("尚未启用智能辅助申报")
    page.get_by_role("link", name="前往启用").click()
    expect(page.locator("#user-notice")).to_be_visible()
    page.get_by_label("我已阅读并同意《用户须知》").check()
    page.get_by_label("我已阅读并同意《企业承诺》").check()
    page.locator("#enable-button").click()
    expect(page.locator(".alert-success")).to_contain_text("智能辅助申报已启用")

    # -- a profile -----------------------------------------------------------------------------
    page.get_by_role("link", name="新增").click()
    page.fill("#id_name", "出口有舱单运抵后申报")
    page.locator('input[name="ie_flag"][value="E"]').check()
    page.fill("#id_agent_code", actor_a.enterprise.customs_code)
    page.get_by_label(re.compile("^有舱单申报")).check()
    page.get_by_label(re.compile("^运抵后申报")).check()
    page.get_by_label(re.compile("^辅助确认")).check()
    page.locator("#save-profile").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator("[data-list-table]")).to_contain_text("出口有舱单运抵后申报")
    profile = Profile.objects.get()

    # -- mark the drafts -----------------------------------------------------------------------
    page.goto("/autodeclare/marks/")
    for draft in (good, lost):
        page.locator(f'tr[data-pk="{draft.pk}"] input[name="ids"]').check()
    page.get_by_role("button", name="添加智能辅助申报").click()
    expect(page.locator(".alert-success")).to_contain_text("添加智能辅助申报成功 2 条")
    expect(page.locator(f'tr[data-pk="{good.pk}"]')).to_contain_text("有标记")

    # -- start, watch the counters and the countdown -----------------------------------------
    page.goto("/autodeclare/run/")
    page.locator(f"#profile-{profile.pk}").check()
    page.locator("#start-run").click()
    expect(page.locator("#batch-seq")).to_have_text("1")
    expect(page.locator("#batch-succeeded")).to_have_text("1")
    expect(page.locator("#batch-failed")).to_have_text("1")
    expect(page.locator("#total-batches")).to_have_text("1")
    expect(page.locator("#total-succeeded")).to_have_text("1")
    expect(page.locator("#run-progress")).to_have_text("100%")
    countdown = page.locator("#countdown")
    expect(countdown).to_have_text(re.compile(r"^00:[0-5]\d$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first)  # it counts down
    row = page.locator(f'[data-run-table] tr[data-pk="{lost.pk}"]')
    expect(row).to_contain_text("申报失败")

    # -- stop ------------------------------------------------------------------------------------
    page.locator("#stop-run").click()
    expect(page.locator("#start-run")).to_be_enabled()
    expect(page.locator("#last-run")).to_contain_text("已停止")
    expect(page.locator("[data-countdown-box]")).to_have_count(0)
