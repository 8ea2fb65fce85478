/* 报关单录入: the header form, keyboard grids (goods, containers, licences, documents, other
   packages), the 申报要素 editor, live totals, and 暂存/申报前检查/申报/复制/删除 through the JSON
   API (/api/v1/declarations). Code pickers are the shared ones of ui.js ([data-picker]); Enter
   moves to the next field (ui.js, [data-enter-nav]). */
(function () {
  "use strict";
  const root = document.getElementById("decl");
  if (!root) return;
  const cfg = JSON.parse(document.getElementById("decl-config").textContent);
  const editable = !!cfg.editable;
  const state = { id: cfg.id, version: cfg.version, status: cfg.status, dirty: false };
  const tariffs = Object.assign({}, cfg.tariffs || {});
  const names = cfg.names || {};
  const headForm = document.getElementById("decl-head");
  const messages = document.getElementById("decl-messages");
  const savedNote = document.getElementById("decl-saved");

  // Which fields make a row "keyed" (a row without any of them is blank and not sent), and
  // which values a new row takes over from the row above.
  const KEY_FIELDS = {
    items: ["code_ts", "g_name", "g_model", "g_qty", "decl_price", "decl_total", "ciq_code"],
    containers: ["container_id", "goods_no"],
    licences: ["docu_code", "cert_code"],
    documents: ["edoc_id", "edoc_code", "edoc_cop_id"],
    other_packs: ["pack_type", "pack_qty"],
  };
  const STICKY = {
    items: ["trade_curr", "origin_country", "destination_country", "district_code", "dest_code", "duty_mode"],
    containers: ["container_md", "lcl_flag"],
    documents: ["edoc_fomat_type"],
  };
  const FIRST_ROW = {
    items: { destination_country: "CHN", duty_mode: "1" },
    containers: { lcl_flag: "0" },
    documents: { edoc_fomat_type: "US" },
  };
  const OPTIONAL_ELEMENTS = ["GTIN", "CAS", "其他"];
  const GRID_LABELS = { items: "商品", containers: "集装箱", licences: "随附单证", documents: "随附单据", other_packs: "其他包装" };

  // ------------------------------------------------------------------------------ helpers
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function num(v) {
    if (v === null || v === undefined || String(v).trim() === "") return null;
    const n = Number(String(v).replace(/,/g, "").trim());
    return Number.isFinite(n) ? n : null;
  }
  function plain(n, places) {
    // 11550 -> "11550", 3.855 -> "3.86" (places), no exponent, no trailing zeros
    if (n === null) return "";
    const fixed = n.toFixed(places);
    return fixed.indexOf(".") >= 0 ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
  }
  function money(n) {
    return n.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function codeName(table, code) {
    return ((names[table] || {})[code]) || "";
  }
  function remember(table, code, name) {
    if (!table || !code) return;
    (names[table] = names[table] || {})[code] = name || "";
  }
  function csrf() {
    try {
      const h = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (h["X-CSRFToken"]) return h["X-CSRFToken"];
    } catch (e) { /* fall through */ }
    return window.guanwu && window.guanwu.csrfToken ? window.guanwu.csrfToken() : "";
  }
  async function call(method, url, body) {
    const opts = {
      method, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() },
    };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(url, opts);
    } catch (e) {
      return { ok: false, status: 0, data: { detail: "网络错误, 请稍后重试", errors: [] } };
    }
    let data = {};
    if (res.status !== 204) {
      try { data = await res.json(); } catch (e) { data = { detail: `服务器错误 (${res.status})`, errors: [] }; }
    }
    return { ok: res.ok, status: res.status, data: data || {} };
  }
  function detailUrl(id) { return cfg.urls.detail.replace("{id}", id); }
  function markDirty() {
    if (!editable) return;
    state.dirty = true;
    if (savedNote) savedNote.textContent = "有未暂存的修改";
  }
  function focusField(field) {
    if (!field) return;
    if (field.tomselect) { field.tomselect.focus(); return; }
    field.focus();
    if (field.select && field.tagName === "INPUT") field.select();
  }
  function showTabOf(node) {
    const pane = node.closest(".tab-pane");
    if (!pane || pane.classList.contains("active")) return;
    const btn = document.querySelector(`[data-bs-target="#${pane.id}"]`);
    if (btn && window.bootstrap) window.bootstrap.Tab.getOrCreateInstance(btn).show();
  }
  // ------------------------------------------------------------------------- messages
  function notice(kind, html) {
    messages.innerHTML = `<div class="alert alert-${kind} alert-dismissible" role="alert">${html}` +
      '<button type="button" class="btn-close btn-sm py-2" data-bs-dismiss="alert" aria-label="关闭"></button></div>';
  }
  function clearErrors() {
    messages.innerHTML = "";
    root.querySelectorAll(".gw-field-error").forEach((n) => n.remove());
    root.querySelectorAll(".is-invalid").forEach((n) => n.classList.remove("is-invalid"));
    root.querySelectorAll(".gw-cell-invalid, .gw-cell-warning").forEach((n) => {
      n.classList.remove("gw-cell-invalid", "gw-cell-warning");
      n.removeAttribute("title");
    });
    root.querySelectorAll(".gw-invalid").forEach((n) => n.classList.remove("gw-invalid"));
    document.querySelectorAll(".gw-tab-invalid").forEach((n) => n.classList.remove("gw-tab-invalid"));
  }
  const PATH = /^(\w+)\[(\d+)\]\.(\w+)$/;
  function locate(path) {
    // -> {target: element to focus, cell: element to mark, grid}
    const m = PATH.exec(path || "");
    if (m && grids[m[1]]) {
      const grid = grids[m[1]];
      const tr = grid.sent[Number(m[2])];
      if (!tr) return { grid: grid, cell: grid.wrap };
      const td = tr.querySelector(`td[data-col="${m[3]}"]`) || tr.querySelector("td:not(.gw-idx)");
      return { grid: grid, cell: td, target: td && td.querySelector("[data-field]") };
    }
    if (grids[path]) return { grid: grids[path], cell: grids[path].wrap };
    const field = path ? headForm.querySelector(`[name="${path}"]`) : null;
    if (field) return { cell: field.closest(".gw-cell"), target: field, head: true };
    return null;
  }
  function mark(error, warning) {
    const where = locate(error.field);
    if (!where || !where.cell) return;
    if (where.head) {
      if (!warning) {
        where.target.classList.add("is-invalid");
        const wrapper = where.target.tomselect ? where.target.tomselect.wrapper : null;
        if (wrapper) wrapper.classList.add("is-invalid");
      }
      const note = document.createElement("div");
      note.className = `gw-field-error ${warning ? "text-warning-emphasis small" : "invalid-feedback"}`;
      note.textContent = error.message;
      where.cell.appendChild(note);
    } else if (where.cell.tagName === "TD") {
      where.cell.classList.add(warning ? "gw-cell-warning" : "gw-cell-invalid");
      where.cell.title = (where.cell.title ? where.cell.title + "\n" : "") + error.message;
    } else if (!warning) {
      where.cell.classList.add("gw-invalid");
    }
    if (!warning && where.grid) {
      const pane = where.grid.wrap.closest(".tab-pane");
      const btn = pane ? document.querySelector(`[data-bs-target="#${pane.id}"]`) : null;
      if (btn) btn.classList.add("gw-tab-invalid");
    }
  }
  function list(entries, warning) {
    return "<ol>" + entries.map((e, i) =>
      `<li><a href="#" data-goto="${esc(e.field)}" data-kind="${warning ? "w" : "e"}" data-i="${i}">${esc(e.message)}</a></li>`).join("") + "</ol>";
  }
  function showFindings(detail, errors, warnings) {
    clearErrors();
    let html = "";
    if (errors.length) {
      html += `<div class="alert alert-danger" role="alert" id="decl-errors"><strong>${esc(detail || "数据校验未通过")}</strong>` +
        ` (共 ${errors.length} 处, 点击定位)${list(errors, false)}</div>`;
    }
    if (warnings && warnings.length) {
      html += `<div class="alert alert-warning" role="status" id="decl-warnings"><strong>提示 (不影响申报, 请确认)</strong>${list(warnings, true)}</div>`;
    }
    messages.innerHTML = html;
    errors.forEach((e) => mark(e, false));
    (warnings || []).forEach((w) => mark(w, true));
    messages.scrollIntoView({ block: "nearest" });
  }
  messages.addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-goto]");
    if (!a) return;
    ev.preventDefault();
    const where = locate(a.dataset.goto);
    if (!where) return;
    showTabOf(where.cell || where.target);
    if (where.target) focusField(where.target);
    else if (where.cell) where.cell.scrollIntoView({ block: "center" });
  });
  function showError(res) {
    const data = res.data || {};
    const errors = (data.errors || []).filter((e) => e.message);
    if (!errors.length) errors.push({ field: "", message: data.detail || `操作失败 (${res.status})` });
    showFindings(data.detail, errors, data.warnings || []);
  }

  // ---------------------------------------------------------------------------- tariff
  async function loadTariff(code) {
    if (!code) return null;
    if (tariffs[code]) return tariffs[code];
    const res = await call("GET", `${cfg.urls.tariff}/${encodeURIComponent(code)}`);
    if (!res.ok) return null;
    tariffs[code] = res.data;
    return res.data;
  }
  // ------------------------------------------------------------------------------ grids
  class Grid {
    constructor(key, wrap) {
      this.key = key;
      this.wrap = wrap;
      this.columns = cfg.columns[key];
      this.table = document.createElement("table");
      this.table.className = "gw-grid";
      this.table.dataset.gridTable = key;
      const colgroup = document.createElement("colgroup");
      this.columns.forEach((c) => {
        const col = document.createElement("col");
        col.style.width = `${c.width}px`;
        colgroup.appendChild(col);
      });
      this.table.appendChild(colgroup);
      const thead = document.createElement("thead");
      thead.innerHTML = "<tr>" + this.columns.map((c) =>
        `<th data-col="${c.name}" title="${esc(c.label)}"${c.required ? ' class="gw-required"' : ""}>${esc(c.label)}</th>`).join("") + "</tr>";
      this.table.appendChild(thead);
      this.tbody = document.createElement("tbody");
      this.table.appendChild(this.tbody);
      wrap.appendChild(this.table);
      (cfg.children[key] || []).forEach((row) => this.addRow(row, null, true));
      if (editable && key === "items" && !this.rows().length) this.addRow({ ...(FIRST_ROW.items || {}) }, null, true);
      this.sent = this.rows();
      this.current = null;
      this.empty();
      this.bind();
    }
    rows() { return Array.from(this.tbody.querySelectorAll("tr[data-row]")); }
    column(name) { return this.columns.find((c) => c.name === name); }
    td(tr, name) { return tr.querySelector(`td[data-col="${name}"]`); }
    field(tr, name) { const td = this.td(tr, name); return td ? td.querySelector("[data-field]") : null; }
    value(tr, name) {
      const td = this.td(tr, name);
      if (!td) return "";
      if (td.dataset.value !== undefined) return td.dataset.value;
      const f = td.querySelector("[data-field]");
      return f ? String(f.value || "").trim() : "";
    }
    setValue(tr, name, value) {
      const td = this.td(tr, name);
      if (!td) return;
      const col = this.column(name);
      value = value == null ? "" : String(value);
      if (td.dataset.value !== undefined) {
        td.dataset.value = value;
        const span = td.querySelector(".gw-unit, .gw-ro");
        if (span) span.textContent = this.display(col, value);
        return;
      }
      const f = td.querySelector("[data-field]");
      if (!f) return;
      if (f.tomselect) {
        if (value) {
          const label = col.kind === "tariff" ? ((tariffs[value] || {}).name || "") : codeName(col.table, value);
          f.tomselect.addOption({ code: value, name: label });
          f.tomselect.setValue(value, true);
        } else {
          f.tomselect.clear(true);
        }
      } else if (f.tagName === "SELECT" && value && !Array.from(f.options).some((o) => o.value === value)) {
        f.add(new Option(value, value));
        f.value = value;
      } else {
        f.value = value;
      }
    }
    display(col, value) {
      if (!value) return "";
      if (col.kind === "code" || col.kind === "unit") {
        const n = codeName(col.kind === "unit" ? "units" : col.table, value);
        return n ? `${value} ${n}` : value;
      }
      if (col.kind === "ciq") return value;
      if (col.kind === "select") {
        const ch = (col.choices || []).find((c) => c[0] === value);
        return ch ? ch[1] : value;
      }
      return value;
    }
    makeCell(col, value) {
      const td = document.createElement("td");
      td.dataset.col = col.name;
      value = value == null ? "" : String(value);
      if (col.kind === "index") { td.className = "gw-idx"; return td; }
      if (col.kind === "unit") {
        td.dataset.value = value;
        td.innerHTML = `<span class="gw-unit" title="由税则确定, 不可修改">${esc(this.display(col, value))}</span>`;
        return td;
      }
      if (!editable) {
        td.dataset.value = value;
        const text = this.display(col, value);
        td.innerHTML = `<span class="gw-ro" title="${esc(text)}">${esc(text)}</span>`;
        if (col.kind === "number") td.classList.add("text-end");
        return td;
      }
      let f;
      const aria = `${GRID_LABELS[this.key]} ${col.label}`;
      if (col.kind === "code") {
        f = document.createElement("select");
        f.className = "form-select form-select-sm";
        f.dataset.picker = col.table;
        f.setAttribute("placeholder", "代码/名称");
        f.add(new Option("", ""));
        if (value) f.add(new Option(codeName(col.table, value) || value, value, true, true));
      } else if (col.kind === "tariff") {
        f = document.createElement("select");
        f.className = "form-select form-select-sm gw-tariff";
        f.dataset.picker = "tariff"; // the shared picker of ui.js, on /api/v1/tariff
        f.setAttribute("placeholder", "编号/名称");
        f.add(new Option("", ""));
        if (value) f.add(new Option((tariffs[value] || {}).name || value, value, true, true));
      } else if (col.kind === "ciq" || col.kind === "select") {
        f = document.createElement("select");
        f.className = "form-select form-select-sm";
        f.add(new Option("", ""));
        (col.choices || []).forEach((c) => f.add(new Option(c[1], c[0])));
        if (value && !Array.from(f.options).some((o) => o.value === value)) f.add(new Option(value, value));
        f.value = value;
      } else {
        f = document.createElement("input");
        f.type = "text";
        f.className = "form-control form-control-sm";
        f.autocomplete = "off";
        if (col.maxlength) f.maxLength = col.maxlength;
        if (col.kind === "number") { f.inputMode = "decimal"; f.classList.add("text-end"); }
        f.value = value;
      }
      f.dataset.field = col.name;
      f.setAttribute("aria-label", aria);
      td.appendChild(f);
      if (col.kind === "gmodel") {
        td.classList.add("gw-model");
        f.title = value;
        const b = document.createElement("button");
        b.type = "button";
        b.className = "btn btn-light btn-sm gw-el-btn";
        b.tabIndex = -1;
        b.dataset.elements = "";
        b.title = "编辑申报要素 (F2)";
        b.textContent = "要素";
        td.appendChild(b);
      }
      return td;
    }
    addRow(values, after, initial) {
      const tr = document.createElement("tr");
      tr.dataset.row = "";
      this.columns.forEach((c) => tr.appendChild(this.makeCell(c, values[c.name])));
      const placeholder = this.tbody.querySelector(".gw-grid-empty");
      if (placeholder) placeholder.remove();
      if (after) after.after(tr); else this.tbody.appendChild(tr);
      if (editable) {
        if (window.guanwu && window.guanwu.init) window.guanwu.init(tr); // its pickers (ui.js)
      }
      if (this.key === "items") {
        const code = values.code_ts;
        if (code && tariffs[code]) this.applyTariff(tr, tariffs[code], true);
        const qty = num(values.g_qty), price = num(values.decl_price), total = num(values.decl_total);
        if (total !== null && qty !== null && price !== null && Math.abs(qty * price - total) > 0.01) tr.dataset.totalManual = "1";
        if (values.first_qty && values.first_qty !== values.g_qty) tr.dataset.firstManual = "1";
      }
      this.renumber();
      if (!initial) { markDirty(); updateTotals(); }
      return tr;
    }
    empty() {
      if (this.rows().length || this.tbody.querySelector(".gw-grid-empty")) return;
      const tr = document.createElement("tr");
      tr.className = "gw-grid-empty";
      tr.innerHTML = `<td colspan="${this.columns.length}">暂无${GRID_LABELS[this.key]}${editable ? ", 点击“新增”或按 Alt+N 添加" : ""}</td>`;
      this.tbody.appendChild(tr);
    }
    renumber() {
      this.rows().forEach((tr, i) => {
        tr.dataset.index = String(i);
        const idx = tr.querySelector("td.gw-idx");
        if (idx) idx.textContent = String(i + 1);
      });
      const badge = document.querySelector(`[data-count="${this.key}"]`);
      if (badge) badge.textContent = this.keyed().length || "";
    }
    blank(tr) { return (KEY_FIELDS[this.key] || []).every((n) => !this.value(tr, n)); }
    keyed() { return this.rows().filter((tr) => !this.blank(tr)); }
    rowValues(tr) {
      const out = {};
      this.columns.forEach((c) => { if (c.kind !== "index") out[c.name] = this.value(tr, c.name); });
      return out;
    }
    collect() {
      this.sent = this.keyed();
      return this.sent.map((tr) => this.rowValues(tr));
    }
    currentRow() {
      const active = document.activeElement;
      const tr = active && active.closest ? active.closest("tr[data-row]") : null;
      if (tr && this.tbody.contains(tr)) return tr;
      return this.current && this.current.isConnected ? this.current : null;
    }
    firstField(tr) {
      const td = Array.from(tr.querySelectorAll("td")).find((t) => t.querySelector("[data-field]"));
      return td ? td.querySelector("[data-field]") : null;
    }
    newRowValues(from) {
      const values = {};
      if (from) (STICKY[this.key] || []).forEach((n) => { values[n] = this.value(from, n); });
      else Object.assign(values, FIRST_ROW[this.key] || {});
      return values;
    }
    add(focus = true) {
      const rows = this.rows();
      const cur = this.currentRow() || rows[rows.length - 1] || null;
      const last = rows[rows.length - 1] || null;
      const tr = this.addRow(this.newRowValues(last), cur, false);
      this.select(tr);
      if (focus) { showTabOf(this.wrap); focusField(this.firstField(tr)); }
      // a code typed into the row above with Enter whose answer is still to come: taken over when it comes
      if (last && window.guanwu && window.guanwu.pickersSettled) window.guanwu.pickersSettled().then(() => this.takeOver(tr, last));
      return tr;
    }
    takeOver(tr, from) {
      if (!tr.isConnected || !from.isConnected) return;
      (STICKY[this.key] || []).forEach((n) => {
        const f = this.field(tr, n);
        const focused = f && (f === document.activeElement || (f.tomselect && f.tomselect.wrapper.contains(document.activeElement)));
        if (!this.value(tr, n) && this.value(from, n) && !focused) this.setValue(tr, n, this.value(from, n));
      });
    }
    copy() {
      const cur = this.currentRow();
      if (!cur) return;
      const tr = this.addRow(this.rowValues(cur), cur, false);
      if (cur.dataset.totalManual) tr.dataset.totalManual = "1";
      this.select(tr);
      focusField(this.firstField(tr));
    }
    remove() {
      const cur = this.currentRow();
      if (!cur) return;
      const rows = this.rows();
      const i = rows.indexOf(cur);
      if (!this.blank(cur) && !window.confirm(`删除第 ${i + 1} 行${GRID_LABELS[this.key]}?`)) return;
      cur.querySelectorAll("select.tomselected").forEach((s) => s.tomselect.destroy());
      cur.remove();
      this.renumber();
      this.empty();
      markDirty();
      updateTotals();
      const next = this.rows()[Math.min(i, this.rows().length - 1)];
      if (next) { this.select(next); focusField(this.firstField(next)); }
    }
    move(delta) {
      const cur = this.currentRow();
      if (!cur) return;
      const active = document.activeElement;
      const other = delta < 0 ? cur.previousElementSibling : cur.nextElementSibling;
      if (!other || !other.matches("tr[data-row]")) return;
      if (delta < 0) other.before(cur); else other.after(cur);
      this.renumber();
      markDirty();
      if (active && cur.contains(active)) active.focus();
    }
    select(tr) {
      this.rows().forEach((r) => r.classList.toggle("gw-current", r === tr));
      this.current = tr;
    }
    action(name) {
      if (!editable) return;
      if (name === "add") this.add();
      else if (name === "copy") this.copy();
      else if (name === "delete") this.remove();
      else if (name === "up") this.move(-1);
      else if (name === "down") this.move(1);
      else if (name === "elements" && this.key === "items") {
        const tr = this.currentRow() || this.rows()[0];
        if (tr) openElements(this, tr);
      }
    }
    bind() {
      const tools = document.querySelector(`[data-grid-tools="${this.key}"]`);
      if (tools) tools.addEventListener("click", (ev) => {
        const b = ev.target.closest("[data-grid-action]");
        if (b) this.action(b.dataset.gridAction);
      });
      this.tbody.addEventListener("focusin", (ev) => {
        const tr = ev.target.closest("tr[data-row]");
        if (tr) this.select(tr);
      });
      if (!editable) return;
      this.tbody.addEventListener("keydown", (ev) => this.onKey(ev));
      this.tbody.addEventListener("input", (ev) => this.onInput(ev));
      this.tbody.addEventListener("change", (ev) => this.onChange(ev));
      this.tbody.addEventListener("click", (ev) => {
        const b = ev.target.closest("[data-elements]");
        if (b) openElements(this, b.closest("tr"));
      });
    }
    onKey(ev) {
      const tr = ev.target.closest("tr[data-row]");
      if (!tr) return;
      if (ev.altKey && !ev.ctrlKey) {
        const map = { n: "add", N: "add", k: "copy", K: "copy", Delete: "delete", ArrowUp: "up", ArrowDown: "down" };
        if (map[ev.key]) { ev.preventDefault(); ev.stopPropagation(); this.action(map[ev.key]); }
        return;
      }
      if (ev.key === "F2" && this.key === "items") { ev.preventDefault(); openElements(this, tr); return; }
      const inPicker = ev.target.closest(".ts-wrapper");
      const ts = inPicker ? inPicker.previousElementSibling && inPicker.previousElementSibling.tomselect : null;
      if ((ev.key === "ArrowUp" || ev.key === "ArrowDown") && ev.target.tagName === "INPUT" && !inPicker) {
        const td = ev.target.closest("td");
        const other = ev.key === "ArrowUp" ? tr.previousElementSibling : tr.nextElementSibling;
        if (other && other.matches("tr[data-row]")) {
          ev.preventDefault();
          focusField(this.field(other, td.dataset.col));
        }
        return;
      }
      if (ev.key !== "Enter" || ev.shiftKey || ev.isComposing) return;
      if (ts && ts.isOpen && ts.activeOption) return; // the picker takes the option
      const rows = this.rows();
      if (tr !== rows[rows.length - 1]) return;
      const fields = Array.from(tr.querySelectorAll("[data-field]"));
      const last = fields[fields.length - 1];
      const here = ts ? ts.input : ev.target;
      if (here !== last) return;
      ev.preventDefault();
      ev.stopPropagation();
      if (this.blank(tr)) return;
      this.add();
    }
    onInput(ev) {
      const f = ev.target.closest("[data-field]");
      markDirty();
      if (!f || this.key !== "items") { updateTotals(); return; }
      const tr = f.closest("tr");
      const name = f.dataset.field;
      if (name === "decl_total") tr.dataset.totalManual = f.value.trim() ? "1" : "";
      if (name === "first_qty") tr.dataset.firstManual = f.value.trim() ? "1" : "";
      if (name === "g_qty" || name === "decl_price") this.autoTotal(tr);
      if (name === "g_qty") this.autoFirstQty(tr);
      if (name === "g_model") f.title = f.value;
      updateTotals();
    }
    onChange(ev) {
      const f = ev.target.closest("[data-field]");
      markDirty();
      if (f && this.key === "items") {
        const tr = f.closest("tr");
        if (f.dataset.field === "code_ts") this.onTariff(tr, f.value);
        if (f.dataset.field === "g_unit") this.autoFirstQty(tr);
        if (f.dataset.field === "code_ts" && f.value && f.tomselect && f.tomselect.wrapper.contains(document.activeElement)) {
          // chosen from the list while the cursor is still there (a typed commit's key moves on itself)
          const next = this.field(tr, "ciq_code");
          if (next) setTimeout(() => focusField(next), 0);
        }
      }
      updateTotals();
    }
    autoTotal(tr) {
      if (tr.dataset.totalManual) return;
      const qty = num(this.value(tr, "g_qty")), price = num(this.value(tr, "decl_price"));
      this.setValue(tr, "decl_total", qty !== null && price !== null ? plain(Math.round(qty * price * 100) / 100, 2) : "");
    }
    autoFirstQty(tr) {
      if (tr.dataset.firstManual) return;
      const unit = this.value(tr, "g_unit");
      if (unit && unit === this.value(tr, "first_unit")) this.setValue(tr, "first_qty", this.value(tr, "g_qty"));
    }
    async onTariff(tr, code) {
      if (!code) {
        this.setValue(tr, "first_unit", "");
        this.setValue(tr, "second_unit", "");
        return;
      }
      const t = await loadTariff(code);
      if (!t || this.value(tr, "code_ts") !== code) return;
      this.applyTariff(tr, t, false);
      // typed ahead: the cursor reached an empty 规格型号 before the tariff came; open the editor now
      const model = this.field(tr, "g_model");
      if (model && model === document.activeElement && !model.value && !tr.dataset.elementsDismissed && !elTarget &&
          (t.elements || []).length) openElements(this, tr);
    }
    applyTariff(tr, t, initial) {
      remember("units", t.first_unit, t.first_unit_name);
      remember("units", t.second_unit, t.second_unit_name);
      this.setValue(tr, "first_unit", t.first_unit || "");
      this.setValue(tr, "second_unit", t.second_unit || "");
      const ciq = this.field(tr, "ciq_code");
      if (ciq && ciq.tagName === "SELECT") {
        const current = initial ? this.value(tr, "ciq_code") : "";
        ciq.innerHTML = "";
        ciq.add(new Option("", ""));
        (t.ciq || []).forEach((c) => ciq.add(new Option(`${c.code} ${c.name}`, c.code)));
        if (current && !(t.ciq || []).some((c) => c.code === current)) ciq.add(new Option(current, current));
        ciq.value = current || ((t.ciq || []).length === 1 ? t.ciq[0].code : "");
      }
      const td2 = this.field(tr, "second_qty");
      if (td2) td2.placeholder = t.second_unit ? "必填" : "";
      if (!initial) {
        if (!this.value(tr, "g_name")) {
          this.setValue(tr, "g_name", (t.name || "").replace(/^[-－\s]+/, ""));
          // the cursor already waits in the empty 商品名称: select the suggestion so keying replaces it
          const name = this.field(tr, "g_name");
          if (name && name === document.activeElement) name.select();
        }
        const model = this.value(tr, "g_model");
        if (model && model.split("|").length !== (t.elements || []).length) {
          const td = this.td(tr, "g_model");
          td.classList.add("gw-cell-warning");
          td.title = `申报要素应有 ${(t.elements || []).length} 项, 请重新编辑`;
        }
        tr.dataset.elementsDismissed = "";
        this.autoFirstQty(tr);
        updateTotals();
      }
    }
  }

  // -------------------------------------------------------------------- elements editor
  const elModalEl = document.getElementById("elements-modal");
  const elFields = elModalEl.querySelector("[data-el-fields]");
  const elPreview = elModalEl.querySelector("[data-el-preview]");
  const elLength = elModalEl.querySelector("[data-el-length]");
  let elTarget = null; // {grid, tr, ok}

  function elementValues() {
    return Array.from(elFields.querySelectorAll("[data-element]")).map((f) => String(f.value || "").replace(/\|/g, "/").trim());
  }
  function updatePreview() {
    const text = elementValues().join("|");
    elPreview.textContent = text;
    elLength.textContent = `${text.length}/255`;
    elLength.classList.toggle("text-danger", text.length > 255);
  }
  function elementSelect(id, choices, value) {
    const s = document.createElement("select");
    s.className = "form-select form-select-sm";
    s.id = id;
    s.add(new Option("", ""));
    choices.forEach((c) => s.add(new Option(c[1], c[0])));
    s.value = value;
    return s;
  }
  async function openElements(grid, tr) {
    const code = grid.value(tr, "code_ts");
    if (!code) {
      notice("warning", `第 ${Number(tr.dataset.index) + 1} 项请先填写商品编号, 再编辑申报要素`);
      focusField(grid.field(tr, "code_ts"));
      return;
    }
    const t = await loadTariff(code);
    if (!t) { notice("danger", `商品编号 ${esc(code)} 在税则中不存在`); return; }
    const current = grid.value(tr, "g_model");
    const values = current ? current.split("|") : [];
    elFields.innerHTML = "";
    (t.elements || []).forEach((e, i) => {
      const id = `el-${i}`;
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = `${i + 1}. ${e.name}`;
      const optional = OPTIONAL_ELEMENTS.includes(e.name) || e.name.startsWith("如");
      if (!optional) label.classList.add("gw-required");
      let f;
      let v = (values[i] || "").trim();
      if (e.name === "品牌类型") {
        f = elementSelect(id, cfg.brand_types, v);
      } else if (e.name === "出口享惠情况") {
        if (!v && cfg.ie_flag === "I") v = "3";
        f = elementSelect(id, cfg.export_preferences, v);
      } else {
        f = document.createElement("input");
        f.type = "text";
        f.id = id;
        f.className = "form-control form-control-sm";
        f.autocomplete = "off";
        f.value = v;
      }
      f.dataset.element = e.name;
      elFields.appendChild(label);
      elFields.appendChild(f);
    });
    if (!(t.elements || []).length) elFields.innerHTML = '<div class="text-muted">该商品编号没有申报要素</div>';
    elModalEl.querySelector("[data-el-title]").textContent =
      `第 ${Number(tr.dataset.index) + 1} 项 · ${code} ${t.name || ""}`;
    updatePreview();
    elTarget = { grid, tr, ok: false };
    // 智能回填 (classify/suggest.js) adds the enterprise's earlier values as proposals
    elModalEl.dispatchEvent(new CustomEvent("gw:elements-open", { detail: { code, tr } }));
    window.bootstrap.Modal.getOrCreateInstance(elModalEl).show();
  }
  function confirmElements() {
    if (!elTarget) return;
    const { grid, tr } = elTarget;
    grid.setValue(tr, "g_model", elementValues().join("|"));
    const f = grid.field(tr, "g_model");
    if (f) f.title = f.value;
    const td = grid.td(tr, "g_model");
    td.classList.remove("gw-cell-warning");
    elTarget.ok = true;
    markDirty();
    window.bootstrap.Modal.getOrCreateInstance(elModalEl).hide();
  }
  elFields.addEventListener("input", updatePreview);
  elFields.addEventListener("change", updatePreview);
  elModalEl.querySelector("[data-el-ok]").addEventListener("click", confirmElements);
  elModalEl.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || ev.isComposing || ev.shiftKey) return;
    const fields = Array.from(elFields.querySelectorAll("[data-element]"));
    if (ev.ctrlKey || ev.target === fields[fields.length - 1] || !fields.length) {
      ev.preventDefault();
      ev.stopPropagation();
      confirmElements();
    }
  });
  elModalEl.addEventListener("shown.bs.modal", () => {
    const first = elFields.querySelector("[data-element]");
    if (first) { first.focus(); if (first.select) first.select(); } else elModalEl.querySelector("[data-el-ok]").focus();
  });
  elModalEl.addEventListener("hidden.bs.modal", () => {
    if (!elTarget) return;
    const { grid, tr, ok } = elTarget;
    elTarget = null;
    if (!tr.isConnected) return;
    if (ok) {
      focusField(grid.field(tr, "g_qty"));
    } else {
      tr.dataset.elementsDismissed = "1";
      focusField(grid.field(tr, "g_model"));
    }
  });

  // ---------------------------------------------------------------------------- totals
  function headValue(name) {
    const f = headForm.querySelector(`[name="${name}"]`);
    if (!f) return "";
    if (f.type === "checkbox") return f.checked;
    return String(f.value || "").trim();
  }
  function updateTotals() {
    const box = document.getElementById("goods-totals");
    const items = grids.items;
    if (!box || !items) return;
    const rows = items.keyed();
    let qty = 0;
    const byCurr = {};
    rows.forEach((tr) => {
      qty += num(items.value(tr, "g_qty")) || 0;
      const total = num(items.value(tr, "decl_total"));
      if (total !== null) {
        const curr = items.value(tr, "trade_curr") || "未填币制";
        byCurr[curr] = (byCurr[curr] || 0) + total;
      }
    });
    const set = (k, v) => { const b = box.querySelector(`[data-total="${k}"]`); if (b) b.textContent = v; return b; };
    set("count", String(rows.length));
    set("qty", plain(Math.round(qty * 100000) / 100000, 5) || "0");
    const curr = Object.keys(byCurr).sort();
    set("value", curr.length ? curr.map((c) => `${c} ${money(byCurr[c])}`).join(" · ") : "—");
    set("pack_no", headValue("pack_no") || "—");
    const gross = num(headValue("gross_wet")), net = num(headValue("net_wt"));
    set("gross_wet", gross === null ? "—" : `${plain(gross, 5)} kg`);
    const netEl = set("net_wt", net === null ? "—" : `${plain(net, 5)} kg`);
    if (netEl) {
      const bad = gross !== null && net !== null && net > gross;
      netEl.classList.toggle("gw-bad", bad);
      netEl.title = bad ? "净重不能大于毛重" : "";
    }
  }

  // --------------------------------------------------------------------------- payload
  function collect() {
    const data = {};
    (cfg.head_fields || []).forEach((name) => {
      const f = headForm.querySelector(`[name="${name}"]`);
      if (!f) return;
      data[name] = f.type === "checkbox" ? f.checked : String(f.value || "").trim();
    });
    if (!state.id) data.ie_flag = cfg.ie_flag;
    Object.values(grids).forEach((g) => { data[g.key] = g.collect(); });
    if (state.version) data.version = state.version;
    return data;
  }
  function sync(payload) {
    // Show what the server stored (normalised codes, legal units from the tariff) without
    // disturbing the field being typed in.
    const active = document.activeElement;
    (cfg.head_fields || []).forEach((name) => {
      const f = headForm.querySelector(`[name="${name}"]`);
      if (!f || f.type === "checkbox" || !(name in payload)) return;
      const v = payload[name] == null ? "" : String(payload[name]);
      const cur = String(f.value || "").trim();
      if (cur === v || (num(cur) !== null && num(cur) === num(v)) || f === active) return;
      if (f.tomselect) {
        if (v) { f.tomselect.addOption({ code: v, name: codeName(f.dataset.picker, v) }); f.tomselect.setValue(v, true); }
      } else f.value = v;
    });
    Object.values(grids).forEach((g) => {
      (payload[g.key] || []).forEach((row, i) => {
        const tr = g.sent[i];
        if (!tr) return;
        g.columns.forEach((c) => {
          if (c.kind === "index" || !(c.name in row)) return;
          const v = row[c.name] == null ? "" : String(row[c.name]);
          const cur = g.value(tr, c.name);
          const f = g.field(tr, c.name);
          if (cur === v || (c.kind === "number" && num(cur) === num(v)) || (f && (f === active || (f.tomselect && f.tomselect.isFocused)))) return;
          g.setValue(tr, c.name, v);
        });
      });
    });
    updateTotals();
  }
  function saved(data, created) {
    state.id = data.id;
    state.version = data.version;
    state.status = data.status;
    state.dirty = false;
    if (created) {
      history.replaceState(null, "", detailUrl(data.id));
      const print = document.getElementById("btn-print");
      if (print) { print.href = detailUrl(data.id) + "print/"; print.hidden = false; }
      ["btn-copy", "btn-delete"].forEach((id) => { const b = document.getElementById(id); if (b) b.hidden = false; });
      document.querySelectorAll("#tab-receipts-btn, #tab-log-btn").forEach((b) => { b.disabled = false; });
      const title = document.getElementById("decl-title");
      if (title) title.textContent = `${cfg.ie_flag === "E" ? "出口" : "进口"}报关单 (暂存)`;
      const badge = document.querySelector("#decl-live .gw-status");
      if (badge) { badge.textContent = "暂存"; badge.dataset.status = "draft"; }
    }
    const now = new Date();
    if (savedNote) savedNote.textContent = `已暂存 ${now.toLocaleTimeString("zh-CN", { hour12: false })}`;
    sync(data);
  }
  let saving = null; // the save under way
  async function save(quiet) {
    // a save under way (Ctrl+S, then 申报 at once): wait for it, then save what changed since,
    // instead of dropping this one and leaving 申报 to do nothing
    while (saving) await saving.catch(() => false);
    saving = store(quiet);
    try {
      return await saving;
    } finally {
      saving = null;
    }
  }
  async function store(quiet) {
    // codes typed with Enter whose search answer is still to come
    if (window.guanwu && window.guanwu.pickersSettled) await window.guanwu.pickersSettled();
    const body = collect();
    const created = !state.id;
    const res = created ? await call("POST", cfg.urls.api, body) : await call("PUT", `${cfg.urls.api}/${state.id}`, body);
    if (!res.ok) { showError(res); return false; }
    clearErrors();
    saved(res.data, created);
    if (!quiet) notice("success", "暂存成功");
    return true;
  }
  async function ensureSaved() {
    if (!state.id || state.dirty) return save(true);
    return true;
  }
  async function check(quiet) {
    if (!(await ensureSaved())) return null;
    const res = await call("POST", `${cfg.urls.api}/${state.id}/check`);
    if (!res.ok) { showError(res); return null; }
    collect(); // rows of the stored declaration = the keyed rows on the page
    const { errors, warnings } = res.data;
    if (errors.length) showFindings(`申报校验未通过, 共${errors.length}处错误`, errors, warnings);
    else if (!quiet && warnings.length) showFindings("", [], warnings);
    else if (!quiet) { clearErrors(); notice("success", "申报前检查通过, 可以申报"); }
    return res.data;
  }
  const warnModalEl = document.getElementById("warnings-modal");
  function confirmWarnings(warnings) {
    return new Promise((resolve) => {
      warnModalEl.querySelector("[data-warnings]").innerHTML = warnings.map((w) => `<li>${esc(w.message)}</li>`).join("");
      const modal = window.bootstrap.Modal.getOrCreateInstance(warnModalEl);
      // The answer is given on the click itself: Bootstrap ignores hide() while the modal is
      // still fading in, so waiting for "hidden" after a quick click would wait for ever.
      let shown = false;
      const okBtn = warnModalEl.querySelector("[data-warnings-ok]");
      const onOk = () => {
        resolve(true);
        if (shown) modal.hide();
        else warnModalEl.addEventListener("shown.bs.modal", () => modal.hide(), { once: true });
      };
      okBtn.addEventListener("click", onOk, { once: true });
      warnModalEl.addEventListener("shown.bs.modal", () => { shown = true; okBtn.focus(); }, { once: true });
      warnModalEl.addEventListener("hidden.bs.modal", () => { okBtn.removeEventListener("click", onOk); resolve(false); }, { once: true });
      modal.show();
    });
  }
  async function declare() {
    const findings = await check(true);
    if (!findings || findings.errors.length) return;
    if (findings.warnings.length && !(await confirmWarnings(findings.warnings))) {
      showFindings("", [], findings.warnings);
      return;
    }
    const res = await call("POST", `${cfg.urls.api}/${state.id}/declare`);
    if (!res.ok) { showError(res); return; }
    state.dirty = false;
    window.location.assign(detailUrl(state.id));
  }
  async function copy() {
    if (!state.id) return;
    if (state.dirty && !window.confirm("有未暂存的修改, 复制的是已暂存的内容。继续?")) return;
    const res = await call("POST", `${cfg.urls.api}/${state.id}/copy`);
    if (!res.ok) { showError(res); return; }
    state.dirty = false;
    window.location.assign(detailUrl(res.data.id));
  }
  async function remove() {
    if (!state.id || !window.confirm("确定删除这份报关单?")) return;
    const res = await call("DELETE", `${cfg.urls.api}/${state.id}`);
    if (!res.ok) { showError(res); return; }
    state.dirty = false;
    window.location.assign(cfg.urls.list);
  }

  // ------------------------------------------------------------------------------ wiring
  const grids = {};
  root.querySelectorAll("[data-grid]").forEach((wrap) => { grids[wrap.dataset.grid] = new Grid(wrap.dataset.grid, wrap); });
  updateTotals();

  if (editable) {
    headForm.addEventListener("input", () => { markDirty(); updateTotals(); });
    headForm.addEventListener("change", () => { markDirty(); updateTotals(); });
    root.addEventListener("focusin", (ev) => {
      // Arriving at an empty 规格型号 opens the 申报要素 editor, as on the Single Window form.
      const f = ev.target;
      if (!f.matches || !f.matches('[data-field="g_model"]') || f.value) return;
      const tr = f.closest("tr");
      if (!tr || tr.dataset.elementsDismissed || elTarget) return;
      const code = grids.items.value(tr, "code_ts");
      if (code && tariffs[code] && (tariffs[code].elements || []).length) openElements(grids.items, tr);
    });
    const actions = { save: () => save(false), check: () => check(false), declare: declare };
    root.addEventListener("click", (ev) => {
      const b = ev.target.closest("[data-action]");
      if (!b || !actions[b.dataset.action]) return;
      ev.preventDefault();
      actions[b.dataset.action]();
    });
    document.addEventListener("keydown", (ev) => {
      if ((ev.ctrlKey || ev.metaKey) && (ev.key === "s" || ev.key === "S")) {
        ev.preventDefault();
        if (document.querySelector(".modal.show")) return;
        save(false);
      } else if (ev.key === "F9") {
        ev.preventDefault();
        check(false);
      } else if (ev.altKey && !ev.ctrlKey && (ev.key === "n" || ev.key === "N") && !ev.target.closest("tr[data-row]")) {
        ev.preventDefault();
        grids.items.add();
      }
    });
    window.addEventListener("beforeunload", (ev) => {
      if (state.dirty) { ev.preventDefault(); ev.returnValue = ""; }
    });
  }
  root.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-action]");
    if (!b) return;
    if (b.dataset.action === "copy") { ev.preventDefault(); copy(); }
    if (b.dataset.action === "delete") { ev.preventDefault(); remove(); }
  });

  window.guanwu = window.guanwu || {};
  window.guanwu.declaration = { state, grids, save, check, declare, collect, loadTariff };

  // The header's pickers now (ui.js would make them on DOMContentLoaded; making one is idempotent).
  if (window.guanwu && window.guanwu.init) window.guanwu.init(headForm);
  if (editable && !state.id) focusField(headForm.querySelector("[name]"));
})();
