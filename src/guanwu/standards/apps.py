from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "guanwu.standards"
    verbose_name = "规范申报"

    def ready(self) -> None:
        from guanwu.params import goods

        from . import (
            demo,  # noqa: F401 - registers the demo step
            header,  # noqa: F401 - registers the header's ``new`` badge
            tasks,  # noqa: F401 - registers the monthly review's periodic task
        )
        from .services import checker

        # the checker runs wherever the shared goods rules run (declarations, commodity library)
        goods.register_element_rules(checker.goods_findings)
