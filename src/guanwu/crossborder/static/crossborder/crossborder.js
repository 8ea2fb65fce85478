/* 批次看板: the stacked status chart (ECharts, vendored). */
(function () {
  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-cb-chart]").forEach(function (el) {
      const source = document.getElementById(el.dataset.cbChart);
      const data = JSON.parse(source ? source.textContent : "{}");
      const chart = echarts.getInstanceByDom(el) || echarts.init(el);
      chart.setOption({
        tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
        legend: {top: 0, textStyle: {fontSize: 11}},
        grid: {left: 40, right: 10, top: 50, bottom: 24},
        xAxis: {type: "category", data: data.categories || []},
        yAxis: {type: "value", minInterval: 1},
        series: (data.series || []).map(function (s) {
          return {name: s.name, type: "bar", stack: "n", barMaxWidth: 56, data: s.data, itemStyle: {color: s.color}};
        }),
      });
      el.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  window.addEventListener("resize", function () {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-cb-chart]").forEach(function (el) {
      const chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
  window.guanwuCrossborder = {draw: draw};
})();
