import io
from datetime import timedelta

import pytest
import xlsxwriter
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from guanwu.core.errors import Forbidden, ServiceError
from guanwu.imports import reader, services
from guanwu.imports.pipeline import validate
from guanwu.imports.spec import Column, ImportSpec
from guanwu.imports.template import build_template
from guanwu.jobs import services as jobs
from guanwu.jobs.models import Job, JobStatus
from guanwu.tenancy.models import Membership

User = get_user_model()
HEADERS = ["*用户名", "姓名", "*角色", "初始密码"]


def xlsx(rows, headers=HEADERS) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    wb.close()
    return out.getvalue()


def upload(data: bytes, name="members.xlsx"):
    return SimpleUploadedFile(name, data)


def run(actor, data, mode, capture):
    with capture(execute=True):
        job = services.start_import(actor, "members", upload(data), mode)
    job.refresh_from_db()
    return job


MIXED = [
    ["li_si", "李四", "操作员", "Strong-pass-2024"],
    ["wang_wu", "王五", "管理员?", "Strong-pass-2024"],  # bad role
    ["zhao_liu", "赵六", "操作员", "Strong-pass-2024"],  # a password for a taken username (see taken_username)
    ["qian_qi", "钱七", "企业管理员", "Strong-pass-2024"],
]


def test_template_has_marked_headers_dropdowns_and_help(db):
    from guanwu.imports.spec import get_spec

    wb = load_workbook(io.BytesIO(build_template(get_spec("members"))))
    ws = wb["数据"]
    assert [c.value for c in ws[1]] == HEADERS
    validations = ws.data_validations.dataValidation
    assert any("C2" in str(v.sqref) for v in validations)
    assert wb["代码"].sheet_state == "hidden"
    assert [c.value for c in wb["代码"]["A"]] == ["企业管理员", "操作员"]
    assert wb["说明"]["A2"].value == "用户名"


def test_template_downloads_and_reads_back_empty(client_a):
    response = client_a.get("/imports/members/template.xlsx")
    assert response.status_code == 200
    sheet = reader.read(io.BytesIO(response.content))
    assert sheet.headers == ["用户名", "姓名", "角色", "初始密码"] and sheet.rows == []


TAKEN = "该用户名已被使用, 请换一个; 要邀请已有账号加入本企业, 请不要填写初始密码"


@pytest.fixture(autouse=True)
def taken_username(db):
    return User.objects.create_user(username="zhao_liu", password="Other-pass-2024")


def test_all_or_nothing_imports_nothing_when_a_row_is_wrong(actor_a, taken_username,
                                                            django_capture_on_commit_callbacks):
    job = run(actor_a, xlsx(MIXED), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "未导入任何数据" in job.message
    assert not User.objects.filter(username__in=["li_si", "qian_qi"]).exists()
    errors = {(e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert "不是有效选项" in errors[(3, "角色")]
    assert errors[(4, "用户名")] == TAKEN
    assert job.result["imported"] == 0 and job.failed == 2 and job.total == 4


def test_valid_only_imports_the_good_rows_and_reports_the_bad(actor_a, taken_username,
                                                              django_capture_on_commit_callbacks):
    job = run(actor_a, xlsx(MIXED), "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED
    assert job.message == "导入成功 2 行, 失败 2 行"
    roles = dict(Membership.objects.filter(enterprise=actor_a.enterprise).values_list("user__username", "role"))
    assert roles["li_si"] == "operator" and roles["qian_qi"] == "admin"
    assert "wang_wu" not in roles and "zhao_liu" not in roles
    # the error workbook holds the original rows and the reasons
    from django.core.files.storage import default_storage

    with default_storage.open(job.output_file, "rb") as fh:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(fh.read())).get_sheet_by_index(0).to_python()
    assert rows[0] == ["原行号", "用户名", "姓名", "角色", "初始密码", "错误信息"]
    assert [r[1] for r in rows[1:]] == ["wang_wu", "zhao_liu"]
    assert "角色" in rows[1][5] and rows[2][5] == f"用户名: {TAKEN}"


def test_duplicates_in_file_and_existing_members(actor_a, admin_a, django_capture_on_commit_callbacks):
    data = xlsx([["a_admin", "", "操作员", ""], ["new_one", "", "操作员", "Strong-pass-2024"],
                 ["new_one", "", "操作员", "Strong-pass-2024"]])
    job = run(actor_a, data, "valid_only", django_capture_on_commit_callbacks)
    messages = [e["message"] for e in job.result["error_sample"]]
    assert "用户 a_admin 已是本企业成员" in messages
    assert "文件中重复的用户名 new_one" in messages
    assert Membership.objects.filter(user__username="new_one").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01garbage-not-a-workbook" * 10, "文件无法读取"),
        (b"", "文件为空"),
        (b"PK\x03\x04broken zip", "文件无法读取"),
        # a picture renamed .xlsx: no NUL in its first 8 bytes, read as CSV before (issue 11, point 15)
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "文件不是 Excel 或 CSV 表格"),
    ],
)
def test_unreadable_files_are_refused_and_change_nothing(actor_a, data, message):
    with pytest.raises(ServiceError) as exc:
        services.start_import(actor_a, "members", upload(data), "all_or_nothing")
    assert message in exc.value.message
    assert not Job.objects.exists()


