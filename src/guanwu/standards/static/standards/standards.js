/* 规范申报 library pages: 申报要素详情 opens in a dialog (the link is a page of its own without script).
   Clicking the 申报要素 text or a row's 要素详情, or ticking one row and pressing 【申报要素详情】 (the
   seed's way), loads the details into #std-elements-modal; Esc closes it. */
(function () {
  "use strict";
  const SELECTOR = "a[data-std-elements], .gw-row-actions a[href$='/elements/']";

  let opener = null;

  function open(url, from) {
    const body = document.getElementById("std-elements-body");
    const modal = document.getElementById("std-elements-modal");
    if (!body || !modal || typeof htmx === "undefined" || typeof bootstrap === "undefined") {
      window.location.href = url;
      return;
    }
    opener = from || null;
    htmx.ajax("GET", url, {target: body, swap: "innerHTML"}).then(function () {
      bootstrap.Modal.getOrCreateInstance(modal).show();
    });
  }

  /* keys: the dialog takes the focus when shown (Esc closes it), and gives it back to what opened it */
  document.addEventListener("shown.bs.modal", function (ev) {
    if (ev.target.id !== "std-elements-modal") return;
    const close = ev.target.querySelector(".btn-close");
    if (close) close.focus();
  });
  document.addEventListener("hidden.bs.modal", function (ev) {
    if (ev.target.id !== "std-elements-modal" || !opener) return;
    if (opener.isConnected) opener.focus();
    opener = null;
  });

  document.addEventListener("click", function (ev) {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    const link = ev.target.closest && ev.target.closest(SELECTOR);
    if (link) {
      ev.preventDefault();
      open(link.getAttribute("href"), link);
      return;
    }
    const button = ev.target.closest && ev.target.closest("[data-std-elements-checked]");
    if (!button) return;
    ev.preventDefault();
    const checked = Array.from(document.querySelectorAll("[data-list-table] input[name='ids']:checked"));
    const old = document.querySelector(".std-elements-hint");
    if (old) old.remove();
    if (checked.length !== 1) {
      const hint = document.createElement("span");
      hint.className = "std-elements-hint text-danger small ms-2";
      hint.setAttribute("role", "alert");
      hint.textContent = checked.length ? "请只勾选一条数据" : "请先勾选一条数据";
      button.after(hint);
      return;
    }
    const row = checked[0].closest("tr");
    const target = row && row.querySelector("a[data-std-elements]");
    if (target) open(target.getAttribute("href"), button);
  });
})();
