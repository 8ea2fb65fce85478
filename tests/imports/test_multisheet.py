"""The shared pipeline with child sheets (a main sheet and detail sheets tied by a link column)
and with per-record saves (``save_each``), on a made-up 订单 import."""

import io

import pytest
import xlsxwriter
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from guanwu.audit.models import OperationLog
from guanwu.core.errors import FieldError, ServiceError
from guanwu.imports import bulk, reader, services
from guanwu.imports.pipeline import Unit, locate, validate_book
from guanwu.imports.spec import Column, ImportSpec, SheetSpec, register
from guanwu.imports.template import build_template
from guanwu.jobs import services as jobs
from guanwu.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def save_order(actor, order: dict) -> None:
    """Refuses like a service would (paths into the record); else writes one log row per line."""
    problems = [FieldError(f"lines[{i}].qty", f"第{i + 1}行数量不能超过 10") for i, line in
                enumerate(order["lines"]) if (line["qty"] or 0) > 10]
    if order["customer"] == "坏客户":
        problems.append(FieldError("customer", "客户已停用"))
    if order["customer"] == "无名":
        problems.append(FieldError("region", "区域不能为空"))
    if problems:
        raise ServiceError.fields(problems)
    with transaction.atomic():
        bulk.insert(OperationLog, [{"object_id": order["customer"], "object_repr": line["name"], "action": "订单"}
                                   for line in order["lines"]], enterprise=actor.enterprise, content_type_id=1,
                    user=None)


ORDERS = register(ImportSpec(
    key="orders-test", title="订单", sheet_name="订单", unit="份订单",
    columns=[Column("客户", "customer", required=True), Column("日期", "day", kind="date")],
    children=[
        SheetSpec("lines", "明细", link="订单号", title="明细行", min_rows=1, columns=[
            Column("品名", "name", required=True), Column("数量", "qty", kind="int"),
            Column("单位", "unit", choices=[("kg", "千克"), ("pcs", "个")]),
        ]),
        SheetSpec("notes", "备注", link="订单号", columns=[Column("内容", "text")]),
    ],
    save_each=save_order,
    field_label=lambda path: {"region": "区域"}.get(path, ""),
))

HEADERS = {
    "订单": ["*订单号", "*客户", "日期"], "明细": ["*订单号", "*品名", "数量", "单位"], "备注": ["*订单号", "内容"],
}


def xlsx(orders, lines, notes=(), sheets=("订单", "明细", "备注")) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    for name, rows in (("订单", orders), ("明细", lines), ("备注", notes)):
        if name in sheets:
            ws = wb.add_worksheet(name)
            ws.write_row(0, 0, HEADERS[name])
            for r, row in enumerate(rows, start=1):
                ws.write_row(r, 0, row)
    wb.close()
    return out.getvalue()


def book(data: bytes) -> dict:
    return reader.read_book(io.BytesIO(data), ["订单", "明细", "备注"])


def run(actor, data, mode, capture) -> Job:
    with capture(execute=True):
        job = services.start_import(actor, "orders-test", SimpleUploadedFile("o.xlsx", data), mode)
    job.refresh_from_db()
    return job


def logged() -> list[tuple[str, str]]:
    return list(OperationLog.objects.filter(action="订单").order_by("id").values_list("object_id", "object_repr"))


def test_records_group_child_rows_by_link_in_file_order(actor_a):
    data = xlsx([[1, "甲"], ["2", "乙"]], [[2, "螺母", 3], [1, "螺栓", 5, "个"], [1.0, "垫片", 1]], [[1, "加急"]])
    result = validate_book(ORDERS, actor_a, book(data))
    assert result.errors == [] and result.total == 2
    first, second = result.units()
    assert first.values == {
        "customer": "甲", "day": None,
        "lines": [{"name": "螺栓", "qty": 5, "unit": "pcs"}, {"name": "垫片", "qty": 1, "unit": None}],
        "notes": [{"text": "加急"}],
    }
    assert first.child_rows == {"lines": [3, 4], "notes": [2]} and second.child_rows == {"lines": [2], "notes": []}


