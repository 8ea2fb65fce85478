"""DecMessage: snapshots, XSD validation, readable errors, no N+1, parsing back."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from guanwu.declarations.decmessage import MESSAGE_PREFETCH, build_message
from guanwu.declarations.models import Declaration, DeclarationGoodsLimitVin, DeclarationItem
from guanwu.messages.dec import (
    NAMESPACE,
    DecMessageError,
    DecMessageFormatError,
    format_decimal,
    parse_dec_message,
    validate_dec_message,
)
from guanwu.messages.dec import fields as fielddefs
from guanwu.messages.dec.schema import XSD_PATH
from guanwu.messages.dec.xsdgen import render_xsd
from tests.declarations.factories import make_export_declaration, make_import_declaration

SNAPSHOTS = Path(__file__).with_name("snapshots")
SIGNED = dt.datetime(2024, 11, 4, 10, 20, 30, 450000)
NS = {"d": NAMESPACE}


def _snapshot(name: str, content: bytes) -> None:
    """Compare with tests/messages/snapshots/<name>; UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_bytes(content)
    assert content.decode("utf-8") == path.read_text(encoding="utf-8"), f"snapshot {name} changed"


@pytest.fixture
def import_decl(ent_a, admin_a):
    return make_import_declaration(ent_a, admin_a, client_seq_no="610193000100000001")


@pytest.fixture
def export_decl(ent_a, admin_a):
    return make_export_declaration(ent_a, admin_a, client_seq_no="610193000100000002")


def _fresh(decl: Declaration) -> Declaration:
    return Declaration.objects.get(pk=decl.pk)


# ------------------------------------------------------------------------------ snapshots

def test_import_declaration_snapshot(import_decl):
    xml = build_message(_fresh(import_decl), sign_date=SIGNED)
    _snapshot("dec_import.xml", xml)
    assert validate_dec_message(xml) == []


def test_export_declaration_snapshot(export_decl):
    xml = build_message(_fresh(export_decl), sign_date=SIGNED)
    _snapshot("dec_export.xml", xml)
    assert validate_dec_message(xml) == []


def test_message_shape(import_decl):
    xml = build_message(import_decl, sign_date=SIGNED)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<DecMessage xmlns="http://www.chinaport.gov.cn/dec"')
    root = etree.fromstring(xml)
    assert root.get("version") == "5.0"
    assert [etree.QName(c).localname for c in root] == [
        "DecHead", "DecLists", "DecContainers", "DecLicenseDocus", "DecFreeTxt", "DecSign", "DecCopPromises",
        "EdocRealation",
    ]
    head = root.find("d:DecHead", NS)
    assert [etree.QName(c).localname for c in head] == list(fielddefs.block("DecHead").elements)
    item = root.find("d:DecLists/d:DecList", NS)
    names = [etree.QName(c).localname for c in item]
    assert names.index("DecGoodsLimits") == names.index("CiqName") + 1
    sign = {etree.QName(c).localname: c.text for c in root.find("d:DecSign", NS)}
    assert sign["ClientSeqNo"] == "610193000100000001"
    assert sign["OperType"] == "C"
    assert sign["SignDate"] == "2024110410203045"
    assert sign["ICCode"] == import_decl.typist_no
    assert sign["Sign"] is None


def test_values_are_formatted(import_decl):
    root = etree.fromstring(build_message(import_decl, sign_date=SIGNED))

    def text(path: str) -> str | None:
        return root.findtext(path, namespaces=NS)

    assert text("d:DecHead/d:GrossWet") == "1520.5"
    assert text("d:DecHead/d:NetWt") == "1380.25"
    assert text("d:DecHead/d:FeeRate") == "1200"
    assert text("d:DecHead/d:InsurRate") == "0.3"
    assert text("d:DecHead/d:IEDate") == "20241104"
    assert text("d:DecHead/d:PackNo") == "120"
    assert text("d:DecHead/d:EntryId") == ""
    assert text("d:DecLists/d:DecList[2]/d:DeclPrice") == "4.125"
    assert text("d:DecLists/d:DecList[1]/d:DecGoodsLimits/d:DecGoodsLimit/d:GoodsNo") == "1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.50000"), "12.5"), (Decimal("1E+2"), "100"), (Decimal("1.5E-7"), "0.00000015"),
        (Decimal("0E-5"), "0"), (Decimal("0.00001"), "0.00001"), (Decimal("130000.0000"), "130000"),
        (Decimal("-0.000"), "0"), (Decimal("1234567890123.12345"), "1234567890123.12345"), (None, ""), (3, "3"),
        (2.5, "2.5"),
    ],
)
def test_format_decimal(value, expected):
    assert format_decimal(value) == expected


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_format_decimal_is_plain_and_exact(value):
    text = format_decimal(value)
    assert re.fullmatch(r"-?\d+(\.\d*[1-9])?", text)
    assert Decimal(text) == value


