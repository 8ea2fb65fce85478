"""First-start set-up shared by `guanwu serve` and `guanwu demo`: migrate, load code tables."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management import call_command

# Steps that the apps add in their ``ready`` (the code tables first: params comes before the
# apps that read them in INSTALLED_APPS). Each is idempotent.
_SETUP_STEPS: list[Callable[[Callable[[str], None]], None]] = []


def setup_step(func):
    _SETUP_STEPS.append(func)
    return func


# Steps run after `guanwu loadparams` loaded code tables or a tariff version (the suggester
# builds its index for the tariff in force).
_PARAMS_LOADED_STEPS: list[Callable[[Callable[[str], None]], None]] = []


def on_params_loaded(func):
    _PARAMS_LOADED_STEPS.append(func)
    return func


def params_loaded(say: Callable[[str], None] = print) -> None:
    for step in _PARAMS_LOADED_STEPS:
        step(say)


def ensure_ready(say: Callable[[str], None] = print) -> None:
    say("迁移数据库 ...")
    call_command("migrate", interactive=False, verbosity=0)
    for step in _SETUP_STEPS:
        step(say)
