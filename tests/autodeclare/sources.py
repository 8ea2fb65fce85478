"""A ManifestSource for tests: the simulator's manifests, with a hook called each time the engine
asks for one, so a test can act as a user would while a worker is in the middle of a row.

The manifest source is the engine's documented plug-in point for an outside system (the 舱单
system in production, ``GUANWU_MANIFEST_SOURCE``); the hook never changes what it answers.
"""

from __future__ import annotations

from collections.abc import Callable

from guanwu.gateway.customs import ManifestInfo
from guanwu.simulator.customs import SimulatorCustoms

PATH = "tests.autodeclare.sources.HookedSource"


class HookedSource(SimulatorCustoms):
    hook: Callable[[str], None] | None = None

    def manifest(self, bill_no: str) -> ManifestInfo | None:
        if HookedSource.hook is not None:
            HookedSource.hook(bill_no)
        return super().manifest(bill_no)
