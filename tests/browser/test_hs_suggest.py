"""智能识别 / 智能回填 in the goods grid, by keyboard: typing a 商品名称 shows suggested HS codes
in the side panel without changing the code; F4, ↑/↓ and Enter take one into the row (legal
units and CIQ code follow); the 申报要素 editor then offers the enterprise's earlier values as
proposals, written only when the user takes one."""

from __future__ import annotations

from playwright.sync_api import expect

from guanwu.classify import knowledge
from guanwu.classify.models import AcceptedSuggestion
from guanwu.datacenter.commodities import services as commodities
from tests.browser.conftest import login

MODEL = "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无"


def td(page, name: str):
    return page.locator("[data-grid=items] tbody tr[data-row]").nth(0).locator(f'td[data-col="{name}"]')


def test_suggest_panel_by_keyboard_and_element_proposals(page, admin_a, ent_a, actor_a):
    knowledge.warm()  # as a web worker does at start (classify/warmup.py): the first suggestion need not wait
    commodities.create_commodity(actor_a, {"ie_flag": "E", "code_ts": "6109100021", "g_name": "男式针织T恤",
                                           "g_model": MODEL})
    login(page, "a_admin")
    page.goto("/declarations/new/?ie=E")
    name = td(page, "g_name").locator("[data-field]")
    name.click()
    page.keyboard.type("男士纯棉针织圆领T恤")

    panel = page.locator("#hs-suggest")
    expect(panel).to_be_visible()
    options = panel.locator("li[data-code]")
    expect(options.first).to_have_attribute("data-code", "6109100021")
    expect(options.first).to_contain_text("其他棉制针织或钩编男式T恤衫")
    expect(options.first).to_contain_text("本企业商品库")  # the enterprise's own example is the reason
    expect(options).to_have_count(5)
    expect(td(page, "code_ts").locator("select")).to_have_value("")  # nothing changed by itself

    page.keyboard.press("F4")  # into the list: the first suggestion is highlighted
    expect(panel.locator("[data-hs-list]")).to_be_focused()
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")  # back to the name, nothing taken
    expect(name).to_be_focused()
    expect(td(page, "code_ts").locator("select")).to_have_value("")

    page.keyboard.press("F4")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(td(page, "code_ts").locator("select")).to_have_value("6109100021")
    expect(td(page, "first_unit")).to_have_attribute("data-value", "011")  # legal units from the tariff
    expect(td(page, "second_unit")).to_have_attribute("data-value", "035")
    expect(td(page, "ciq_code").locator("select")).to_have_value("999")

    # 智能回填: the editor opens at 规格型号 with the enterprise's earlier values as proposals
    modal = page.locator("#elements-modal")
    expect(modal).to_be_visible()
    composition = modal.locator('[data-proposals-for="5"] [data-proposal="100%棉"]')
    expect(composition).to_be_visible()
    field = modal.locator("[data-element]").nth(5)
    expect(field).to_have_value("")  # a proposal, not a value
    composition.focus()
    page.keyboard.press("Enter")
    expect(field).to_have_value("100%棉")
    expect(modal.locator("[data-el-preview]")).to_contain_text("100%棉")

    row = AcceptedSuggestion.objects.get(enterprise=ent_a)
    assert (row.description, row.code_ts) == ("男士纯棉针织圆领t恤", "6109100021")
