from django.apps import AppConfig


class CommoditiesConfig(AppConfig):
    name = "guanwu.datacenter.commodities"
    label = "commodities"
    verbose_name = "商品资料库"
