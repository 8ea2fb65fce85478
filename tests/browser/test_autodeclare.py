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
    from guanwu.autodeclare.models import AutoDeclaration

    row = page.locator(f'[data-list-table] tr[data-pk="{AutoDeclaration.objects.get(declaration=lost).pk}"]')
    expect(row).to_contain_text("申报失败")

    # -- stop ------------------------------------------------------------------------------------
    page.locator("#stop-run").click()
    expect(page.locator("#start-run")).to_be_enabled()
    expect(page.locator("#last-run")).to_contain_text("已停止")
    expect(page.locator("[data-countdown-box]")).to_have_count(0)


def _enabled_with_marked_drafts(actor, count: int):
    from guanwu.autodeclare import services

    services.enable(actor, accept_notice=True, accept_promise=True)
    profile = services.create_profile(actor, {
        "name": "出口自动申报", "ie_flag": "E", "agent_code": actor.enterprise.customs_code, "auto_confirm": True,
        "auto_agreement": True, "batch_wait_seconds": 60})
    drafts = [make_draft(actor) for _ in range(count)]
    services.mark(actor, [d.pk for d in drafts])
    return profile, drafts


def test_stop_in_the_middle_of_a_batch_and_resume(page, actor_a, monkeypatch):
    """A batch of 6 is being worked (2 done) when the user presses 停止申报: the 4 not handled go
    back to the pool and the panel says so; 开始申报 again takes exactly those 4 (issue 11)."""
    from guanwu.autodeclare import services
    from guanwu.autodeclare.models import AutoDeclaration, Run
    from guanwu.autodeclare.services import engine
    from guanwu.gateway.models import OutboxMessage

    profile, _drafts = _enabled_with_marked_drafts(actor_a, 6)
    with monkeypatch.context() as patch:  # the worker is slow: the batch is open, 2 of 6 done
        patch.setattr(engine, "run_batch", lambda *args, **kwargs: None)
        run = services.start_run(actor_a, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    token = f"{engine.worker_id()}:browser"
    context = engine.RunContext.load(Run.objects.get(pk=run.pk))
    for auto_id in engine._claim(batch, token, size=2):
        engine.handle(auto_id, batch, context, engine.run_actor(context.run), token, engine.get_source())

    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "a_admin")
    page.goto("/autodeclare/run/")
    expect(page.locator("#batch-succeeded")).to_have_text("2")
    expect(page.locator("#batch-total")).to_have_text("6")
    expect(page.locator("#run-progress")).to_have_text("33%")
    page.locator("#stop-run").click()
    expect(page.locator("#start-run")).to_be_enabled()
    expect(page.locator("#last-run")).to_contain_text("成功 2 票")
    expect(page.locator("#last-run")).to_contain_text("停止时退回申报池 4 票")
    expect(page.locator("#batch-returned")).to_have_text("4")
    expect(page.locator("#pool-waiting")).to_have_text("4")
    waiting = page.locator("[data-list-table] [data-auto-status=waiting]")
    expect(waiting).to_have_count(4)  # the list follows the panel

    expect(page.locator(f"#profile-{profile.pk}")).to_be_checked()  # the last run's profiles
    page.locator("#start-run").click()
    expect(page.locator(".alert-success")).to_contain_text("智能辅助申报已开始")
    expect(page.locator("#batch-total")).to_have_text("4")
    expect(page.locator("#batch-succeeded")).to_have_text("4")
    expect(page.locator("#total-succeeded")).to_have_text("4")
    expect(page.locator("[data-list-table] [data-auto-status=succeeded]")).to_have_count(6)
    expect(page.locator("[data-countdown-box]")).to_contain_text("本批次已执行完成")
    assert AutoDeclaration.objects.filter(auto_status="succeeded").count() == 6
    assert OutboxMessage.objects.count() == 6  # each sent once


def test_a_marked_draft_declared_by_hand(page, actor_a):
    """申报 of a marked draft on its own page: the 执行 list shows it 已手动申报 with its 海关状态,
    out of the pool, and its 申报记录 says why (issue 11, point 2)."""
    from guanwu.autodeclare.models import AutoDeclaration

    _profile, drafts = _enabled_with_marked_drafts(actor_a, 2)
    by_hand = drafts[0]
    login(page, "a_admin")
    page.goto("/autodeclare/run/")
    expect(page.locator("#pool-waiting")).to_have_text("2")
    page.goto(f"/declarations/{by_hand.pk}/")
    page.locator("#btn-declare").click()
    modal = page.locator("#warnings-modal.show")
    declared = page.locator('#decl-live .gw-status[data-status="declared"]')
    expect(declared.or_(modal)).to_be_visible()
    if modal.is_visible():  # 温馨提示 to confirm first
        modal.get_by_role("button", name=re.compile("继续申报")).click()
    expect(page.locator("#decl-live .gw-status")).to_have_text("已申报")

    page.goto("/autodeclare/run/")
    expect(page.locator("#pool-waiting")).to_have_text("1")
    auto_pk = AutoDeclaration.objects.get(declaration=by_hand).pk
    row = page.locator(f'[data-list-table] tr[data-pk="{auto_pk}"]')
    expect(row.locator("[data-auto-status]")).to_have_text("已手动申报")
    expect(row.locator("[data-customs-status]")).to_have_text("已申报")
    row.get_by_role("link", name="查看").click()
    expect(page.locator("[data-records]")).to_contain_text("退出智能辅助申报池")
    page.goto("/autodeclare/marks/?mark=0")
    expect(page.locator(f'tr[data-pk="{by_hand.pk}"]')).to_contain_text("无标记")


def test_mark_every_draft_the_query_matches(page, actor_a):
    """标记操作 beyond one page: check the page, then "选择全部 N 条符合查询条件的记录" (issue 11, point 8)."""
    from guanwu.autodeclare import services
    from guanwu.autodeclare.models import AutoDeclaration

    services.enable(actor_a, accept_notice=True, accept_promise=True)
    drafts = [make_draft(actor_a) for _ in range(12)]
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "a_admin")
    page.goto("/autodeclare/marks/?mark=0&per_page=10")
    offer = page.locator("[data-select-matching]")
    expect(offer).to_be_hidden()
    page.locator("[data-select-all]").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("已选 10 条")
    expect(offer).to_be_visible()
    offer.get_by_role("link", name="选择全部 12 条符合查询条件的记录").click()
    expect(page.locator("[data-bulk-count]")).to_have_text("已选全部符合查询条件的记录")
    page.get_by_role("button", name="添加智能辅助申报").click()
    expect(page.locator(".alert-success")).to_contain_text("添加智能辅助申报成功 12 条")
    assert AutoDeclaration.objects.filter(marked=True).count() == len(drafts)
