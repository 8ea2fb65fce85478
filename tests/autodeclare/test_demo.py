"""The demo: 开始申报 with the demo profiles gives successes, waits and failures in the first batch."""

from __future__ import annotations

import pytest

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, Profile, Run
from guanwu.core.demo import create_demo
from guanwu.tenancy.context import Actor

pytestmark = pytest.mark.django_db


def test_demo_run_shows_successes_waits_and_failures(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enterprises, users = create_demo(say=lambda _: None)
    create_demo(say=lambda _: None)  # idempotent
    ent = enterprises["a"]
    ent.refresh_from_db()
    assert ent.setting("autodeclare_enabled")
    profiles = list(Profile.objects.for_enterprise(ent))
    assert len(profiles) == 2
    assert AutoDeclaration.objects.for_enterprise(ent).filter(marked=True).count() == 7
    actor = Actor.resolve(users["a_admin"], ent)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(actor, [p.pk for p in profiles], "agent")
    run = Run.objects.get(pk=run.pk)
    outcome = {a.declaration.contr_no: (a.auto_status, a.reason_code)
               for a in AutoDeclaration.objects.for_enterprise(ent).select_related("declaration")}
    assert outcome == {
        "AD-EX-01": ("succeeded", ""),
        "AD-EX-02": ("waiting", "not_arrived"),
        "AD-EX-03": ("failed", "mismatch"),
        "AD-EX-04": ("failed", "manifest_missing"),
        "AD-IM-01": ("waiting", "tax_unconfirmed"),
        "AD-IM-02": ("succeeded", ""),
        "AD-IM-03": ("failed", "rules"),
    }
    assert (run.total_succeeded, run.total_failed, run.wait_seconds) == (2, 3, 30)
    coffee = AutoDeclaration.objects.get(declaration__contr_no="AD-IM-01").declaration
    assessment = services.get_assessment(actor, coffee.pk)
    assert assessment.demo_rates and assessment.total > 0
