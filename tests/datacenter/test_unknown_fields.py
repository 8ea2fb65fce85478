"""Bad input changes nothing: a body key the record does not have is refused by name."""

from __future__ import annotations

import json

import pytest

from guanwu.audit.models import OperationLog
from guanwu.datacenter.commodities.models import Commodity

pytestmark = pytest.mark.django_db


PATHS = ["/api/v1/commodities", "/api/v1/bonded-items", "/api/v1/customers", "/api/v1/licences",
         "/api/v1/certificates", "/api/v1/qualifications"]


@pytest.mark.parametrize("path", PATHS)
def test_a_body_with_an_unknown_key_is_refused_and_nothing_is_written(client_a, path):
    body = {"code_ts": "6109100010", "g_name": "棉制针织T恤衫", "ie_flag": "E", "g_nmae": "拼错的字段"}
    logged = OperationLog.objects.count()
    response = client_a.post(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["detail"] and any("g_nmae" in e["field"] and e["message"] == "不允许的字段" for e in answer["errors"])
    assert not Commodity.objects.exists()
    assert OperationLog.objects.count() == logged  # nothing was written, so nothing logged
    listed = client_a.get(path)
    assert listed.status_code == 200 and "拼错的字段" not in listed.content.decode()
