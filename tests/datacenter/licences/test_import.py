"""许可证导入 through the shared Excel pipeline: 许可证 and 商品 sheets tied by 许可证序号."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from guanwu.datacenter.licences.models import Licence
from guanwu.imports import services as imports

pytestmark = pytest.mark.django_db


def filled_template(client_a, heads: list[list], lines: list[list]) -> SimpleUploadedFile:
    response = client_a.get("/imports/licences/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["许可证"][1]][:3] == ["*许可证序号", "*许可证编号", "监管证件代码"]
    assert [c.value for c in wb["商品"][1]] == ["*许可证序号", "*商品编号", "商品名称", "*许可数量", "计量单位"]
    for row in heads:
        wb["许可证"].append(row)
    for row in lines:
        wb["商品"].append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("licences.xlsx", out.getvalue())


def test_import_valid_licences_only_and_place_errors(client_a, actor_a, django_capture_on_commit_callbacks):
    heads = [
        [1, "24-O6-100231", "O - 自动进口许可证(新旧机电产品)", None, "甲企业", "6101930001", "陕西省商务厅",
         "2024-01-01", "2099-12-31", None],
        [2, "24-AA-300817", "7", None, "甲企业", None, None, "2024-01-01", "2099-12-31", None],
    ]
    lines = [
        [1, "8426200000", None, 5, "001 - 台"],
        [2, "0202300090", "冻去骨牛肉", 60000, None],
        [2, "0202200090", None, -1, None],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_import(actor_a, "licences", filled_template(client_a, heads, lines), "valid_only")
    job.refresh_from_db()
    assert job.result["imported"] == 1
    licence = Licence.objects.get()
    assert licence.licence_no == "24-O6-100231" and licence.lines.get().g_name == "塔式起重机"
    errors = {(e.get("sheet"), e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert any(key[0] == "商品" and key[2] == "许可数量" and "大于0" in msg for key, msg in errors.items())
