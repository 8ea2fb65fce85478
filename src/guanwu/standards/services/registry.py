"""The registry of the 申报要素 checker: a rule per pattern of element names.

A rule is a function ``(name, value, text) -> findings`` registered with :func:`rule` under a
pattern of element names (``RULES``); every rule whose pattern matches an element runs on it, on
non-empty values unless it says ``on_empty``. A finding names the element, a level (``error``:
the value breaks a rule the source states; ``warning``: likely 不规范, the source gives no firm
rule) and a Chinese message. The rules themselves are in ``rules.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

ERROR, WARNING = "error", "warning"
NONE_VALUES = frozenset({"无", "没有", "/", "-", "—", "N/A", "NA", "n/a", "na"})



@dataclass(frozen=True)
class Finding:
    element: str  # the 申报要素 name; "" for the whole 规格型号 (e.g. the element count)
    level: str  # ERROR or WARNING
    message: str  # Chinese
    rule: str = field(default="", compare=False)  # which rule found it (the statistics of ``report``)

    def as_dict(self) -> dict[str, str]:
        return {"element": self.element, "level": self.level, "message": self.message}


@dataclass(frozen=True)
class Text:
    """The 申报要素 of one 规格型号: name -> stripped value (the first of a repeated name)."""

    values: dict[str, str]
    ie_flag: str = ""

    def get(self, name: str) -> str | None:
        return self.values.get(name)


RuleFn = Callable[[str, str, Text], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    check: RuleFn
    on_empty: bool = False  # runs on an empty value too (and then replaces the goods "不能为空")


RULES: list[Rule] = []


def rule(pattern: str, *, on_empty: bool = False) -> Callable[[RuleFn], RuleFn]:
    """Register ``check`` for the element names matching ``pattern`` (``re.search``)."""

    def register(check: RuleFn) -> RuleFn:
        RULES.append(Rule(re.compile(pattern), check, on_empty))
        rules_for.cache_clear()
        return check

    return register


@lru_cache(maxsize=4096)
def rules_for(name: str) -> tuple[Rule, ...]:
    """The rules of an element name (worked out once per name)."""
    return tuple(r for r in RULES if r.pattern.search(name))
