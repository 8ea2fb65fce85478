from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "guanwu.tenancy"
    verbose_name = "企业与成员"
