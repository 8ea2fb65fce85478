from django.apps import AppConfig


class CommoditiesConfig(AppConfig):
    name = "guanwu.datacenter.commodities"
    label = "commodities"
    verbose_name = "商品资料库"

    def ready(self) -> None:
        from guanwu.declarations.signals import declaration_accepted, declaration_released

        from . import (
            demo,  # noqa: F401  (registers the demo step, after the declarations' one)
            imports,  # noqa: F401  (registers the commodities and bonded-items imports)
        )
        from .receivers import on_declaration_done

        declaration_accepted.connect(on_declaration_done, dispatch_uid="commodities-learn-accepted")
        declaration_released.connect(on_declaration_done, dispatch_uid="commodities-learn-released")
