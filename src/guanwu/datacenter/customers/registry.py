"""工商信息校验: checking a customer's registration details.

The services call ``registry_check()``, which returns the checker named by the setting
``GUANWU_CUSTOMER_REGISTRY_CHECK`` (a dotted path to a class or factory), by default the local
one. The local checker knows the code formats — the check character of the 统一社会信用代码
(GB 32100-2015), the 10-character 海关编码, the 10-digit 检验检疫代码 — and needs no network.
An online registry (企业信用信息公示系统, a commercial data service) can be plugged in later
by implementing ``RegistryCheck`` and naming it in the setting; it may add errors such as "the
credit code belongs to another name". Duplicates within the enterprise are the services' part.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from guanwu.core.errors import FieldError
from guanwu.tenancy.validators import ciq_code_error, customs_code_error, uscc_error

DOMESTIC_COUNTRY = "CHN"


@dataclass(frozen=True)
class RegistryInfo:
    """What a registry can confirm about a company; codes are already upper-cased."""

    name: str
    scc: str = ""
    customs_code: str = ""
    ciq_code: str = ""
    country: str = DOMESTIC_COUNTRY

    @property
    def domestic(self) -> bool:
        return self.country == DOMESTIC_COUNTRY


@runtime_checkable
class RegistryCheck(Protocol):
    """A source of truth for company registrations."""

    def verify(self, info: RegistryInfo) -> list[FieldError]:
        """Field errors (``scc``, ``customs_code``, ``ciq_code``, ``name``) in Chinese; [] if fine."""
        ...


class LocalRegistryCheck:
    """Format and check-character checks only: offline, instant, always available."""

    def verify(self, info: RegistryInfo) -> list[FieldError]:
        errors: list[FieldError] = []
        if info.scc or info.domestic:
            message = uscc_error(info.scc)
            if not info.scc:
                message = "境内客户必须填写统一社会信用代码"
            if message:
                errors.append(FieldError("scc", message))
        if info.customs_code:
            message = customs_code_error(info.customs_code)
            if message:
                errors.append(FieldError("customs_code", message))
        message = ciq_code_error(info.ciq_code)
        if message:
            errors.append(FieldError("ciq_code", message))
        return errors


DEFAULT_CHECK = "guanwu.datacenter.customers.registry.LocalRegistryCheck"


@cache
def _load(path: str) -> RegistryCheck:
    checker = import_string(path)()
    if not isinstance(checker, RegistryCheck):
        raise TypeError(f"{path} does not implement RegistryCheck.verify(info)")
    return checker


def registry_check() -> RegistryCheck:
    """The configured checker (``GUANWU_CUSTOMER_REGISTRY_CHECK``), local by default."""
    return _load(getattr(settings, "GUANWU_CUSTOMER_REGISTRY_CHECK", DEFAULT_CHECK))
