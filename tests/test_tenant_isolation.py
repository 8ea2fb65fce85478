"""Generic tenant isolation: every URL and API route, given another enterprise's ids, answers 404
and changes nothing.

Enterprise B owns one object of every tenant model (tests/tenant_objects.py); enterprise A owns
none, so any id that a view finds must have leaked from B.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import PASSWORD
from tests.tenant_objects import FACTORIES, NOT_ROUTED

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
# Parameters that name public data (code tables, tariff, template kinds), not tenant rows.
PUBLIC_PARAMS = {
    "table": "countries", "slug": "countries", "code_ts": "0101210010", "code": "0101210010",
    "spec": "members", "spec_key": "members", "key": "members",
}
SKIP_PREFIXES = ("admin/", "static/", "media/")


def _routes() -> list[str]:
    out: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                out.append(prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({r for r in out if PARAM.search(r) and not r.startswith(SKIP_PREFIXES)})


def tenant_models() -> list[str]:
    labels = []
    for model in apps.get_models():
        field_names = {f.name for f in model._meta.get_fields()}
        if "enterprise" in field_names and model._meta.app_label not in {"benchapp"}:
            labels.append(model._meta.label_lower)
    return sorted(labels)


def test_every_tenant_model_has_a_factory_for_the_walk():
    missing = [label for label in tenant_models() if label not in FACTORIES and label not in NOT_ROUTED]
    assert not missing, f"add factories to tests/tenant_objects.py for: {missing}"


def _snapshot(enterprise) -> dict:
    snap = {}
    for label in tenant_models():
        model = apps.get_model(label)
        snap[label] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items()))
            for row in model.objects.filter(enterprise=enterprise).values()
        )
    return snap


@pytest.mark.django_db
def test_other_enterprises_ids_answer_404_everywhere(client, admin_a, ent_a, ent_b, admin_b):
    objects = [factory(ent_b, admin_b) for factory in FACTORIES.values()]
    # A's own API token exists before A's ids are collected: its id may equal one of B's objects'
    # (on PostgreSQL each table counts on its own), and revoking it by that id is A's right.
    token = client.post(
        "/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    # Ids that A itself owns in any tenant model (its own memberships) prove nothing here.
    own = {
        pk
        for label in tenant_models()
        for pk in apps.get_model(label).objects.filter(enterprise=ent_a).values_list("pk", flat=True)
    }
    ids = sorted({obj.pk for obj in objects} - own)
    assert ids
    before = _snapshot(ent_b)
    client.force_login(admin_a)
    routes = _routes()
    assert routes, "no parameterised routes found"
    failures: list[str] = []
    tried = 0
    for route in routes:
        names = [m.group("name") for m in PARAM.finditer(route)]
        if all(n in PUBLIC_PARAMS for n in names):
            continue
        for pk in ids:
            path = "/" + PARAM.sub(lambda m, pk=pk: PUBLIC_PARAMS.get(m.group("name"), str(pk)), route)
            is_api = path.startswith("/api/")
            headers = {"Authorization": f"Bearer {token}"} if is_api else {}
            methods = ["get", "post", "put", "patch", "delete"] if is_api else ["get", "post"]
            for method in methods:
                response = getattr(client, method)(path, headers=headers, content_type="application/json")
                if response.status_code == 405:
                    continue
                tried += 1
                if response.status_code != 404:
                    failures.append(f"{method.upper()} {path} -> {response.status_code}")
    assert tried > 0
    assert not failures, "routes that did not answer 404 for another enterprise's ids:\n" + "\n".join(failures)
    assert _snapshot(ent_b) == before, "another enterprise's data changed"