def test_sign_date_of_an_aware_time_is_china_time(import_decl):
    utc = dt.datetime(2024, 11, 4, 2, 20, 30, tzinfo=dt.UTC)
    root = etree.fromstring(build_message(import_decl, sign_date=utc))
    assert root.findtext("d:DecSign/d:SignDate", namespaces=NS) == "2024110410203000"


def test_compact_output_is_the_same_document(import_decl):
    pretty = build_message(import_decl, sign_date=SIGNED)
    compact = build_message(import_decl, sign_date=SIGNED, pretty=False)
    assert b"\n  " not in compact
    parser = etree.XMLParser(remove_blank_text=True)
    assert etree.tostring(etree.fromstring(pretty, parser)) == etree.tostring(etree.fromstring(compact, parser))
    assert validate_dec_message(compact) == []


def test_oper_type_is_checked(import_decl):
    assert b"<OperType>G</OperType>" in build_message(import_decl, oper_type="G")
    with pytest.raises(DecMessageError):
        build_message(import_decl, oper_type="X")


# ------------------------------------------------------------------------- text escaping

def test_special_characters_are_escaped_and_round_trip(import_decl):
    item = import_decl.items.get(g_no=1)
    item.g_model = '0|0|A&B <型号> "x" \'y\' 1>0\r\n第二行'
    item.save()
    data = parse_dec_message(build_message(_fresh(import_decl), sign_date=SIGNED))
    assert data.items[0]["GModel"] == item.g_model.strip()
    root = etree.fromstring(build_message(_fresh(import_decl), sign_date=SIGNED))
    assert root.findtext("d:DecLists/d:DecList/d:GModel", namespaces=NS) == item.g_model


def test_control_characters_are_refused_with_the_field_named(import_decl):
    import_decl.trade_name = "甲企业\x00"
    with pytest.raises(DecMessageError, match=r"境内收发货人名称\(TradeName\)"):
        build_message(import_decl, sign_date=SIGNED)


# --------------------------------------------------------------------------- query counts

def test_building_queries_once_per_relation_whatever_the_item_count(ent_a, django_assert_num_queries):
    def make(n_items: int) -> Declaration:
        decl = make_import_declaration(ent_a)
        for g_no in range(3, n_items + 1):
            item = DeclarationItem.objects.create(declaration=decl, g_no=g_no, code_ts="8471309000")
            item.goods_limits.create(lic_type_code="411", licence_no=f"L{g_no}")
        return _fresh(decl)

    small, large = make(2), make(30)
    # one EXISTS query for the sparse relations, then items, goods limits, VINs and the four
    # relations this declaration has rows in (containers, licences, documents, promises)
    relations = 8
    with django_assert_num_queries(relations):
        build_message(small)
    with django_assert_num_queries(relations):
        build_message(large)


def test_prefetched_declarations_build_without_queries(ent_a, django_assert_num_queries):
    make_import_declaration(ent_a)
    make_export_declaration(ent_a)
    declarations = list(Declaration.objects.prefetch_related(*MESSAGE_PREFETCH))
    with django_assert_num_queries(0):
        for decl in declarations:
            build_message(decl, sign_date=SIGNED)


# ------------------------------------------------------------------------------ validation

