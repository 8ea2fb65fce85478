"""The commodity library import: rows whose 商品编号 is missing or not in the tariff get a
建议商品编号 column in the error workbook and a hint on screen; other rows get none."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from python_calamine import CalamineWorkbook

from guanwu.datacenter.commodities.models import Commodity
from guanwu.jobs.models import JobStatus
from tests.datacenter.commodities.test_imports import COMMODITY_HEADERS, row, run, xlsx

pytestmark = pytest.mark.django_db


def test_error_workbook_suggests_codes_for_missing_and_unknown_codes(actor_a, django_capture_on_commit_callbacks):
    rows = [
        row(),  # valid
        row(code_ts="", g_name="男士纯棉针织圆领T恤", g_model=""),  # code missing
        row(code_ts="9999999999", g_name="锂电池充电宝", g_model=""),  # code not in the tariff
        row(g_name="棉制针织背心", g_model="1|0|针织"),  # a wrong element count: no code hint
    ]
    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, rows), "all_or_nothing",
              django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and not Commodity.objects.exists()
    hints = {e["row"]: e.get("hint", "") for e in job.result["error_sample"] if e["column"] == "商品编号"}
    assert hints[3].startswith("6109100021 其他棉制针织或钩编男式T恤衫")
    assert hints[4].startswith("8507600090")
    with default_storage.open(job.output_file, "rb") as fh:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(fh.read())).get_sheet_by_index(0).to_python()
    header = sheet[0]
    assert header[-1] == "建议商品编号" and header[-2] == "错误信息"
    by_row = {int(r[0]): r for r in sheet[1:]}
    assert set(by_row) == {3, 4, 5}
    assert by_row[3][-1].startswith("6109100021") and by_row[3][-1].count(";") == 2  # three codes
    assert by_row[4][-1].startswith("8507600090")
    assert by_row[5][-1] == ""  # its error is in the 申报要素, not the code
