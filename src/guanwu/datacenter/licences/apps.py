from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "guanwu.datacenter.licences"
    label = "licences"
    verbose_name = "许可证与证书"
