"""``guanwu demo`` gives enterprise A licences, certificates and business documents."""

from __future__ import annotations

import pytest

from guanwu.core.demo import create_demo
from guanwu.datacenter.licences.models import Certificate, Licence
from guanwu.declarations.models import DeclarationDocument

pytestmark = pytest.mark.django_db


def test_demo_licences_certificates_and_documents(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enterprises, _users = create_demo(say=lambda _: None)
    ent = enterprises["a"]
    licences = {lic.docu_code: lic.status() for lic in Licence.objects.for_enterprise(ent)}
    assert licences == {"O": "valid", "7": "expiring", "1": "expired"}
    certificates = Certificate.objects.for_enterprise(ent)
    assert certificates.count() == 3 and certificates.exclude(attachment="").count() == 1
    docs = DeclarationDocument.objects.filter(declaration__enterprise=ent).exclude(file="")
    assert docs.count() == 9 and set(docs.values_list("edoc_code", flat=True)) == {"00000001", "00000002", "00000003"}
    assert all(d.file.storage.exists(d.file.name) for d in docs)
    create_demo(say=lambda _: None)  # idempotent
    assert Licence.objects.count() == 3 and Certificate.objects.count() == 3 and docs.count() == 9
