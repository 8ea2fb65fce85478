"""商品数据库 fed by declarations: one entry per distinct goods, usage counted once per declaration."""

from __future__ import annotations

from decimal import Decimal

from guanwu.datacenter.commodities import search, services
from guanwu.datacenter.commodities.models import Commodity, CommodityLearning, CommoditySource
from guanwu.declarations.models import DeclarationItem
from tests.datacenter.commodities.helpers import released_export
from tests.declarations.factories import make_export_declaration


def test_accepted_then_released_learns_once(ent_a, django_capture_on_commit_callbacks):
    decl = released_export(ent_a, django_capture_on_commit_callbacks)
    rows = Commodity.objects.for_enterprise(ent_a).order_by("g_name")
    # three items: T恤衫 and 背心 share the HS code but differ in name and elements
    assert rows.count() == 3
    assert all(r.usage_count == 1 for r in rows)
    assert CommodityLearning.objects.filter(declaration=decl).count() == 1
    tshirt = rows.get(g_name="棉制针织T恤衫")
    assert tshirt.source == CommoditySource.LEARNED
    assert tshirt.ie_flag == "E" and tshirt.trade_code == ent_a.customs_code and tshirt.trade_name == ent_a.name
    assert tshirt.code_ts == "6109100010" and tshirt.g_unit == "011" and tshirt.first_unit == "011"
    assert tshirt.second_unit == "035" and tshirt.decl_price == Decimal("3.85")
    assert tshirt.trade_curr == "USD" and tshirt.district_code == "44031" and tshirt.duty_mode == "1"
    assert tshirt.last_declaration_id == decl.pk and tshirt.first_used_at and tshirt.last_used_at
    assert tshirt.name_initials.startswith("mzzz")
    # replaying the signal changes nothing
    assert services.learn([decl]) == 0
    assert Commodity.objects.for_enterprise(ent_a).get(pk=tshirt.pk).usage_count == 1


def test_same_goods_again_increments_usage_and_takes_the_new_price(ent_a, django_capture_on_commit_callbacks):
    released_export(ent_a, django_capture_on_commit_callbacks)
    second = make_export_declaration(ent_a)
    DeclarationItem.objects.filter(declaration=second, g_no=1).update(decl_price=Decimal("4.1"))
    from tests.datacenter.commodities.helpers import accept_and_release

    accept_and_release(second, django_capture_on_commit_callbacks)
    rows = Commodity.objects.for_enterprise(ent_a)
    assert rows.count() == 3
    tshirt = rows.get(g_name="棉制针织T恤衫")
    assert tshirt.usage_count == 2
    assert tshirt.decl_price == Decimal("4.1")
    assert tshirt.last_declaration_id == second.pk


def test_different_name_or_elements_is_a_new_entry_normalised_text_is_not(ent_a, django_capture_on_commit_callbacks):
    released_export(ent_a, django_capture_on_commit_callbacks)
    other = make_export_declaration(ent_a)
    items = {i.g_no: i for i in other.items.all()}
    # full-width letters and digits, extra spaces, another case: the same goods
    items[1].g_name = " 棉制针织Ｔ恤衫 "
    items[1].g_model = "0|0| 针织 |T恤衫|圆领无扣无拉链|１００%棉|无品牌|ts-240|无|无|无"
    items[1].save()
    items[2].g_model = "0|0|针织起绒|套头衫|100%棉|无品牌|KJ-78|无"  # another model number
    items[2].save()
    items[3].g_name = "棉制针织背心(男)"  # another name
    items[3].save()
    from tests.datacenter.commodities.helpers import accept_and_release

    accept_and_release(other, django_capture_on_commit_callbacks)
    rows = Commodity.objects.for_enterprise(ent_a)
    assert rows.count() == 5
    assert rows.get(g_name="棉制针织T恤衫").usage_count == 2


def test_other_trade_company_or_direction_is_a_new_entry(ent_a, django_capture_on_commit_callbacks):
    released_export(ent_a, django_capture_on_commit_callbacks)
    released_export(ent_a, django_capture_on_commit_callbacks, trade_code="6101999999", trade_name="另一收发货人")
    assert Commodity.objects.for_enterprise(ent_a).count() == 6
    assert Commodity.objects.for_enterprise(ent_a).filter(trade_code="6101999999").count() == 3


def test_learning_is_per_enterprise(ent_a, ent_b, django_capture_on_commit_callbacks):
    released_export(ent_a, django_capture_on_commit_callbacks)
    released_export(ent_b, django_capture_on_commit_callbacks, trade_code="6101930001")
    assert Commodity.objects.for_enterprise(ent_a).count() == 3
    assert Commodity.objects.for_enterprise(ent_b).count() == 3
    assert all(r.usage_count == 1 for r in Commodity.objects.all())


def test_learn_released_catches_up_in_bulk(ent_a, django_assert_max_num_queries):
    from guanwu.declarations.models import Declaration

    decls = [make_export_declaration(ent_a) for _ in range(5)]
    Declaration.objects.filter(pk__in=[d.pk for d in decls]).update(status="released")
    with django_assert_max_num_queries(12):
        assert services.learn_released(ent_a) == 3
    assert sorted(Commodity.objects.for_enterprise(ent_a).values_list("usage_count", flat=True)) == [5, 5, 5]
    assert services.learn_released(ent_a) == 0


def test_normalisation():
    assert search.normalize("  ＡＢＣ　１２３  (Ｘ) ") == "abc 123 (x)"
    assert search.normalize_model(" 1 |0| 针织  T恤 ｜ＳＺ") == "1|0|针织 t恤|sz"
    key = search.dedupe_key("6101930001", "E", "6109100010", "T恤", "1|0|针织")
    assert key == search.dedupe_key(" 6101930001", "e", "6109100010", "Ｔ恤", " 1 | 0 | 针织 ")
    assert key != search.dedupe_key("6101930001", "I", "6109100010", "T恤", "1|0|针织")
    assert search.index_columns(1, "棉制针织T恤衫", "")[:2] == ("mianzhizhenzhitxushan", "mzzztxs")
