"""标记操作: add marks to drafts, cancel only 暂存 + 待申报 with the seed's message, 继续智能辅助申报."""

from __future__ import annotations

import pytest

from guanwu.audit.models import OperationLog
from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus
from guanwu.core.errors import ServiceError
from guanwu.declarations.models import DeclarationStatus
from tests.autodeclare.conftest import make_draft

pytestmark = pytest.mark.django_db
CANCEL_REFUSED = "请求参数均不符合取消条件 (报关单状态不为暂存或智能申报状态不为待申报)!"


def test_marking_drafts_in_bulk(enabled, operator_actor_a):
    drafts = [make_draft(enabled) for _ in range(3)]
    outcome = services.mark(operator_actor_a, [d.pk for d in drafts])  # operators mark too
    assert sorted(outcome.marked) == sorted(d.pk for d in drafts)
    assert outcome.message.startswith("添加智能辅助申报成功 3 条")
    autos = AutoDeclaration.objects.filter(declaration__in=drafts)
    assert {(a.marked, a.auto_status, a.marked_by_id) for a in autos} == {
        (True, AutoStatus.WAITING, operator_actor_a.user.pk)}
    again = services.mark(enabled, [drafts[0].pk])
    assert again.already == [drafts[0].pk] and not again.marked
    assert OperationLog.objects.filter(action="添加智能辅助申报标记").count() == 3
    assert [r.message for r in autos[0].records.all()] == ["添加智能辅助申报标记"]


def test_only_drafts_can_be_marked(enabled):
    draft = make_draft(enabled)
    declared = make_draft(enabled)
    declared.status = DeclarationStatus.DECLARED
    declared.save(update_fields=["status"])
    outcome = services.mark(enabled, [draft.pk, declared.pk])
    assert outcome.marked == [draft.pk] and declared.pk in outcome.refused
    with pytest.raises(ServiceError):
        services.mark(enabled, [declared.pk])


def test_cancel_marks_only_where_draft_and_waiting(enabled):
    waiting, failed, declared = (make_draft(enabled) for _ in range(3))
    services.mark(enabled, [waiting.pk, failed.pk, declared.pk])
    AutoDeclaration.objects.filter(declaration=failed).update(auto_status=AutoStatus.FAILED)
    declared.status = DeclarationStatus.DECLARED
    declared.save(update_fields=["status"])
    assert services.unmark(enabled, [waiting.pk, failed.pk, declared.pk]) == 1
    assert services.unmark_message(1) == "本次成功取消标记 1 条"
    assert not AutoDeclaration.objects.get(declaration=waiting).marked
    assert AutoDeclaration.objects.get(declaration=failed).marked
    with pytest.raises(ServiceError) as exc:
        services.unmark(enabled, [failed.pk, declared.pk, waiting.pk])  # waiting is no longer marked
    assert exc.value.message == CANCEL_REFUSED


def test_declaring_ones_cannot_be_cancelled(enabled):
    draft = make_draft(enabled)
    services.mark(enabled, [draft.pk])
    AutoDeclaration.objects.filter(declaration=draft).update(auto_status=AutoStatus.DECLARING)
    with pytest.raises(ServiceError) as exc:
        services.unmark(enabled, [draft.pk])
    assert exc.value.message == CANCEL_REFUSED


def test_requeue_puts_failed_drafts_back_in_the_pool(enabled):
    failed, waiting = make_draft(enabled), make_draft(enabled)
    services.mark(enabled, [failed.pk, waiting.pk])
    AutoDeclaration.objects.filter(declaration=failed).update(auto_status=AutoStatus.FAILED, reason="无舱单数据")
    assert services.requeue(enabled, [failed.pk, waiting.pk]) == 1
    auto = AutoDeclaration.objects.get(declaration=failed)
    assert (auto.auto_status, auto.reason, auto.marked) == (AutoStatus.WAITING, "", True)
    assert "继续智能辅助申报" in auto.records.last().message
    with pytest.raises(ServiceError):
        services.requeue(enabled, [waiting.pk])


def test_marks_of_another_enterprise_are_ignored(enabled, actor_b):
    draft = make_draft(enabled)
    services.enable(actor_b, accept_notice=True, accept_promise=True)
    with pytest.raises(ServiceError):
        services.mark(actor_b, [draft.pk])
    assert not AutoDeclaration.objects.exists()


def test_marks_need_the_service_enabled(actor_a):
    draft = make_draft(actor_a)
    with pytest.raises(ServiceError) as exc:
        services.mark(actor_a, [draft.pk])
    assert exc.value.status == 409


def test_the_status_follows_the_mark(enabled, client_a):
    """取消标记 leaves no 待申报 behind: the API's ``status=waiting``, the run page's pool count and
    its list agree (issue 11, point 5); marking again puts it back as 待申报."""
    from django.urls import reverse

    from tests.conftest import token_client

    kept, cancelled = make_draft(enabled), make_draft(enabled)
    services.mark(enabled, [kept.pk, cancelled.pk])
    services.unmark(enabled, [cancelled.pk])
    auto = AutoDeclaration.objects.get(declaration=cancelled)
    assert (auto.marked, auto.auto_status, auto.get_auto_status_display()) == (False, "unmarked", "已取消标记")
    api = token_client("a_admin")
    waiting = api.get("/api/v1/autodeclare/declarations?status=waiting").json()
    assert [row["id"] for row in waiting["results"]] == [kept.pk]
    assert api.get(f"/api/v1/autodeclare/declarations/{cancelled.pk}").json()["auto_status"] == "unmarked"
    page = client_a.get(reverse("autodeclare:run")).content.decode()
    assert 'id="pool-waiting">1<' in page
    assert f'data-pk="{AutoDeclaration.objects.get(declaration=kept).pk}"' in page
    assert f'data-pk="{auto.pk}"' not in page  # the run list shows AutoDeclaration rows
    marks = client_a.get(reverse("autodeclare:marks") + "?mark=0").content.decode()
    assert f'data-pk="{cancelled.pk}"' in marks and "已取消标记" in marks
    services.mark(enabled, [cancelled.pk])
    assert AutoDeclaration.objects.get(declaration=cancelled).auto_status == AutoStatus.WAITING
