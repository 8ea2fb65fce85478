from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "guanwu.standards"
    verbose_name = "规范申报"

    def ready(self) -> None:
        # the checker runs wherever the shared goods rules run (declarations, commodity library)
        from guanwu.params import goods

        from .services import checker

        goods.register_element_rules(checker.goods_findings)
