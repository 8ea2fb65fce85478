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

  function init(root) {
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
