"""客户导入 through the shared Excel pipeline: template, per-row service checks, both modes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from guanwu.datacenter.customers.models import Customer, CustomerStatus
from guanwu.imports import services as imports
from guanwu.jobs.models import JobStatus
from tests.datacenter.customers.factories import scc

pytestmark = pytest.mark.django_db

HEADERS = ["*客户名称", "社会信用代码", "检验检疫代码", "海关编码", "联系方式", "联系人", "公司地址", "所属国",
           "邮政编码", "备注", "E-MAIL"]


def workbook(rows: list[list[str]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("customers.xlsx", out.getvalue())


def row(n: int, **changes: str) -> list[str]:
    values = {"name": f"导入客户{n}", "scc": scc(n), "ciq_code": "", "customs_code": f"6101{n:06d}",
              "phone": "029-1", "contact": "张伟", "address": "西安", "country": "CHN - 中国", "postcode": "710016",
              "note": "", "email": ""}
    values.update(changes)
    return list(values.values())


def run(actor, upload, mode, capture):
    with capture(execute=True):
        job = imports.start_import(actor, "customers", upload, mode)
    job.refresh_from_db()
    return job


def test_template_has_the_customer_columns(client_a):
    response = client_a.get("/imports/customers/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["数据"][1]] == HEADERS


def test_valid_rows_only_imports_good_rows_and_names_bad_cells(actor_a, django_capture_on_commit_callbacks):
    bad_check = scc(2)[:17] + ("0" if scc(2)[17] != "0" else "1")
    upload = workbook([row(1), row(2, scc=bad_check), row(3, customs_code="6101000001"), row(4, country="XXX")])
    job = run(actor_a, upload, "valid_only", django_capture_on_commit_callbacks)
    assert job.result["imported"] == 1
    customer = Customer.objects.get()
    assert customer.name == "导入客户1" and customer.status == CustomerStatus.PENDING and customer.code == "CU1000001"
    errors = {(e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert "校验位错误" in errors[(3, "社会信用代码")]
    assert "已被客户" in errors[(4, "海关编码")]  # the duplicate of row 2 in the same file
    assert (5, "所属国") in errors


def test_all_or_nothing_imports_nothing_on_an_error(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, workbook([row(1), row(2, name="")]), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and not Customer.objects.exists()
    job = run(actor_a, workbook([row(1), row(2)]), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.result["imported"] == 2 and Customer.objects.count() == 2
