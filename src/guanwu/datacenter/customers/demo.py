"""Demo customers for enterprise A: approved ones with auxiliary information, one waiting for
approval, one rejected with an opinion, and an overseas buyer. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guanwu.core.demo import demo_actor, demo_step
from guanwu.tenancy.models import Enterprise
from guanwu.tenancy.validators import uscc_check_char

from . import services
from .models import Customer


def _scc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


# (what happens after 提交, fields, auxiliary rows)
DEMO_CUSTOMERS: list[tuple[str, dict[str, str], dict[str, list[dict[str, str]]]]] = [
    ("approve", {
        "name": "西安丝路国际贸易有限公司", "scc": _scc("91610131MA6TX0101"), "customs_code": "6101930101",
        "ciq_code": "6100600101", "contact": "张伟", "phone": "029-88886666", "postcode": "710016",
        "address": "陕西省西安市未央区凤城八路 66 号", "email": "trade@silkroad-xa.cn",
        "note": "长期合作, 纺织品出口为主",
    }, {
        "contacts": [{"name": "刘洋", "position": "单证主管", "mobile": "13909181234",
                      "email": "liuyang@silkroad-xa.cn"}],
        "addresses": [{"kind": "shipping", "address": "西安国际港务区港务大道 99 号 3 号仓", "postcode": "710026",
                       "contact": "王师傅", "phone": "029-83300001"}],
        "bank-accounts": [{"bank_name": "中国银行西安高新技术开发区支行", "account_name": "西安丝路国际贸易有限公司",
                           "account_no": "102868000123", "currency": "USD", "swift": "BKCHCNBJ620"}],
        "notes": [{"content": "2024 年起出口德国的针织服装均由我司代理申报。"}],
    }),
    ("approve", {
        "name": "陕西秦川机械进出口有限公司", "scc": _scc("91610104MA6U2A0B1"), "customs_code": "6101940102",
        "ciq_code": "6100600102", "contact": "李娜", "phone": "029-85551234", "postcode": "710068",
        "address": "陕西省西安市雁塔区科技路 48 号", "email": "lina@qinchuan-me.com",
    }, {}),
    ("approve", {
        "name": "宝鸡华宇钛业有限公司", "scc": _scc("91610301MA6X9J7K6"), "customs_code": "6103960103",
        "contact": "赵磊", "phone": "0917-3216688", "postcode": "721013",
        "address": "陕西省宝鸡市高新区钛城路 18 号",
    }, {}),
    ("approve", {
        "name": "TEXTIL HANDELS GMBH", "country": "DEU", "contact": "Anna Weber", "phone": "+49 40 1234567",
        "address": "Grosse Elbstrasse 145, 22767 Hamburg", "postcode": "22767", "email": "a.weber@textil-handels.de",
        "note": "境外收货人",
    }, {}),
    ("pending", {
        "name": "咸阳新能源科技有限公司", "scc": _scc("91610400MA6XY0205"), "customs_code": "6104960105",
        "contact": "孙婷", "phone": "029-33221100", "address": "陕西省咸阳市秦都区世纪大道 20 号",
        "postcode": "712000",
    }, {}),
    ("reject", {
        "name": "上海浦江供应链管理有限公司", "scc": _scc("91310115MA1K3Y5F4"), "customs_code": "3122960106",
        "contact": "陈刚", "phone": "021-58880000", "address": "上海市浦东新区外高桥保税区富特北路 211 号",
    }, {}),
]
REJECT_OPINION = "海关编码与工商登记信息不一致, 请核对企业注册地海关后重新提交"


@demo_step
def demo_customers(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    ent = enterprises["a"]
    if Customer.objects.for_enterprise(ent).exists():
        say("客户: 演示数据已存在")
        return
    operator = demo_actor(ent, users["a_operator"])
    admin = demo_actor(ent, users["a_admin"])
    for what, fields, aux in DEMO_CUSTOMERS:
        customer = services.create_customer(operator, fields)
        for key, rows in aux.items():
            for row in rows:
                services.add_aux(operator, customer.pk, key, row)
        if what == "approve" and not customer.is_approved:
            services.approve(admin, customer.pk, "工商信息核对无误")
        elif what == "reject":
            services.reject(admin, customer.pk, REJECT_OPINION)
    counts = {label: Customer.objects.for_enterprise(ent).filter(status=value).count()
              for value, label in Customer._meta.get_field("status").choices}
    say("客户: " + ", ".join(f"{label} {n}" for label, n in counts.items() if n))
