from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "guanwu.standards"
    verbose_name = "规范申报"
