"""导入订单 / 清单导入 / 汇总申请单导入 through the shared Excel pipeline: 表头 and 表体 sheets with
the CEB Chinese headers, the 商品批次号 given with the upload, errors on sheet/row/column, all or
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from guanwu.core.errors import ServiceError
from guanwu.crossborder.models import Batch, ExportList, Order, OrderLine
from guanwu.imports import services as imports
from guanwu.imports.spec import get_spec
from guanwu.imports.template import build_filled, build_template
from guanwu.jobs.models import JobStatus

from .factories import BATCH_NO, list_data, make_order, order_data, set_up

pytestmark = pytest.mark.django_db
KEY = "crossborder-orders-9710"


def _records(n: int = 2) -> list[dict]:
    out = []
    for i in range(1, n + 1):
        data = order_data(f"SO{i:05d}")
        data.pop("batch_no")
        out.append(data)
    return out


def _run(actor, key: str, content: bytes, capture, mode: str = "all_or_nothing", **values):
    with capture(execute=True):
        job = imports.start_import(actor, key, SimpleUploadedFile("f.xlsx", content), mode,
                                   {"batch_no": BATCH_NO, **values})
    job.refresh_from_db()
    return job


def test_order_template_has_head_and_body_sheets_with_ceb_headers():
    wb = load_workbook(io.BytesIO(build_template(get_spec(KEY))))
    assert wb.sheetnames[:2] == ["表头", "表体"]
    head = [c.value for c in wb["表头"][1]]
    body = [c.value for c in wb["表体"][1]]
    assert head[:4] == ["*订单序号", "*订单编号", "*电商平台代码", "*电商平台名称"] and "*币制" in head
    assert body[:3] == ["*订单序号", "序号", "*企业商品货号"] and "*计量单位" in body
    w_head = [c.value for c in load_workbook(io.BytesIO(build_template(get_spec("crossborder-orders-9810"))))[
        "表头"][1]]
    assert "*订仓单编号" in w_head and "*海外仓名称" in w_head and "海外仓所在国(地区)" in w_head


def test_orders_import_with_batch_number_round_trip(actor_a, django_capture_on_commit_callbacks):
    set_up(actor_a)
    content = build_filled(get_spec(KEY), _records(3))
    job = _run(actor_a, KEY, content, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert Order.objects.filter(batch__batch_no=BATCH_NO, order_type="B").count() == 3
    assert OrderLine.objects.count() == 6
    order = Order.objects.get(order_no="SO00002")
    assert order.goods_value == 50 and order.ebc_code == actor_a.enterprise.customs_code
    assert [x.g_num for x in order.lines.all()] == [1, 2]
    # the same file again: every order already exists, nothing imported
    again = _run(actor_a, KEY, content, django_capture_on_commit_callbacks)
    assert again.status == JobStatus.FAILED
    assert any("已存在" in e["message"] for e in again.result["error_sample"])
    assert Order.objects.count() == 3


def test_batch_number_checked_at_upload_naming_the_part(actor_a):
    set_up(actor_a)
    content = build_filled(get_spec(KEY), _records(1))
    with pytest.raises(ServiceError) as exc:
        imports.start_import(actor_a, KEY, SimpleUploadedFile("f.xlsx", content), "all_or_nothing",
                             {"batch_no": "SF20241332XAYH01"})
    assert "日期" in exc.value.message and exc.value.errors[0].field == "batch_no"
    with pytest.raises(ServiceError, match="商品批次号"):
        imports.start_import(actor_a, KEY, SimpleUploadedFile("f.xlsx", content), "all_or_nothing", {})
    assert not Batch.objects.exists()


def test_errors_name_sheet_row_and_column_and_nothing_is_imported(actor_a, django_capture_on_commit_callbacks):
    set_up(actor_a)
    records = _records(3)
    records[1]["currency"] = "XYZ"  # 表头 row 3
    records[2]["lines"][1]["unit"] = "999"  # 表体 row 7 (2 lines each: rows 2-7)
    records[2]["lines"][0]["g_num"] = 2  # duplicate 序号 with the second line
    content = build_filled(get_spec(KEY), records)
    job = _run(actor_a, KEY, content, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert "不在参数表中" in errors[("表头", 3, "币制")]
    assert "不在参数表中" in errors[("表体", 7, "计量单位")]
    assert "重复" in errors[("表体", 7, "序号")] or "重复" in errors.get(("表体", 6, "序号"), "")
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0


def test_lists_import_with_export_date_links_orders(actor_a, django_capture_on_commit_callbacks):
    make_order(actor_a, "SO00001")
    make_order(actor_a, "SO00002")
    records = []
    for i in (1, 2):
        data = list_data(f"SO0000{i}", f"SF10000000{i}")
        for key in ("batch_no", "ie_date"):
            data.pop(key)
        records.append(data)
    records.append({**records[0], "order_no": "NOPE", "logistics_no": "SF999"})
    content = build_filled(get_spec("crossborder-lists"), records)
    job = _run(actor_a, "crossborder-lists", content, django_capture_on_commit_callbacks, ie_date="2024-09-20")
    assert job.status == JobStatus.FAILED
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert "不存在" in errors[("表头", 4, "订单编号")]
    assert ExportList.objects.count() == 0
    content = build_filled(get_spec("crossborder-lists"), records[:2])
    job = _run(actor_a, "crossborder-lists", content, django_capture_on_commit_callbacks, ie_date="2024-09-20")
    assert job.status == JobStatus.SUCCEEDED, job.message
    rows = list(ExportList.objects.order_by("order_no"))
    assert [r.order.order_no for r in rows] == ["SO00001", "SO00002"]
    assert all(r.ie_date.isoformat() == "2024-09-20" and r.trade_mode == "9710" and r.waybill_id for r in rows)
    assert all(r.batch.batch_no == BATCH_NO for r in rows)


def test_summary_import_needs_released_lists_of_the_enterprise(actor_a, django_capture_on_commit_callbacks):
    from guanwu.crossborder.models import Summary

    from .test_flow import _released_list

    row = _released_list(actor_a)
    records = [{"lines": [{"invt_no": row.invt_no}]}, {"lines": [{"invt_no": "90012024E999999999"}]}]
    spec = get_spec("crossborder-summaries")
    job = _run(actor_a, spec.key, build_filled(spec, records), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert "不是本企业的出口清单" in errors[("表体", 3, "清单编号")]
    job = _run(actor_a, spec.key, build_filled(spec, records[:1]), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED, job.message
    summary = Summary.objects.get()
    assert summary.lines.get().export_list_id == row.pk and summary.batch.batch_no == BATCH_NO
    assert summary.ebc_code == row.ebc_code and summary.customs_code == "9001"
