"""The platform foundation as a user walks it in a browser: log in, switch enterprise with the
header switcher, look up a tariff code and its 申报要素, import members from Excel with the
valid-rows-only mode and watch the job finish."""

from __future__ import annotations

import io
import re

from django.contrib.auth import get_user_model
from openpyxl import Workbook
from playwright.sync_api import expect

from guanwu.tenancy.models import Invitation, Membership, Role
from tests.browser.conftest import login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def members_xlsx(rows: list[list[str]]) -> bytes:
    """A members workbook as a user fills the downloaded template (header row, then data)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["*用户名", "姓名", "*角色", "初始密码"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def switch_to(page, enterprise) -> None:
    """Choose an enterprise in the header switcher; the select submits its form on change."""
    with page.expect_navigation():
        page.select_option("#switch-enterprise", value=str(enterprise.pk))


def test_switch_enterprise_look_up_tariff_and_import_members(page, ent_a, ent_b, admin_a, admin_b):
    # a_admin is admin of A and an operator of B
    Membership.objects.create(user=admin_a, enterprise=ent_b, role=Role.OPERATOR)
    # two users who exist but are not members of A yet (b_admin belongs to B only)
    get_user_model().objects.create_user(username="c_free", password="Strong-pass-2024")

    login(page, "a_admin")
    switcher = page.locator("#switch-enterprise")
    expect(switcher.locator("option")).to_have_count(2)
    role_badge = page.locator('header .badge[title="角色"]')

    # -- the header switcher: A, then B ------------------------------------------------------
    switch_to(page, ent_a)
    expect(page.locator("main h2").first).to_have_text("甲企业")
    expect(switcher.locator("option:checked")).to_contain_text("甲企业")
    expect(role_badge).to_have_text("企业管理员")

    switch_to(page, ent_b)
    expect(page.locator("main h2").first).to_have_text("乙报关行")
    expect(page.locator("main")).to_contain_text(ent_b.customs_code)
    expect(switcher.locator("option:checked")).to_contain_text("乙报关行")
    expect(role_badge).to_have_text("操作员")

    # -- tariff browser: search by words, open a code, read its 申报要素 ---------------------
    page.goto("/params/tariff/")
    results = page.locator("#tariff-results")
    expect(results).to_contain_text("输入编号或名称开始查询")
    page.get_by_label("商品编号或名称").press_sequentially("咖啡 已焙炒")
    row = results.locator('tr[data-code="0901210000"]')
    expect(row).to_be_visible()
    expect(results).to_contain_text("找到")
    expect(results.locator("tbody tr[data-code]").first).to_contain_text("咖啡")
    row.click()
    detail = page.locator("#tariff-detail")
    expect(detail.locator("h2")).to_contain_text("0901210000")
    expect(detail).to_contain_text("申报要素")
    elements = detail.locator("#tariff-elements li")
    expect(elements).to_have_count(8)
    expect(elements.nth(0)).to_have_text("品牌类型")
    expect(elements.nth(1)).to_have_text("出口享惠情况")
    expect(detail).to_contain_text("千克")

    # -- members import: refused to an operator, then done as A's admin ----------------------
    page.goto("/imports/members/")
    expect(page.get_by_role("alert")).to_contain_text("需要企业管理员权限")
    expect(page.locator("#import-form")).to_have_count(0)

    switch_to(page, ent_a)  # back to the same page in A, where the user is admin
    expect(page).to_have_url(re.compile(r"/imports/members/$"))
    expect(role_badge).to_have_text("企业管理员")
    expect(page.locator("main h2")).to_have_text("导入成员")

    data = members_xlsx([
        ["b_admin", "乙管理员", "操作员", ""],  # existing user, not a member of A: invited
        ["c_free", "", "企业管理员", "Strong-pass-2024"],  # a password for a taken username
        ["a_admin", "", "操作员", ""],  # already a member of A
        ["d_new", "", "操作员", "Strong-pass-2024"],  # a new account
    ])
    page.set_input_files("#import-file", files=[{"name": "成员.xlsx", "mimeType": XLSX, "buffer": data}])
    page.check("#mode-valid_only")
    expect(page.locator("#mode-all_or_nothing")).not_to_be_checked()
    page.click("#import-submit")

    job = page.locator("#import-panel .gw-job")
    expect(job).to_have_attribute("data-status", "succeeded")
    expect(job.locator(".job-status")).to_have_text("已完成")
    expect(job.locator(".job-message")).to_have_text("导入成功 2 行, 失败 2 行")
    expect(job.locator(".job-done")).to_have_text("2")
    expect(job.locator(".job-failed")).to_have_text("2")
    expect(job.locator(".progress-bar")).to_have_text("100%")

    errors = job.locator("table.job-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td")).to_have_text(
        ["3", "用户名", "该用户名已被使用, 请换一个; 要邀请已有账号加入本企业, 请不要填写初始密码"])
    expect(errors.nth(1).locator("td")).to_have_text(["4", "用户名", "用户 a_admin 已是本企业成员"])
    expect(job.locator("#download-errors")).to_be_visible()

    roles = dict(Membership.objects.filter(enterprise=ent_a).values_list("user__username", "role"))
    assert roles == {"a_admin": Role.ADMIN, "d_new": Role.OPERATOR}  # b_admin joins only when it accepts
    assert Invitation.objects.get(enterprise=ent_a, username="b_admin").status == "pending"
