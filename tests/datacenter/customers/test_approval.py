"""客户审核: the business switch, admin-only review, batch review and the operation log."""

from __future__ import annotations

import pytest

from guanwu.core.errors import Forbidden, ServiceError
from guanwu.datacenter.customers import services
from guanwu.datacenter.customers.models import CustomerStatus
from guanwu.tenancy import services as tenancy
from tests.datacenter.customers.factories import customer_data

pytestmark = pytest.mark.django_db


def switch(actor, on: bool) -> None:
    tenancy.update_settings(actor, {"customer_approval": on})


def log_rows(actor, customer) -> list[tuple[str, str, str, str]]:
    """(action, status after, who, opinion), oldest first."""
    return [
        (log.action, log.status_after, log.user_name, log.opinion)
        for log in reversed(list(services.history(actor, customer)))
    ]


def test_switch_on_new_customer_waits_then_admin_approves(actor_a, operator_actor_a):
    assert actor_a.enterprise.setting("customer_approval") is True  # the default
    customer = services.create_customer(operator_actor_a, customer_data(1))
    assert customer.status == CustomerStatus.PENDING
    approved = services.approve(actor_a, customer.pk, "工商信息核对无误")
    assert approved.status == CustomerStatus.APPROVED
    assert approved.reviewed_by == actor_a.user and approved.review_opinion == "工商信息核对无误"
    assert log_rows(actor_a, customer) == [
        ("新增客户", "待审核", "a_operator", ""),
        ("审核通过", "审核通过", "a_admin", "工商信息核对无误"),
    ]


def test_switch_off_new_customer_is_approved_at_once(actor_a, operator_actor_a):
    switch(actor_a, False)  # actor_a still holds the old Enterprise copy: the service reads it fresh
    customer = services.create_customer(operator_actor_a, customer_data(1))
    assert customer.status == CustomerStatus.APPROVED
    edited = services.update_customer(operator_actor_a, customer.pk, {"phone": "029-12345678"})
    assert edited.status == CustomerStatus.APPROVED
    switch(actor_a, True)
    pending = services.create_customer(operator_actor_a, customer_data(2))
    assert pending.status == CustomerStatus.PENDING


def test_an_edit_goes_back_to_pending_and_no_change_is_no_edit(actor_a, operator_actor_a):
    customer = services.create_customer(operator_actor_a, customer_data(1))
    services.approve(actor_a, customer.pk)
    same = services.update_customer(operator_actor_a, customer.pk, customer_data(1))
    assert same.status == CustomerStatus.APPROVED
    edited = services.update_customer(operator_actor_a, customer.pk, {"contact": "李娜"})
    assert edited.status == CustomerStatus.PENDING
    assert edited.reviewed_by is None and edited.review_opinion == ""
    last = services.history(actor_a, customer).first()
    assert (last.action, last.status_before, last.status_after) == ("修改客户", "审核通过", "待审核")
    assert last.changes == {"contact": ["张伟", "李娜"]}
    assert [row[0] for row in log_rows(actor_a, customer)] == ["新增客户", "审核通过", "修改客户"]


