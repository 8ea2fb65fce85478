"""启用 / 停用: an admin accepts the 用户须知 and 企业承诺 and turns the service on; nothing else
turns it on (业务设置 shows it read-only)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.tenancy import services as tenancy
from guanwu.tenancy.context import Actor

from ..models import Enablement, Run, RunStatus
from ..notice import NOTICE_VERSION


def enablement(actor: Actor) -> Enablement | None:
    return Enablement.objects.for_enterprise(actor.enterprise).select_related("accepted_by", "disabled_by").first()


@transaction.atomic
def enable(actor: Actor, *, accept_notice: bool, accept_promise: bool) -> Enablement:
    actor.require_admin("启用智能辅助申报")
    errors = []
    if not accept_notice:
        errors.append(FieldError("accept_notice", "请阅读并同意用户须知"))
    if not accept_promise:
        errors.append(FieldError("accept_promise", "请阅读并同意企业承诺"))
    if errors:
        raise ServiceError.fields(errors, "启用前须同意用户须知和企业承诺")
    row, _ = Enablement.objects.select_for_update().get_or_create(enterprise=actor.enterprise)
    row.enabled = True
    row.notice_version = NOTICE_VERSION
    row.accepted_by = actor.user
    row.accepted_at = timezone.now()
    row.save()
    tenancy.set_managed_setting(actor, "autodeclare_enabled", True)
    audit.record(actor, row, "启用智能辅助申报", before="未启用", after="已启用",
                 opinion=f"已同意用户须知和企业承诺 (版本 {NOTICE_VERSION})")
    return row


@transaction.atomic
def disable(actor: Actor) -> Enablement:
    """停用: stops an active run at once (a worker takes no further declaration; those in hand
    finish); marks and profiles stay for a later re-enablement. The only way to switch the
    service off: 业务设置 shows it read-only (``tenancy.models.MANAGED_SETTINGS``)."""
    actor.require_admin("停用智能辅助申报")
    row, _ = Enablement.objects.select_for_update().get_or_create(enterprise=actor.enterprise)
    from .runs import stop_run  # runs imports common; avoid a cycle at import time

    for run in Run.objects.for_enterprise(actor.enterprise).exclude(status=RunStatus.STOPPED):
        stop_run(actor, run.pk, reason="停用智能辅助申报")
    row.enabled = False
    row.disabled_by = actor.user
    row.disabled_at = timezone.now()
    row.save()
    tenancy.set_managed_setting(actor, "autodeclare_enabled", False)
    audit.record(actor, row, "停用智能辅助申报", before="已启用", after="未启用")
    return row
