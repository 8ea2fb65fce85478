from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "guanwu.jobs"
    verbose_name = "后台任务"
