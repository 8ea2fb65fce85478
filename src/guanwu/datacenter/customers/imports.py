"""客户导入: customers from the shared Excel template (``services.IMPORT_SPEC``), each through
``create_customer``.

Every row gets the same checks as the form (工商信息校验, duplicates in the enterprise and in
the file, which the service sees as rows are saved) and the approval switch applies as usual.
"""

from __future__ import annotations

from guanwu.imports.spec import ImportSpec, columns_from, register

from . import services

CUSTOMERS = register(ImportSpec(
    key="customers",
    title="客户",
    description=(
        "每行一个客户。境内客户须填写18位统一社会信用代码(校验位会被检查); 海关编码为10位; "
        "所属国留空即为中国。提交后根据业务设置中的客户审核开关, 状态为待审核或审核通过。"
    ),
    columns=columns_from(services.IMPORT_SPEC, {
        "scc": {"help": "统一社会信用代码, 境内客户必填"},
        "country": {"help": "", "check_code": True, "max_length": None, "example": "CHN - 中国"}, "note": {"width": 16},
    }),
    save_each=services.create_customer,
    list_url_name="datacenter:customer-list",
    extra={"list_title": "客户管理"},
))
