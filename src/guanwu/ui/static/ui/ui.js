/* guanwu shared behaviours: code pickers, Enter navigation, auto-submit selects. */
(function () {
  "use strict";

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  window.guanwu = window.guanwu || {};
  window.guanwu.csrfToken = csrfToken;

  /* Code picker: <select data-picker="countries"> or <input data-picker="countries">, and the
     商品编号 picker <select data-picker="tariff">. Searches /api/v1/params/<table>?q= (the tariff:
     /api/v1/tariff, or data-picker-url) and shows "code - name"; the server matches code, name,
     pinyin, initials and old codes and ranks what the enterprise uses most first. Made on page
     load, after htmx swaps, by window.guanwu.init(root) and for any [data-picker] added to the
     page later (observer below). */
  const TARIFF = "tariff";
  function initPicker(el) {
    if (el.tomselect || typeof TomSelect === "undefined") return el.tomselect;
    const table = el.dataset.picker;
    const tariff = table === TARIFF;
    const limit = el.dataset.pickerLimit || 30;
    const url = el.dataset.pickerUrl || (tariff ? "/api/v1/tariff" : "/api/v1/params/" + table);
    function search(query) {
      return fetch(url + "?limit=" + limit + "&q=" + encodeURIComponent(query), {credentials: "same-origin"})
        .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then((data) => (data.items || []).map((o) => (tariff ? Object.assign({code: o.code_ts}, o) : o)));
    }
    const ts = new TomSelect(el, {
      valueField: "code",
      labelField: "name",
      searchField: [],
      maxOptions: 200,
      create: false,
      loadThrottle: 120,
      openOnFocus: !tariff,
      preload: tariff ? false : "focus",
      shouldLoad: tariff ? (q) => q.replace(/\s/g, "").length >= 2 : (q) => q.length > 0,
      selectOnTab: true,
      maxItems: 1,
      dropdownParent: "body",
      load: function (query, callback) { search(query).then(callback).catch(() => callback()); },
      render: {
        option: function (item, escape) {
          return '<div><span class="gw-opt-code">' + escape(item.code) + "</span>" + escape(item.name) + "</div>";
        },
        item: function (item, escape) {
          if (item.gwUnknown) return '<div class="gw-unknown">' + escape(item.code) + "</div>";
          if (tariff) return '<div title="' + escape(item.name || "") + '">' + escape(item.code) + "</div>";
          if (!item.name || item.name === item.code) return "<div>" + escape(item.code) + "</div>";
          return "<div>" + escape(item.code) + " - " + escape(item.name) + "</div>";
        },
        no_results: function () { return '<div class="no-results">' + (tariff ? "税则中没有匹配的商品编号" : "无匹配项") + "</div>"; },
        loading: function () { return '<div class="spinner-border spinner-border-sm m-1"></div>'; },
      },
      onItemAdd: function () {
        this.close();
        // a pick by mouse or by the arrow keys moves on; a typed commit leaves that to its key
        if (!this.__gw.committing && pickerHasFocus(this) && el.closest("[data-enter-nav]")) focusNext(el);
      },
    });
    ts.__gwSearch = search;
    ts.__gwUnknown = el.dataset.pickerUnknown || (tariff ? "税则中没有匹配的商品编号" : "代码表中没有匹配项");
    return adaptPicker(ts);
  }

  /* Fast keying:
     - Enter or Tab after typing commits the best match for exactly what was typed: the first
       option of the server's answer to that text. When the answer is on screen it is taken at
       once; otherwise the cursor moves on at once (keys typed meanwhile go to the next fields,
       in order) and the answer, when it comes, sets the value. Nothing typed is lost: text that
       matches nothing stays in the picker, marked in error (the form's check names it);
     - the arrow keys choose an option of the list on screen; Enter or Tab takes it;
     - Enter/Tab on an empty query keeps the value and moves on;
     - the dropdown lives in <body>, so a scrolling container (a grid, a card) does not clip it;
     - the list is the server's answer to the current query, in the server's order;
     - clicking a focused picker keeps it focused (Tom Select would blur it and drop the keys
       typed next);
     - leaving a picker quickly does not bring the cursor back to it (Tom Select runs onFocus
       again a tick after focusing itself, and an answer arriving later reopens and refocuses).
     A form holding a picker whose answer is still to come is submitted once it came
     (window.guanwu.pickersSettled() for scripts that post by themselves). */
  const pickerByInput = new WeakMap(); // typing box -> Tom Select
  const openPickers = new Set();
  const commits = new Set(); // answers still to come, one promise each
  function pickerHasFocus(ts) {
    return ts.wrapper.contains(document.activeElement);
  }
  function adaptPicker(ts) {
    if (!ts || ts.__gw) return ts;
    const gw = ts.__gw = {arrowed: false, query: null, rank: new Map(), answers: new Map(), seq: 0, committing: false};
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
      if (!ts.wrapper.contains(ev.relatedTarget)) gw.arrowed = false;
    });
    ts.on("type", () => { gw.arrowed = false; });
    // a value chosen or cleared by hand replaces a commit still waiting for its answer
    ts.on("change", () => {
      if (gw.committing) return;
      gw.seq++;
      pendingMark(ts, "");
      unknownMark(ts, "");
    });

    // Tom Select counts itself focused only a tick after its input took the focus (focus() ->
    // setTimeout(onFocus)); until then a picker showing a value keeps its input "hidden" and drops
    // every key typed (the first key after a click was lost on a loaded machine). The input is
    // usable as soon as it has the focus, and hidden again when it loses it.
    ts.control_input.addEventListener("focus", () => {
      if (!ts.isInputHidden || ts.activeItems.length) return;
      ts.isInputHidden = false;
      ts.wrapper.classList.remove("input-hidden");
    });
    ts.control_input.addEventListener("blur", () => { if (!ts.isFocused) ts.inputState(); });
    const onFocus = ts.onFocus;
    ts.onFocus = function (ev) {
      // the delayed second run of a programmatic focus, after the cursor has moved on
      if (!ev && !pickerHasFocus(ts)) return undefined;
      return onFocus.call(ts, ev);
    };
    const onClick = ts.onClick;
    ts.onClick = function () {
      if (ts.isFocused && pickerHasFocus(ts)) {
        if (!ts.isOpen) ts.open();
        ts.control_input.focus();
        return undefined;
      }
      return onClick.call(ts);
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
        if (options) remember(ts, query, options);
        if (query !== ts.lastValue) {
          // the answer to an older query: dropped (it would replace the current list)
          ts.loading = Math.max(ts.loading - 1, 0);
          delete ts.loadedSearches[query];
          if (!ts.loading) {
            ts.wrapper.classList.remove(ts.settings.loadingClass);
            if (ts.isOpen) ts.refreshOptions(false);
          }
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
  function remember(ts, query, options) {
    const answers = ts.__gw.answers;
    if (answers.size > 100) answers.clear();
    answers.set(String(query).trim(), options);
  }
  function pendingMark(ts, text) {
    if (text) ts.control.dataset.gwPending = text;
    else delete ts.control.dataset.gwPending;
  }
  function unknownMark(ts, text) {
    const cell = ts.wrapper.closest("td");
    const message = text ? ts.__gwUnknown + ": " + text : "";
    ts.wrapper.classList.toggle("is-invalid", !!text);
    ts.wrapper.classList.toggle("gw-picker-unknown", !!text);
    if (text) ts.wrapper.title = message; else ts.wrapper.removeAttribute("title");
    if (cell) {
      cell.classList.toggle("gw-cell-invalid", !!text);
      if (text) cell.title = message; else if (cell.title.indexOf(ts.__gwUnknown) === 0) cell.removeAttribute("title");
    }
  }
  /* Enter or Tab after typing ``text``: the value becomes the first option of the answer to it. */
  function commit(ts, text) {
    const gw = ts.__gw;
    const seq = ++gw.seq;
    if (ts.refreshTimeout) { clearTimeout(ts.refreshTimeout); ts.refreshTimeout = null; }
    const known = gw.answers.get(text);
    if (known) { settle(ts, text, known, seq); return; }
    pendingMark(ts, text);
    const done = ts.__gwSearch(text)
      .then((options) => { remember(ts, text, options); settle(ts, text, options, seq); })
      .catch(() => settle(ts, text, null, seq))
      .finally(() => commits.delete(done));
    commits.add(done);
  }
  function settle(ts, text, options, seq) {
    const gw = ts.__gw;
    if (seq !== gw.seq) return; // a later commit or a choice by hand came first
    pendingMark(ts, "");
    const key = ts.settings.valueField;
    const best = options && options[0];
    gw.committing = true;
    try {
      if (best) {
        if (ts.options[best[key]]) ts.updateOption(best[key], best); else ts.addOption(best);
        ts.setValue(best[key]);
        unknownMark(ts, "");
      } else {
        // nothing matches (or the search failed): keep what was typed, marked in error
        const kept = {gwUnknown: true, name: ""};
        kept[key] = text;
        if (ts.options[text]) ts.updateOption(text, kept); else ts.addOption(kept);
        ts.setValue(text);
        unknownMark(ts, text);
      }
    } finally {
      gw.committing = false;
    }
  }
  function pickersSettled() {
    if (!commits.size) return Promise.resolve();
    return Promise.allSettled(Array.from(commits)).then(pickersSettled);
  }
  function awaitingIn(root) {
    return !!root.querySelector(".ts-control[data-gw-pending]");
  }

  document.addEventListener("keydown", function (ev) {
    const ts = pickerByInput.get(ev.target);
    if (!ts || !ts.__gw || ev.isComposing || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    const gw = ts.__gw;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") { gw.arrowed = true; return; }
    if (ev.key !== "Enter" && ev.key !== "Tab") return;
    const typed = ts.control_input.value.trim();
    if (!typed) {
      if (ts.isOpen && !gw.arrowed) ts.close(); // nothing typed: keep the value and move on
      return;
    }
    if (gw.arrowed && ts.isOpen && ts.activeOption) return; // Tom Select takes the option chosen
    if (!ts.__gwSearch) return;
    commit(ts, typed);
    ts.close(); // so Tom Select takes no option of the list on screen; the key then moves on
    if (ev.key === "Enter" && !ts.input.closest("[data-enter-nav]")) ev.preventDefault(); // (no submit)
  }, true);
  // a form is sent once its pickers' answers came
  document.addEventListener("submit", function (ev) {
    const form = ev.target;
    if (!awaitingIn(form)) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    const submitter = ev.submitter && ev.submitter.form === form ? ev.submitter : undefined;
    pickersSettled().then(() => form.requestSubmit(submitter));
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
  window.guanwu.pickersSettled = pickersSettled;

  /* Parties: a 10-character 海关编码 typed into [data-party-role=code], or an 18-character
     社会信用代码 into [data-party-role=scc], fills the other code and the name of the same
     [data-party] group of its form from /api/v1/declarations/parties/<code> (the enterprise
     itself, its customers, its past declarations). What was typed by hand is never replaced;
     what an earlier answer filled is. */
  const PARTY_URL = "/api/v1/declarations/parties/";
  const PARTY_LENGTH = {code: 10, scc: 18};
  const PARTY_KEY = {code: "customs_code", scc: "scc", name: "name"};
  function partyFill(field, party) {
    const scope = field.form || field.closest("[data-enter-nav]") || document;
    scope.querySelectorAll('[data-party="' + field.dataset.party + '"][data-party-role]').forEach((f) => {
      const value = party[PARTY_KEY[f.dataset.partyRole]];
      if (f === field || !value || (f.value.trim() && !f.dataset.partyFilled) || f.value === value) return;
      f.value = value;
      const ev = new Event("input", {bubbles: true});
      ev.gwParty = true;
      f.dispatchEvent(ev);
      f.dispatchEvent(new Event("change", {bubbles: true}));
      f.dataset.partyFilled = "1";
      f.classList.add("gw-party-filled");
    });
  }
  document.addEventListener("input", function (ev) {
    const f = ev.target;
    if (ev.gwParty || !f.dataset || !f.dataset.partyRole) return;
    delete f.dataset.partyFilled; // typed by hand now
    f.classList.remove("gw-party-filled");
    const want = PARTY_LENGTH[f.dataset.partyRole];
    const code = f.value.trim().toUpperCase();
    if (!want || code.length !== want) return;
    fetch(PARTY_URL + encodeURIComponent(code), {credentials: "same-origin"})
      .then((r) => (r.ok ? r.json() : null))
      .then((party) => { if (party && f.value.trim().toUpperCase() === code) partyFill(f, party); })
      .catch(() => {});
  });

  /* Errors a page was rendered with describe the values it was sent: once a field changes,
     its own error (is-invalid and the .invalid-feedback beside it) goes, and so do the results
     marked data-stale-on-change in its form (a 工商信息校验 of values since changed). */
  function clearStale(ev) {
    const f = ev.target;
    if (ev.gwParty || !f || !f.name || !f.closest) return;
    const box = f.parentElement;
    if (f.classList.contains("is-invalid")) {
      f.classList.remove("is-invalid");
      f.removeAttribute("aria-invalid");
      const wrapper = f.tomselect ? f.tomselect.wrapper : null;
      if (wrapper && !wrapper.classList.contains("gw-picker-unknown")) wrapper.classList.remove("is-invalid");
      if (box) box.querySelectorAll(":scope > .invalid-feedback").forEach((n) => n.remove());
    }
    const form = f.form || f.closest("form");
    if (form) form.querySelectorAll("[data-stale-on-change]").forEach((n) => { n.innerHTML = ""; });
  }
  document.addEventListener("input", clearStale);
  document.addEventListener("change", clearStale);

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
    if (t.hasAttribute && t.hasAttribute("data-enter-submit")) return; // Enter here sends the form (login)
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
    if (t.matches && t.matches('[data-select-all], input[name="ids"]')) {
      document.querySelectorAll(".gw-bulk-hint").forEach((n) => n.remove());
    }
  });
  document.addEventListener("submit", function (ev) {
    const form = ev.target;
    if (form.hasAttribute("data-no-submit")) { ev.preventDefault(); return; } // a form scripts post by themselves
    const button = ev.submitter;
    if (form.matches("[data-bulk-form]") && !bulkBoxes(form.id).some((b) => b.checked)) {
      // a bulk action with nothing ticked: say so, instead of asking to confirm it
      ev.preventDefault();
      ev.stopImmediatePropagation();
      let hint = form.querySelector(".gw-bulk-hint");
      if (!hint) {
        hint = document.createElement("span");
        hint.className = "gw-bulk-hint text-danger small ms-2";
        hint.setAttribute("role", "alert");
        form.appendChild(hint);
      }
      hint.textContent = "请先选择要操作的记录";
      return;
    }
    const message = (button && button.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) ev.preventDefault();
  });

  /* htmx answers that are not a success. A refused request (400 a bad file, 409 a conflict,
     413 too large, 422 a form's errors) answers with its fragment naming the problem in Chinese:
     it is swapped in like a success (htmx drops every 4xx answer by default, and the page showed
     nothing). Any other failure (403, 404, 5xx, no network) puts a message at the top of the
     request's target. */
  const SWAPPED_ERRORS = new Set([400, 409, 413, 422]);
  document.addEventListener("htmx:beforeSwap", function (ev) {
    const xhr = ev.detail.xhr;
    if (SWAPPED_ERRORS.has(xhr.status) && /html/.test(xhr.getResponseHeader("Content-Type") || "")) {
      ev.detail.shouldSwap = true;
      ev.detail.isError = false;
    }
  });
  function htmxFailure(ev, text) {
    const target = ev.detail.target || ev.detail.elt;
    if (!target || !target.isConnected) return;
    let box = target.querySelector(":scope > .gw-htmx-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger py-1 small gw-htmx-error";
      box.setAttribute("role", "alert");
      target.prepend(box);
    }
    box.textContent = text;
  }
  document.addEventListener("htmx:responseError", function (ev) {
    const status = ev.detail.xhr.status;
    htmxFailure(ev, status === 403 ? "没有权限执行此操作" : status === 404 ? "要操作的内容不存在或已删除, 请刷新页面"
      : status === 413 ? "文件太大, 请拆分后再试" : "服务器错误 (" + status + "), 请稍后重试");
  });
  document.addEventListener("htmx:sendError", (ev) => htmxFailure(ev, "网络错误, 请检查网络连接后重试"));
  document.addEventListener("htmx:afterSwap", function (ev) {
    const old = ev.detail.target && ev.detail.target.querySelector(":scope > .gw-htmx-error");
    if (old && ev.detail.xhr && ev.detail.xhr.status < 400) old.remove();
  });

  /* [data-print] prints the page (no inline onclick: the Content-Security-Policy forbids it). */
  document.addEventListener("click", function (ev) {
    const b = ev.target.closest ? ev.target.closest("[data-print]") : null;
    if (b) { ev.preventDefault(); window.print(); }
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
