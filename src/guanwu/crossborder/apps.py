from django.apps import AppConfig


class CrossborderConfig(AppConfig):
    name = "guanwu.crossborder"
    label = "crossborder"
    verbose_name = "跨境电商B2B出口"

    def ready(self) -> None:
        from guanwu.gateway.registry import register_handler

        from . import (
            demo,  # noqa: F401  (registers the demo step)
            imports,  # noqa: F401  (registers the order, list and summary imports)
            views_widgets,  # noqa: F401  (registers the home page widget)
        )
        from .services.receipts import RECEIPT_ROOTS, apply_receipt, apply_receipts

        for root in RECEIPT_ROOTS:
            register_handler(root, apply_receipt, batch=apply_receipts)
