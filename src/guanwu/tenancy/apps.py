from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "guanwu.tenancy"
    verbose_name = "企业与成员"

    def ready(self) -> None:
        from guanwu.ui.header import register_header_badge

        from . import imports  # noqa: F401  (registers the members import)
        from .services import invitations_badge

        register_header_badge("invitations", invitations_badge)
