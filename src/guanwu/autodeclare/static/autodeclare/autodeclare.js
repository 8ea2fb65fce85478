/* 智能辅助申报: quick date ranges on the query forms, the countdown to the next batch, the
   生效方式 panels of the profile form and the desk's charts. No inline scripts (CSP). */
(function () {
  "use strict";

  function pad(n) { return String(n).padStart(2, "0"); }
  function iso(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }

  /* 当天 / 本周 / 本月 / 三个月: fill the two dates of the range and submit the filter form. */
  function quickRange(kind) {
    const today = new Date();
    let from = new Date(today);
    if (kind === "week") { from.setDate(today.getDate() - ((today.getDay() + 6) % 7)); }
    else if (kind === "month") { from = new Date(today.getFullYear(), today.getMonth(), 1); }
    else if (kind === "3months") { from = new Date(today); from.setMonth(today.getMonth() - 3); }
    return [iso(from), iso(today)];
  }
  document.addEventListener("click", function (ev) {
    const button = ev.target.closest && ev.target.closest("[data-quick-range]");
    if (!button) return;
    ev.preventDefault();
    const box = button.closest("[data-range]");
    const [from, to] = quickRange(button.dataset.quickRange);
    box.querySelector("[data-range-from]").value = from;
    const end = box.querySelector("[data-range-to]");
    end.value = to;
    end.dispatchEvent(new Event("change", {bubbles: true}));
  });

  /* Countdown: <span data-countdown="<epoch ms>"> shows mm:ss until then. */
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      const left = Math.max(0, Math.round((Number(el.dataset.countdown) - Date.now()) / 1000));
      el.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("DOMContentLoaded", tick);

  /* 执行: the list of declarations under the run panel follows the panel: refreshed (the current
     page, sort and size) every 2 s while a run is active, and once more when it ends. */
  let runWasActive = false;
  function refreshRunList() {
    const panel = document.querySelector("[data-run-panel]");
    const results = document.getElementById("gw-list-results");
    if (!panel || !results || typeof htmx === "undefined") return;
    const active = panel.hasAttribute("hx-get");
    if ((active || runWasActive) && document.visibilityState !== "hidden") {
      htmx.ajax("GET", window.location.pathname + window.location.search, {target: "#gw-list-results", swap: "innerHTML"});
    }
    runWasActive = active;
  }
  setInterval(refreshRunList, 2000);

  /* Profile form: only the chosen 生效方式's fields are active. */
  function syncScope(form) {
    const chosen = form.querySelector('input[name="scope"]:checked');
    form.querySelectorAll("[data-scope-panel]").forEach(function (panel) {
      const on = chosen && panel.dataset.scopePanel === chosen.value;
      panel.classList.toggle("opacity-50", !on);
      panel.querySelectorAll("input").forEach(function (i) { if (!i.hasAttribute("data-locked")) i.disabled = !on; });
    });
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.name === "scope") syncScope(ev.target.form);
    /* 执行: the 生效企业类型 decides which profiles are offered; reload with it. */
    if (ev.target.name === "enterprise_type" && ev.target.closest("[data-type-switch]")) {
      const url = new URL(window.location.href);
      url.searchParams.set("type", ev.target.value);
      window.location.assign(url.toString());
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-profile-form]").forEach(function (form) {
      if (form.querySelector("input[disabled]")) {
        form.querySelectorAll("input[disabled]").forEach(function (i) { i.setAttribute("data-locked", ""); });
      }
      syncScope(form);
    });
    drawCharts(document);
  });

  /* Desk charts: <div data-chart="batches" data-series='...json...'>. */
  function drawCharts(root) {
    if (typeof echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      const data = JSON.parse(el.dataset.series || "{}");
      const chart = echarts.getInstanceByDom(el) || echarts.init(el);
      if (el.dataset.chart === "batches") {
        chart.setOption({
          tooltip: {trigger: "axis"}, legend: {data: ["成功", "失败", "待申报"]},
          grid: {left: 40, right: 10, top: 30, bottom: 40},
          xAxis: {type: "category", data: data.labels || [],
                  axisLabel: {fontSize: 10, formatter: function (v) { return "…" + String(v).slice(-6); }}},
          yAxis: {type: "value", minInterval: 1},
          series: [
            {name: "成功", type: "bar", stack: "n", barMaxWidth: 48, data: data.succeeded || [], itemStyle: {color: "#198754"}},
            {name: "失败", type: "bar", stack: "n", data: data.failed || [], itemStyle: {color: "#dc3545"}},
            {name: "待申报", type: "bar", stack: "n", data: data.waited || [], itemStyle: {color: "#ffc107"}},
          ],
        });
      } else if (el.dataset.chart === "reasons") {
        chart.setOption({
          tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
          grid: {left: 130, right: 20, top: 10, bottom: 20},
          xAxis: {type: "value", minInterval: 1},
          yAxis: {type: "category", data: (data.labels || []).slice().reverse()},
          series: [{name: "失败", type: "bar", barMaxWidth: 32, data: (data.counts || []).slice().reverse(),
                    itemStyle: {color: "#dc3545"}}],
        });
      }
      el.dataset.drawn = "1";
    });
  }
  window.guanwuAutodeclare = {drawCharts: drawCharts};
  window.addEventListener("resize", function () {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      const chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
})();
