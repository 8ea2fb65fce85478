from django.apps import AppConfig


class AutodeclareConfig(AppConfig):
    name = "guanwu.autodeclare"
    label = "autodeclare"
    verbose_name = "智能辅助申报"

    def ready(self) -> None:
        from . import (
            dashboard,  # noqa: F401 - registers the home widgets
            demo,  # noqa: F401 - registers the demo step
            signals,  # noqa: F401 - receipts become 申报记录 lines
            tasks,  # noqa: F401 - registers the engine's Huey tasks
        )
