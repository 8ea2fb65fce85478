"""工商信息校验 and the other field checks of a customer, in the service (form, API and import
all go through it)."""

from __future__ import annotations

import pytest

from guanwu.core.errors import FieldError, ServiceError
from guanwu.datacenter.customers import services
from guanwu.datacenter.customers.models import Customer
from guanwu.datacenter.customers.registry import LocalRegistryCheck, RegistryCheck, RegistryInfo, registry_check
from tests.datacenter.customers.factories import customer_data, scc

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict[str, str]:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.status == 422
    return {e.field: e.message for e in caught.value.errors}


def test_new_customer_gets_the_next_code_and_normalised_values(actor_a):
    first = services.create_customer(actor_a, customer_data(1, scc=scc(1).lower(), customs_code=" 6101000001 "))
    second = services.create_customer(actor_a, customer_data(2))
    assert first.code == "CU1000001" and second.code == "CU1000002"
    assert first.scc == scc(1) and first.customs_code == "6101000001"
    assert first.created_by == actor_a.user
    assert first.pinyin.startswith("xiance") and first.initials.startswith("xacsmy")


def test_codes_are_per_enterprise_and_never_reused(actor_a, actor_b):
    services.create_customer(actor_a, customer_data(1))
    second = services.create_customer(actor_a, customer_data(2))
    services.delete_customer(actor_a, second.pk)
    third = services.create_customer(actor_a, customer_data(3))
    assert third.code == "CU1000003"
    assert services.create_customer(actor_b, customer_data(1)).code == "CU1000001"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("scc", scc(5)[:17] + ("0" if scc(5)[17] != "0" else "1"), "校验位错误"),
        ("scc", "91610131MA6TX010", "应为18位"),
        ("scc", "91610131MA6TXO101N", "非法字符"),
        ("scc", "", "境内客户必须填写统一社会信用代码"),
        ("customs_code", "61019301", "海关编码应为10位"),
        ("customs_code", "6101-93000", "海关编码应为10位"),
        ("ciq_code", "61006001AB", "检验检疫代码应为10位数字"),
        ("name", "  ", "客户名称不能为空"),
        ("country", "XXX", "不在国别(地区)代码表中"),
        ("email", "trade.example.cn", "E-MAIL 格式不正确"),
        ("postcode", "7100", "境内邮政编码应为6位数字"),
        ("phone", "电话029", "联系方式只能包含数字"),
        ("address", "长" * 301, "公司地址不能超过 300 个字符"),
    ],
)
def test_bad_values_are_field_errors_in_chinese(actor_a, field, value, message):
    errors = errors_of(lambda: services.create_customer(actor_a, customer_data(5, **{field: value})))
    assert field in errors and message in errors[field]
    assert not Customer.objects.exists()


def test_overseas_customer_needs_no_credit_code(actor_a):
    customer = services.create_customer(actor_a, {
        "name": "TEXTIL HANDELS GMBH", "country": "deu", "postcode": "22767", "phone": "+49 40 1234567",
    })
    assert customer.country == "DEU" and customer.scc == ""
    # a credit code given for an overseas customer is still checked
    errors = errors_of(lambda: services.create_customer(actor_a, {"name": "X GmbH", "country": "DEU", "scc": "123"}))
    assert "scc" in errors


def test_duplicates_within_the_enterprise_name_the_other_customer(actor_a, actor_b):
    first = services.create_customer(actor_a, customer_data(1))
    errors = errors_of(lambda: services.create_customer(actor_a, customer_data(1, name="另一家公司")))
    assert set(errors) == {"scc", "customs_code"}
    assert first.code in errors["scc"] and "已被客户" in errors["customs_code"]
    # only one of the two codes repeated
    errors = errors_of(lambda: services.create_customer(actor_a, customer_data(2, customs_code=first.customs_code)))
    assert set(errors) == {"customs_code"}
    # another enterprise may have the same company as its customer
    assert services.create_customer(actor_b, customer_data(1)).scc == first.scc
    # an edit may keep its own codes
    services.update_customer(actor_a, first.pk, {"phone": "029-1"})


def test_format_error_wins_over_duplicate_and_empty_codes_never_clash(actor_a):
    services.create_customer(actor_a, {"name": "甲", "country": "DEU"})
    services.create_customer(actor_a, {"name": "乙", "country": "DEU"})  # both without scc/customs code
    errors = errors_of(lambda: services.create_customer(actor_a, customer_data(3, scc="BAD")))
    assert errors["scc"] == "统一社会信用代码应为18位"


def test_verify_reports_without_saving(actor_a):
    existing = services.create_customer(actor_a, customer_data(1))
    assert services.verify(actor_a, customer_data(2)) == []
    problems = services.verify(actor_a, customer_data(2, scc=existing.scc, ciq_code="1"))
    assert {e.field for e in problems} == {"scc", "ciq_code"}
    assert services.verify(actor_a, customer_data(1), exclude_pk=existing.pk) == []
    assert Customer.objects.count() == 1


class OnlineRegistry:
    """What an online registry adds: the registered name of a credit code."""

    def verify(self, info: RegistryInfo) -> list[FieldError]:
        errors = LocalRegistryCheck().verify(info)
        if info.scc and not info.name.startswith("西安"):
            errors.append(FieldError("name", f"与统一社会信用代码 {info.scc} 登记的企业名称不一致"))
        return errors


def test_registry_check_is_pluggable_through_settings(actor_a, settings):
    assert isinstance(registry_check(), LocalRegistryCheck)
    assert isinstance(OnlineRegistry(), RegistryCheck)
    settings.GUANWU_CUSTOMER_REGISTRY_CHECK = "tests.datacenter.customers.test_validation.OnlineRegistry"
    assert isinstance(registry_check(), OnlineRegistry)
    errors = errors_of(lambda: services.create_customer(actor_a, customer_data(1, name="上海某公司")))
    assert "登记的企业名称不一致" in errors["name"]
    services.create_customer(actor_a, customer_data(2))


def test_aux_information_is_checked(actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    errors = errors_of(lambda: services.add_aux(actor_a, customer.pk, "bank-accounts", {
        "bank_name": "中国银行", "account_no": "12", "currency": "XYZ", "swift": "BKCH",
    }))
    assert set(errors) == {"account_no", "currency", "swift"}
    account = services.add_aux(actor_a, customer.pk, "bank-accounts", {
        "bank_name": "中国银行", "account_no": "1028 6800 0123", "swift": "bkchcnbj620",
    })
    assert account.account_no == "102868000123" and account.swift == "BKCHCNBJ620" and account.currency == "CNY"
    errors = errors_of(lambda: services.add_aux(actor_a, customer.pk, "contacts", {"email": "x"}))
    assert errors == {"name": "姓名不能为空", "email": "E-MAIL 格式不正确"}
    errors = errors_of(lambda: services.add_aux(actor_a, customer.pk, "addresses", {"kind": "moon", "address": "x"}))
    assert "地址类型只能是" in errors["kind"]
