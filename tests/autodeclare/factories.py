"""Rows of 智能辅助申报 for the generic tenant-isolation walk (tests/tenant_objects.py)."""

from __future__ import annotations

from django.utils import timezone

from guanwu.autodeclare.models import (
    AgencyAgreement,
    AutoDeclaration,
    AutoRecord,
    Batch,
    Profile,
    Run,
    RunStatus,
    TaxAssessment,
)
from tests.declarations.factories import walk_declaration


def walk_profile(enterprise, user) -> Profile:
    return Profile.objects.create(enterprise=enterprise, name="走查预配置", ie_flag="E",
                                  agent_code=enterprise.customs_code, created_by=user)


def walk_run(enterprise, user) -> Run:
    profile = Profile.objects.filter(enterprise=enterprise).first() or walk_profile(enterprise, user)
    run = Run.objects.create(enterprise=enterprise, enterprise_type="agent", started_by=user,
                             status=RunStatus.STOPPED, stopped_at=timezone.now())
    run.profiles.add(profile)
    return run


def walk_batch(enterprise, user) -> Batch:
    run = Run.objects.filter(enterprise=enterprise).first() or walk_run(enterprise, user)
    return Batch.objects.create(enterprise=enterprise, run=run, seq=Batch.objects.filter(run=run).count() + 1,
                                batch_no=f"P20240321{enterprise.pk:05d}{Batch.objects.count():06d}", total=1,
                                finished_at=timezone.now())


def walk_auto_declaration(enterprise, user):
    """A self-paying draft with its auto state, a record, a tax assessment and an agreement.

    Returns the *declaration*: every page and route of this module addresses these rows by the
    declaration's id (records, tax confirmation, agency agreement)."""
    declaration = walk_declaration(enterprise, user)
    declaration.self_tax = True
    declaration.save(update_fields=["self_tax"])
    batch = walk_batch(enterprise, user)
    auto = AutoDeclaration.objects.create(enterprise=enterprise, declaration=declaration, marked_by=user,
                                          marked_at=timezone.now(), auto_status="failed", batch=batch,
                                          batch_no=batch.batch_no, reason="走查")
    AutoRecord.objects.create(enterprise=enterprise, auto=auto, batch=batch, level="fail", message="走查")
    TaxAssessment.objects.create(enterprise=enterprise, declaration=declaration,
                                 declaration_version=declaration.version)
    AgencyAgreement.objects.create(enterprise=enterprise, declaration=declaration,
                                   agreement_no=f"WTWALK{declaration.pk:08d}", data={})
    return declaration


def walk_notification(enterprise, user):
    from guanwu.autodeclare.models import Notification

    return Notification.objects.create(enterprise=enterprise, user=user, event="run_finished", title="走查通知",
                                       url="/autodeclare/run/")


def walk_delivery(enterprise, user):
    from guanwu.autodeclare.models import WebhookDelivery

    return WebhookDelivery.objects.create(enterprise=enterprise, event="declared", url="https://example.com/hook",
                                          payload={"event": "declared"}, status="failed", attempts=6)
