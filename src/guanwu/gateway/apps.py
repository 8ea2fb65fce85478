from django.apps import AppConfig


class GatewayConfig(AppConfig):
    name = "guanwu.gateway"
    verbose_name = "报文交换"
