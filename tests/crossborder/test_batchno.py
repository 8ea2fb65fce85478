"""商品批次号: 物流简码 + 日期 + 企业简码 + 两位流水号 (seed 003, 9710 出口订单管理 step 4 注:
"商品批次号格式：物流简码+日期+企业简码+两位流水号"; the platform writes the 日期 as YYYYMMDD)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanwu.core.errors import ServiceError
from guanwu.crossborder import services
from guanwu.crossborder.batchno import BatchNoError, check_batch_no, compose_batch_no
from guanwu.crossborder.models import Batch

from .factories import BATCH_NO, set_up

letters = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6)
alnum = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=6)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
serials = st.integers(min_value=1, max_value=99)


@given(logistics=letters, day=days, enterprise=alnum, serial=serials)
def test_seed_batch_number_format_round_trips(logistics, day, enterprise, serial):
    number = compose_batch_no(logistics, day, enterprise, serial)
    parts = check_batch_no(number, enterprise, [logistics, "ZZZZZZZ"])
    assert (parts.logistics_short_code, parts.batch_date, parts.enterprise_short_code, parts.serial) == (
        logistics, day, enterprise, serial)
    assert parts.batch_no == number


@given(logistics=letters, day=days, enterprise=alnum, serial=serials, other=letters)
def test_seed_batch_number_unknown_logistics_code_names_that_part(logistics, day, enterprise, serial, other):
    if other.startswith(logistics) or logistics.startswith(other):
        return
    number = compose_batch_no(other, day, enterprise, serial)
    with pytest.raises(BatchNoError) as exc:
        check_batch_no(number, enterprise, [logistics])
    assert exc.value.part == "logistics"
    assert "物流简码" in exc.value.message


@given(logistics=letters, day=days, enterprise=alnum, serial=serials)
def test_seed_batch_number_wrong_enterprise_code_names_that_part(logistics, day, enterprise, serial):
    number = compose_batch_no(logistics, day, enterprise + "Q", serial)
    with pytest.raises(BatchNoError) as exc:
        check_batch_no(number, enterprise + "W", [logistics])
    assert exc.value.part == "enterprise"


@given(logistics=letters, enterprise=alnum, serial=serials,
       date_text=st.sampled_from(["20241301", "20240230", "2024092", "202409201", "99999999"]))
def test_seed_batch_number_bad_date_names_the_date(logistics, enterprise, serial, date_text):
    number = f"{logistics}{date_text}{enterprise}{serial:02d}"
    with pytest.raises(BatchNoError) as exc:
        check_batch_no(number, enterprise, [logistics])
    assert exc.value.part == "date"
    assert "日期" in exc.value.message


@pytest.mark.parametrize("tail", ["00", "1", "A1", "1A"])
def test_seed_batch_number_serial_is_two_digits(tail):
    with pytest.raises(BatchNoError) as exc:
        check_batch_no(f"SF20240920XAYH{tail}", "XAYH", ["SF"])
    assert exc.value.part in ("serial", "enterprise")
    if tail in ("00", "A1"):
        assert exc.value.part == "serial"
        assert "流水号" in exc.value.message


def test_batch_number_checked_against_the_enterprise_settings(actor_a):
    set_up(actor_a)
    assert services.validate_batch_no(actor_a, BATCH_NO).serial == 1
    with pytest.raises(ServiceError) as exc:
        services.validate_batch_no(actor_a, "YT20240920XAYH01")
    assert exc.value.status == 422
    assert exc.value.errors[0].field == "batch_no"
    assert "物流简码" in exc.value.message
    with pytest.raises(ServiceError, match="企业简码"):
        services.validate_batch_no(actor_a, "SF20240920ABCD01")


def test_next_free_serial_of_a_day(actor_a):
    set_up(actor_a)
    day = dt.date(2024, 9, 20)
    assert services.next_batch_no(actor_a, "SF", day) == "SF20240920XAYH01"
    with __import__("django").db.transaction.atomic():
        services.get_or_create_batch(actor_a, "SF20240920XAYH01")
        services.get_or_create_batch(actor_a, "SF20240920XAYH03")
    assert services.next_batch_no(actor_a, "SF", day) == "SF20240920XAYH02"
    assert services.next_batch_no(actor_a, "SF", dt.date(2024, 9, 21)) == "SF20240921XAYH01"
    with pytest.raises(ServiceError, match="物流简码"):
        services.next_batch_no(actor_a, "YT", day)
    assert Batch.objects.count() == 2


def test_settings_refuse_a_bad_short_code(actor_a):
    with pytest.raises(ServiceError) as exc:
        services.update_settings(actor_a, {"short_code": "xa-1"})
    assert exc.value.errors[0].field == "short_code"
    row = services.update_settings(actor_a, {"short_code": "xayh", "customs_code": "9001"})
    assert row.short_code == "XAYH"
    with pytest.raises(ServiceError, match="物流简码"):
        services.save_logistics_company(actor_a, {"logistics_code": "4403180001", "logistics_name": "顺丰",
                                                  "short_code": "S1"})
    company = services.save_logistics_company(actor_a, {"logistics_code": "4403180001", "logistics_name": "顺丰",
                                                        "short_code": "sf"})
    assert company.short_code == "SF"
    with pytest.raises(ServiceError, match="已被使用"):
        services.save_logistics_company(actor_a, {"logistics_code": "1", "logistics_name": "x", "short_code": "SF"})
