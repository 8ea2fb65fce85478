"""企业资质 register, declared on ``ui.crud``: fields, rules, list and detail; the mechanism
gives the pages, menu entry, Excel import/export and ``/api/v1/qualifications``."""

from __future__ import annotations

from guanwu.audit.records import RecordService
from guanwu.core.fields import FieldSpec
from guanwu.ui.crud import CrudModule

from .models import Qualification

FIELDS = FieldSpec.from_model(Qualification, [
    "qual_type", "cert_no", "issuer", "issue_date", "valid_from", "valid_to", "master_customs", "scope", "note",
    "attachment",
], overrides={"cert_no": {"upper": True, "example": "3101W60001"},
              "master_customs": {"code_table": "customs-offices", "example": "2200 - 上海海关"}, "scope": {"cols": 6}})


class QualificationServices(RecordService):
    model = Qualification
    spec = FIELDS
    what = "企业资质"
    unique = (("qual_type", "cert_no"), "cert_no", "证书编号 {cert_no} 已存在")
    search_fields = ("cert_no", "issuer", "scope")
    attachment = "attachment"
    date_order = ("valid_from", "valid_to", "有效期止不能早于有效期起")


class QualificationModule(CrudModule):
    key = "qualification"
    path = "qualifications"
    title = "企业资质"
    menu = ("datacenter", "证书管理")
    services = QualificationServices()
    sections = (("资质信息", ("qual_type", "cert_no", "issuer", "issue_date", "master_customs", "scope")),
                ("有效期", ("valid_from", "valid_to", "note")))


MODULE = QualificationModule()
