/* 商品数据库 picker ("使用商品数据库") and 保税商品库 fill, reusable on any page that includes
   commodities/_picker_dialog.html:

     window.guanwu.commodityPicker.open({ieFlag: "E", tradeCode: "6101930001", multi: false,
                                         onPick: (rows) => {...}})   // rows: item-shaped values
     window.guanwu.commodityPicker.lookupBonded(emsNo, itemNo)       // -> values or null

   The dialog searches /api/v1/commodities as the user types (name, pinyin, initials, HS code
   prefix, brand/model words). Keyboard: ↑/↓ move, Enter takes the highlighted row (multi: the
   checked rows, or the highlighted one), Space (with the focus on the list: Tab) checks a row in multi
   mode, Esc closes.

   On the declaration entry page (window.guanwu.declaration with its grids) the module also
   wires the [data-commodity-picker] button of the goods toolbar (Alt+J): one pick fills the
   current goods row, a multi-pick appends one row per commodity; and typing a 备案序号 in a row
   of a declaration with a 备案号 fills the row from the 保税商品库. The library is never
   changed from here: the values are copied into the row, and editing the row is the user's. */
(function () {
  "use strict";
  const modalEl = document.getElementById("commodity-picker");
  if (!modalEl) return;

  const input = modalEl.querySelector("[data-cp-q]");
  const table = modalEl.querySelector("table");
  const tbody = modalEl.querySelector("[data-cp-rows]");
  const ieBox = modalEl.querySelector("[data-cp-ie]");
  const ieLabel = modalEl.querySelector("[data-cp-ie-label]");
  const tradeBox = modalEl.querySelector("[data-cp-trade]");
  const multiBox = modalEl.querySelector("[data-cp-multi]");
  const allBox = modalEl.querySelector("[data-cp-all]");
  const countEl = modalEl.querySelector("[data-cp-count]");
  const helpEl = modalEl.querySelector("[data-cp-help]");
  const okBtn = modalEl.querySelector("[data-cp-ok]");
  const API = modalEl.dataset.api;
  const TARIFF_API = modalEl.dataset.tariffApi;
  const BONDED_API = modalEl.dataset.bondedApi;
  const LIMIT = 30;

  let options = {};
  let results = [];
  let active = -1;
  let checked = new Map(); // multi mode: id -> row, kept across queries
  let seq = 0;
  let timer = null;

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function modal() { return window.bootstrap.Modal.getOrCreateInstance(modalEl); }
  function multi() { return multiBox.checked; }

  // ------------------------------------------------------------------------------ search
  async function load() {
    const mine = ++seq;
    const params = new URLSearchParams({ q: input.value.trim(), limit: String(LIMIT) });
    if (ieBox.checked && options.ieFlag) params.set("ie_flag", options.ieFlag);
    if (tradeBox.checked && options.tradeCode) params.set("trade_code", options.tradeCode);
    let data = { items: [] };
    try {
      const res = await fetch(`${API}?${params}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      data = res.ok ? await res.json() : { items: [], error: `查询失败 (${res.status})` };
    } catch (e) {
      data = { items: [], error: "网络错误, 请稍后重试" };
    }
    if (mine !== seq) return; // a newer query is on its way
    results = data.items || [];
    active = results.length ? 0 : -1;
    render(data.error);
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  }
  function countryCell(r) {
    // an export keeps its 原产国 in destination_country and the 目的国 in origin_country
    const a = r.ie_flag === "E" ? r.destination_country : r.origin_country;
    const b = r.ie_flag === "E" ? r.origin_country : r.destination_country;
    return [a, b].filter(Boolean).join(" / ");
  }
  function render(error) {
    const isMulti = multi();
    modalEl.querySelectorAll(".gw-cp-check").forEach((th) => { th.hidden = !isMulti; });
    if (!results.length) {
      const text = error || (input.value.trim() ? "商品数据库中没有匹配的商品" : "商品数据库暂无商品");
      tbody.innerHTML = `<tr class="gw-cp-empty"><td colspan="11" class="text-muted small">${esc(text)}</td></tr>`;
    } else {
      tbody.innerHTML = results.map((r, i) => `
        <tr data-cp-index="${i}" class="${i === active ? "gw-cp-active" : ""}" aria-selected="${i === active}">
          <td class="gw-cp-check"${isMulti ? "" : " hidden"}><input type="checkbox" class="form-check-input" tabindex="-1" data-cp-check aria-label="选择 ${esc(r.g_name)}"${checked.has(r.id) ? " checked" : ""}></td>
          <td class="font-monospace text-nowrap">${esc(r.code_ts)}</td>
          <td>${esc(r.g_name)}</td>
          <td class="gw-cp-model small" title="${esc(r.g_model)}">${esc(r.g_model)}</td>
          <td class="text-nowrap">${esc(r.g_unit)} ${esc((r.code_names || {}).g_unit || "")}</td>
          <td class="text-nowrap">${esc(countryCell(r))}</td>
          <td class="text-end">${esc(r.decl_price == null ? "" : r.decl_price)}</td>
          <td>${esc(r.trade_curr)}</td>
          <td class="small">${esc(r.trade_name)}</td>
          <td class="text-end">${esc(r.usage_count)}</td>
        </tr>`).join("");
    }
    updateCount();
    scrollActive();
  }
  function updateCount() {
    countEl.textContent = multi() ? `已选 ${checked.size} 个` : (results.length ? `${results.length} 个商品` : "");
    if (allBox) allBox.checked = results.length > 0 && results.every((r) => checked.has(r.id));
  }
  function setActive(i) {
    if (!results.length) return;
    active = Math.max(0, Math.min(results.length - 1, i));
    tbody.querySelectorAll("tr[data-cp-index]").forEach((tr) => {
      const on = Number(tr.dataset.cpIndex) === active;
      tr.classList.toggle("gw-cp-active", on);
      tr.setAttribute("aria-selected", String(on));
    });
    scrollActive();
  }
  function scrollActive() {
    const tr = tbody.querySelector("tr.gw-cp-active");
    if (tr) tr.scrollIntoView({ block: "nearest" });
  }
  function toggle(i) {
    const r = results[i];
    if (!r) return;
    if (checked.has(r.id)) checked.delete(r.id); else checked.set(r.id, r);
    const box = tbody.querySelector(`tr[data-cp-index="${i}"] [data-cp-check]`);
    if (box) box.checked = checked.has(r.id);
    updateCount();
  }

  // ------------------------------------------------------------------------------- pick
  function picked() {
    if (multi() && checked.size) return Array.from(checked.values());
    return active >= 0 && results[active] ? [results[active]] : [];
  }
  let pending = null; // what was picked, handed over once the dialog has closed
  function confirm() {
    const rows = picked();
    if (!rows.length) { input.focus(); return; }
    pending = { rows, done: options.onPick };
    modal().hide();
  }

  input.addEventListener("input", schedule);
  [ieBox, tradeBox].forEach((b) => b.addEventListener("change", () => { load(); input.focus(); }));
  multiBox.addEventListener("change", () => {
    checked.clear();
    helpEl.textContent = multi() ? "↑↓ 选择 · Tab 到列表后空格勾选 (换个词查询, 已勾选的保留) · Enter 带入勾选的商品, 每个新增一行 · Esc 关闭" : "↑↓ 选择 · Enter 带入 · Esc 关闭";
    render();
    input.focus();
  });
  if (allBox) allBox.addEventListener("change", () => {
    results.forEach((r) => { if (allBox.checked) checked.set(r.id, r); else checked.delete(r.id); });
    render();
  });
  modalEl.addEventListener("keydown", (ev) => {
    if (ev.isComposing) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      setActive(active + (ev.key === "ArrowDown" ? 1 : -1));
    } else if (ev.key === "Enter" && (ev.target === input || ev.target === table)) {
      ev.preventDefault();
      ev.stopPropagation();
      if (timer && input.value.trim() && !results.length) return; // the answer is still coming
      confirm();
    } else if (ev.key === "Tab" && !ev.shiftKey && ev.target === input && results.length) {
      ev.preventDefault(); // from the search box straight to the list
      table.focus();
    } else if (ev.key === "Tab" && ev.shiftKey && ev.target === table) {
      ev.preventDefault();
      input.focus();
    } else if (ev.key === " " && multi() && ev.target === table) {
      ev.preventDefault(); // in the search box a space separates words; in the list it checks
      toggle(active);
    }
  });
  tbody.addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr[data-cp-index]");
    if (!tr) return;
    const i = Number(tr.dataset.cpIndex);
    setActive(i);
    if (multi()) { toggle(i); return; }
  });
  tbody.addEventListener("dblclick", (ev) => {
    const tr = ev.target.closest("tr[data-cp-index]");
    if (!tr || multi()) return;
    setActive(Number(tr.dataset.cpIndex));
    confirm();
  });
  okBtn.addEventListener("click", confirm);
  modalEl.addEventListener("show.bs.modal", releasePicker);
  modalEl.addEventListener("shown.bs.modal", () => { if (document.activeElement !== input) input.focus(); });
  modalEl.addEventListener("focusout", () => {
    // nothing outside the dialog takes the focus while it is open
    setTimeout(() => { if (modalEl.classList.contains("show") && !modalEl.contains(document.activeElement)) input.focus(); }, 0);
  });
  modalEl.addEventListener("hidden.bs.modal", () => {
    const back = options.returnFocus;
    const take = pending;
    options = {};
    pending = null;
    if (take && take.done) take.done(take.rows);
    else if (back && back.isConnected) back.focus();
  });

  function releasePicker() {
    // a code picker that had the focus (e.g. the header's first one, still loading its list)
    // must not take it back while the dialog is open
    const active = document.activeElement;
    const wrapper = active && active.closest ? active.closest(".ts-wrapper") : null;
    const ts = wrapper && wrapper.previousElementSibling ? wrapper.previousElementSibling.tomselect : null;
    if (ts) { ts.close(); ts.blur(); }
  }

  function open(opts) {
    releasePicker();
    options = Object.assign({}, opts || {});
    ieLabel.textContent = options.ieFlag === "I" ? "进口商品" : options.ieFlag === "E" ? "出口商品" : "本进出口方向";
    ieBox.disabled = !options.ieFlag;
    tradeBox.disabled = !options.tradeCode;
    tradeBox.checked = !!options.tradeCode && !!options.onlyTrade;
    multiBox.checked = !!options.multi;
    multiBox.dispatchEvent(new Event("change"));
    load();
    modal().show();
  }

  async function lookupBonded(emsNo, itemNo) {
    const params = new URLSearchParams({ ems_no: emsNo, item_no: String(itemNo) });
    try {
      const res = await fetch(`${BONDED_API}?${params}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (res.ok) return await res.json();
      if (res.status === 404) return null;
    } catch (e) { /* network: treated as not found */ }
    return null;
  }

  window.guanwu = window.guanwu || {};
  window.guanwu.commodityPicker = { open, lookupBonded };

  // ------------------------------------------------------------ the declaration entry page
  const decl = window.guanwu.declaration;
  const grid = decl && decl.grids ? decl.grids.items : null;
  if (!grid) return;
  const root = document.getElementById("decl");
  const headForm = document.getElementById("decl-head");
  // Library fields a pick copies into the row (empty library values keep the row's own).
  const FILL = ["code_ts", "ciq_code", "g_name", "g_model", "g_unit", "decl_price", "trade_curr", "origin_country",
    "destination_country", "district_code", "dest_code", "duty_mode", "exg_no", "contr_item"];
  const tariffCache = {};

  function headValue(name) {
    const f = headForm ? headForm.querySelector(`[name="${name}"]`) : null;
    return f ? String(f.value || "").trim() : "";
  }
  async function tariff(code) {
    if (!code) return null;
    if (!tariffCache[code]) {
      tariffCache[code] = fetch(`${TARIFF_API}/${encodeURIComponent(code)}`, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null)).catch(() => null);
    }
    return tariffCache[code];
  }
  function nameOption(tr, name, value, label) {
    // the row's code picker shows "USD - 美元": give it the option with its name first
    const cell = tr.querySelector(`td[data-col="${name}"] [data-field]`);
    if (cell && cell.tomselect && value && label) cell.tomselect.addOption({ code: value, name: label });
  }
  async function fillRow(tr, values) {
    const names = values.code_names || {};
    FILL.forEach((name) => {
      const value = values[name];
      if (value === null || value === undefined || value === "") return;
      nameOption(tr, name, String(value), names[name]);
      grid.setValue(tr, name, value);
    });
    const t = await tariff(values.code_ts);
    if (t && grid.value(tr, "code_ts") === values.code_ts) grid.applyTariff(tr, t, true);
    const price = grid.field(tr, "decl_price") || grid.field(tr, "g_name");
    if (price) price.dispatchEvent(new Event("input", { bubbles: true })); // totals, 未暂存 mark
    tr.querySelectorAll(".gw-cell-invalid, .gw-cell-warning").forEach((td) => td.classList.remove("gw-cell-invalid", "gw-cell-warning"));
  }
  function appendRow() {
    const rows = grid.rows();
    const last = rows[rows.length - 1] || null;
    return grid.addRow(grid.newRowValues(last), last, false);
  }
  function focusQty(tr) {
    const f = grid.field(tr, "g_qty");
    if (f) { f.focus(); if (f.select) f.select(); }
  }
  async function usePicked(rows, target) {
    let first = null;
    for (let i = 0; i < rows.length; i += 1) {
      let tr = i === 0 ? target : null;
      if (!tr || (i === 0 && rows.length > 1 && !grid.blank(tr))) tr = appendRow();
      await fillRow(tr, rows[i]);
      if (!first) first = tr;
    }
    if (first) { grid.select(first); focusQty(first); }
  }
  function openForGrid(asMulti) {
    const target = grid.currentRow() || grid.rows()[grid.rows().length - 1] || null;
    const returnFocus = document.activeElement;
    open({
      ieFlag: root ? root.dataset.ie : "", tradeCode: headValue("trade_code"), multi: asMulti, returnFocus,
      onPick: (rows) => usePicked(rows, target || appendRow()),
    });
  }
  document.querySelectorAll("[data-commodity-picker]").forEach((b) => {
    b.addEventListener("click", (ev) => { ev.preventDefault(); openForGrid(b.dataset.commodityPicker === "multi"); });
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.altKey && !ev.ctrlKey && (ev.key === "j" || ev.key === "J") && document.querySelector("[data-commodity-picker]")) {
      ev.preventDefault();
      openForGrid(false);
    }
  });

  // 备案号 in the head + 备案序号 typed in a row -> the row from the 保税商品库. Without a 备案号
  // the 备案序号 cells are disabled, so Enter skips them in a general-trade declaration.
  function syncContrItem() {
    const on = !!headValue("manual_no");
    grid.tbody.querySelectorAll('[data-field="contr_item"]').forEach((f) => {
      f.disabled = !on;
      f.title = on ? "输入备案序号, 从保税商品库带出商品" : "表头填写备案号后可录入";
    });
  }
  syncContrItem();
  if (headForm) {
    headForm.addEventListener("input", (ev) => { if (ev.target.name === "manual_no") syncContrItem(); });
    headForm.addEventListener("change", (ev) => { if (ev.target.name === "manual_no") syncContrItem(); });
  }
  new MutationObserver(syncContrItem).observe(grid.tbody, { childList: true });
  grid.tbody.addEventListener("change", async (ev) => {
    const f = ev.target.closest('[data-field="contr_item"]');
    if (!f) return;
    const tr = f.closest("tr[data-row]");
    const emsNo = headValue("manual_no");
    const itemNo = String(f.value || "").trim();
    const td = f.closest("td");
    td.classList.remove("gw-cell-warning");
    td.removeAttribute("title");
    if (!emsNo || !/^\d+$/.test(itemNo)) return;
    const values = await lookupBonded(emsNo, itemNo);
    if (!values) {
      td.classList.add("gw-cell-warning");
      td.title = `保税商品库中没有备案号${emsNo}的备案序号${itemNo}`;
      return;
    }
    await fillRow(tr, { ...values, contr_item: values.item_no, exg_no: values.part_no });
  });
})();
