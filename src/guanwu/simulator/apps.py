from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "guanwu.simulator"
    verbose_name = "海关模拟器"

    def ready(self) -> None:
        from guanwu.core.processes import add_process

        from . import demo  # noqa: F401 - registers the demo step

        add_process("simulator", ["simulator", "run"])
