"""``/api/v1/customers``: list (also the customer picker), create, read, update, delete, and the
admin-only ``/approve`` and ``/reject``. Thin over ``services``; mounted by datacenter/api.py.

A picker asks ``GET /api/v1/customers?status=approved&q=西安&limit=20``: ``q`` matches the name,
its pinyin or initials, the customer code, the credit code and the customs code.
"""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from guanwu.apikit.params import Limit, Offset, page_schema, paged
from guanwu.core.fields import body_data

from . import services
from .models import Customer

router = Router(tags=["客户管理"])
PAGE_LIMIT = 200


CustomerOut = services.CUSTOMER_SPEC.schema_out(
    "CustomerOut", displays=False, code=(str, Field(title="客户代码")), status=(str, Field(title="客户状态代码")),
    status_display=(str, Field(title="客户状态")),
    # on 新增/修改: what is allowed but worth a look (a customer of the same name)
    warnings=(list[str], Field([], title="提示")),
)
CustomerPage = page_schema("CustomerPage", CustomerOut)


# All fields of a customer, titled in Chinese; on PUT a field left out is emptied (``country``
# becomes CHN), on PATCH it keeps its value.
_API_SPEC = services.CUSTOMER_SPEC.replace("email", label="电子邮箱(E-MAIL)")
CustomerIn = _API_SPEC.schema_in("CustomerIn")
CustomerPatch = _API_SPEC.schema_in("CustomerPatch")


class ReviewIn(Schema):
    opinion: str = Field("", title="审核意见", description="审核驳回时必填")


def customer_out(customer: Customer) -> dict[str, Any]:
    return {**services.CUSTOMER_SPEC.out(customer), "code": customer.code, "status": customer.status,
            "status_display": customer.get_status_display(),
            "warnings": [w.message for w in getattr(customer, "warnings", [])]}


@router.get("/customers", response=CustomerPage, summary="客户列表 (也用于客户选择器)")
def list_customers(request, status: str = "", q: str = "", offset: Offset = 0, limit: Limit = 50):
    return paged(services.search(request.auth, q=q, status=status).order_by("pinyin", "name", "pk"), offset, limit,
                 customer_out, max_limit=PAGE_LIMIT)


@router.post("/customers", response={201: CustomerOut}, summary="新增客户")
def create_customer(request, payload: CustomerIn):
    return Status(201, customer_out(services.create_customer(request.auth, body_data(payload, exclude_unset=False))))


@router.get("/customers/{customer_id}", response=CustomerOut, summary="客户详情")
def get_customer(request, customer_id: int):
    return customer_out(services.get_customer(request.auth, customer_id))


# The bodies below are optional so that another enterprise's id answers 404 whatever was sent.
@router.put("/customers/{customer_id}", response=CustomerOut, summary="修改客户 (全部字段)")
def replace_customer(request, customer_id: int, payload: CustomerIn | None = None):
    services.get_customer(request.auth, customer_id)  # 404 before looking at the body
    data = body_data(payload, exclude_unset=False)
    return customer_out(services.update_customer(request.auth, customer_id, data, partial=False))


@router.patch("/customers/{customer_id}", response=CustomerOut, summary="修改客户 (部分字段)")
def update_customer(request, customer_id: int, payload: CustomerPatch | None = None):
    services.get_customer(request.auth, customer_id)  # 404 before looking at the body
    data = body_data(payload)
    return customer_out(services.update_customer(request.auth, customer_id, data, partial=True))


@router.delete("/customers/{customer_id}", response={204: None}, summary="删除客户")
def delete_customer(request, customer_id: int):
    services.delete_customer(request.auth, customer_id)
    return Status(204, None)


@router.post("/customers/{customer_id}/approve", response=CustomerOut, summary="审核通过 (企业管理员)")
def approve_customer(request, customer_id: int, payload: ReviewIn | None = None):
    return customer_out(services.approve(request.auth, customer_id, payload.opinion if payload else ""))


@router.post("/customers/{customer_id}/reject", response=CustomerOut, summary="审核驳回 (企业管理员, 须填写审核意见)")
def reject_customer(request, customer_id: int, payload: ReviewIn | None = None):
    return customer_out(services.reject(request.auth, customer_id, payload.opinion if payload else ""))