def test_reject_needs_an_opinion_and_a_rejected_customer_can_be_approved(actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    with pytest.raises(ServiceError) as caught:
        services.reject(actor_a, customer.pk, "  ")
    assert caught.value.errors[0].field == "opinion"
    rejected = services.reject(actor_a, customer.pk, "海关编码与登记不符")
    assert rejected.status == CustomerStatus.REJECTED
    with pytest.raises(ServiceError, match="已是审核驳回状态"):
        services.reject(actor_a, customer.pk, "再驳回")
    assert services.approve(actor_a, customer.pk).status == CustomerStatus.APPROVED
    with pytest.raises(ServiceError, match="已是审核通过状态"):
        services.approve(actor_a, customer.pk)
    # an approved customer may be withdrawn
    assert services.reject(actor_a, customer.pk, "营业执照已吊销").status == CustomerStatus.REJECTED
    assert [(a, s, o) for a, s, _u, o in log_rows(actor_a, customer)] == [
        ("新增客户", "待审核", ""), ("审核驳回", "审核驳回", "海关编码与登记不符"), ("审核通过", "审核通过", ""),
        ("审核驳回", "审核驳回", "营业执照已吊销"),
    ]


def test_operators_cannot_review(actor_a, operator_actor_a):
    customer = services.create_customer(operator_actor_a, customer_data(1))
    for call in (
        lambda: services.approve(operator_actor_a, customer.pk),
        lambda: services.reject(operator_actor_a, customer.pk, "不行"),
        lambda: services.review_many(operator_actor_a, [customer.pk], "approve"),
        lambda: services.review_many(operator_actor_a, [customer.pk], "reject", "不行"),
    ):
        with pytest.raises(Forbidden) as caught:
            call()
        assert caught.value.status == 403
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PENDING
    assert [row[0] for row in log_rows(actor_a, customer)] == ["新增客户"]


def test_batch_review_skips_customers_already_there(actor_a, actor_b):
    one, two, three = (services.create_customer(actor_a, customer_data(n)) for n in (1, 2, 3))
    services.approve(actor_a, one.pk)
    foreign = services.create_customer(actor_b, customer_data(9))
    message = services.review_many(actor_a, [one.pk, two.pk, three.pk, foreign.pk], "approve", "批量核对")
    assert message == "审核通过 2 个客户, 1 个已是审核通过状态, 未重复处理"
    foreign.refresh_from_db()
    assert foreign.status == CustomerStatus.PENDING
    with pytest.raises(ServiceError) as caught:
        services.review_many(actor_a, [two.pk, three.pk], "reject", "")
    assert caught.value.errors[0].field == "opinion"
    assert services.review_many(actor_a, [two.pk, three.pk], "reject", "资料不全") == "审核驳回 2 个客户"
    two.refresh_from_db()
    assert two.status == CustomerStatus.REJECTED and two.review_opinion == "资料不全"


def test_operators_delete_only_customers_not_yet_approved(actor_a, operator_actor_a):
    pending = services.create_customer(operator_actor_a, customer_data(1))
    approved = services.create_customer(operator_actor_a, customer_data(2))
    services.approve(actor_a, approved.pk)
    services.delete_customer(operator_actor_a, pending.pk)
    with pytest.raises(Forbidden):
        services.delete_customer(operator_actor_a, approved.pk)
    services.delete_customer(actor_a, approved.pk)
    assert not services.customers(actor_a).exists()


def test_aux_changes_are_logged_and_keep_the_status(actor_a):
    customer = services.create_customer(actor_a, customer_data(1))
    services.approve(actor_a, customer.pk)
    contact = services.add_aux(actor_a, customer.pk, "contacts", {"name": "刘洋", "mobile": "13909181234"})
    services.update_aux(actor_a, customer.pk, "contacts", contact.pk, {"position": "单证主管"})
    services.add_aux(actor_a, customer.pk, "notes", {"content": "年底前续签代理协议"})
    services.delete_aux(actor_a, customer.pk, "contacts", contact.pk)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.APPROVED
    logs = list(services.history(actor_a, customer))[:4]
    assert [log.action for log in logs] == ["删除联系人", "新增备忘", "修改联系人", "新增联系人"]
    assert logs[2].changes == {"联系人职务": ["", "单证主管"]}
    assert all(log.status_after == "审核通过" for log in logs)


def test_the_audit_list_shows_the_submission_time(actor_a, operator_actor_a, client_a):
    """Issue 11, point 18: 提交时间 is when the details were submitted; approving, rejecting or
    adding a contact does not move it, a change of the details does."""
    import datetime as dt

    from django.utils import timezone

    from guanwu.datacenter.customers.models import Customer

    first = services.create_customer(operator_actor_a, customer_data(1, name="西安先提交贸易有限公司"))
    second = services.create_customer(operator_actor_a, customer_data(2, name="西安后提交贸易有限公司"))
    submitted = timezone.now() - dt.timedelta(days=3)
    Customer.objects.filter(pk=first.pk).update(submitted_at=submitted)
    services.approve(actor_a, first.pk, "核对无误")
    services.add_aux(actor_a, first.pk, "contacts", {"name": "李娜", "phone": "13800000000"})
    first.refresh_from_db()
    assert first.submitted_at == submitted
    page = client_a.get("/datacenter/customers/audit/").content.decode()
    shown = timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M")
    assert shown in page
    # the 提交日期 filter reads the submission time, not the last change
    day = timezone.localtime(submitted).date().isoformat()
    filtered = client_a.get("/datacenter/customers/audit/", {"submitted_from": day, "submitted_to": day})
    text = filtered.content.decode()
    assert "西安先提交贸易有限公司" in text and "西安后提交贸易有限公司" not in text
    # a change of the details is a new submission
    services.update_customer(operator_actor_a, first.pk, {"phone": "029-88880000"})
    first.refresh_from_db()
    assert first.submitted_at > submitted
    assert second.submitted_at is not None


def test_a_customer_of_the_same_name_is_pointed_out(actor_a, client_a):
    """Issue 11, point 18: allowed (branches share names) but warned on 新增, 修改 and 工商信息校验."""
    first = services.create_customer(actor_a, customer_data(1, name="西安秦岭机电(集团)有限公司"))
    assert first.warnings == []
    again = services.create_customer(actor_a, customer_data(2, name="西安秦岭机电（集团）有限公司"))
    assert [w.message for w in again.warnings] == [
        f"已有同名客户 西安秦岭机电(集团)有限公司({first.code}), 请确认不是重复录入"]
    other = services.create_customer(actor_a, customer_data(3, name="西安另一家有限公司"))
    assert services.update_customer(actor_a, other.pk, {"name": "西安秦岭机电(集团)有限公司"}).warnings
    response = client_a.post("/datacenter/customers/verify/", {**customer_data(4, name="西安秦岭机电(集团)有限公司")})
    assert "已有同名客户" in response.content.decode()
    response = client_a.post("/datacenter/customers/new/", customer_data(5, name="西安秦岭机电(集团)有限公司"),
                             follow=True)
    assert "已有同名客户" in response.content.decode()
    api = client_a.post("/api/v1/customers", customer_data(6, name="西安秦岭机电(集团)有限公司"),
                        content_type="application/json")
    assert api.status_code == 201 and api.json()["warnings"]
