"""客户导入: customers from the shared Excel template, each through ``create_customer``.

Every row gets the same checks as the form (工商信息校验, duplicates in the enterprise and in
the file, which the service sees as rows are saved) and the approval switch applies as usual.
"""

from __future__ import annotations

from guanwu.imports.spec import Column, ImportSpec, register

from . import services


def _save(actor, record: dict) -> None:
    services.create_customer(actor, record)


CUSTOMERS = register(ImportSpec(
    key="customers",
    title="客户",
    description=(
        "每行一个客户。境内客户须填写18位统一社会信用代码(校验位会被检查); 海关编码为10位; "
        "所属国留空即为中国。提交后根据业务设置中的客户审核开关, 状态为待审核或审核通过。"
    ),
    columns=[
        Column("客户名称", "name", required=True, max_length=200, example="西安丝路国际贸易有限公司", width=30),
        Column("社会信用代码", "scc", max_length=18, example="91610131MA6TX0101N", width=22,
               help="统一社会信用代码, 境内客户必填"),
        Column("检验检疫代码", "ciq_code", max_length=10, example="6100600101", width=14),
        Column("海关编码", "customs_code", max_length=10, example="6101930101", width=14),
        Column("联系方式", "phone", max_length=50, example="029-88886666"),
        Column("联系人", "contact", max_length=50, example="张伟"),
        Column("公司地址", "address", max_length=300, example="陕西省西安市未央区凤城八路 66 号", width=34),
        Column("所属国", "country", code_table="countries", example="CHN - 中国", width=18),
        Column("邮政编码", "postcode", max_length=10, example="710016"),
        Column("备注", "note", max_length=500),
        Column("E-MAIL", "email", max_length=254, example="trade@example.cn", width=24),
    ],
    save_each=_save,
    list_url_name="datacenter:customer-list",
    extra={"list_title": "客户管理"},
))
