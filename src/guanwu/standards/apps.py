from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "guanwu.standards"
    verbose_name = "规范申报"

    def ready(self) -> None:
        from . import (
            demo,  # noqa: F401 - registers the demo step
            header,  # noqa: F401 - registers the header's ``new`` badge
            tasks,  # noqa: F401 - registers the monthly review's periodic task
        )
