"""The customs side (seed 3: 文件上传时系统根据相应规则进行校验 ... 并可对已上传文件进行查询、导出) and
the simulator's monthly review (issue 17 §1). Each rule's source is in ``standards/services/reviews.py``."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden, ServiceError
from guanwu.standards.models import MonthlyMessage, ReviewedRow, ReviewUpload, UploadSource, UploadStatus
from guanwu.standards.services import monthly, reviews

from .helpers import CHLORINE, CHLORINE_OK, COFFEE, COFFEE_OK, publish, raw, released, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("customs", password="x-pass-1", is_staff=True)


def row(ent, **changes):
    r = raw(ent, **changes)
    return [r[c.name] for c in reviews.COLUMNS]


def test_good_file_publishes_rows_messages_and_log(staff, ent_a):
    content = xlsx([row(ent_a), row(ent_a, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK, conclusion="不规范",
                                    reasons="产区:应申报到县级；品种:不具体", ie_flag="进口")])
    up = reviews.upload(staff, "十月审核.xlsx", content)
    assert (up.status, up.row_count, up.standard_count, up.nonstandard_count) == ("accepted", 2, 1, 1)
    bad = ReviewedRow.objects.get(upload=up, conclusion="nonstandard")
    assert bad.reasons == [["产区", "应申报到县级"], ["品种", "不具体"]] and bad.ie_flag == "I"
    message = MonthlyMessage.objects.get(enterprise=ent_a)
    assert (message.as_agent_count, message.as_owner_count, message.nonstandard_count) == (2, 0, 1)
    assert OperationLog.objects.filter(action="上传海关审核数据", user=staff).count() == 1
    assert OperationLog.objects.filter(action="推送企业消息", enterprise=ent_a).count() == 1


@pytest.mark.parametrize(("changes", "error"), [
    ({"code_ts": "28011"}, "商品编码“28011”应为10位数字"),
    ({"code_ts": "9999999999"}, "商品编号9999999999在2026-10-06的税则中不存在"),
    ({"g_model": "0|0|氯"}, "申报要素个数与2026-10-06的规范申报目录不符"),
    ({"conclusion": "合格"}, "审核结论“合格”应为 规范 或 不规范"),
    ({"conclusion": "不规范"}, "审核结论为不规范时应填写不规范原因"),
    ({"conclusion": "不规范", "reasons": "颜色:未申报"}, "不规范原因中的要素“颜色”不是商品编码2801100000的申报要素"),
    ({"trade_mode": "9999"}, "监管方式“9999”不在监管方式代码表中"),
    ({"ie_flag": "X"}, "进出口标志“X”应为 I(进口) 或 E(出口)"),
    ({"agent": "", "trade": ""}, "海关编码和社会信用代码至少填写一项"),
    ({"day": "2026-13-40"}, "申报日期为空或格式不正确"),
    ({"g_name": ""}, "商品名称不能为空"),
])
def test_each_rule_reports_the_row_and_writes_no_row(staff, ent_a, changes, error):
    agent = changes.pop("agent", None)
    base = row(ent_a, **changes)
    if agent is not None:
        base[6] = agent
    up = reviews.upload(staff, "bad.xlsx", xlsx([row(ent_a), base]))
    assert up.status == UploadStatus.REJECTED and up.rejected_count == 1
    assert up.report[0]["row"] == 3 and any(error in e for e in up.report[0]["errors"]), up.report
    assert ReviewedRow.objects.count() == 0 and MonthlyMessage.objects.count() == 0


def test_catalog_of_the_declaration_date_is_used(staff, ent_a):
    """The element count is checked against the catalog in force on 申报日期 (params as_of)."""
    row_, errors = reviews.check_row(raw(ent_a, day=dt.date(2019, 1, 1)))
    assert row_ is not None and not errors  # before the first tariff: the earliest one answers


def test_malformed_file_is_refused_before_anything(staff):
    with pytest.raises(ServiceError, match="文件不是有效的 Excel 工作簿"):
        reviews.upload(staff, "x.xlsx", b"not a workbook")
    with pytest.raises(ServiceError, match="文件缺少必填列: 商品编码、审核结论"):
        reviews.upload(staff, "x.xlsx", xlsx([["a"]], header=[c.label for c in reviews.COLUMNS
                                                            if c.label not in ("商品编码", "审核结论")]))
    with pytest.raises(ServiceError, match="文件没有数据行"):
        reviews.upload(staff, "x.xlsx", xlsx([]))
    assert ReviewUpload.objects.count() == 0


def test_only_staff(admin_a):
    with pytest.raises(Forbidden, match="仅平台海关人员"):
        reviews.upload(admin_a, "x.xlsx", xlsx([]))
    with pytest.raises(Forbidden):
        reviews.list_uploads(admin_a)


def test_list_and_export(staff, ent_a):
    good = reviews.upload(staff, "good.xlsx", xlsx([row(ent_a)]))
    bad = reviews.upload(staff, "bad.xlsx", xlsx([row(ent_a, code_ts="1")]))
    assert list(reviews.list_uploads(staff, status="rejected")) == [bad]
    assert list(reviews.list_uploads(staff, q="good")) == [good]
    name, content = reviews.export_upload(staff, good.pk)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][1] == "商品编码" and rows[1][1] == CHLORINE and rows[1][11] == "规范"
    name, content = reviews.export_upload(staff, bad.pk)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert name.startswith("校验报告") and rows[1][0] == 2 and "应为10位数字" in rows[1][1]
    # the template reads back as a good file
    assert reviews.upload(staff, "t.xlsx", reviews.template()).status == UploadStatus.ACCEPTED


def test_monthly_review_samples_released_items_and_publishes(ent_a, ent_b):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK), (CHLORINE, "氯气", "0|0|氯|钢瓶|耐克|无型号|||")],
             day=dt.date(2026, 10, 3))
    released(ent_b, [(COFFEE, "咖啡", COFFEE_OK)], day=dt.date(2026, 10, 20), ie_flag="I")
    released(ent_a, [(COFFEE, "咖啡", COFFEE_OK)], day=dt.date(2026, 9, 30))  # another month
    up = monthly.review_month("2026-10", rate=1.0)
    assert up.source == UploadSource.SIMULATOR and up.row_count == 3 and up.nonstandard_count == 1
    bad = ReviewedRow.objects.get(upload=up, conclusion="nonstandard")
    assert bad.g_name == "氯气" and bad.reasons[0][0] == "品牌"  # 品牌类型 0 with a brand (checker rule)
    assert MonthlyMessage.objects.get(enterprise=ent_a).nonstandard_count == 1
    assert MonthlyMessage.objects.get(enterprise=ent_b).nonstandard_count == 0
    with pytest.raises(ServiceError, match="已发布"):
        monthly.review_month("2026-10")
    with pytest.raises(ServiceError, match="月份应为 YYYY-MM"):
        monthly.review_month("2026/10")


def test_monthly_review_command(ent_a):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK)], day=dt.date(2026, 8, 3))
    out = io.StringIO()
    call_command("standards_review", "--month", "2026-08", "--rate", "1", stdout=out)
    assert "审核 1 项" in out.getvalue()
    with pytest.raises(CommandError, match="已发布"):
        call_command("standards_review", "--month", "2026-08", stdout=out)
    call_command("standards_review", "--month", "2026-07", stdout=out)
    assert "没有抽到" in out.getvalue()


def test_publish_helper_counts(ent_a):
    up = publish([raw(ent_a), raw(ent_a, g_name="液氯", conclusion="不规范", reasons="包装:未申报")])
    assert up.messages.get().nonstandard_count == 1
