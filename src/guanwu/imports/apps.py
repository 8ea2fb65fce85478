from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "guanwu.imports"
    verbose_name = "Excel 导入"
