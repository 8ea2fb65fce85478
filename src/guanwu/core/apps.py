from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guanwu.core"
    verbose_name = "平台"
