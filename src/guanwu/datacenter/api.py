"""Mount the data-center routers: each area's router declares its own full paths
(``/commodities``, ``/bonded-items``, ``/customers``, ``/licences``, ``/certificates``,
``/declarations/{id}/documents``, ``/qualifications``)."""

from __future__ import annotations

from ninja import NinjaAPI


def mount(api: NinjaAPI) -> None:
    from guanwu.datacenter.bizdocs.api import router as bizdocs
    from guanwu.datacenter.commodities.api import router as commodities
    from guanwu.datacenter.customers.api import router as customers
    from guanwu.datacenter.licences.api import router as licences
    from guanwu.datacenter.qualifications.module import MODULE as qualifications

    for router in (commodities, customers, licences, bizdocs, qualifications.router()):
        api.add_router("/", router)
