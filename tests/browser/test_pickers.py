"""The shared code pickers (ui.js, Tom Select bound to /api/v1/params/<table>) keyed fast, on the
declaration entry page and the licence form: Enter on an empty picker moves on without a value,
typing and pressing Enter (or Tab) at once waits for the search and takes its first result, a new
search replaces the list in the server's order, the arrow keys still choose, the dropdown lives in
<body> (a scrolling grid does not clip it), and leaving a picker quickly keeps the cursor away."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser.conftest import login


def control(page, select_id: str):
    """The typing box of the picker made of <select id=select_id>."""
    return page.locator(f"#{select_id}-ts-control")


def options(page, select_id: str):
    return page.locator(f"#{select_id}-ts-dropdown .option")


def active(page, select_id: str):
    return page.locator(f"#{select_id}-ts-dropdown .option.active")


def api_codes(page, table: str, q: str) -> list[str]:
    """The codes the server answers to ``q``, in its order (what the picker asks for)."""
    res = page.request.get(f"/api/v1/params/{table}?limit=30&q={quote(q)}")
    assert res.ok
    return [item["code"] for item in res.json()["items"]]


def shown_codes(page, select_id: str, expected: list[str]) -> None:
    """The dropdown lists exactly ``expected``, in that order."""
    expect(options(page, select_id)).to_have_count(len(expected))
    expect(options(page, select_id).first).to_have_attribute("data-value", expected[0])
    assert options(page, select_id).evaluate_all("els => els.map((e) => e.dataset.value)") == expected


def slow_search(page, table: str, q: str, seconds: float = 0.8) -> None:
    """The server answers the search ``q`` of ``table`` late (after the keys were pressed)."""
    def late(route):
        time.sleep(seconds)
        route.continue_()

    page.route(re.compile(rf"/api/v1/params/{re.escape(table)}\?limit=\d+&q={re.escape(quote(q))}$"), late)


def stays_focused(page, locator, ms: int = 700) -> None:
    """The cursor is on ``locator`` and stays there: no late answer or delayed focus handler of a
    picker left behind takes it back."""
    expect(locator).to_be_focused()
    moves = page.evaluate("""(ms) => new Promise((resolve) => {
        const seen = [];
        const note = (ev) => seen.push(ev.target.id || ev.target.tagName);
        document.addEventListener("focusin", note, true);
        setTimeout(() => { document.removeEventListener("focusin", note, true); resolve(seen); }, ms);
    })""", ms)
    assert moves == [], f"the cursor moved to {moves}"
    expect(locator).to_be_focused()


def value(page, name: str):
    return page.locator(f'#decl-head [name="{name}"]')


def open_entry(page, ie: str = "E") -> None:
    login(page, "a_admin")
    page.goto(f"/declarations/new/?ie={ie}")
    expect(control(page, "h-custom_master")).to_be_focused()  # entry.js puts the cursor there
    # the list loaded on focus, the most used first (上海海关 by the prior), highlighted
    expect(active(page, "h-custom_master")).to_have_attribute("data-value", api_codes(page, "customs-offices", "")[0])


def test_enter_or_tab_on_an_empty_picker_moves_on_without_a_value(page, admin_a, ent_a):
    open_entry(page)
    page.keyboard.press("Enter")
    expect(value(page, "custom_master")).to_have_value("")
    stays_focused(page, control(page, "h-ie_port"))
    expect(page.locator("#h-custom_master-ts-dropdown")).to_be_hidden()

    expect(options(page, "h-ie_port").first).to_be_visible()  # its list is open, first option highlighted
    page.keyboard.press("Tab")
    expect(value(page, "ie_port")).to_have_value("")
    expect(control(page, "h-ie_port")).not_to_be_focused()
    expect(page.locator("#h-ie_port-ts-dropdown")).to_be_hidden()

    # a picker with a value: Enter without typing keeps it
    control(page, "h-traf_mode").focus()
    page.keyboard.type("水路")
    expect(active(page, "h-traf_mode")).to_have_attribute("data-value", "2")
    page.keyboard.press("Enter")
    expect(value(page, "traf_mode")).to_have_value("2")
    control(page, "h-traf_mode").focus()
    expect(options(page, "h-traf_mode").first).to_be_visible()
    page.keyboard.press("Enter")
    expect(value(page, "traf_mode")).to_have_value("2")
    expect(control(page, "h-traf_mode")).not_to_be_focused()


def test_typing_and_enter_at_once_waits_for_the_search(page, admin_a, ent_a):
    open_entry(page)
    control(page, "h-enty_port_code").focus()
    expect(options(page, "h-enty_port_code").first).to_have_attribute("data-value", "110001")  # 北京
    slow_search(page, "entry-ports", "盐田")
    page.keyboard.type("盐田")
    page.keyboard.press("Enter")  # before the answer: the list on screen is still 北京...
    expect(value(page, "enty_port_code")).to_have_value(api_codes(page, "entry-ports", "盐田")[0])
    expect(value(page, "enty_port_code")).to_have_value("470601")
    expect(page.locator("#h-enty_port_code").locator("xpath=..")).to_contain_text("470601 - 盐田")
    stays_focused(page, control(page, "h-trade_country"))
    expect(page.locator("#h-enty_port_code-ts-dropdown")).to_be_hidden()

    # Tab as well
    expect(options(page, "h-trade_country").first).to_be_visible()
    slow_search(page, "countries", "德国")
    page.keyboard.type("德国")
    page.keyboard.press("Tab")
    expect(value(page, "trade_country")).to_have_value("DEU")
    expect(control(page, "h-trade_country")).not_to_be_focused()
    page.wait_for_timeout(700)
    expect(control(page, "h-trade_country")).not_to_be_focused()


def test_keys_typed_before_a_programmatic_focus_settles(page, admin_a, ent_a):
    """Tom Select finishes focusing itself a tick late; keys typed before that still count."""
    open_entry(page, "I")  # 启运港 is an import field
    page.evaluate("""() => {
        const ts = document.getElementById("h-desp_port_code").tomselect;
        ts.focus();
        const box = ts.control_input;
        box.value = "盐田";
        box.dispatchEvent(new Event("input", {bubbles: true}));
        box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", keyCode: 13, bubbles: true, cancelable: true}));
    }""")
    expect(value(page, "desp_port_code")).to_have_value(api_codes(page, "ports", "盐田")[0])
    stays_focused(page, control(page, "h-distinate_port"))


def test_a_new_search_replaces_the_list_in_the_servers_order(page, admin_a, ent_a):
    open_entry(page)
    assert page.evaluate(
        "document.getElementById('h-custom_master-ts-dropdown').closest('.ts-dropdown').parentElement"
        " === document.body"
    )
    first = api_codes(page, "customs-offices", "盐")
    page.keyboard.type("盐")
    shown_codes(page, "h-custom_master", first)
    second = api_codes(page, "customs-offices", "蛇口")
    page.keyboard.press("Backspace")
    page.keyboard.type("蛇口")
    shown_codes(page, "h-custom_master", second)
    assert not set(second) & set(first)
    page.keyboard.press("Enter")
    expect(value(page, "custom_master")).to_have_value(second[0])

    # with a value: the server's order still, and its first option is the one Enter takes
    control(page, "h-custom_master").focus()
    query = second[0][:2]
    third = api_codes(page, "customs-offices", query)
    assert second[0] in third and third[0] != second[0], third
    page.keyboard.type(query)
    shown_codes(page, "h-custom_master", third)
    expect(active(page, "h-custom_master")).to_have_attribute("data-value", third[0])
    page.keyboard.press("Enter")
    expect(value(page, "custom_master")).to_have_value(third[0])


def test_arrow_keys_choose_an_option(page, admin_a, ent_a):
    open_entry(page)
    second = api_codes(page, "customs-offices", "")[1]
    page.keyboard.press("ArrowDown")
    expect(active(page, "h-custom_master")).to_have_attribute("data-value", second)
    page.keyboard.press("Enter")
    expect(value(page, "custom_master")).to_have_value(second)
    expect(control(page, "h-ie_port")).to_be_focused()

    page.keyboard.type("53")
    codes = api_codes(page, "customs-offices", "53")
    assert len(codes) >= 3
    shown_codes(page, "h-ie_port", codes)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(active(page, "h-ie_port")).to_have_attribute("data-value", codes[1])
    page.keyboard.press("Enter")
    expect(value(page, "ie_port")).to_have_value(codes[1])


def test_leaving_a_picker_before_its_list_arrives_keeps_the_cursor_away(page, admin_a, ent_a):
    open_entry(page)
    slow_search(page, "customs-offices", "", seconds=1.0)  # the list ie_port loads on focus comes late
    page.keyboard.press("Enter")  # custom_master: empty, on to ie_port ...
    expect(control(page, "h-ie_port")).to_be_focused()
    page.keyboard.press("Enter")  # ... and on again before its list arrived
    stays_focused(page, page.locator("#h-manual_no"), ms=1500)
    expect(page.locator("#h-ie_port-ts-dropdown")).to_be_hidden()
    expect(value(page, "ie_port")).to_have_value("")

    # a script focuses a picker (as entry.js does) and Enter comes before Tom Select's second,
    # delayed run of its focus handler
    page.evaluate("""() => {
        document.getElementById("h-custom_master").tomselect.focus();
        document.getElementById("h-custom_master-ts-control").dispatchEvent(
            new KeyboardEvent("keydown", {key: "Enter", keyCode: 13, bubbles: true, cancelable: true}));
    }""")
    stays_focused(page, control(page, "h-ie_port"))
    expect(value(page, "custom_master")).to_have_value("")


def test_a_grid_pickers_dropdown_is_not_clipped(page, admin_a, ent_a):
    open_entry(page)
    row = page.locator("[data-grid=items] tbody tr[data-row]").first
    select_id = row.locator('td[data-col="trade_curr"] select').get_attribute("id")
    row.locator('td[data-col="trade_curr"] .ts-control input').click()
    page.keyboard.type("美元")
    option = page.locator(f"body > .ts-dropdown #{select_id}-ts-dropdown .option[data-value='USD']")
    expect(option).to_be_visible()
    option.scroll_into_view_if_needed()
    # the option is what the user sees at its place (not cut off by the grid's scrolling box)
    assert option.evaluate("""(el) => {
        const r = el.getBoundingClientRect();
        return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
    }""")
    page.keyboard.press("Enter")
    expect(row.locator('td[data-col="trade_curr"] select')).to_have_value("USD")


def test_pickers_of_the_licence_form(page, admin_a, ent_a):
    login(page, "a_admin")
    page.goto("/datacenter/licences/new/")
    control(page, "id_docu_code").click()
    first = api_codes(page, "licence-docs", "")[0]  # the most used first: A 检验检疫 by the prior
    expect(options(page, "id_docu_code").first).to_have_attribute("data-value", first)
    expect(active(page, "id_docu_code")).to_have_attribute("data-value", first)
    page.keyboard.press("Enter")  # empty: no 检验检疫, on to 许可证类别
    expect(page.locator("#id_docu_code")).to_have_value("")
    stays_focused(page, control(page, "id_licence_type"))

    expect(options(page, "id_licence_type").first).to_be_visible()
    slow_search(page, "licence-types", "熏蒸")
    page.keyboard.type("熏蒸")
    page.keyboard.press("Enter")
    expect(page.locator("#id_licence_type")).to_have_value(api_codes(page, "licence-types", "熏蒸")[0])
    expect(page.locator("#id_licence_type")).to_have_value("110")
    stays_focused(page, page.get_by_label("持证单位名称"))  # the next field of the form (the spec's order)

    # a goods line added by the page: its unit picker keys the same way
    page.get_by_role("button", name="增加商品").click()
    lines = page.locator("#licence-lines tbody tr[data-line]")
    expect(lines).to_have_count(2)
    unit = lines.nth(1).locator("select[name=line_unit]")
    unit_id = unit.get_attribute("id")
    control(page, unit_id).click()
    expect(options(page, unit_id).first).to_be_visible()
    page.keyboard.type("千克")
    page.keyboard.press("Tab")
    expect(unit).to_have_value("035")
    expect(control(page, unit_id)).not_to_be_focused()

    # any <select data-picker> a script adds later becomes a picker
    page.evaluate("""() => {
        const s = document.createElement("select");
        s.id = "gw-added"; s.dataset.picker = "currencies"; s.setAttribute("placeholder", "币制");
        document.getElementById("licence-form").appendChild(s);
    }""")
    control(page, "gw-added").click()
    page.keyboard.type("欧元")
    page.keyboard.press("Enter")
    expect(page.locator("#gw-added")).to_have_value("EUR")
