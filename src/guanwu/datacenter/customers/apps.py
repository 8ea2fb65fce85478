from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "guanwu.datacenter.customers"
    label = "customers"
    verbose_name = "客户管理"

    def ready(self) -> None:
        from guanwu.declarations.rules import register_check

        from . import (
            dashboard,  # noqa: F401  (registers the 待审核客户 widget)
            demo,  # noqa: F401  (registers the demo step)
            imports,  # noqa: F401  (registers the customers import)
        )
        from .parties import declaration_parties
        from .rules import unapproved_trade_customer

        register_check(unapproved_trade_customer)
        register_check(declaration_parties)
