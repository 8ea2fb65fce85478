/* 申报要素检查 in the declaration's 申报要素 editor (#elements-modal of entry.js), live as the user keys.

   While the editor is open, each change of an element asks POST /api/v1/standards/check (the
   rules of guanwu.standards, with the 不规范 reasons customs gave the enterprise for the code)
   after a pause in typing; the findings are written under their element, errors in red
   (is-invalid), warnings in amber. Nothing waits for the answer: typing is never blocked, and
   an answer to an older text is dropped.

   When the editor opens, GET /api/v1/standards/check/examples lists the public library's 规范
   examples for the code: one button per element value; a click copies it into the element.

   Hooks into entry.js only through the modal's DOM ([data-el-fields], [data-element]) and its
   "gw:elements-open" event, like classify/suggest.js. */
(function () {
  "use strict";
  const modal = document.getElementById("elements-modal");
  const cfgEl = document.getElementById("decl-config");
  if (!modal || !cfgEl) return;
  const cfg = JSON.parse(cfgEl.textContent);
  const box = modal.querySelector("[data-el-fields]");
  const CHECK_API = modal.dataset.checkApi || "/api/v1/standards/check";
  const EXAMPLES_API = `${CHECK_API}/examples`;
  const DELAY = 300;
  let code = "";
  let timer = null;
  let seq = 0;
  let asked = null;

  const summary = document.createElement("div");
  summary.className = "gw-check-summary small mt-2";
  summary.dataset.checkSummary = "";
  summary.setAttribute("aria-live", "polite");
  box.after(summary);

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function csrf() { return window.guanwu && window.guanwu.csrfToken ? window.guanwu.csrfToken() : ""; }
  function fields() { return Array.from(box.querySelectorAll("[data-element]")); }
  function text() {
    return fields().map((f) => String(f.value || "").replace(/\|/g, "/").trim()).join("|");
  }

  // ------------------------------------------------------------------------------ findings
  function clear() {
    box.querySelectorAll(".gw-check-finding").forEach((n) => n.remove());
    fields().forEach((f) => { f.classList.remove("is-invalid", "border-warning"); f.removeAttribute("aria-invalid"); });
    summary.innerHTML = "";
    summary.dataset.errors = "0";
    summary.dataset.warnings = "0";
  }
  function line(finding) {
    const div = document.createElement("div");
    const error = finding.level === "error";
    div.className = `gw-check-finding small ${error ? "text-danger" : "text-warning-emphasis"}`;
    div.dataset.checkLevel = finding.level;
    div.dataset.checkFor = finding.element;
    div.style.gridColumn = "2";
    div.innerHTML = `<i class="bi ${error ? "bi-x-circle" : "bi-exclamation-triangle"}"></i> ${esc(finding.message)}`;
    return div;
  }
  function render(findings) {
    clear();
    const all = fields();
    let errors = 0;
    let warnings = 0;
    findings.forEach((finding) => {
      if (finding.level === "error") errors += 1; else warnings += 1;
      const f = all.find((x) => x.dataset.element === finding.element);
      if (!f) { summary.appendChild(line(finding)); return; }
      f.classList.add(finding.level === "error" ? "is-invalid" : "border-warning");
      if (finding.level === "error") f.setAttribute("aria-invalid", "true");
      // after the field and what others put under it (proposals, examples, earlier findings)
      let after = f;
      while (after.nextElementSibling && after.nextElementSibling.tagName === "DIV") after = after.nextElementSibling;
      after.after(line(finding));
    });
    summary.dataset.errors = String(errors);
    summary.dataset.warnings = String(warnings);
    if (errors || warnings) {
      const head = document.createElement("div");
      head.className = "text-muted";
      head.textContent = `规范申报检查: ${errors} 个错误, ${warnings} 个提示 (不影响录入)`;
      summary.prepend(head);
    }
  }

  async function check() {
    timer = null;
    if (!code) return;
    const g_model = text();
    if (asked && asked.code === code && asked.g_model === g_model) return;
    asked = { code, g_model };
    const mine = ++seq;
    let data = null;
    try {
      const res = await fetch(CHECK_API, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
        body: JSON.stringify({ code_ts: code, g_model, ie_flag: cfg.ie_flag || "" }),
      });
      data = res.ok ? await res.json() : null;
    } catch (e) { data = null; }
    if (mine !== seq || !modal.classList.contains("show") && !modal.classList.contains("showing")) return;
    if (data) render(data.findings || []);
  }
  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, DELAY);
  }
  box.addEventListener("input", schedule);
  box.addEventListener("change", schedule);

  // ------------------------------------------------------------------------------ examples
  function setField(f, value) {
    if (f.tagName === "SELECT" && !Array.from(f.options).some((o) => o.value === value)) return;
    f.value = value;
    f.dispatchEvent(new Event("input", { bubbles: true }));
    f.dispatchEvent(new Event("change", { bubbles: true }));
  }
  async function loadExamples(forCode) {
    let data = null;
    try {
      const res = await fetch(`${EXAMPLES_API}?code_ts=${encodeURIComponent(forCode)}&limit=3`, { credentials: "same-origin" });
      data = res.ok ? await res.json() : null;
    } catch (e) { data = null; }
    if (!data || forCode !== code) return;
    const all = fields();
    all.forEach((f, i) => {
      const values = [];
      (data.examples || []).forEach((ex) => {
        const el = (ex.elements || [])[i];
        if (el && el.value && el.element === f.dataset.element && !values.includes(el.value)) values.push(el.value);
      });
      if (!values.length) return;
      const div = document.createElement("div");
      div.className = "gw-check-examples small";
      div.dataset.examplesFor = String(i);
      div.style.gridColumn = "2";
      div.innerHTML = '<span class="text-muted">规范示例: </span>' + values.map((v) =>
        `<button type="button" class="btn btn-sm btn-outline-success py-0 px-1 me-1" data-example="${esc(v)}" ` +
        `title="公共库中的规范申报数据, 点击填入">${esc(v)}</button>`).join("");
      f.after(div);
    });
  }
  box.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-example]");
    if (!b) return;
    const holder = b.closest("[data-examples-for]");
    const f = fields()[Number(holder.dataset.examplesFor)];
    if (f) { setField(f, b.dataset.example); f.focus(); }
  });

  // ------------------------------------------------------------------------------ editor
  modal.addEventListener("gw:elements-open", (ev) => {
    code = (ev.detail && ev.detail.code) || "";
    asked = null;
    seq += 1;
    clear();
    if (!code) return;
    loadExamples(code);
    if (text().replace(/\|/g, "")) schedule();
  });
  modal.addEventListener("hidden.bs.modal", () => {
    if (timer) clearTimeout(timer);
    timer = null;
    code = "";
    seq += 1;
  });
})();
