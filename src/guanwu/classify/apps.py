from django.apps import AppConfig


class ClassifyConfig(AppConfig):
    name = "guanwu.classify"
    label = "classify"
    verbose_name = "智能归类"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guanwu.core.processes import add_process
        from guanwu.core.setup import on_params_loaded

        # the index is trained in a process of its own at start-up; the web workers load it
        add_process("classify-index", ["classify_index"], once=True)
        on_params_loaded(_ready_index)


def _ready_index(say) -> None:
    from . import knowledge  # scikit-learn and SciPy only in processes that use the suggester

    knowledge.warm(say)
