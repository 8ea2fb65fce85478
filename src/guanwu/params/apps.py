from django.apps import AppConfig


class ParamsConfig(AppConfig):
    name = "guanwu.params"
    verbose_name = "参数与税则"