def test_every_built_message_validates(ent_a, admin_a):
    decls = [make_import_declaration(ent_a, admin_a), make_export_declaration(ent_a, admin_a)]
    limit = decls[0].items.get(g_no=1).goods_limits.get()
    DeclarationGoodsLimitVin.objects.create(
        goods_limit=limit, vin_no="1", vin_code="LSVAU2180N2183294", bill_lad_date=dt.date(2024, 10, 1),
        invoice_num=Decimal("1"),
    )
    decls[1].eco_relations.create(cert_type="Y03", dec_g_no="1", eco_cert_no="C240001", eco_g_no="1")
    decls[1].request_certs.create(app_cert_code="01", appl_ori="1", appl_copy_quan="0")
    decls[1].cop_limits.create(ent_qualif_type_code="519", ent_qualif_no="4403000123")
    decls[1].users.create(use_org_person_code="张三", use_org_person_tel="13800000000")
    Declaration.objects.filter(pk=decls[0].pk).update(transition_apply="1", transition_site="22480000001")
    for decl in decls:
        xml = build_message(_fresh(decl), sign_date=SIGNED)
        assert validate_dec_message(xml) == [], decl
    xml = build_message(_fresh(decls[0]), sign_date=SIGNED).decode()
    assert "<DecGoodsLimitVin>" in xml and "<DecTpAccess>" in xml
    assert "<LicenceNo>2023010902541238</LicenceNo>" in xml.split("<DecGoodsLimitVin>")[1]


def test_missing_required_values_are_named_in_chinese(import_decl):
    import_decl.agent_code = ""
    item = import_decl.items.get(g_no=2)
    item.code_ts = ""
    item.save()
    errors = validate_dec_message(build_message(import_decl, sign_date=SIGNED))
    assert "表头 申报单位代码(AgentCode)：不能为空" in errors
    assert "表体第2项 商品编号(CodeTS)：不能为空" in errors


def test_too_long_and_bad_decimal_values_are_explained(import_decl):
    decl = Declaration.objects.prefetch_related(*MESSAGE_PREFETCH).get(pk=import_decl.pk)
    decl.bill_no = "B" * 40
    item = decl.items.all()[0]
    item.decl_price = Decimal("1.123456")  # 4 decimals allowed; the database would round it
    item.g_qty = Decimal("-5")
    errors = validate_dec_message(build_message(decl, sign_date=SIGNED))
    assert "表头 提单号(BillNo)：长度为40，超过最大长度32" in errors
    assert "表体第1项 申报单价(DeclPrice)：“1.123456”的小数位超过4位" in errors
    assert "表体第1项 成交数量(GQty)：“-5”不能为负数" in errors


def test_malformed_values_in_a_received_message_are_explained(import_decl):
    xml = build_message(import_decl, sign_date=SIGNED).decode()
    xml = xml.replace("<GrossWet>1520.5</GrossWet>", "<GrossWet>1,520.5</GrossWet>")
    xml = xml.replace("<DespDate>20241018</DespDate>", "<DespDate>2024-10-18</DespDate>")
    xml = xml.replace("<ExgVersion/>", "<ExgVersion>v1</ExgVersion>", 1)
    errors = validate_dec_message(xml.encode())
    assert "表头 毛重(GrossWet)：“1,520.5”不是有效值，应为不小于0的数字，整数位不超过14位、小数位不超过5位" in errors
    assert "表头 启运日期(DespDate)：“2024-10-18”不是有效值，应为yyyyMMdd格式的日期" in errors
    assert "表体第1项 版本号(ExgVersion)：“v1”不是有效值，应为不超过8位的非负整数" in errors
    assert len(errors) == 3


