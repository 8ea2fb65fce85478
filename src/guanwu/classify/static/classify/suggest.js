/* 智能识别 and 智能回填 on the declaration entry page.

   The side panel (#hs-suggest, classify/_suggest_panel.html) shows the suggested HS codes for
   the 商品名称 (and 规格型号) of the current goods row as the user types it
   (GET /api/v1/tariff/suggest). It never changes a code by itself: F4 (or a click) enters the
   list, ↑/↓ move, Enter (or a click) takes the highlighted code into the row, Esc goes back to
   the 商品名称. Taking a code sets the row's 商品编号 and CIQ code through the goods grid (legal
   units follow from the tariff, as when the code is keyed), and tells the server the choice
   (POST /api/v1/tariff/suggest/accept) so that the enterprise's next suggestions learn it.

   When the 申报要素 editor opens for a code (the "gw:elements-open" event of entry.js), each
   element gets the values the enterprise used before for that code as proposal buttons
   (GET /api/v1/tariff/{code}/proposals); a value is only written when the user presses one.

   Hook into the grid: window.guanwu.declaration (grids.items: value, setValue, applyTariff,
   field; loadTariff) and the "gw:elements-open" event; nothing else of entry.js is touched. */
(function () {
  "use strict";
  const panel = document.getElementById("hs-suggest");
  const decl = window.guanwu && window.guanwu.declaration;
  const grid = decl && decl.grids ? decl.grids.items : null;
  if (!panel || !grid) return;

  const list = panel.querySelector("[data-hs-list]");
  const queryEl = panel.querySelector("[data-hs-query]");
  const API = panel.dataset.api;
  const ACCEPT_API = panel.dataset.acceptApi;
  const TARIFF_API = panel.dataset.tariffApi;
  const DELAY = 250;
  let items = [];
  let active = -1;
  let row = null; // the goods row the suggestions are for
  let asked = ""; // the text they answer
  let timer = null;
  let seq = 0;

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function csrf() { return window.guanwu && window.guanwu.csrfToken ? window.guanwu.csrfToken() : ""; }
  function describe(tr) {
    return [grid.value(tr, "g_name"), grid.value(tr, "g_model")].filter(Boolean).join(" ").trim();
  }
  function nameField(tr) { return grid.field(tr, "g_name"); }

  // ---------------------------------------------------------------------------- the panel
  function render() {
    list.innerHTML = "";
    items.forEach((s, i) => {
      const li = document.createElement("li");
      li.id = `hs-option-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.dataset.index = String(i);
      li.dataset.code = s.code_ts;
      li.innerHTML =
        `<div><span class="gw-hs-code">${esc(s.code_ts)}</span>${esc(s.name)}` +
        `${s.ciq_code ? ` <span class="text-muted">CIQ ${esc(s.ciq_code)}</span>` : ""}` +
        `<span class="gw-hs-score" style="width:${Math.round(Math.max(0.05, s.score) * 60)}px" title="${esc(s.score)}"></span></div>` +
        `<div class="gw-hs-reasons">${(s.reasons || []).map(esc).join(" · ")}</div>`;
      list.appendChild(li);
    });
    if (!items.length) list.innerHTML = '<li class="text-muted" aria-disabled="true">没有可建议的商品编号</li>';
    list.setAttribute("aria-activedescendant", active >= 0 ? `hs-option-${active}` : "");
  }
  function show(tr, text, data) {
    row = tr;
    asked = text;
    items = data;
    active = -1;
    queryEl.textContent = `「${text}」`;
    render();
    panel.hidden = false;
  }
  function hide() {
    panel.hidden = true;
    active = -1;
  }
  function move(step) {
    if (!items.length) return;
    active = active < 0 ? (step > 0 ? 0 : items.length - 1) : (active + step + items.length) % items.length;
    render();
    const li = list.children[active];
    if (li && li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
  }
  function enter() {
    if (panel.hidden || !items.length) return false;
    active = 0; // entering the list starts at the best suggestion
    render();
    list.focus();
    return true;
  }
  function back() {
    const f = row && row.isConnected ? nameField(row) : null;
    if (f) f.focus();
  }

  async function load(tr) {
    const text = describe(tr);
    if (!text) { hide(); return; }
    if (text === asked && tr === row && !panel.hidden) return;
    const mine = ++seq;
    let data = [];
    try {
      const res = await fetch(`${API}?${new URLSearchParams({ q: text, limit: "5" })}`,
        { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (res.ok) data = (await res.json()).items || [];
    } catch (e) { data = []; }
    if (mine !== seq) return; // a newer request answers
    show(tr, text, data);
  }

  // --------------------------------------------------------------------- taking a code
  async function take(index) {
    const s = items[index];
    const tr = row;
    if (!s || !tr || !tr.isConnected) return;
    hide();
    const tariff = await decl.loadTariff(s.code_ts); // the grid's own cache of tariff details
    grid.setValue(tr, "code_ts", s.code_ts);
    const codeField = grid.field(tr, "code_ts");
    const ts = codeField && codeField.tomselect;
    if (ts) ts.updateOption(s.code_ts, { [ts.settings.valueField]: s.code_ts, [ts.settings.labelField]: s.name });
    if (tariff) grid.applyTariff(tr, tariff, false); // legal units, CIQ choices, 申报要素 count
    if (s.ciq_code) grid.setValue(tr, "ciq_code", s.ciq_code);
    const name = nameField(tr);
    if (name) name.dispatchEvent(new Event("input", { bubbles: true })); // 未暂存, totals
    fetch(ACCEPT_API, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ description: grid.value(tr, "g_name") || asked, code_ts: s.code_ts }),
    }).catch(() => {});
    const model = grid.field(tr, "g_model");
    if (model) model.focus(); // the 申报要素 editor opens there, with the proposals
  }

  // ----------------------------------------------------------------------------- events
  grid.tbody.addEventListener("input", (ev) => {
    const f = ev.target.closest('[data-field="g_name"]');
    if (!f || !ev.isTrusted) return;
    const tr = f.closest("tr[data-row]");
    clearTimeout(timer);
    timer = setTimeout(() => load(tr), DELAY);
  });
  grid.tbody.addEventListener("focusin", (ev) => {
    const f = ev.target.closest('[data-field="g_name"]');
    if (f && f.value.trim()) {
      const tr = f.closest("tr[data-row]");
      if (!grid.value(tr, "code_ts")) load(tr);
    }
  });
  grid.tbody.addEventListener("keydown", (ev) => {
    const f = ev.target.closest('[data-field="g_name"]');
    if (!f) return;
    if (ev.key === "F4") {
      ev.preventDefault();
      ev.stopPropagation();
      const tr = f.closest("tr[data-row]");
      if (panel.hidden || tr !== row) load(tr).then(enter); else enter();
    } else if (ev.key === "Escape" && !panel.hidden) {
      ev.preventDefault();
      hide();
    }
  }, true);
  list.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      move(ev.key === "ArrowDown" ? 1 : -1);
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      ev.stopPropagation();
      if (active >= 0) take(active);
    } else if (ev.key === "Escape" || ev.key === "Tab") {
      ev.preventDefault();
      back();
    }
  });
  list.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the focus where it is
  list.addEventListener("click", (ev) => {
    const li = ev.target.closest("li[data-code]");
    if (li) take(Number(li.dataset.index));
  });
  panel.querySelector("[data-hs-close]").addEventListener("click", () => { hide(); back(); });
  document.addEventListener("focusin", (ev) => {
    if (panel.hidden || panel.contains(ev.target)) return;
    const f = ev.target.closest && ev.target.closest('[data-field="g_name"]');
    if (!f) hide();
  });

  // ---------------------------------------------------------- 智能回填: element proposals
  const elModal = document.getElementById("elements-modal");
  if (!elModal) return;
  elModal.addEventListener("gw:elements-open", async (ev) => {
    const code = ev.detail && ev.detail.code;
    if (!code) return;
    let data = null;
    try {
      const res = await fetch(`${TARIFF_API}/${encodeURIComponent(code)}/proposals`, { credentials: "same-origin" });
      if (res.ok) data = await res.json();
    } catch (e) { data = null; }
    if (!data) return;
    const fields = Array.from(elModal.querySelectorAll("[data-element]"));
    (data.elements || []).forEach((el) => {
      const f = fields[el.index];
      if (!f || !(el.proposals || []).length || f.tagName === "SELECT" && f.value) return;
      const box = document.createElement("div");
      box.className = "gw-proposals";
      box.dataset.proposalsFor = String(el.index);
      box.innerHTML = '<span class="text-muted">建议: </span>' + el.proposals.map((p) =>
        `<button type="button" class="btn btn-outline-primary" data-proposal="${esc(p.value)}" ` +
        `title="${esc(p.source)} ${esc(p.count)} 次">${esc(p.value)}</button>`).join("");
      f.after(box);
    });
  });
  elModal.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-proposal]");
    if (!b) return;
    const box = b.closest("[data-proposals-for]");
    const f = elModal.querySelectorAll("[data-element]")[Number(box.dataset.proposalsFor)];
    if (!f) return;
    if (f.tagName === "SELECT" && !Array.from(f.options).some((o) => o.value === b.dataset.proposal)) return;
    f.value = b.dataset.proposal;
    f.dispatchEvent(new Event("input", { bubbles: true })); // the preview
    f.focus();
  });
})();
