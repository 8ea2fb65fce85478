"""Stored file names never come from the user: a generated name under the enterprise's folder."""

from __future__ import annotations

import re
from types import SimpleNamespace

from guanwu.core.uploads import tenant_upload_path
from guanwu.datacenter.licences.models import certificate_upload_to
from guanwu.datacenter.qualifications.models import upload_to


def test_the_stored_name_is_generated_under_the_enterprise_folder():
    owner = SimpleNamespace(enterprise_id=7)
    path = tenant_upload_path("certificates", owner, "../../etc/原产地证 2024.PDF")
    assert re.fullmatch(r"certificates/7/[0-9a-f]{32}\.pdf", path), path
    assert tenant_upload_path("x", owner, "no-suffix").endswith(".bin")
    assert tenant_upload_path("x", owner, "a.pdf") != tenant_upload_path("x", owner, "a.pdf")


def test_certificates_and_qualifications_use_their_own_folders():
    owner = SimpleNamespace(enterprise_id=3)
    assert certificate_upload_to(owner, "c.png").startswith("certificates/3/")
    assert upload_to(owner, "q.ofd").startswith("qualifications/3/")
