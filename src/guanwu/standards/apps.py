from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "guanwu.standards"
    verbose_name = "规范申报"

    def ready(self) -> None:
        from . import header  # noqa: F401 - registers the header's ``new`` badge
