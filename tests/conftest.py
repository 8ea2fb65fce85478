"""Shared fixtures: two enterprises (A and B) with an admin and an operator each."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from hypothesis import settings as hypothesis_settings

from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise, Membership, Role
from guanwu.tenancy.validators import uscc_check_char

PASSWORD = "pass-for-tests-1"


def make_scc(seed: str) -> str:
    first17 = ("91610131MA" + seed.rjust(7, "0"))[:17]
    return first17 + uscc_check_char(first17)


def make_enterprise(name: str, code: str) -> Enterprise:
    return Enterprise.objects.create(name=name, customs_code=code, scc=make_scc(code[-7:]))


def make_user(username: str, enterprise: Enterprise, role: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, enterprise=enterprise, role=role)
    return user


# Property tests have no per-example deadline: a loaded 2-core CI machine is not a failure.
hypothesis_settings.register_profile("guanwu", deadline=None)
hypothesis_settings.load_profile("guanwu")

@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the real code tables and tariff loaded once (committed)."""
    from guanwu.params import loader

    with django_db_blocker.unblock():
        if loader.needs_loading():
            loader.load_all(say=lambda _: None)


@pytest.fixture(autouse=True)
def steady_code_table_index(monkeypatch):
    """The code-table index re-checks its version once a second (2 queries) to notice a reload
    by another process; in tests a reload always goes through the loader, which invalidates it,
    so the periodic check only makes query counts depend on how loaded the machine is."""
    monkeypatch.setattr("guanwu.params.index.CHECK_EVERY", 3600.0)


@pytest.fixture(autouse=True)
def gateway_folders(settings, tmp_path):
    """Fresh gateway folders per test: files outlive the rolled-back database otherwise."""
    settings.GATEWAY_DIR = str(tmp_path / "gateway")
    return tmp_path / "gateway"


def _uses_db(request) -> bool:
    return "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db") is not None


@pytest.fixture(autouse=True)
def params_loaded(request, django_db_blocker):
    """The real code tables and tariff, loaded once per test database.

    Runs before the test's own transaction, so the load is committed; a transactional test
    (live server) flushes the tables at teardown, and the next test loads them again. Tests
    without database access skip it: when none of the selected tests uses the database, no
    test database exists and the configured one must not be touched.
    """
    if not _uses_db(request):
        return
    request.getfixturevalue("django_db_setup")
    from guanwu.params import loader

    with django_db_blocker.unblock():
        if loader.needs_loading():
            loader.load_all(say=lambda _: None)


@pytest.fixture
def ent_a(db) -> Enterprise:
    return make_enterprise("甲企业", "6101930001")


@pytest.fixture
def ent_b(db) -> Enterprise:
    return make_enterprise("乙报关行", "6101980002")


@pytest.fixture
def admin_a(ent_a):
    return make_user("a_admin", ent_a, Role.ADMIN)


@pytest.fixture
def operator_a(ent_a):
    return make_user("a_operator", ent_a, Role.OPERATOR)


@pytest.fixture
def admin_b(ent_b):
    return make_user("b_admin", ent_b, Role.ADMIN)


@pytest.fixture
def actor_a(admin_a, ent_a) -> Actor:
    return Actor(user=admin_a, enterprise=ent_a, role=Role.ADMIN)


@pytest.fixture
def operator_actor_a(operator_a, ent_a) -> Actor:
    return Actor(user=operator_a, enterprise=ent_a, role=Role.OPERATOR)


@pytest.fixture
def actor_b(admin_b, ent_b) -> Actor:
    return Actor(user=admin_b, enterprise=ent_b, role=Role.ADMIN)


@pytest.fixture
def client_a(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def operator_client_a(client, operator_a):
    client.force_login(operator_a)
    return client


@pytest.fixture
def client_b(client, admin_b):
    client.force_login(admin_b)
    return client
