from django.apps import AppConfig


class QualificationsConfig(AppConfig):
    name = "guanwu.datacenter.qualifications"
    label = "qualifications"
    verbose_name = "企业资质"

    def ready(self) -> None:
        from .module import MODULE

        MODULE.register()
