from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "guanwu.ui"
    verbose_name = "界面"
