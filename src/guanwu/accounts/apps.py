from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "guanwu.accounts"
    verbose_name = "登录与令牌"
