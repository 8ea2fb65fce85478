"""Placeholder until the params loader lands: nothing to load."""


def needs_loading() -> bool:
    return False


def load_all(say=print) -> None:
    return None
