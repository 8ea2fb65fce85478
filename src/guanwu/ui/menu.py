"""The left menu: every module of the product, in the order of the seeds.

An entry whose URL name does not resolve yet (its module is not built) is shown greyed out,
so users see the whole product without dead links.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    admin_only: bool = False
    group: str = ""  # a heading over consecutive entries (跨境电商: 9710出口订单管理; 加工贸易账册: 数据录入)
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class MenuSection:
    key: str
    label: str
    icon: str
    items: list[MenuItem] = field(default_factory=list)


MENU: list[MenuSection] = [
    MenuSection("declarations", "报关单", "bi-file-earmark-text", [
        MenuItem("报关单录入", "declarations:create"),
        MenuItem("报关单查询", "declarations:list"),
        MenuItem("报关单导入", "declarations:import"),
    ]),
    MenuSection("datacenter", "资料中心", "bi-database", [
        MenuItem("商品数据库", "datacenter:commodity-list"),
        MenuItem("保税商品库", "datacenter:bonded-list"),
        MenuItem("客户管理", "datacenter:customer-list"),
        MenuItem("客户审核", "datacenter:customer-audit"),
        MenuItem("许可证管理", "datacenter:licence-list"),
        MenuItem("证书管理", "datacenter:certificate-list"),
        MenuItem("业务单据管理", "datacenter:document-list"),
    ]),
    MenuSection("processing", "加工贸易账册", "bi-journal-bookmark", [
        MenuItem("企业资质申请", "processing:qualification-list", group="数据录入"),
        MenuItem("加工贸易账册", "processing:book-list", group="数据录入"),
        MenuItem("保税核注清单(进口)", "processing:inventory-list", group="数据录入", args=("I",)),
        MenuItem("保税核注清单(出口)", "processing:inventory-list", group="数据录入", args=("E",)),
        MenuItem("加工贸易账册查询", "processing:query", group="数据查询"),
        MenuItem("核销", "processing:writeoff", group="数据查询"),
    ]),
    MenuSection("standards", "规范申报", "bi-check2-square", [
        MenuItem("企业端授权确认", "standards:authorisation"),
        MenuItem("企业库查询", "standards:enterprise-library"),
        MenuItem("公共库查询", "standards:public-library"),
        MenuItem("企业信息", "standards:messages"),
    ]),
    MenuSection("crossborder", "跨境电商B2B出口", "bi-globe2", [
        MenuItem("导入订单", "crossborder:order-9710-import", group="9710出口订单管理"),
        MenuItem("订单申报", "crossborder:order-9710-declare", group="9710出口订单管理"),
        MenuItem("订单查询", "crossborder:order-9710-list", group="9710出口订单管理"),
        MenuItem("导入订单", "crossborder:order-9810-import", group="9810出口订仓单管理"),
        MenuItem("订单申报", "crossborder:order-9810-declare", group="9810出口订仓单管理"),
        MenuItem("订单查询", "crossborder:order-9810-list", group="9810出口订仓单管理"),
        MenuItem("清单导入", "crossborder:list-import", group="出口清单管理"),
        MenuItem("清单申报", "crossborder:list-declare", group="出口清单管理"),
        MenuItem("清单查询", "crossborder:list-list", group="出口清单管理"),
        MenuItem("导入", "crossborder:summary-import", group="汇总申请单"),
        MenuItem("查询", "crossborder:summary-list", group="汇总申请单"),
        MenuItem("批次看板", "crossborder:dashboard"),
        MenuItem("企业简码", "crossborder:settings", group="设置"),
        MenuItem("物流简码", "crossborder:logistics-list", group="设置"),
    ]),
    MenuSection("autodeclare", "智能辅助申报", "bi-robot", [
        MenuItem("启用", "autodeclare:enable"),
        MenuItem("预配置", "autodeclare:profile-list"),
        MenuItem("标记操作", "autodeclare:marks"),
        MenuItem("执行", "autodeclare:run"),
        MenuItem("查询", "autodeclare:query"),
        MenuItem("税费确认", "autodeclare:tax-list"),
        MenuItem("智能申报台", "autodeclare:desk"),
        MenuItem("通知中心", "autodeclare:notifications"),
    ]),
    MenuSection("params", "参数与税则", "bi-table", [
        MenuItem("商品税则查询", "params:tariff"),
        MenuItem("参数代码表", "params:tables"),
    ]),
    MenuSection("enterprise", "企业设置", "bi-building-gear", [
        MenuItem("企业信息", "tenancy:profile"),
        MenuItem("成员管理", "tenancy:members"),
        MenuItem("业务设置", "tenancy:settings", admin_only=True),
        MenuItem("操作记录", "audit:list"),
        MenuItem("后台任务", "jobs:list"),
    ]),
]


def add(section_key: str, item: MenuItem, *, after: str = "") -> None:
    """A declared module's entry (``ui.crud.CrudModule.register``), after the entry labelled
    ``after`` (else last); registering the same URL name again changes nothing."""
    section = next(s for s in MENU if s.key == section_key)
    if any(i.url_name == item.url_name and i.args == item.args for i in section.items):
        return
    labels = [i.label for i in section.items]
    index = labels.index(after) + 1 if after in labels else len(labels)
    section.items.insert(index, item)


def build_menu(path: str, is_admin: bool) -> list[dict]:
    sections = []
    for section in MENU:
        items = []
        for item in section.items:
            if item.admin_only and not is_admin:
                continue
            try:
                url = reverse(item.url_name, args=item.args)
            except NoReverseMatch:
                url = None
            items.append({"label": item.label, "url": url, "active": False, "group": item.group})
        sections.append({"key": section.key, "label": section.label, "icon": section.icon, "items": items})
    # The active entry is the longest URL the path starts with: /enterprise/members/ is 成员管理,
    # not 企业信息 at /enterprise/.
    matches = [i for s in sections for i in s["items"] if i["url"] and i["url"] != "/" and path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    for section in sections:
        section["open"] = any(i["active"] for i in section["items"])
    return sections
