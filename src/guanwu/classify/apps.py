from django.apps import AppConfig


class ClassifyConfig(AppConfig):
    name = "guanwu.classify"
    label = "classify"
    verbose_name = "智能归类"
    default_auto_field = "django.db.models.BigAutoField"
