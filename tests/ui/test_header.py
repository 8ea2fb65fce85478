"""Header badges: a module's counter in the page header of every page (ui.header)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanwu.ui.header import header_badges, register_header_badge, unregister_header_badge
from guanwu.ui.lists import RESULTS_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    """Two badges of a pretend module: one with a count, one that raises."""
    seen: list[str] = []

    def counted(actor):
        seen.append(actor.user.username)
        return {"label": "待办", "count": 7, "url": "/todo/"}

    def broken(actor):
        raise RuntimeError("module down")

    register_header_badge("test-todo", counted)
    register_header_badge("test-broken", broken)
    yield seen
    unregister_header_badge("test-todo")
    unregister_header_badge("test-broken")


def test_registry_keeps_order_and_leaves_out_broken_and_hidden(actor_a, calls, caplog):
    register_header_badge("test-hidden", lambda actor: None)
    try:
        badges = [b for b in header_badges(actor_a) if b["key"].startswith("test-")]
    finally:
        unregister_header_badge("test-hidden")
    assert badges == [{"key": "test-todo", "icon": "", "title": "待办", "label": "待办", "count": 7, "url": "/todo/"}]
    assert "header badge test-broken failed" in caplog.text


def test_every_page_header_shows_the_badge_once_per_request(client_a, calls):
    for url in ("/", reverse("declarations:list"), reverse("audit:list")):
        html = client_a.get(url).content.decode()
        assert 'id="gw-header-badge-test-todo"' in html and 'href="/todo/"' in html
        assert "data-header-count>7</span>" in html
    assert calls == ["a_admin"] * 3


def test_no_badge_work_for_anonymous_pages(client, calls):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 200 and "gw-header-badge" not in response.content.decode()
    assert not [q for q in captured.captured_queries if "notification" in q["sql"].lower()]
    assert calls == []


def test_no_badge_work_for_htmx_partials_and_exports(client_a, calls):
    url = reverse("audit:list")
    response = client_a.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=RESULTS_ID)
    assert response.status_code == 200 and "gw-header-badge" not in response.content.decode()
    assert client_a.get(url, {"export": "page"}).status_code == 200
    assert calls == []
