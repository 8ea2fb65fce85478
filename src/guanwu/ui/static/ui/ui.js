/* guanwu shared behaviours: code pickers, Enter navigation, auto-submit selects. */
(function () {
  "use strict";

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  window.guanwu = window.guanwu || {};
  window.guanwu.csrfToken = csrfToken;

  /* Code picker: <select data-picker="countries"> or <input data-picker="countries">.
     Searches /api/v1/params/<table>?q= and shows "code - name"; matches code, name, pinyin,
     initials and old codes on the server. */
  function initPicker(el) {
    if (el.tomselect || typeof TomSelect === "undefined") return;
    const table = el.dataset.picker;
    const limit = el.dataset.pickerLimit || 30;
    const url = el.dataset.pickerUrl || ("/api/v1/params/" + table);
    new TomSelect(el, {
      valueField: "code",
      labelField: "name",
      searchField: [],
      maxOptions: 200,
      create: false,
      loadThrottle: 120,
      openOnFocus: true,
      preload: "focus",
      selectOnTab: true,
      maxItems: 1,
      load: function (query, callback) {
        fetch(url + "?limit=" + limit + "&q=" + encodeURIComponent(query), {credentials: "same-origin"})
          .then((r) => r.json()).then((data) => callback(data.items || [])).catch(() => callback());
      },
      render: {
        option: function (item, escape) {
          return '<div><span class="gw-opt-code">' + escape(item.code) + "</span>" + escape(item.name) + "</div>";
        },
        item: function (item, escape) {
          if (!item.name || item.name === item.code) return "<div>" + escape(item.code) + "</div>";
          return "<div>" + escape(item.code) + " - " + escape(item.name) + "</div>";
        },
        no_results: function () { return '<div class="no-results">无匹配项</div>'; },
        loading: function () { return '<div class="spinner-border spinner-border-sm m-1"></div>'; },
      },
      onItemAdd: function () {
        this.close();
        if (el.closest("[data-enter-nav]")) focusNext(el);
      },
    });
  }

  /* Enter moves to the next field inside a form marked data-enter-nav (Shift+Enter: back). */
  function fields(form) {
    return Array.from(form.querySelectorAll("input, select, textarea, button[type=submit]"))
      .filter((f) => !f.disabled && f.type !== "hidden" && f.offsetParent !== null && !f.classList.contains("tomselected"));
  }
  function focusNext(from, back) {
    const form = from.closest("[data-enter-nav]");
    if (!form) return;
    const list = fields(form);
    let anchor = from;
    if (from.tomselect) anchor = from.tomselect.control_input;
    const i = list.indexOf(anchor);
    const next = list[back ? i - 1 : i + 1];
    if (next) { next.focus(); if (next.select) next.select(); }
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || ev.isComposing) return;
    const t = ev.target;
    if (!t.closest || !t.closest("[data-enter-nav]")) return;
    if (t.tagName === "TEXTAREA" || t.type === "submit" || t.tagName === "BUTTON") return;
    const ts = t.closest(".ts-wrapper");
    if (ts && ts.previousElementSibling && ts.previousElementSibling.tomselect) {
      const inst = ts.previousElementSibling.tomselect;
      if (inst.isOpen && inst.activeOption) return; /* Tom Select picks the option itself */
      ev.preventDefault(); focusNext(ts.previousElementSibling, ev.shiftKey); return;
    }
    ev.preventDefault();
    focusNext(t, ev.shiftKey);
  });

  /* List pages: "/" focuses the first filter; select-all and a count of checked rows;
     data-confirm on forms and buttons asks before posting. */
  function isTyping(t) {
    return t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName));
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
    const form = document.querySelector("[data-list-filters]");
    if (!form) return;
    const first = Array.from(form.querySelectorAll("input:not([type=hidden]), select"))
      .find((f) => !f.disabled && (f.offsetParent !== null || f.tomselect));
    if (!first) return;
    ev.preventDefault();
    if (first.tomselect) { first.tomselect.focus(); return; }
    first.focus();
    if (first.select) first.select();
  });
  function bulkBoxes(formId) {
    return Array.from(document.querySelectorAll('input[name="ids"][form="' + formId + '"]'));
  }
  function updateBulkCount(table) {
    const form = document.querySelector("[data-bulk-form]");
    if (!form) return;
    const boxes = bulkBoxes(form.id);
    const checked = boxes.filter((b) => b.checked).length;
    const label = form.querySelector("[data-bulk-count]");
    if (label) label.textContent = "已选 " + checked + " 条";
    const all = (table || document).querySelector("[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }
  document.addEventListener("change", function (ev) {
    const t = ev.target;
    if (t.matches && t.matches("[data-select-all]")) {
      const form = document.querySelector("[data-bulk-form]");
      if (form) bulkBoxes(form.id).forEach((b) => { b.checked = t.checked; });
      updateBulkCount();
    } else if (t.matches && t.matches('input[name="ids"]')) {
      updateBulkCount();
    }
  });
  document.addEventListener("submit", function (ev) {
    const form = ev.target;
    const button = ev.submitter;
    const message = (button && button.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) ev.preventDefault();
  });

  function init(root) {
    updateBulkCount();
    root.querySelectorAll("[data-picker]").forEach(initPicker);
    root.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
      if (s.dataset.bound) return;
      s.dataset.bound = "1";
      s.addEventListener("change", () => s.form.submit());
    });
  }
  window.guanwu.init = init;
  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:afterSettle", (ev) => init(ev.target));
})();