def test_link_errors_each_record_fails_whole(actor_a):
    data = xlsx(
        [[1, "甲"], [2, "乙"], [2, "丙"], [3, ""], [4, "丁"], ["", "戊"]],
        [[1, "螺栓", "x"], [2, "螺母", 1], [7, "垫片", 1], ["", "无号", 1], [3, "弹簧", 1]],
    )
    result = validate_book(ORDERS, actor_a, book(data))
    errors = [(e.sheet, e.row, e.column, e.message) for e in result.errors]
    assert errors == [
        ("订单", 3, "订单号", "订单号「2」在订单中重复(第3、4行)"),
        ("订单", 4, "订单号", "订单号「2」在订单中重复(第3、4行)"),
        ("订单", 5, "客户", "必填项不能为空"),
        ("订单", 6, "订单号", "明细中没有订单号为「4」的明细行"),
        ("订单", 7, "订单号", "必填项不能为空"),
        ("明细", 2, "数量", "应为整数"),
        ("明细", 4, "订单号", "订单中没有订单号为「7」的行, 无法对应到订单"),
        ("明细", 5, "订单号", "必填项不能为空"),
    ]
    assert result.units() == [] and result.bad_count == 6 and result.unlinked == {"明细": 2}
    # every row of a bad record is kept for the error workbook
    assert sorted(result.bad_rows["订单"]) == [2, 3, 4, 5, 6, 7]
    assert sorted(result.bad_rows["明细"]) == [2, 3, 4, 5, 6]


def test_locate_places_service_errors_by_path(actor_a):
    unit = Unit(row=5, values={}, key="1", child_rows={"lines": [3, 8], "notes": []})
    exc = ServiceError.fields([
        FieldError("lines[1].qty", "数量过大"), FieldError("lines[0]", "整行有误"), FieldError("customer", "停用"),
        FieldError("region", "区域不能为空"), FieldError("lines", "明细太多"), FieldError("lines[5].qty", "越界"),
        FieldError("", "整单有误"),
    ])
    placed = [(e.sheet, e.row, e.column, e.message) for e in locate(ORDERS, unit, exc)]
    assert placed == [
        ("明细", 8, "数量", "数量过大"), ("明细", 3, "", "整行有误"), ("订单", 5, "客户", "停用"),
        ("订单", 5, "区域", "区域不能为空"), ("订单", 5, "", "明细太多"), ("订单", 5, "", "越界"),
        ("订单", 5, "", "整单有误"),
    ]
    plain = locate(ORDERS, unit, ServiceError("没有权限"))
    assert [(e.sheet, e.row, e.message) for e in plain] == [("订单", 5, "没有权限")]


ORDERS_FILE = [[1, "甲"], [2, "乙"], [3, "坏客户"]], [[1, "螺栓", 5], [2, "螺母", 3], [2, "垫片", 30], [3, "弹簧", 1]]


