"""Shared fixtures: two enterprises (A and B) with an admin and an operator each; what a test may
need from the machine (and CI must have); the code tables kept across transactional tests."""

from __future__ import annotations

import os
from pathlib import Path

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


# -- what a test needs from the machine --------------------------------------------------------
# A test that needs something the machine may lack (Chromium, PostgreSQL, the raw public data in
# ../shared) skips without it on a developer's machine. CI must never skip such a test silently:
# .ci/run names what it provides in GUANWU_TEST_REQUIRE (comma-separated: chromium, shared,
# postgres), and then a missing resource fails the test, and so does a test marked ``browser`` or
# ``postgres`` (or using the ``browser`` fixture) that skipped for any other reason.
REPO = Path(__file__).resolve().parents[1]
# The raw public data the package data was converted from: ``../shared`` beside the checkout (as
# CI lays it out, and as the developers' worktrees see it). GUANWU_TEST_SHARED overrides it for a run
# from a copy of the tests elsewhere (scripts/mutate.py runs them from mutants/).
SHARED = Path(os.environ.get("GUANWU_TEST_SHARED") or REPO.parent / "shared")


def required_resources() -> frozenset[str]:
    return frozenset(filter(None, (r.strip() for r in os.environ.get("GUANWU_TEST_REQUIRE", "").split(","))))


def need(resource: str, reason: str) -> None:
    """Skip the test for lack of ``resource``; fail it when this run requires the resource."""
    if resource in required_resources():
        pytest.fail(f"GUANWU_TEST_REQUIRE names {resource}, but {reason}", pytrace=False)
    pytest.skip(reason)


def shared_file(relative: str) -> Path:
    """A file of ``../shared`` (e.g. ``data/raw/receipt_codes/dec_result_channel.csv``)."""
    path = SHARED / relative
    if not path.exists():
        need("shared", f"{path} does not exist (../shared is not beside the checkout)")
    return path


def pytest_collection_modifyitems(config, items):
    # Every test driving Chromium is marked ``browser`` (``-m "not browser"`` leaves them out).
    # Marked only, not grouped: each xdist worker runs its own live server on its own test
    # database with its own Chromium, so browser tests share no state and go to both workers.
    for item in items:
        if "tests/browser/" in item.nodeid or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def _resource_of(item: pytest.Item) -> str | None:
    if item.get_closest_marker("postgres"):
        return "postgres"
    if item.get_closest_marker("browser") or "browser" in getattr(item, "fixturenames", ()):
        return "chromium"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    resource = _resource_of(item)
    if report.skipped and resource in required_resources() and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"GUANWU_TEST_REQUIRE names {resource}: this test must run, but it skipped: {report.longrepr}"


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            need("postgres", "needs PostgreSQL (DATABASE_URL=postgres://...)")


# -- the code tables, loaded once per test database ------------------------------------------
# The code tables and the tariff take 2-5 s to load. The session's test database gets them once
# (django_db_setup below). A transactional test (live server, threads) ends with Django's flush,
# which empties every table; the flush here leaves the params app's code tables alone, so the next
# test does not load them again. Tests never change them outside a rolled-back transaction;
# ``params_loaded`` still reloads them should one have emptied them.


@pytest.fixture(scope="session", autouse=True)
def keep_code_tables_on_flush():
    from django.apps import apps
    from django.core.management.commands import flush

    def code_table(model) -> bool:
        """A params model that holds only public data: no key into tenant rows (CodeUsage counts
        an enterprise's picks: it must be flushed with the enterprises it points at)."""
        return all(f.related_model._meta.app_label == "params" for f in model._meta.get_fields()
                   if f.is_relation and f.concrete and f.related_model is not None)

    kept = frozenset(model._meta.db_table for model in apps.get_app_config("params").get_models() if code_table(model))
    original = flush.sql_flush

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        tables = [t for t in connection.introspection.django_table_names(only_existing=True, include_views=False)
                  if t not in kept]
        return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)

    flush.sql_flush = sql_flush
    yield kept
    flush.sql_flush = original


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the real code tables and tariff loaded once (committed)."""
    from guanwu.params import loader

    with django_db_blocker.unblock():
        if loader.needs_loading():
            loader.load_all(say=lambda _: None)
        _save_template()


# -- mutation runs: a prepared SQLite database copied per process ------------------------------
# ``make mutate`` runs each mutant's tests in a fresh forked pytest session; creating the test
# database there (migrations and code tables, several seconds) would cost more than the tests.
# With GUANWU_TEST_DB_TEMPLATE=<file> (SQLite only) a session runs on its own copy of that file,
# kept (Django's keepdb: no migrations re-run); the first session, finding no template, makes it.
# Unset (make test, CI), none of this applies.
TEMPLATE = os.environ.get("GUANWU_TEST_DB_TEMPLATE", "")


def _template_applies() -> bool:
    from django.conf import settings

    return bool(TEMPLATE) and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    if not _template_applies():
        return
    import shutil

    from django.conf import settings

    copy = Path(f"{TEMPLATE}.{os.getpid()}")
    if Path(TEMPLATE).exists():
        shutil.copyfile(TEMPLATE, copy)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(copy)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)

    request.addfinalizer(remove)


@pytest.fixture(scope="session")
def django_db_keepdb(request) -> bool:
    return bool(request.config.getvalue("reuse_db")) or _template_applies()


def _save_template() -> None:
    if not _template_applies() or Path(TEMPLATE).exists():
        return
    import sqlite3

    from django.db import connection

    connection.ensure_connection()
    target = sqlite3.connect(f"{TEMPLATE}.partial")
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(f"{TEMPLATE}.partial", TEMPLATE)


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

    Runs before the test's own transaction, so the load is committed; the flush after a
    transactional test keeps them (``keep_code_tables_on_flush``), so this only loads them again
    should a test have emptied them. Tests without database access skip it: when none of the
    selected tests uses the database, no test database exists and the configured one must not
    be touched.
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


def token_client(username: str, *, raise_request_exception: bool = True):
    """A test client that calls the API with a bearer token of ``username`` (password PASSWORD)."""
    from django.test import Client

    client = Client(raise_request_exception=raise_request_exception)
    token = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json").json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


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
