from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "guanwu.accounts"
    verbose_name = "登录与令牌"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from guanwu.tenancy.signals import membership_ended

        from .passwords import revoke_tokens_on_password_change
        from .services import revoke_membership_tokens

        post_save.connect(revoke_tokens_on_password_change, sender=get_user_model(),
                          dispatch_uid="guanwu.accounts.revoke_on_password_change")
        membership_ended.connect(revoke_membership_tokens, dispatch_uid="guanwu.accounts.revoke_on_removal")
