from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "guanwu.declarations"
    verbose_name = "报关单"
