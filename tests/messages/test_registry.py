"""The message-family registry (issue 14, point 1): which family a file is, by root element and
namespace; the DecMessage builder on plain data; the message layer imports no tenant app."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from guanwu.messages import registry
from guanwu.messages.dec import DecMessageInput, GoodsLimitRows, ItemRows, build_dec_message, parse_dec_message
from guanwu.messages.dec.structure import NAMESPACE as DEC_NS

HERE = Path(__file__).parent


@pytest.mark.parametrize(("path", "family", "message_type"), [
    ("snapshots/dec_import.xml", "dec", "DecMessage"),
    ("ceb/samples/export/CEB213Message.xml", "ceb", "CEB213"),
    ("ceb/samples/export/CEB214Message.xml", "ceb", "CEB214"),  # the sample's alias root CEB214
    ("sas/samples/INV201_pass.xml", "sas", "INV201"),
    ("sas/samples/INV201_pass_gbk.xml", "sas", "INV201"),
    ("sas/samples/EMS211_approved.xml", "sas", "EMS211"),
])
def test_files_are_told_apart_by_root_and_namespace(path, family, message_type):
    found = registry.identify((HERE / path).read_bytes())
    assert (found.family_name, found.message_type, found.problem) == (family, message_type, "")


@pytest.mark.parametrize(("data", "family", "message_type"), [
    (b'<DecImportResponse xmlns="http://www.chinaport.gov.cn/dec"><ResponseCode>0</ResponseCode></DecImportResponse>',
     "dec", "DecImportResponse"),
    (b"<DecImportResponse><ResponseCode>0</ResponseCode></DecImportResponse>", "dec", "DecImportResponse"),
    (b"<DEC_DATA><DEC_RESULT/></DEC_DATA>", "dec", "DEC_RESULT"),
    # the root name alone does not make a family: a DecMessage outside the dec namespace is unknown
    (b"<DecMessage/>", "", ""),
    (b'<CEB303Message xmlns="http://www.chinaport.gov.cn/dec"/>', "", ""),
    (b"<Order/>", "", ""),
])
def test_receipts_and_strangers(data, family, message_type):
    found = registry.identify(data)
    assert (found.family_name, found.message_type, found.problem) == (family, message_type, "")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "文件为空"),
    (b"not xml", "文件不是格式正确的XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "文件不允许"),
    (b'<?xml version="1.0" encoding="GB2312"?><x>\xff\xff</x>', "GB编码"),
])
def test_unreadable_files_say_why_and_never_raise(data, reason):
    found = registry.identify(data)
    assert found.family is None and found.root == "" and reason in found.problem


def test_every_family_has_the_same_parts():
    """field dictionary, structure, builder, XSD, parser, receipts and the registry entry."""
    for fam in registry.families():
        package = Path(registry.__file__).parent / fam.name
        for part in ("fields.py", "structure.py", "builder.py", "schema.py", "parser.py", "receipts.py", "family.py"):
            assert (package / part).exists(), f"{fam.name}/{part}"
        assert list((package / "xsd").glob("*.xsd")), f"{fam.name}/xsd"


def test_the_dec_builder_takes_plain_data_without_a_database():
    head = {"ie_flag": "I", "custom_master": "2248", "gross_wet": Decimal("12.50"), "ie_date": dt.date(2024, 11, 4),
            "client_seq_no": "610193000100000009", "typist_no": "8930000012345", "inputer_name": "王晓燕"}
    item = {"g_no": 1, "code_ts": "8471309000", "g_name": "笔记本电脑 <A&B>", "decl_price": Decimal("650.1000")}
    data = DecMessageInput(head=head, items=[ItemRows(item, [GoodsLimitRows({"lic_type_code": "411"}, [{}])])],
                           containers=[{"container_id": "MSCU1234565"}])
    xml = build_dec_message(data, sign_date=dt.datetime(2024, 11, 4, 10, 0, tzinfo=dt.UTC))
    message = parse_dec_message(xml)
    assert registry.identify(xml).family_name == "dec"
    assert message.head["GrossWet"] == "12.5" and message.head["IEDate"] == "20241104"
    assert message.items[0]["GName"] == "笔记本电脑 <A&B>" and message.items[0]["DeclPrice"] == "650.1"
    assert message.goods_limits[0]["GoodsNo"] == "1"
    assert message.goods_limit_vins[0]["LicTypeCode"] == "411"
    assert message.containers[0]["ContainerId"] == "MSCU1234565"
    assert message.sign["ClientSeqNo"] == "610193000100000009" and message.sign["SignDate"] == "2024110418000000"
    assert xml.count(f'xmlns="{DEC_NS}"'.encode()) == 1


def test_the_message_layer_imports_no_django_and_no_tenant_app():
    """Every family, the registry and the shared modules are pure: no Django, no ORM, no other
    guanwu app, so the simulator and scripts use them without settings (issue 14: no module
    under messages/ imports a tenant app). One check for every family."""
    code = (
        "import sys, guanwu.messages.registry as r; r.families(); "
        "import guanwu.messages.dec, guanwu.messages.ceb, guanwu.messages.sas; "
        "print([m for m in sys.modules if m.split('.')[0] == 'django' "
        "or (m.startswith('guanwu.') and not m.startswith('guanwu.messages'))])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"
