from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "guanwu.datacenter.customers"
    label = "customers"
    verbose_name = "客户管理"