@override_settings(GUANWU_IMPORT_MAX_BYTES=100)
def test_oversize_file_is_refused(actor_a):
    with pytest.raises(ServiceError) as exc:
        services.start_import(actor_a, "members", upload(xlsx(MIXED)), "all_or_nothing")
    assert "文件超过" in exc.value.message
    assert not Job.objects.exists()


def test_missing_required_column_is_named(actor_a):
    with pytest.raises(ServiceError) as exc:
        services.start_import(actor_a, "members", upload(xlsx([["x"]], headers=["姓名"])), "all_or_nothing")
    assert "缺少必填列" in exc.value.message and "「用户名」" in exc.value.message


STRICT = ImportSpec(
    key="strict-test", title="严格模板", strict_headers=True, save=lambda actor, rows: len(rows),
    columns=[Column("备案号", "ems_no", required=True), Column("备案序号", "g_no", kind="int", required=True),
             Column("商品名称", "name")],
)


def test_strict_template_names_the_expected_header(actor_a):
    sheet = reader.read(io.BytesIO(xlsx([["B1", 1, "x"]], headers=["备案号", "备案序号", "名称"])))
    with pytest.raises(reader.FileError) as exc:
        validate(STRICT, actor_a, sheet)
    assert str(exc.value).startswith("第3列表头应为「商品名称」,实际为「名称」")
    swapped = reader.read(io.BytesIO(xlsx([["B1", 1, "x"]], headers=["备案序号", "备案号", "商品名称"])))
    with pytest.raises(reader.FileError, match="第1列表头应为「备案号」"):
        validate(STRICT, actor_a, swapped)


def test_code_columns_accept_codes_old_codes_and_dropdown_text(actor_a):
    spec = ImportSpec(key="codes-test", title="代码", save=lambda a, r: 0, columns=[
        Column("国别", "country", required=True, code_table="countries"),
        Column("数量", "qty", kind="decimal", decimal_places=2),
        Column("日期", "day", kind="date"),
    ])
    sheet = reader.read(io.BytesIO(xlsx(
        [["USA", "1,234.567", "2026-11-24"], ["502", "2", "20261124"], ["502 - 美国", "x", "2026-13-01"],
         ["XQX", "", ""]],
        headers=["*国别", "数量", "日期"])))
    result = validate(spec, actor_a, sheet)
    assert [r["country"] for r in result.valid_rows] == ["USA", "USA"]
    assert str(result.valid_rows[0]["qty"]) == "1234.57"
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(4, "数量")] == "应为数字"
    assert errors[(4, "日期")] == "日期格式应为 YYYY-MM-DD"
    assert errors[(5, "国别")] == "代码「XQX」不存在于参数表"


