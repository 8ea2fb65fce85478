from django.apps import AppConfig


class ParamsConfig(AppConfig):
    name = "guanwu.params"
    verbose_name = "参数与税则"

    def ready(self) -> None:
        from guanwu.core.setup import setup_step

        from . import loader

        @setup_step
        def load_code_tables(say) -> None:
            """First start: the customs code tables and the tariff shipped in ``params/data``."""
            if loader.needs_loading():
                say("首次启动: 载入海关参数代码表和商品税则 ...")
                loader.load_all(say=say)