def test_valid_only_saves_the_good_records_and_reports_service_errors(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, xlsx(*ORDERS_FILE), "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED
    assert job.message == "导入成功 1 份订单, 失败 2 份订单"
    assert (job.total, job.done, job.failed) == (3, 1, 2)
    assert logged() == [("甲", "螺栓")]
    assert job.result["error_sample"] == [
        {"sheet": "订单", "row": 4, "column": "客户", "message": "客户已停用"},
        {"sheet": "明细", "row": 4, "column": "数量", "message": "第2行数量不能超过 10"},
    ]
    with default_storage.open(job.output_file, "rb") as fh:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    assert wb.sheet_names == ["订单", "明细", "备注"]
    orders, lines = (wb.get_sheet_by_name(n).to_python() for n in ("订单", "明细"))
    assert orders[0] == ["原行号", "订单号", "客户", "日期", "错误信息"]
    assert [r[0] for r in orders[1:]] == [3, 4] and orders[2][4] == "客户: 客户已停用"
    assert [r[0] for r in lines[1:]] == [3, 4, 5] and lines[2][-1] == "数量: 第2行数量不能超过 10"


def test_all_or_nothing_rolls_back_and_reports_every_error(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, xlsx(*ORDERS_FILE), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.message == "发现 2 份订单有错误, 按「全部正确才导入」未导入任何数据。请下载错误文件修改后重新导入"
    assert logged() == [] and job.done == 0
    assert len(job.result["error_sample"]) == 2


def test_all_or_nothing_saves_all_when_all_pass(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, xlsx([[1, "甲"], [2, "乙"]], [[2, "螺母", 3], [1, "螺栓", 5]]), "all_or_nothing",
              django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED and job.message == "导入成功 2 份订单"
    assert logged() == [("甲", "螺栓"), ("乙", "螺母")]  # in 订单 order
    assert not job.output_file


def test_a_rerun_neither_saves_twice_nor_loses_the_errors(actor_a):
    job = services.start_import(actor_a, "orders-test", SimpleUploadedFile("o.xlsx", xlsx(*ORDERS_FILE)),
                                "valid_only")  # queued, on_commit not run
    jobs.run(job.pk)
    job.refresh_from_db()
    first = (job.message, job.result["error_sample"])
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert logged() == [("甲", "螺栓")]
    assert (job.message, job.result["error_sample"]) == first


def test_missing_sheet_csv_and_headers_name_the_sheet(actor_a):
    def refused(data: bytes) -> str:
        with pytest.raises(ServiceError) as exc:
            services.start_import(actor_a, "orders-test", SimpleUploadedFile("o.xlsx", data), "valid_only")
        return exc.value.message

    assert refused(xlsx([[1, "甲"]], [], sheets=("订单", "备注"))).startswith(
        "文件中缺少工作表「明细」。本导入需要工作表「订单」、「明细」、「备注」")
    assert refused("订单号,客户\n1,甲\n".encode()).startswith("CSV 文件只有一个工作表")
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet("订单").write_row(0, 0, ["订单号", "客户"])
    wb.add_worksheet("明细").write_row(0, 0, ["品名"])
    wb.add_worksheet("备注").write_row(0, 0, ["订单号", "内容"])
    wb.close()
    assert refused(out.getvalue()).startswith("工作表「明细」缺少必填列: 「订单号」")
    empty = io.BytesIO()
    wb = xlsxwriter.Workbook(empty, {"in_memory": True})
    for name in ("订单", "明细", "备注"):
        wb.add_worksheet(name).write_row(0, 0, HEADERS[name] if name != "备注" else [])
    wb.close()
    assert refused(empty.getvalue()) == "工作表「备注」中没有表头, 请使用下载的模板"
    assert not Job.objects.exists()


def test_template_has_a_sheet_per_part_with_link_marks_and_dropdowns(db):
    wb = load_workbook(io.BytesIO(build_template(ORDERS)))
    assert wb.sheetnames == ["订单", "明细", "备注", "代码", "说明"]
    assert [c.value for c in wb["订单"][1]] == HEADERS["订单"]
    assert [c.value for c in wb["明细"][1]] == HEADERS["明细"]
    assert [str(v.sqref) for v in wb["明细"].data_validations.dataValidation] == ["D2:D5000"]
    assert wb["明细"].column_dimensions["A"].number_format == "@"
    intro = " ".join(str(r[0].value) for r in wb["说明"].iter_rows(max_row=4))
    assert "「明细」每行是一条明细行, 在「订单号」列填写所属订单在「订单」中的订单号" in intro


def single_save_each(actor, row: dict) -> None:
    if row["name"] == "坏":
        raise ServiceError.fields([FieldError("name", "名称不可用")])
    bulk.insert(OperationLog, [{"object_id": row["name"], "object_repr": "", "action": "订单"}],
                enterprise=actor.enterprise, content_type_id=1, user=None)


register(ImportSpec(key="single-each-test", title="单表", save_each=single_save_each,
                    columns=[Column("名称", "name", required=True)]))


def test_save_each_on_a_single_sheet(actor_a, django_capture_on_commit_callbacks):
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("数据")
    for r, row in enumerate([["名称"], ["好"], ["坏"]]):
        ws.write_row(r, 0, row)
    wb.close()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(actor_a, "single-each-test", SimpleUploadedFile("s.xlsx", out.getvalue()),
                                    "valid_only")
    job.refresh_from_db()
    assert job.message == "导入成功 1 行, 失败 1 行"
    assert job.result["error_sample"] == [{"row": 3, "column": "名称", "message": "名称不可用"}]
    assert logged() == [("好", "")]
    with default_storage.open(job.output_file, "rb") as fh:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(fh.read())).get_sheet_by_index(0).to_python()
    assert rows[1] == [3.0, "坏", "名称: 名称不可用"]


def test_a_spec_needs_a_save_and_children_need_a_link():
    with pytest.raises(ValueError, match="needs save"):
        ImportSpec(key="x", title="x", columns=[])
    with pytest.raises(ValueError, match="link"):
        ImportSpec(key="x", title="x", columns=[], save=lambda a, r: 0,
                   children=[SheetSpec("lines", "明细", columns=[])])
