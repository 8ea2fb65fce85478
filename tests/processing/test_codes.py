"""币制 and 国别: one convention (issue 15 follow-up). The models store the params codes the pickers
store (USD, CNY; USA, CHN, JPN); the 金二 messages carry the tables' old numeric codes (502, 142;
502, 142, 116: the public INV101/NEMS samples, ``<DclCurrcd>142</DclCurrcd>``), mapped where
processing loads rows for the builder; the 报关单 draft of INV202 gets the params codes; an unknown
code is refused naming the field; the simulator's 9107/9108 accept what the platform sends."""

from __future__ import annotations

import pytest
from lxml import etree

from guanwu.core.errors import ServiceError
from guanwu.messages.sas.parser import parse_inv101, parse_nems, parse_qualification
from guanwu.processing import services
from guanwu.processing.models import QualificationGoods
from guanwu.processing.services.common import from_jin2, to_jin2
from guanwu.processing.services.entries import declaration_payload
from guanwu.simulator import sas_checks

from . import garment_book as gb

pytestmark = pytest.mark.django_db

QUAL_HEAD = {"finish_valid_date": "2026-12-31", "prcs_prdc_ablt_amt": "100", "master_cuscd": "9001",
             "qua_typecd": "1"}
ROW = {"gds_mtno": "1", "gdecd": "4421100090", "gds_nm": "出差", "dcl_unitcd": "035", "dcl_uprc_amt": "4",
       "dcl_qty": "4"}


def _texts(xml: bytes, local: str) -> list[str]:
    return [e.text for e in etree.fromstring(xml).iter() if etree.QName(e).localname == local]


def test_mapping_both_ways_through_the_params_old_codes():
    """货币代码表 USD 原报关代码 502, CNY 142; 国别代码表 USA 502, CHN 142, JPN 116."""
    assert [to_jin2("dcl_currcd", c) for c in ("USD", "CNY")] == ["502", "142"]
    assert [to_jin2("natcd", c) for c in ("USA", "CHN", "JPN")] == ["502", "142", "116"]
    assert from_jin2("dcl_currcd", "502") == "USD" and from_jin2("destination_natcd", "142") == "CHN"
    assert from_jin2("natcd", "CHN") == "CHN" and to_jin2("gds_nm", "USD") == "USD"


def test_entered_codes_stored_as_params_codes_and_unknown_refused(actor_a):
    app = services.create_application(actor_a, QUAL_HEAD)
    goods = services.save_goods(actor_a, app.pk, "I", {**ROW, "dcl_currcd": "502", "natcd": "142"})
    assert (goods.dcl_currcd, goods.natcd) == ("USD", "CHN")  # a numeric code typed or imported: mapped
    goods = services.save_goods(actor_a, app.pk, "I", {**ROW, "dcl_currcd": "CNY", "natcd": "USA"}, goods.pk)
    assert (goods.dcl_currcd, goods.natcd) == ("CNY", "USA")
    with pytest.raises(ServiceError) as exc:
        services.save_goods(actor_a, app.pk, "E", {**ROW, "dcl_currcd": "XYZ", "natcd": "999"})
    assert {e.field: e.message for e in exc.value.errors} == {"dcl_currcd": "币制代码XYZ不存在",
                                                              "natcd": "产销国(地区)代码999不存在"}
    assert QualificationGoods.objects.count() == 1


def test_messages_carry_the_jin2_numeric_codes(actor_a):
    app = services.create_application(actor_a, QUAL_HEAD)
    services.save_goods(actor_a, app.pk, "I", {**ROW, "dcl_currcd": "CNY", "natcd": "CHN"})
    xml = services.application_message(actor_a, app.pk)
    assert _texts(xml, "DclCurrcd") == ["142"] and _texts(xml, "Natcd") == ["142"]
    book = gb.approved_book(actor_a)
    assert book.materials.get(gds_seqno=1).dcl_currcd == "USD"
    assert set(_texts(services.book_message(actor_a, book.pk), "DclCurrcd")) == {"502"}
    inventory = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 10)]))
    assert inventory.stship_trsarv_natcd == "JPN"
    xml = services.inventory_message(actor_a, inventory.pk)
    assert _texts(xml, "StshipTrsarvNatcd") == ["116"] and _texts(xml, "Natcd") == ["116"]
    assert _texts(xml, "DestinationNatcd") == ["142"] and _texts(xml, "DclCurrcd") == ["502"]


def test_declaration_draft_of_inv202_gets_the_params_codes(actor_a):
    book = gb.approved_book(actor_a)
    inventory = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 10)]))
    payload = declaration_payload(inventory)
    assert payload["trade_country"] == "JPN"
    item = payload["items"][0]
    assert item["trade_curr"] == "USD"
    assert {item.get("origin_country"), item.get("destination_country")} <= {"JPN", "CHN", None}
    assert "JPN" in item.values()


def test_simulator_checks_accept_what_the_platform_sends_9107_9108(actor_a):
    """sas_checks 9107 (币制) / 9108 (国别) check the codes against the params tables: the numeric 金二
    codes the platform now sends pass, an unknown one is still returned."""
    app = services.create_application(actor_a, QUAL_HEAD)
    services.save_goods(actor_a, app.pk, "I", {**ROW, "dcl_currcd": "USD", "natcd": "JPN"})
    assert sas_checks.check_qualification(parse_qualification(services.application_message(actor_a, app.pk))) == []
    book = gb.draft_book(actor_a)
    assert not [line for line in sas_checks.check_nems(parse_nems(services.book_message(actor_a, book.pk)))
                if line.startswith(("[9107]", "[9108]"))]
    book = gb.approved_book(actor_a)
    inventory = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 1)]))
    lines = sas_checks.check_inv101(parse_inv101(services.inventory_message(actor_a, inventory.pk)))
    assert not [line for line in lines if line.startswith(("[9107]", "[9108]"))], lines
    xml = services.inventory_message(actor_a, inventory.pk).replace(b"<DclCurrcd>502<", b"<DclCurrcd>999<")
    assert any(line.startswith("[9107]") for line in sas_checks.check_inv101(parse_inv101(xml)))
