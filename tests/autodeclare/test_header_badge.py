"""The header of every page shows the user's unread notifications (通知中心) of the current enterprise."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanwu.autodeclare.models import Notification, NotifyEvent
from guanwu.autodeclare.services import notifications
from guanwu.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db
CENTRE = reverse("autodeclare:notifications")


def badge(html: str) -> str:
    """The header's 通知 link."""
    found = re.search(r'<a [^>]*id="gw-header-badge-notifications".*?</a>', html, re.S)
    assert found, "no 通知 link in the header"
    return found.group(0)


def count_in(html: str) -> int:
    found = re.search(r"data-header-count>(\d+)</span>", badge(html))
    return int(found.group(1)) if found else 0


def notify(enterprise, n: int = 1) -> None:
    for i in range(n):
        notifications.emit(enterprise.pk, NotifyEvent.RUN_FINISHED, f"智能辅助申报已结束 {i}")


@pytest.mark.parametrize("page", ["/", reverse("declarations:list")])
def test_ordinary_pages_show_the_unread_count_in_the_header(client_a, ent_a, page):
    html = client_a.get(page).content.decode()
    assert count_in(html) == 0 and "data-header-count" not in badge(html)  # plain 通知 link at 0
    notify(ent_a, 3)
    html = client_a.get(page).content.decode()
    link = badge(html)
    assert count_in(html) == 3
    assert f'href="{CENTRE}?unread=1"' in link and "通知" in link


def test_the_link_opens_the_centre_on_the_unread_ones(client_a, actor_a):
    notify(actor_a.enterprise, 2)
    first = Notification.objects.filter(user=actor_a.user).order_by("pk").first()
    notifications.mark_read(actor_a, [first.pk])
    html = client_a.get(f"{CENTRE}?unread=1").content.decode()
    assert "智能辅助申报已结束 1" in html and "智能辅助申报已结束 0" not in html
    assert count_in(html) == 1


def test_marking_read_in_the_centre_updates_the_header(client_a, admin_a, ent_a):
    notify(ent_a, 3)
    one = Notification.objects.filter(user=admin_a).order_by("pk").first()
    client_a.get(reverse("autodeclare:notification-open", args=[one.pk]))
    assert count_in(client_a.get("/").content.decode()) == 2
    others = Notification.objects.filter(user=admin_a).exclude(pk=one.pk).order_by("pk")
    client_a.post(CENTRE, {"action": "read", "ids": [others[0].pk]})
    assert count_in(client_a.get("/").content.decode()) == 1
    response = client_a.post(reverse("autodeclare:notifications-read-all"))
    assert response.status_code == 302
    html = client_a.get(response.url).content.decode()
    assert count_in(html) == 0 and "data-header-count" not in badge(html)


def test_other_enterprises_and_other_users_do_not_count(client_a, admin_a, ent_a, ent_b, admin_b, operator_a):
    Membership.objects.create(user=admin_a, enterprise=ent_b, role=Role.OPERATOR)
    notify(ent_b, 4)  # admin_a is a member of B too: four for them there, not in A
    notify(ent_a, 1)  # one each for admin_a and operator_a
    assert Notification.objects.filter(user=operator_a, read_at__isnull=True).count() == 1
    client_a.post(reverse("tenancy:switch"), {"enterprise": ent_a.pk, "next": "/"})  # B's name sorts first
    assert count_in(client_a.get("/").content.decode()) == 1
    client_a.post(reverse("tenancy:switch"), {"enterprise": ent_b.pk, "next": "/"})
    assert count_in(client_a.get("/").content.decode()) == 4
    client_a.post(reverse("autodeclare:notifications-read-all"))  # in B only
    assert count_in(client_a.get("/").content.decode()) == 0
    client_a.post(reverse("tenancy:switch"), {"enterprise": ent_a.pk, "next": "/"})
    assert count_in(client_a.get("/").content.decode()) == 1


def test_one_count_query_for_the_badge_and_none_for_the_login_page(client, client_a, ent_a):
    notify(ent_a, 2)
    with CaptureQueriesContext(connection) as captured:
        client_a.get(reverse("declarations:list"))
    table = Notification._meta.db_table
    assert len([q for q in captured.captured_queries if table in q["sql"]]) == 1
    client.logout()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:login")).status_code == 200
    assert not [q for q in captured.captured_queries if table in q["sql"]]
