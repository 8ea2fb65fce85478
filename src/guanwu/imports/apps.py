from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "guanwu.imports"
    verbose_name = "Excel 导入"

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the import job handler)