def test_structure_errors(import_decl):
    xml = build_message(import_decl, sign_date=SIGNED).decode()
    no_agent_name = xml.replace("<AgentName>甲企业</AgentName>\n", "")
    assert validate_dec_message(no_agent_name.encode()) == [
        "表头 批准文号(ApprNo)：不应出现在此处，此处应为：申报单位名称(AgentName)"
    ]
    no_items = re.sub(r"<DecLists>.*</DecLists>", "<DecLists/>", xml, flags=re.S)
    assert validate_dec_message(no_items.encode()) == ["表体(DecLists)：缺少必填项：商品项(DecList)"]
    item = re.search(r"    <DecList>.*?</DecList>\n", xml, flags=re.S).group(0)
    too_many = xml.replace(item, item * 51, 1)
    assert validate_dec_message(too_many.encode()) == ["表体第51项：超过上限，最多50项"]
    no_version = xml.replace(' version="5.0"', "")
    assert validate_dec_message(no_version.encode()) == ["报文(DecMessage)：缺少属性version(接口版本号)"]
    no_sign = re.sub(r"  <DecSign>.*</DecSign>\n", "", xml, flags=re.S)
    assert validate_dec_message(no_sign.encode()) == [
        "企业承诺(DecCopPromises)：不应出现在此处，此处应为：签名(DecSign)"
    ]


def test_garbage_is_an_error_not_an_exception():
    assert validate_dec_message(b"not xml")[0].startswith("报文不是格式正确的XML")
    assert validate_dec_message(b"<Other/>") == ["根元素应为 DecMessage（命名空间 http://www.chinaport.gov.cn/dec）"]
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<DecMessage xmlns="http://www.chinaport.gov.cn/dec" version="5.0">&b;</DecMessage>'
    )
    assert validate_dec_message(bomb) == ["报文不允许包含DTD(DOCTYPE)声明"]
    assert validate_dec_message("<DecMessage/>")  # str is accepted too
    assert validate_dec_message(b"")[0].startswith("报文不是格式正确的XML")
    assert validate_dec_message(None)[0].startswith("报文无法读取")  # type: ignore[arg-type]


def test_empty_declaration_builds_and_fails_validation_readably(ent_a):
    decl = Declaration.objects.create(enterprise=ent_a, ie_flag="I")
    errors = validate_dec_message(build_message(decl, sign_date=SIGNED))
    assert "表头 申报单位代码(AgentCode)：不能为空" in errors
    assert any("DecList" in e for e in errors)


def test_xsd_is_generated_from_the_dictionary():
    assert XSD_PATH.read_text(encoding="utf-8") == render_xsd(), "run scripts/build_dec_xsd.py"


def test_xsd_requires_what_declaring_requires():
    schema = etree.parse(str(XSD_PATH))
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
    for block_name, type_name in [("DecHead", "DecHeadType"), ("DecList", "DecListType")]:
        elements = {
            e.get("name"): e
            for e in schema.xpath(f"//xs:complexType[@name='{type_name}']/xs:sequence/xs:element", namespaces=xs)
        }
        for f in fielddefs.fields(block_name):
            assert (elements[f.element].get("minOccurs") != "0") == f.required_on_declare, f.element


# --------------------------------------------------------------------------------- parsing

def test_parse_built_message(import_decl):
    data = parse_dec_message(build_message(import_decl, sign_date=SIGNED))
    assert data.version == "5.0"
    assert data.client_seq_no == "610193000100000001"
    assert data.oper_type == "C" and data.ie_flag == "I"
    assert data.head["TradeMode"] == "0110" and data.head["ApprNo"] == ""
    assert [i["CodeTS"] for i in data.items] == ["8471309000", "8523511000"]
    assert data.goods_limits == ({"GoodsNo": "1", "LicTypeCode": "411", "LicenceNo": "2023010902541238",
                                  "LicWrtofDetailNo": "", "LicWrtofQty": "", "LicWrtofQtyUnit": ""},)
    assert data.containers[0]["ContainerId"] == "MSCU1234565"
    assert data.licences[0] == {"DocuCode": "A", "CertCode": "224800124000123000"}
    assert data.documents[0]["EdocCode"] == "00000001"
    assert data.free_txt["VoyNo"] == "FE446W"
    assert data.cop_promises[0]["DeclaratioMaterialCode"] == "101040"
    assert data.tp_access == {}


@pytest.mark.parametrize(
    "raw",
    [
        b"", b"   ", b"garbage", b"<DecHead/>", b'<DecMessage xmlns="http://www.chinaport.gov.cn/dec"/>',
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><DecMessage>&e;</DecMessage>', "text",
    ],
)
def test_parse_refuses_what_is_not_a_message(raw):
    with pytest.raises(DecMessageFormatError):
        parse_dec_message(raw)
