"""Shared set-up for the benchmark scripts: a fresh data dir, migrated, tables loaded."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def django_setup(settings_module: str = "guanwu.settings", load_params: bool = True) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    data_dir = Path(os.environ.get("GUANWU_BENCH_DIR") or tempfile.mkdtemp(prefix="guanwu-bench-"))
    os.environ["GUANWU_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if load_params:
        from guanwu.params import loader

        if loader.needs_loading():
            loader.load_all(say=lambda _: None)
    return data_dir


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def demo_actor():
    from guanwu.core.demo import create_demo
    from guanwu.tenancy.context import Actor

    enterprises, users = create_demo(say=lambda _: None)
    return Actor.resolve(users["a_admin"], enterprises["a"])
