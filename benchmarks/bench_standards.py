"""The 申报要素 checker (issue 17 section 6) on one 20-element 规格型号: p50/p95 ms per check.

    .venv/bin/python benchmarks/bench_standards.py
Target: p95 <= 2 ms for the checker on one 20-element text (``standards.services.checker.check``,
tariff lookup included). The real tariff's longest element list has 16 names, so the line is a
real 商品编号 given 20 element names that touch every rule (品牌类型, 出口享惠情况, 品牌, 型号,
成分含量 with CAS numbers, 规格 and 重量 units, GTIN, CAS, a choice element, dates). Also the API
round trip (token auth, JSON in and out) on the same text.
"""

from __future__ import annotations

import dataclasses
import time

from _setup import demo_actor, django_setup, percentile

django_setup()

from django.test import Client  # noqa: E402

from guanwu.params import services as params  # noqa: E402
from guanwu.standards.services import checker  # noqa: E402

CODE = "2801100000"
ELEMENTS = (
    "品牌类型", "出口享惠情况", "成分含量（对于成分较复杂，字节较长商品可用CAS号代", "包装规格",
    "品牌（中文及外文名称）", "型号", "规格（厚度×宽度×长度）", "个体重量", "需要二次结算、无需二次结算",
    "签约日期", "计价日期", "用途", "材质", "种类", "等级", "颜色", "输出功率", "货号", "GTIN", "CAS",
)
TEXT = ("1|0|棉60%, 涤纶35%, 氨纶5%, 见 7732-18-5|500克/袋|耐克 NIKE|AB-100|2mm×1250mm×2500mm|1000-2000克/条"
        "|无需二次结算|20200131|2020-02-29|服装面料|棉|机织|一级|蓝色|100W|SKU-778|4006381333931, 6901234567892"
        "|7732-18-5、64-17-5")
RUNS = 5000


def main() -> None:
    demo_actor()
    tariff = dataclasses.replace(params.tariff_item(CODE), elements=ELEMENTS)
    assert len(TEXT.split("|")) == len(ELEMENTS) == 20
    assert checker.check_text(tariff, TEXT) == [], checker.check_text(tariff, TEXT)
    original = params.tariff_item
    params.tariff_item = lambda code_ts, as_of=None: tariff if code_ts == CODE else original(code_ts, as_of)
    try:
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            checker.check(CODE, TEXT)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"checker on one 20-element text, {RUNS} runs: p50 {percentile(times, 50):.3f} ms, "
              f"p95 {percentile(times, 95):.3f} ms (target p95 <= 2)")

        client = Client()
        token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": "guanwu-demo"},
                            content_type="application/json").json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        body = {"code_ts": CODE, "g_model": TEXT}
        times = []
        for _ in range(500):
            t0 = time.perf_counter()
            response = client.post("/api/v1/standards/check", body, content_type="application/json", headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200 and response.json() == {"findings": []}, response.content
        print(f"POST /api/v1/standards/check, same text, 500 requests: p50 {percentile(times, 50):.2f} ms, "
              f"p95 {percentile(times, 95):.2f} ms")
    finally:
        params.tariff_item = original
    report_rate()


def report_rate(n: int = 100_000, distinct: int = 20_000) -> None:
    """The report's checking loop (``standards.services.report.build_report``) over ``n`` history
    items of real T-shirt texts, ``distinct`` of them different (history repeats itself)."""
    from guanwu.standards.services import report

    model = "0|0|针织|T恤衫|圆领无扣无拉链|{}%棉|{}|TS-{}|无|无|无"
    texts = [model.format(100 - (j % 3) * 10, "无品牌" if j % 2 else "耐克", j) for j in range(distinct)]
    items = [("6109100010", texts[i % distinct], "E") for i in range(n)]
    t0 = time.perf_counter()
    found = report.build_report(0, iter(items))
    seconds = time.perf_counter() - t0
    print(f"report over {n} history items ({distinct} distinct texts): {seconds:.2f} s, "
          f"{found.flagged_items} flagged")


if __name__ == "__main__":
    main()
