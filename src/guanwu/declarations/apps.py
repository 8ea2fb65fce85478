from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "guanwu.declarations"
    verbose_name = "报关单"

    def ready(self) -> None:
        from guanwu.gateway.registry import register_handler

        from . import (
            demo,  # noqa: F401  (registers the demo step)
            imports,  # noqa: F401  (registers the declarations import)
        )
        from .services.receipts import apply_receipt, apply_receipts

        register_handler("DecImportResponse", apply_receipt, batch=apply_receipts)
        register_handler("DEC_RESULT", apply_receipt, batch=apply_receipts)
