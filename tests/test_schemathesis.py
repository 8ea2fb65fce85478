"""Issue 10.9/10.12: schemathesis over /api/v1/openapi.json as an authenticated user.

Every operation gets a bounded number of generated requests (valid by the schema, then
invalid); any 5xx, and any status the OpenAPI does not document for that operation, fails the
test. The requests go through the real WSGI stack (middleware, auth, parser) in-process, inside
the test's transaction. Two operations that would end the session's own token are left out
(they are covered in tests/core/test_tokens_and_throttling.py).
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.conftest import PASSWORD

EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 6, schemathesis.GenerationMode.NEGATIVE: 4}
LEFT_OUT = {("POST", "/api/v1/auth/logout"), ("DELETE", "/api/v1/auth/tokens/{token_id}")}


@contextmanager
def connections_kept():
    """Requests to the real WSGI handler, as Django's test client makes them: without closing
    the database connection around each request (that would end the test's transaction; on
    PostgreSQL the next query then finds the connection closed). The test client connects the
    closing receiver again after each of its own requests, so this wraps the WSGI calls only."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_schema(admin_a, operator_a):
    app = get_wsgi_application()
    with connections_kept():
        return app, schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _bearer(client) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                           content_type="application/json")
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_no_server_error_and_no_undocumented_status(client, wsgi_schema):
    _app, schema = wsgi_schema
    headers = _bearer(client)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in LEFT_OUT:
            continue
        operations += 1
        for mode, count in EXAMPLES.items():

            @settings(max_examples=count, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                with connections_kept():
                    response = case.call(headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=[not_a_server_error, status_code_conformance],
                                       headers=headers)

            try:
                run()
            except Exception as exc:  # collect every operation's failure, then fail once
                failures.append(f"{operation.method.upper()} {operation.path} [{mode}]: {str(exc)[:600]}")
    print(f"schemathesis: {operations} operations, {sum(statuses.values())} requests, statuses {dict(statuses)}")
    assert operations > 80 and statuses[200] and statuses[422]
    assert not failures, "\n\n".join(failures)
