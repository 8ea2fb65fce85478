from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    name = "guanwu.processing"
    label = "processing"
    verbose_name = "加工贸易账册"

    def ready(self) -> None:
        from . import demo  # noqa: F401 - registers the demo step
        from .services import receipts

        receipts.register()
