"""The demo gives enterprise A a commodity library learned from its released declarations and a
handbook's bonded items; running it again adds nothing and counts nothing twice."""

from __future__ import annotations

import pytest

from guanwu.core.demo import create_demo
from guanwu.datacenter.commodities import services
from guanwu.datacenter.commodities.demo import DEMO_EMS_NO
from guanwu.datacenter.commodities.models import BondedItem, Commodity, CommodityLearning
from guanwu.declarations.models import Declaration

pytestmark = pytest.mark.django_db


def test_demo_library(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the receipts' signals run too: learned once
        enterprises, _users = create_demo(say=lambda _: None)
    ent = enterprises["a"]
    library = Commodity.objects.for_enterprise(ent)
    names = set(library.values_list("g_name", flat=True))
    assert {"棉制针织T恤衫", "皮面休闲鞋", "已焙炒咖啡豆", "笔记本电脑", "U盘"} <= names
    done = Declaration.objects.for_enterprise(ent).filter(status__in=["accepted", "released", "closed"])
    learned = CommodityLearning.objects.filter(enterprise=ent)
    assert learned.count() == done.count() >= 4  # each released one once, not the 退单 nor drafts
    assert set(learned.values_list("declaration_id", flat=True)) == set(done.values_list("pk", flat=True))
    assert library.get(g_name="笔记本电脑").usage_count == 1
    assert BondedItem.objects.for_enterprise(ent).filter(ems_no=DEMO_EMS_NO).count() == 5
    assert services.fill_from_bonded(ent, DEMO_EMS_NO, 1)["code_ts"] == "8542319000"
    assert not Commodity.objects.for_enterprise(enterprises["b"]).exists()
    before = list(library.order_by("pk").values_list("pk", "usage_count"))
    create_demo(say=lambda _: None)
    assert list(library.order_by("pk").values_list("pk", "usage_count")) == before
