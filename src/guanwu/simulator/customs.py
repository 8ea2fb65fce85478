"""The simulator behind the gateway's customs port (:mod:`guanwu.gateway.customs`): its
manifests and arrival reports as plain data, and the demo hooks (record them, answer the outbox
now). Tenant apps reach this only through ``guanwu.gateway.customs.get_source()``."""

from __future__ import annotations

from django.test.utils import override_settings

from guanwu.gateway.customs import ArrivalInfo, ManifestInfo, bill_candidates

from .models import ArrivalReport, Manifest


class SimulatorCustoms:
    """ManifestSource and DemoCustoms over the simulator's own tables."""

    def manifest(self, bill_no: str) -> ManifestInfo | None:
        candidates = bill_candidates(bill_no)
        if not candidates:
            return None
        rows = {m.bill_no: m for m in Manifest.objects.filter(bill_no__in=candidates)}
        row = next((rows[c] for c in candidates if c in rows), None)
        if row is None:
            return None
        return ManifestInfo(
            bill_no=row.bill_no, ie_flag=row.i_e_flag, traf_mode=row.traf_mode, traf_name=row.traf_name,
            voyage_no=row.voyage_no, gross_wt=row.gross_wt, pack_no=row.pack_no, customs_code=row.customs_code,
        )

    def arrival(self, bill_no: str) -> ArrivalInfo | None:
        candidates = bill_candidates(bill_no)
        if not candidates:
            return None
        row = ArrivalReport.objects.filter(bill_no__in=candidates).order_by("arrived_at", "id").first()
        if row is None:
            return None
        return ArrivalInfo(
            bill_no=row.bill_no, arrived_at=row.arrived_at, customs_code=row.customs_code, location=row.location
        )

    # ------------------------------------------------------------------------------- demo hooks

    def record_manifest(self, manifest: ManifestInfo) -> bool:
        _, created = Manifest.objects.update_or_create(bill_no=manifest.bill_no, defaults={
            "traf_mode": manifest.traf_mode, "traf_name": manifest.traf_name, "voyage_no": manifest.voyage_no,
            "gross_wt": manifest.gross_wt, "pack_no": manifest.pack_no, "i_e_flag": manifest.ie_flag,
            "customs_code": manifest.customs_code})
        return created

    def record_arrival(self, arrival: ArrivalInfo) -> bool:
        _, created = ArrivalReport.objects.get_or_create(bill_no=arrival.bill_no, defaults={
            "customs_code": arrival.customs_code, "location": arrival.location, "arrived_at": arrival.arrived_at})
        return created

    def forget_arrival(self, bill_no: str) -> None:
        ArrivalReport.objects.filter(bill_no=bill_no).delete()

    def answer_outbox(self) -> int:
        """The simulator's demo manifests (the demo declarations' bills) first, then every round
        until idle with no delay, inspection or random rejection."""
        from .demo import create_demo_manifests
        from .engine import run_until_idle

        create_demo_manifests()
        with override_settings(GUANWU_SIMULATOR_DELAY_SECONDS=0, GUANWU_SIMULATOR_INSPECTION_RATE=0,
                               GUANWU_SIMULATOR_REJECTION_RATE=0):
            return run_until_idle()