def test_csv_in_gbk_is_read(actor_a):
    data = "用户名,姓名,角色,初始密码\nzhou_ba,周八,操作员,Strong-pass-2024\n".encode("gb18030")
    sheet = reader.read(io.BytesIO(data))
    assert sheet.rows[0][1] == "周八"


def test_operator_cannot_import_members(operator_actor_a):
    with pytest.raises(Forbidden):
        services.start_import(operator_actor_a, "members", upload(xlsx(MIXED)), "valid_only")
    assert not Job.objects.exists()


def test_upload_page_shows_progress_and_errors(client_a, django_capture_on_commit_callbacks):
    page = client_a.get("/imports/members/")
    assert "下载模板" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post("/imports/members/", {"file": upload(xlsx(MIXED)), "mode": "valid_only"})
    assert response.status_code == 302
    result = client_a.get(response["Location"]).content.decode()
    assert "导入成功 2 行, 失败 2 行" in result and "下载错误文件" in result
    bad = client_a.post("/imports/members/", {"file": upload(b"\x00junk", "x.xlsx"), "mode": "valid_only"})
    assert bad.status_code == 400 and "文件无法读取" in bad.content.decode()


def test_job_api_and_error_file_are_tenant_scoped(actor_a, client_b, django_capture_on_commit_callbacks):
    job = run(actor_a, xlsx(MIXED), "valid_only", django_capture_on_commit_callbacks)
    assert client_b.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert client_b.get(f"/jobs/{job.pk}/errors.xlsx").status_code == 404
    assert client_b.get(f"/jobs/{job.pk}/").status_code == 404


def test_job_api_for_own_enterprise(client_a, actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, xlsx(MIXED), "valid_only", django_capture_on_commit_callbacks)
    body = client_a.get(f"/api/v1/jobs/{job.pk}").json()
    assert body["status"] == "succeeded" and body["percent"] == 100 and body["done"] == 2 and body["failed"] == 2
    assert body["error_file_url"] == f"/jobs/{job.pk}/errors.xlsx"
    assert client_a.get(body["error_file_url"]).status_code == 200


def test_import_api(client, admin_a, django_capture_on_commit_callbacks):
    from tests.conftest import PASSWORD

    token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/members", {"file": upload(xlsx(MIXED)), "mode": "valid_only"},
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 202
    assert client.get(f"/api/v1/jobs/{response.json()['id']}",
                      headers={"Authorization": f"Bearer {token}"}).json()["done"] == 2


def test_a_dead_workers_job_is_requeued_once_and_never_imports_twice(actor_a):
    data = xlsx([["sun_jiu", "孙九", "操作员", "Strong-pass-2024"]])
    job = services.start_import(actor_a, "members", upload(data), "all_or_nothing")  # on_commit not run: queued
    # the worker took it and died without a heartbeat for a while
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1,
                                         heartbeat_at=timezone.now() - timedelta(minutes=5))
    requeued = jobs.recover_stale()
    assert job.pk in requeued
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert Membership.objects.filter(user__username="sun_jiu").count() == 1
    # a second recovery pass finds nothing to do
    assert jobs.recover_stale() == []
    # and running the job again (e.g. a duplicated queue message) does not import again
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    jobs.run(job.pk)
    assert Membership.objects.filter(user__username="sun_jiu").count() == 1


