/* guanwu row grid: the keyboard grid of the Single Window body tabs (加工贸易 料件/成品/单损耗,
   核注清单表体), one row saved at a time on the server.

   <div data-row-grid="ID"></div> <script type="application/json" id="ID-config">{...}</script>

   config: {columns: [{field, label, picker?, picker_url?, readonly?, type?, width?, total_of?}],
            rows: [{id, <field>: value, _names: {<field>: "name of the code"}}],
            editable, extra: {...posted with every request}, urls: {save, delete, import, template}}

   The seed's keys (001 智慧云报关 加工贸易账册, 企业资质申请 steps 10-15):
   - 新增 opens an empty row at the top; Enter in it saves it (the row then shows in the list);
   - tick a row and 复制: a copy of it opens at the top; Enter saves the copy;
   - tick a row: its cells become inputs; Enter saves the change; Esc gives up;
   - 快速查询 shows the rows containing the text typed; 显示全部 shows every row again.
   Code cells use the shared pickers of ui.js ([data-picker]); a 商品编码 picked fills 法定计量单位
   (and an empty 商品名称) from /api/v1/tariff/<code>. Saving answers the row as stored, or 422
   {detail, errors: [{field, message}]} shown on the row's cells. */
(function () {
  "use strict";

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }
  function csrf() {
    return window.guanwu && window.guanwu.csrfToken ? window.guanwu.csrfToken() : "";
  }
  async function send(url, body, isForm) {
    const headers = {"Accept": "application/json", "X-CSRFToken": csrf()};
    if (!isForm) headers["Content-Type"] = "application/json";
    let r;
    try {
      r = await fetch(url, {method: "POST", credentials: "same-origin", headers, body: isForm ? body : JSON.stringify(body)});
    } catch (e) {
      return {ok: false, status: 0, data: {detail: "网络错误, 请检查网络连接后重试", errors: []}};
    }
    let data = {};
    try { data = await r.json(); } catch (e) { data = {detail: "服务器错误 (" + r.status + "), 请稍后重试", errors: []}; }
    return {ok: r.ok, status: r.status, data};
  }
  function settled() {
    return window.guanwu && window.guanwu.pickersSettled ? window.guanwu.pickersSettled() : Promise.resolve();
  }

  function RowGrid(host, cfg) {
    this.host = host;
    this.cfg = cfg;
    this.cols = cfg.columns;
    this.rows = cfg.rows || [];
    this.editable = !!cfg.editable;
    this.query = "";
    this.newSeq = 0;
    this.render();
  }

  RowGrid.prototype.render = function () {
    const cfg = this.cfg;
    const tools = this.editable ? (
      '<button type="button" class="btn btn-sm btn-primary" data-grid-action="add"><i class="bi bi-plus-lg"></i> 新增</button>' +
      '<button type="button" class="btn btn-sm btn-outline-secondary" data-grid-action="copy"><i class="bi bi-files"></i> 复制</button>' +
      '<button type="button" class="btn btn-sm btn-outline-danger" data-grid-action="delete"><i class="bi bi-trash"></i> 删除</button>'
    ) : "";
    const importer = this.editable && cfg.urls && cfg.urls.import ? (
      '<label class="btn btn-sm btn-outline-secondary mb-0"><i class="bi bi-file-earmark-arrow-up"></i> Excel导入' +
      '<input type="file" accept=".xlsx,.xls,.csv" hidden data-grid-import></label>' +
      '<a class="btn btn-sm btn-link" href="' + esc(cfg.urls.template) + '">下载模板</a>'
    ) : "";
    this.host.innerHTML =
      '<div class="d-flex flex-wrap gap-1 align-items-center mb-1 gw-grid-tools">' + tools +
      '<input type="search" class="form-control form-control-sm ms-2" style="max-width:14rem" placeholder="料号/商品编码/名称…" data-grid-query aria-label="查询条件">' +
      '<button type="button" class="btn btn-sm btn-outline-primary" data-grid-action="query"><i class="bi bi-search"></i> 快速查询</button>' +
      '<button type="button" class="btn btn-sm btn-outline-secondary" data-grid-action="all">显示全部</button>' +
      importer + '<span class="ms-auto small text-muted" data-grid-count></span></div>' +
      '<div class="alert alert-danger py-1 small mb-1" role="alert" data-grid-messages hidden></div>' +
      '<div class="table-responsive gw-grid-wrap"><table class="table table-sm table-bordered table-hover align-middle gw-row-grid mb-0">' +
      '<thead class="table-light"><tr><th style="width:2rem"><input type="checkbox" class="form-check-input" data-grid-all aria-label="全选"></th>' +
      this.cols.map((c) => '<th class="text-nowrap" data-field="' + esc(c.field) + '">' + esc(c.label) + "</th>").join("") +
      "</tr></thead><tbody></tbody></table></div>";
    this.tbody = this.host.querySelector("tbody");
    this.messages = this.host.querySelector("[data-grid-messages]");
    this.tbody.innerHTML = this.rows.map((r) => this.rowHtml(r)).join("");
    this.count();
    this.bind();
  };

  RowGrid.prototype.cellText = function (row, c) {
    const v = row[c.field];
    if (v == null || v === "") return "";
    const name = row._names && row._names[c.field];
    if (c.picker && c.picker !== "tariff" && name) return c.show_code ? v + " " + name : name;
    return String(v);
  };
  RowGrid.prototype.rowHtml = function (row) {
    const err = row._error ? ' class="table-danger" title="' + esc(row._error) + '"' : "";
    return '<tr data-id="' + esc(row.id) + '"' + err + '><td><input type="checkbox" class="form-check-input" data-grid-check aria-label="选择"></td>' +
      this.cols.map((c) => '<td data-field="' + esc(c.field) + '" class="text-nowrap">' + esc(this.cellText(row, c)) + "</td>").join("") + "</tr>";
  };
  RowGrid.prototype.inputHtml = function (row, c) {
    const v = row[c.field] == null ? "" : String(row[c.field]);
    const name = (row._names && row._names[c.field]) || "";
    const common = ' name="' + esc(c.field) + '" data-grid-field="' + esc(c.field) + '" aria-label="' + esc(c.label) + '"';
    if (c.readonly) return '<span class="small text-muted" data-grid-field="' + esc(c.field) + '" data-value="' + esc(v) + '">' + esc(this.cellText(row, c)) + "</span>";
    if (c.picker) {
      const url = c.picker_url ? ' data-picker-url="' + esc(c.picker_url) + '"' : "";
      const opt = v ? '<option value="' + esc(v) + '" selected>' + esc(name || v) + "</option>" : '<option value=""></option>';
      return '<select class="form-select form-select-sm" data-picker="' + esc(c.picker) + '"' + url + common + ">" + opt + "</select>";
    }
    if (c.choices) {
      return '<select class="form-select form-select-sm"' + common + '><option value=""></option>' +
        c.choices.map((o) => '<option value="' + esc(o[0]) + '"' + (String(o[0]) === v ? " selected" : "") + ">" + esc(o[1]) + "</option>").join("") + "</select>";
    }
    const mode = c.type === "number" || c.type === "int" ? ' inputmode="decimal"' : "";
    return '<input class="form-control form-control-sm" style="min-width:' + (c.width || 6) + 'rem" value="' + esc(v) + '"' + mode + common + ">";
  };
  RowGrid.prototype.editRowHtml = function (row, key) {
    return '<tr class="gw-grid-editing table-warning" data-id="' + esc(row.id || "") + '" data-new="' + esc(key || "") + '">' +
      '<td><input type="checkbox" class="form-check-input" data-grid-check aria-label="选择"' + (row.id ? " checked" : "") + "></td>" +
      this.cols.map((c) => '<td data-field="' + esc(c.field) + '">' + this.inputHtml(row, c) + "</td>").join("") + "</tr>";
  };

  RowGrid.prototype.rowById = function (id) {
    return this.rows.find((r) => String(r.id) === String(id));
  };
  RowGrid.prototype.count = function () {
    const shown = Array.from(this.tbody.rows).filter((tr) => !tr.hidden && tr.dataset.id).length;
    const total = this.rows.length;
    this.host.querySelector("[data-grid-count]").textContent = this.query ? "查询到 " + shown + " 条, 共 " + total + " 条" : "共 " + total + " 条";
  };
  RowGrid.prototype.say = function (text, ok) {
    this.messages.hidden = !text;
    this.messages.className = "alert py-1 small mb-1 " + (ok ? "alert-success" : "alert-danger");
    this.messages.textContent = text || "";
  };

  RowGrid.prototype.edit = function (tr) {
    const row = this.rowById(tr.dataset.id);
    if (!row || !this.editable) return;
    const html = this.editRowHtml(row);
    tr.insertAdjacentHTML("afterend", html);
    const next = tr.nextElementSibling;
    tr.remove();
    this.focusFirst(next);
  };
  RowGrid.prototype.unedit = function (tr) {
    const row = this.rowById(tr.dataset.id);
    if (!row) { tr.remove(); this.count(); return; }
    tr.insertAdjacentHTML("afterend", this.rowHtml(row));
    tr.remove();
  };
  RowGrid.prototype.focusFirst = function (tr) {
    const first = tr.querySelector("input[data-grid-field], select[data-grid-field]");
    if (!first) return;
    setTimeout(() => {
      if (first.tomselect) first.tomselect.focus(); else { first.focus(); if (first.select) first.select(); }
    }, 0);
  };
  RowGrid.prototype.add = function (values) {
    if (!this.editable) return;
    const key = "n" + (++this.newSeq);
    const row = Object.assign({}, values || {}, {id: ""});
    this.tbody.insertAdjacentHTML("afterbegin", this.editRowHtml(row, key));
    this.focusFirst(this.tbody.firstElementChild);
  };
  RowGrid.prototype.checked = function () {
    return Array.from(this.tbody.querySelectorAll("tr")).filter((tr) => tr.dataset.id && tr.querySelector("[data-grid-check]:checked"));
  };
  RowGrid.prototype.copy = function () {
    const picked = this.checked();
    if (!picked.length) { this.say("请先勾选要复制的行"); return; }
    picked.forEach((tr) => {
      const src = this.rowById(tr.dataset.id);
      if (!src) return;
      const copy = Object.assign({}, src, {_names: Object.assign({}, src._names || {})});
      (this.cfg.copy_clear || []).forEach((f) => { copy[f] = ""; });
      this.add(copy);
      this.unedit(tr);
    });
    this.say("");
  };
  RowGrid.prototype.values = function (tr) {
    const out = {};
    tr.querySelectorAll("[data-grid-field]").forEach((el) => {
      if (el.tagName === "SPAN") return; // read-only: the server fills it
      out[el.dataset.gridField] = el.value == null ? "" : String(el.value).trim();
    });
    return out;
  };
  RowGrid.prototype.save = async function (tr) {
    if (tr.dataset.saving) return;
    await settled();
    tr.dataset.saving = "1";
    const id = tr.dataset.id || null;
    const body = Object.assign({}, this.cfg.extra || {}, {id, row: this.values(tr)});
    const res = await send(this.cfg.urls.save, body);
    delete tr.dataset.saving;
    tr.querySelectorAll(".is-invalid").forEach((el) => { el.classList.remove("is-invalid"); el.removeAttribute("title"); });
    if (!res.ok) {
      const errs = res.data.errors || [];
      errs.forEach((e) => {
        const field = String(e.field || "").split(".").pop();
        const cell = tr.querySelector('td[data-field="' + field + '"]');
        if (cell) { cell.classList.add("is-invalid"); cell.title = e.message; }
      });
      this.say((res.data.detail || "保存失败") + (errs.length ? ": " + errs.map((e) => e.message).join("; ") : ""));
      return;
    }
    const row = res.data.row;
    const known = this.rowById(row.id);
    if (known) Object.assign(known, row); else this.rows.unshift(row);
    tr.insertAdjacentHTML("afterend", this.rowHtml(row));
    tr.remove();
    this.say("第 " + (row[this.cols[0].field] == null ? "" : row[this.cols[0].field]) + " 行已保存", true);
    this.count();
    if (this.cfg.on_change) document.dispatchEvent(new CustomEvent("gw-grid-changed", {detail: {grid: this.host.id}}));
  };
  RowGrid.prototype.remove = async function () {
    const picked = this.checked();
    if (!picked.length) { this.say("请先勾选要删除的行"); return; }
    if (!window.confirm("确定删除勾选的 " + picked.length + " 行?")) return;
    const ids = picked.map((tr) => tr.dataset.id);
    const res = await send(this.cfg.urls.delete, Object.assign({}, this.cfg.extra || {}, {ids}));
    if (!res.ok) { this.say(res.data.detail || "删除失败"); return; }
    this.rows = this.rows.filter((r) => !ids.includes(String(r.id)));
    (res.data.rows || []).forEach((r) => this.rows.push(r)); // rows kept, marked 删除 (a 变更)
    picked.forEach((tr) => {
      const kept = (res.data.rows || []).find((r) => String(r.id) === tr.dataset.id);
      if (kept) { tr.insertAdjacentHTML("afterend", this.rowHtml(kept)); }
      tr.remove();
    });
    this.say("已删除 " + (res.data.deleted == null ? ids.length : res.data.deleted) + " 行", true);
    this.count();
  };
  RowGrid.prototype.filter = function (text) {
    this.query = (text || "").trim().toLowerCase();
    const q = this.query;
    Array.from(this.tbody.rows).forEach((tr) => {
      if (!tr.dataset.id || tr.classList.contains("gw-grid-editing")) { tr.hidden = false; return; }
      tr.hidden = !!q && tr.textContent.toLowerCase().indexOf(q) < 0;
    });
    this.count();
  };
  RowGrid.prototype.importFile = async function (input) {
    const file = input.files && input.files[0];
    if (!file) return;
    const form = new FormData();
    Object.entries(this.cfg.extra || {}).forEach(([k, v]) => form.append(k, v));
    form.append("file", file);
    input.value = "";
    this.say("正在导入…", true);
    const res = await send(this.cfg.urls.import, form, true);
    if (!res.ok) {
      const errs = (res.data.errors || []).slice(0, 20);
      this.say((res.data.detail || "导入失败") + (errs.length ? ": " + errs.map((e) => (e.row ? "第" + e.row + "行 " : "") + (e.column ? e.column + " " : "") + e.message).join("; ") : ""));
      return;
    }
    this.rows = res.data.rows || this.rows;
    this.tbody.innerHTML = this.rows.map((r) => this.rowHtml(r)).join("");
    this.filter(this.host.querySelector("[data-grid-query]").value);
    this.say("已导入 " + res.data.count + " 行", true);
  };
  RowGrid.prototype.fillFromTariff = function (tr, code) {
    if (!code || !this.cols.some((c) => c.field === "lawf_unitcd")) return;
    fetch("/api/v1/tariff/" + encodeURIComponent(code), {credentials: "same-origin"})
      .then((r) => (r.ok ? r.json() : null))
      .then((t) => {
        if (!t) return;
        const unit = tr.querySelector('[data-grid-field="lawf_unitcd"]');
        if (unit) {
          if (unit.tagName === "SPAN") { unit.dataset.value = t.first_unit; unit.textContent = t.first_unit_name || t.first_unit; }
          else if (unit.tomselect) { unit.tomselect.addOption({code: t.first_unit, name: t.first_unit_name}); unit.tomselect.setValue(t.first_unit, true); }
          else unit.value = t.first_unit;
        }
        const name = tr.querySelector('input[data-grid-field="gds_nm"]');
        if (name && !name.value.trim()) name.value = t.name || "";
      })
      .catch(() => {});
  };
  RowGrid.prototype.total = function (tr) {
    this.cols.filter((c) => c.total_of).forEach((c) => {
      const out = tr.querySelector('input[data-grid-field="' + c.field + '"]');
      if (!out) return;
      const [a, b] = c.total_of.map((f) => Number((tr.querySelector('[data-grid-field="' + f + '"]') || {}).value));
      if (Number.isFinite(a) && Number.isFinite(b) && a && b) out.value = String(Math.round(a * b * 100000) / 100000);
    });
  };

  RowGrid.prototype.bind = function () {
    const host = this.host;
    host.addEventListener("click", (ev) => {
      const b = ev.target.closest("[data-grid-action]");
      if (!b) return;
      const act = b.dataset.gridAction;
      if (act === "add") this.add();
      else if (act === "copy") this.copy();
      else if (act === "delete") this.remove();
      else if (act === "query") this.filter(host.querySelector("[data-grid-query]").value);
      else if (act === "all") { host.querySelector("[data-grid-query]").value = ""; this.filter(""); }
    });
    host.addEventListener("change", (ev) => {
      const t = ev.target;
      if (t.matches("[data-grid-all]")) {
        this.tbody.querySelectorAll("tr:not([hidden]) [data-grid-check]").forEach((b) => {
          if (b.checked !== t.checked) { b.checked = t.checked; b.dispatchEvent(new Event("change", {bubbles: true})); }
        });
      } else if (t.matches("[data-grid-check]")) {
        const tr = t.closest("tr");
        if (!this.editable) return;
        if (t.checked && !tr.classList.contains("gw-grid-editing")) this.edit(tr);
        else if (!t.checked && tr.classList.contains("gw-grid-editing") && tr.dataset.id) this.unedit(tr);
      } else if (t.matches("[data-grid-import]")) {
        this.importFile(t);
      } else if (t.matches('select[data-grid-field="gdecd"]')) {
        this.fillFromTariff(t.closest("tr"), t.value);
      }
      if (t.closest && t.closest(".gw-grid-editing")) this.total(t.closest("tr"));
    });
    host.addEventListener("input", (ev) => {
      if (ev.target.closest && ev.target.closest(".gw-grid-editing")) this.total(ev.target.closest("tr"));
    });
    // a picker whose list is open takes Enter for its option (seen before Tom Select closes it)
    let pickerOpen = false;
    host.addEventListener("keydown", (ev) => {
      const w = ev.target.closest && ev.target.closest(".ts-wrapper");
      const sel = w && w.previousElementSibling;
      pickerOpen = !!(sel && sel.tomselect && sel.tomselect.isOpen && sel.tomselect.activeOption);
    }, true);
    host.addEventListener("keydown", (ev) => {
      if (ev.isComposing) return;
      if (ev.target.matches("[data-grid-query]")) {
        if (ev.key === "Enter") { ev.preventDefault(); this.filter(ev.target.value); }
        return;
      }
      const tr = ev.target.closest("tr.gw-grid-editing");
      if (!tr) return;
      if (ev.key === "Enter" && !pickerOpen) { ev.preventDefault(); this.save(tr); }
      else if (ev.key === "Escape") { ev.preventDefault(); this.unedit(tr); this.count(); }
    });
  };

  function init(root) {
    (root || document).querySelectorAll("[data-row-grid]").forEach((host) => {
      if (host.__grid) return;
      const cfgEl = document.getElementById(host.dataset.rowGrid + "-config");
      if (!cfgEl) return;
      host.__grid = new RowGrid(host, JSON.parse(cfgEl.textContent));
    });
  }
  window.guanwu = window.guanwu || {};
  window.guanwu.initGrids = init;
  document.addEventListener("DOMContentLoaded", () => init(document));
})();
