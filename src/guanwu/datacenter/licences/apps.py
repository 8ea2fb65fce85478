from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "guanwu.datacenter.licences"
    label = "licences"
    verbose_name = "许可证与证书"

    def ready(self) -> None:
        from guanwu.ui import dashboard

        from . import (
            demo,  # noqa: F401  (registers the demo step)
            imports,  # noqa: F401  (registers the licences import)
            receivers,  # noqa: F401  (released declarations consume licences)
            rules,  # noqa: F401  (the declaration rule on cited licences)
        )
        from .dashboard import expiring_widget
        from .views import CERTIFICATES

        CERTIFICATES.register()  # the 证书 Excel import

        dashboard.register(expiring_widget)
