"""Picker and tariff search through the API on SQLite: p50/p95 ms per query.

    .venv/bin/python benchmarks/bench_params.py
Targets: ports picker p95 <= 20 ms (4,270 rows); tariff search by words p95 <= 40 ms (11,988 rows).
"""

from __future__ import annotations

import random
import time

from _setup import demo_actor, django_setup, percentile

django_setup()

from django.test import Client  # noqa: E402

PORT_QUERIES = [
    "shanghai", "sh", "上海", "洛杉矶", "LOS", "USLAX", "hk", "香港", "xianggang", "1101", "新加坡", "SGSIN", "dj",
    "东京", "tokyo", "nb", "宁波", "qingdao", "鹿特丹", "rotterdam", "汉堡", "hb", "CNSHA", "jp", "b", "港", "yokohama",
    "釜山", "busan", "xg",
]
TARIFF_QUERIES = [
    "咖啡", "咖啡 未焙炒", "棉 针织 T恤", "笔记本 电脑", "玩具", "钢铁 板材", "手机", "塑料 制品", "牛肉 冻", "葡萄酒",
    "轮胎 新的", "锂离子 蓄电池", "服装 男式", "鞋 皮革", "家具 木", "集成电路", "药品", "化妆品", "汽车 零件",
    "纸 印刷",
]


def measure(client, headers, path, queries, n):
    rng = random.Random(7)
    times = []
    for _ in range(n):
        q = rng.choice(queries)
        t0 = time.perf_counter()
        response = client.get(path, {"q": q, "limit": 20}, headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content
    return percentile(times, 50), percentile(times, 95)


def main() -> None:
    demo_actor()
    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": "guanwu-demo"},
                        content_type="application/json").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/params/ports", {"q": "x"}, headers=headers)  # warm the index
    client.get("/api/v1/tariff", {"q": "x"}, headers=headers)
    p50, p95 = measure(client, headers, "/api/v1/params/ports", PORT_QUERIES, 500)
    print(f"ports picker (4,270 rows), 500 queries through the API: p50 {p50:.2f} ms, p95 {p95:.2f} ms "
          "(target p95 <= 20)")
    p50, p95 = measure(client, headers, "/api/v1/tariff", TARIFF_QUERIES, 300)
    print(f"tariff search by words (11,988 rows), 300 queries: p50 {p50:.2f} ms, p95 {p95:.2f} ms (target p95 <= 40)")


if __name__ == "__main__":
    main()
