"""规范申报检查 live in the 申报要素 editor (F2): findings under their element as the broker keys,
errors red and warnings amber, typing never blocked; the public library's 规范 examples one
click away (issue 17 section 6).

Rules and sources as in ``tests/standards/test_checker.py``: 品牌类型 0 declares “无品牌”
(规范申报目录, 海关总署公告2016年第20号 / 2017年第1号, and the 规范申报 guidance); 成分含量
percentages sum to 100 %.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.declarations.payloads import export_payload
from tests.standards.helpers import authorise, publish, raw

BRAND = 6  # 6109100010: 品牌类型|出口享惠情况|织造方法|种类|领型|成分含量|品牌（中文及外文名称）|型号|GTIN|CAS|其他
COMPOSITION = 5
CLEAN = "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无"


@pytest.fixture
def public_examples(actor_a, actor_b, ent_b):
    """A 规范 row of enterprise B for the T-shirt code, public; A and B confirmed the authorisation."""
    authorise(actor_a)
    authorise(actor_b)
    publish([raw(ent_b, code_ts="6109100010", g_name="T恤衫", g_model=CLEAN.replace("TS-240", "QX-1"),
                 agent=ent_b.customs_code, trade=ent_b.customs_code)])


def open_editor(page, actor_a):
    from guanwu.declarations import services

    declaration = services.create_draft(actor_a, export_payload())
    login(page, "a_admin")
    page.goto(f"/declarations/{declaration.pk}/")
    page.locator("[data-grid=items] tbody tr[data-row]").nth(0).locator('td[data-col="g_model"] [data-field]').click()
    page.keyboard.press("F2")
    modal = page.locator("#elements-modal")
    expect(modal).to_be_visible()
    return modal


def test_findings_follow_the_keying(page, admin_a, ent_a, actor_a, public_examples):
    modal = open_editor(page, actor_a)
    fields = modal.locator("[data-element]")
    brand = fields.nth(BRAND)
    expect(brand).to_have_value("无品牌")
    expect(modal.locator(".gw-check-finding")).to_have_count(0)

    # a brand with 品牌类型 0: red under 品牌, typed at full speed, nothing lost or blocked
    brand.click()
    brand.press("Control+A")
    page.keyboard.type("耐克NIKE", delay=20)
    expect(brand).to_have_value("耐克NIKE")
    error = modal.locator('.gw-check-finding[data-check-level="error"]')
    expect(error).to_have_count(1)
    expect(error).to_contain_text("品牌类型为0(无品牌)时, 品牌应填报“无品牌”, 实际为“耐克NIKE”")
    expect(error).to_have_attribute("data-check-for", "品牌（中文及外文名称）")
    expect(error).to_have_class(re.compile("text-danger"))
    expect(brand).to_have_class(re.compile("is-invalid"))
    expect(brand).to_be_focused()  # the check never moves the cursor

    # a composition short of 100 %: amber, a warning only
    composition = fields.nth(COMPOSITION)
    composition.click()
    composition.press("Control+A")
    page.keyboard.type("棉60%, 涤纶30%")
    warning = modal.locator('.gw-check-finding[data-check-level="warning"]')
    expect(warning).to_contain_text("成分含量的百分比合计90%, 不足100%")
    expect(warning).to_have_class(re.compile("text-warning-emphasis"))
    expect(composition).to_have_class(re.compile("border-warning"))
    expect(modal.locator("[data-check-summary]")).to_contain_text("1 个错误, 1 个提示")

    # one click copies the public example's value; the finding goes
    example = modal.locator(f'[data-examples-for="{BRAND}"] [data-example="无品牌"]')
    expect(example).to_be_visible()
    example.click()
    expect(brand).to_have_value("无品牌")
    expect(modal.locator('.gw-check-finding[data-check-level="error"]')).to_have_count(0)
    expect(brand).not_to_have_class(re.compile("is-invalid"))
    expect(modal.locator('[data-examples-for="7"] [data-example="QX-1"]')).to_be_visible()

    # the warning does not stop the broker: Ctrl+Enter confirms the text as keyed
    page.keyboard.press("Control+Enter")
    expect(modal).to_be_hidden()
    keyed = "0|0|针织|T恤衫|圆领无扣无拉链|棉60%, 涤纶30%|无品牌|TS-240|无|无|无"
    expect(page.locator("[data-grid=items] tbody tr[data-row]").nth(0).locator(
        'td[data-col="g_model"] [data-field]')).to_have_value(keyed)
