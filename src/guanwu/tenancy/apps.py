from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "guanwu.tenancy"
    verbose_name = "企业与成员"

    def ready(self) -> None:
        from . import imports  # noqa: F401  (registers the members import)
