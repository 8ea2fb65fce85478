/* 客户管理: 审核详情 / 操作记录 dialogs and the 客户业务情况 chart. */
(function () {
  "use strict";

  /* Links with class gw-dialog open their page inside the #gw-dialog modal (htmx partial);
     without JavaScript they are ordinary pages. */
  document.addEventListener("click", function (ev) {
    const link = ev.target.closest ? ev.target.closest("a.gw-dialog") : null;
    const modal = document.getElementById("gw-dialog");
    if (!link || !modal || typeof htmx === "undefined" || typeof bootstrap === "undefined") return;
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    htmx.ajax("GET", url.pathname + url.search, {target: "#gw-dialog-content", swap: "innerHTML"}).then(function () {
      bootstrap.Modal.getOrCreateInstance(modal).show();
    });
  });
  document.addEventListener("shown.bs.modal", function (ev) {
    const field = ev.target.querySelector("textarea, input:not([type=hidden])");
    if (field) field.focus();
  });

  function initChart() {
    const el = document.getElementById("customer-chart");
    const source = document.getElementById("customer-chart-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const d = JSON.parse(source.textContent);
    const chart = echarts.init(el);
    const series = [
      {name: "申报票数", type: "bar", data: d.counts, itemStyle: {color: "#0d6efd"}},
      {name: "退单票数", type: "bar", data: d.rejected, itemStyle: {color: "#dc3545"}},
    ];
    const yAxis = [{type: "value", name: "票数", minInterval: 1}];
    if (d.currency) {
      series.push({name: "申报金额(" + d.currency_name + ")", type: "line", yAxisIndex: 1,
                   data: d.values, itemStyle: {color: "#198754"}});
      yAxis.push({type: "value", name: d.currency, splitLine: {show: false}});
    }
    chart.setOption({
      tooltip: {trigger: "axis"},
      legend: {top: 0},
      grid: {left: 48, right: 64, top: 36, bottom: 28},
      xAxis: {type: "category", data: d.months},
      yAxis: yAxis,
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", initChart);
})();
