/* 加工贸易 核销: the chart of imported vs consumed vs balance per 料件 (ECharts, vendored). */
(function () {
  "use strict";
  function draw(el) {
    if (typeof echarts === "undefined") return;
    const data = JSON.parse(document.getElementById(el.dataset.chartConfig).textContent);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: {trigger: "axis"},
      legend: {data: ["进口", "耗用", "余额"]},
      grid: {left: 60, right: 20, bottom: 80},
      xAxis: {type: "category", data: data.names, axisLabel: {rotate: 30, fontSize: 10}},
      yAxis: {type: "value"},
      series: [
        {name: "进口", type: "bar", data: data.imported},
        {name: "耗用", type: "bar", data: data.consumed},
        {name: "余额", type: "bar", data: data.balance},
      ],
    });
    el.dataset.chartReady = "1";
    window.addEventListener("resize", () => chart.resize());
  }
  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-chart-config]").forEach(draw));
})();
