from django.apps import AppConfig


class BizdocsConfig(AppConfig):
    name = "guanwu.datacenter.bizdocs"
    label = "bizdocs"
    verbose_name = "业务单据"

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers the demo step)
