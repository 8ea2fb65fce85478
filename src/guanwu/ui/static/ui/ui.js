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
     Searches /api/v1/params/<table>?q= (or data-picker-url) and shows "code - name"; matches code,
     name, pinyin, initials and old codes on the server. Made on page load, after htmx swaps, by
     window.guanwu.init(root) and for any [data-picker] added to the page later (observer below). */
  function initPicker(el) {
    if (el.tomselect || typeof TomSelect === "undefined") return el.tomselect;
    const table = el.dataset.picker;
    const limit = el.dataset.pickerLimit || 30;
    const url = el.dataset.pickerUrl || ("/api/v1/params/" + table);
    const ts = new TomSelect(el, {
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
      dropdownParent: "body",
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
    return adaptPicker(ts);
  }

  /* Fast keying, for these pickers and for Tom Selects other scripts make (adaptPicker(ts)):
     - the dropdown lives in <body>, so a scrolling container (a grid, a card) does not clip it;
     - the list is the server's answer to the current query, in the server's order (Tom Select
       adds each answer to the options it has and shows those first: type 盐田, see 北京);
     - Enter/Tab on an empty query keeps the value and moves on (Tom Select would take the
       highlighted first option of the list it opened on focus, e.g. 0000 海关总署), unless an
       arrow key chose an option;
     - Enter/Tab typed before the answer to the query arrived waits for it, then takes its first
       option (Tom Select handles input 300 ms late and would take an option of the old list);
     - leaving a picker quickly does not bring the cursor back to it (Tom Select runs onFocus
       again a tick after focusing itself, and an answer arriving later reopens and refocuses). */
  const pickerByInput = new WeakMap(); // typing box -> Tom Select
  const openPickers = new Set();
  function pickerHasFocus(ts) {
    return ts.wrapper.contains(document.activeElement);
  }
  function pending(ts) {
    return ts.control_input.value.trim() !== ts.lastValue || !!ts.refreshTimeout || ts.loading > 0;
  }
  function adaptPicker(ts) {
    if (!ts || ts.__gw) return ts;
    const gw = ts.__gw = {key: null, arrowed: false, query: null, rank: new Map()};
    pickerByInput.set(ts.control_input, ts);
    ts.settings.dropdownParent = "body";
    if (ts.dropdown.parentNode !== document.body) document.body.appendChild(ts.dropdown);
    ts.dropdown.style.zIndex = "1060"; // above Bootstrap's modals
    ts.on("dropdown_open", () => openPickers.add(ts));
    ts.on("dropdown_close", () => openPickers.delete(ts));
    ts.on("destroy", () => { openPickers.delete(ts); pickerByInput.delete(ts.control_input); });
    // (not on Tom Select's "focus": after a programmatic focus it comes a tick late, when the
    // keys typed meanwhile may already be waiting)
    ts.wrapper.addEventListener("focusout", (ev) => {
      if (!ts.wrapper.contains(ev.relatedTarget)) { gw.arrowed = false; gw.key = null; }
    });
    ts.on("type", () => { gw.arrowed = false; settle(ts); });
    ts.on("load", () => settle(ts));

    const onFocus = ts.onFocus;
    ts.onFocus = function (ev) {
      // the delayed second run of a programmatic focus, after the cursor has moved on
      if (!ev && !pickerHasFocus(ts)) return undefined;
      return onFocus.call(ts, ev);
    };
    // a typed query highlights the server's best match (not the current value)
    ts.hook("after", "refreshOptions", function () {
      if (!ts.lastValue || gw.arrowed || !ts.isOpen) return;
      const first = ts.selectable()[0];
      if (first && first !== ts.activeOption) ts.setActiveOption(first);
    });
    if (!ts.settings.load) return ts;

    const key = ts.settings.valueField;
    const load = ts.settings.load; // Tom Select's debounced wrapper of the page's load
    ts.settings.load = function (query, callback) {
      return load.call(this, query, function (options, optgroups) {
        if (query !== ts.lastValue) {
          // the answer to an older query: dropped (it would replace the current list)
          ts.loading = Math.max(ts.loading - 1, 0);
          delete ts.loadedSearches[query];
          if (!ts.loading) {
            ts.wrapper.classList.remove(ts.settings.loadingClass);
            if (ts.isOpen) ts.refreshOptions(false);
          }
          settle(ts);
          return;
        }
        if (!pickerHasFocus(ts)) ts.isFocused = false; // a late answer must not reopen (and refocus) it
        gw.query = query;
        gw.rank = new Map((options || []).map((o, i) => [String(o[key]), i]));
        ts.clearOptions(); // keeps the option of the current value
        callback(options, optgroups);
      });
    };
    ts.settings.score = function (query) {
      const q = String(query || "").trim();
      if (q !== gw.query) return () => 0; // the answer is still to come
      return (item) => (gw.rank.has(String(item[key])) ? 1 : 0);
    };
    const rank = (id) => (gw.rank.has(String(id)) ? gw.rank.get(String(id)) : 1e9);
    ts.settings.sortField = function (a, b) {
      return (rank(a.id) - rank(b.id)) ||
        (((ts.options[a.id] || {}).$order || 0) - ((ts.options[b.id] || {}).$order || 0));
    };
    return ts;
  }
  function adaptPickers(scope) {
    (scope || document).querySelectorAll(".tomselected").forEach((el) => adaptPicker(el.tomselect));
  }
  /* Enter or Tab held back while the query was pending: the answer is there, take its first option. */
  function settle(ts) {
    const gw = ts.__gw;
    if (!gw.key || pending(ts)) return;
    const key = gw.key;
    gw.key = null;
    if (!pickerHasFocus(ts)) return;
    if (ts.isOpen && ts.activeOption) ts.onOptionSelect(new KeyboardEvent("keydown", {key: key}), ts.activeOption);
    if (!pickerHasFocus(ts)) return; // onItemAdd moved on
    // then the key does what it does without a pending query
    if (key === "Tab") { ts.close(); tabNext(ts.control_input); }
    else if (ts.input.closest("[data-enter-nav]")) { ts.close(); focusNext(ts.input); }
  }
  function tabNext(from) {
    const all = Array.from(document.querySelectorAll("input, select, textarea, button, a[href], [tabindex]"))
      .filter((f) => f.tabIndex >= 0 && !f.disabled && f.type !== "hidden" && f.offsetParent !== null);
    const next = all[all.indexOf(from) + 1];
    if (next) { next.focus(); if (next.select && next.tagName === "INPUT") next.select(); }
  }
  document.addEventListener("keydown", function (ev) {
    const ts = pickerByInput.get(ev.target);
    if (!ts || ev.isComposing || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    const gw = ts.__gw;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") { gw.arrowed = true; return; }
    if (ev.key !== "Enter" && ev.key !== "Tab") return;
    if (!ts.control_input.value.trim()) {
      if (ts.isOpen && !gw.arrowed) ts.close(); // nothing typed: keep the value and move on
      return;
    }
    if (!pending(ts)) return; // Tom Select takes the highlighted option
    if (ev.shiftKey) { ts.close(); return; } // going back: never an option of the old list
    ev.preventDefault();
    ev.stopImmediatePropagation();
    gw.key = ev.key;
  }, true);
  // a dropdown in <body> follows its picker when a container scrolls
  document.addEventListener("scroll", () => openPickers.forEach((ts) => ts.positionDropdown()),
    {capture: true, passive: true});
  // [data-picker] added by any script becomes a picker; a picker taken off the page takes its
  // dropdown along (and brings it back to <body> when it returns)
  function pickersIn(node, selector) {
    if (node.nodeType !== 1) return [];
    const found = Array.from(node.querySelectorAll(selector));
    if (node.matches(selector)) found.unshift(node);
    return found;
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.removedNodes.forEach(function (n) {
        pickersIn(n, ".tomselected").forEach(function (el) {
          const ts = el.tomselect;
          if (ts && ts.__gw && !el.isConnected && ts.dropdown.parentNode === document.body) {
            ts.close();
            ts.wrapper.appendChild(ts.dropdown);
          }
        });
      });
      r.addedNodes.forEach(function (n) {
        if (n.nodeType !== 1 || n.closest(".ts-dropdown")) return;
        // content htmx is swapping in: made on htmx:afterSettle, once htmx has settled its attributes
        if (!n.closest(".htmx-added")) pickersIn(n, "[data-picker]").forEach(initPicker);
        pickersIn(n, ".tomselected").forEach(function (el) {
          const ts = el.tomselect;
          if (ts && ts.__gw && el.isConnected && ts.dropdown.parentNode !== document.body) document.body.appendChild(ts.dropdown);
        });
      });
    });
  }).observe(document.documentElement, {childList: true, subtree: true});
  window.guanwu.initPicker = initPicker;
  window.guanwu.adaptPicker = adaptPicker;
  window.guanwu.adaptPickers = adaptPickers;

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
    const all = (table || document).querySelector("[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    /* "选择全部 N 条符合查询条件的记录": offered once the whole page is checked */
    const matching = form.querySelector("[data-all-matching]");
    const offer = form.querySelector("[data-select-matching]");
    const wholePage = boxes.length > 0 && checked === boxes.length;
    if (matching && !wholePage) matching.value = "";
    if (offer) offer.hidden = !wholePage;
    const link = form.querySelector("[data-select-matching-link]");
    if (matching && matching.value === "1") {
      if (label) label.textContent = "已选全部符合查询条件的记录";
      if (link) link.textContent = "只选本页";
    } else {
      if (label) label.textContent = "已选 " + checked + " 条";
      if (link) link.textContent = link.dataset.label || link.textContent;
    }
  }
  document.addEventListener("click", function (ev) {
    const link = ev.target.closest && ev.target.closest("[data-select-matching-link]");
    if (!link) return;
    ev.preventDefault();
    const matching = link.closest("form").querySelector("[data-all-matching]");
    if (!link.dataset.label) link.dataset.label = link.textContent;
    matching.value = matching.value === "1" ? "" : "1";
    updateBulkCount();
  });
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