def test_big_files_are_checked_by_the_job(actor_a, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "SYNC_CHECK_BYTES", 10)
    data = xlsx([["x"]], headers=["姓名"])
    job = run(actor_a, data, "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "缺少必填列" in job.message
    with pytest.raises(ServiceError, match="文件无法读取"):
        services.start_import(actor_a, "members", upload(b"\x00" * 50), "valid_only")


def test_bulk_insert_writes_rows_with_defaults(actor_a):
    from django.db import transaction

    from guanwu.audit.models import OperationLog
    from guanwu.imports import bulk

    with transaction.atomic():
        n = bulk.insert(OperationLog, [{"object_id": "1", "object_repr": "x", "action": "a"}] * 3,
                        enterprise=actor_a.enterprise, content_type_id=1, user=None)
    assert n == 3
    assert OperationLog.objects.filter(enterprise=actor_a.enterprise, action="a").count() == 3
    assert OperationLog.objects.filter(action="a").first().changes == {}


def test_single_sheet_import_refuses_an_empty_required_cell(actor_a):
    """A column marked required (* in the template) must be filled in every row: the row is
    refused with 必填项不能为空 on that column, whatever kind the column is; an empty row is skipped."""
    sheet = reader.read(io.BytesIO(xlsx(
        [["B1", 1, "甲"], ["", 2, "乙"], ["B3", "", "丙"], ["  ", None, "丁"], [None, None, None], ["B6", 6, ""]],
        headers=["*备案号", "*备案序号", "商品名称"])))
    result = validate(STRICT, actor_a, sheet)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "备案号", "必填项不能为空"), (4, "备案序号", "必填项不能为空"),
        (5, "备案号", "必填项不能为空"), (5, "备案序号", "必填项不能为空"),
    ]
    assert [r["ems_no"] for r in result.valid_rows] == ["B1", "B6"]  # 商品名称 is optional
    assert result.total == 5 and result.bad_count == 3


def test_a_number_too_large_for_its_column_is_refused(actor_a):
    """A decimal column holds ``max_digits - decimal_places`` digits before the point (the
    database column's size): a larger number is refused in the row, never sent to the database."""
    spec = ImportSpec(key="digits-test", title="数字", save=lambda a, r: 0, columns=[
        Column("数量", "qty", kind="decimal", max_digits=10, decimal_places=2),
    ])
    sheet = reader.read(io.BytesIO(xlsx(
        [["99999999.99"], ["100000000"], ["-100000000"], ["123456789012"]], headers=["数量"])))
    result = validate(spec, actor_a, sheet)
    assert [str(r["qty"]) for r in result.valid_rows] == ["99999999.99"]
    assert [(e.row, e.message) for e in result.errors] == [(3, "数值过大"), (4, "数值过大"), (5, "数值过大")]


def test_an_integer_too_large_for_a_database_integer_is_refused(actor_a):
    """An integer cell holds at most 2,147,483,647 (PostgreSQL's integer column; SQLite would take
    any 64-bit number): a larger one is refused in the row on every database, never sent to it."""
    spec = ImportSpec(key="int-digits-test", title="件数", save=lambda a, r: 0, columns=[
        Column("件数", "pack_no", kind="int"),
    ])
    sheet = reader.read(io.BytesIO(xlsx(
        [[2147483647], ["2147483648"], [99999999999], ["-2147483648"]], headers=["件数"])))
    result = validate(spec, actor_a, sheet)
    assert [r["pack_no"] for r in result.valid_rows] == [2147483647]
    assert [(e.row, e.message) for e in result.errors] == [(3, "数值过大"), (4, "数值过大"), (5, "数值过大")]


def test_an_integer_column_of_a_record_field_takes_that_field_s_bound(actor_a):
    """A column built from a record field (``column_of``) keeps the bound of the field's model
    column: 32,767 for a small integer, 15 digits for a big one."""
    from django.db import models

    from guanwu.core.fields import Field
    from guanwu.imports.spec import column_of

    small = column_of(Field.from_model(models.SmallIntegerField(name="level", verbose_name="级别")))
    big = column_of(Field.from_model(models.BigIntegerField(name="serial", verbose_name="序号")))
    spec = ImportSpec(key="int-bound-of-field-test", title="界限", save=lambda a, r: 0, columns=[small, big])
    sheet = reader.read(io.BytesIO(xlsx([[32767, 3000000000], [40000, 1]], headers=["级别", "序号"])))
    result = validate(spec, actor_a, sheet)
    assert [(r["level"], r["serial"]) for r in result.valid_rows] == [(32767, 3000000000)]
    assert [(e.row, e.message) for e in result.errors] == [(3, "数值过大")]
