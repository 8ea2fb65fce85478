from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "guanwu.audit"
    verbose_name = "操作记录"
