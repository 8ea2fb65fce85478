"""监管条件 rules: 许可证号 vs 随附单证, trade-mode variants, inspection goods (issue 12, points 2, 3, 15)."""

from __future__ import annotations

import pytest

from guanwu.params import licence_conditions
from guanwu.params import services as params
from tests.declarations.payloads import export_payload, import_payload
from tests.declarations.rulecheck import errors_of, findings, item_for, messages

pytestmark = pytest.mark.django_db

CHICKEN = "0207141100"  # 冻的带骨鸡块, 监管条件 7AB4x


def _export_of(*items) -> dict:
    raw = export_payload(no_other_pack="1")
    raw["items"] = list(items)
    raw["containers"][0]["goods_no"] = ",".join(str(i + 1) for i in range(len(items)))
    return raw


def _import_of(*items, **head) -> dict:
    raw = import_payload(**head)
    raw["items"] = list(items)
    raw["containers"][0]["goods_no"] = ",".join(str(i + 1) for i in range(len(items)))
    return raw


def _chicken(ie: str) -> dict:
    extra = {"purpose": "12", "goods_attr": "15"} if ie == "I" else {}
    return item_for(CHICKEN, ie, ciq_code=params.ciq_names(CHICKEN)[0][0], **extra)


def test_licence_goes_in_licence_no_not_in_attached_documents(actor_a):
    """填制规范 许可证号: 出口许可证 (4) of a 0110 export of 0207141100 is declared in 许可证号, once;
    随附单证 carries the other 监管证件 only, so neither 4 nor x is asked there, and 4 given as a
    随附单证 is refused."""
    raw = _export_of(_chicken("E"))
    found = findings(actor_a, raw)
    assert "许可证 4(出口许可证), 许可证号不能为空" in errors_of(found)["license_no"]
    assert "items[0].code_ts" not in errors_of(found)  # no 随附单证 4 or x demanded
    raw["license_no"] = "24-AA-123456"
    assert findings(actor_a, raw).errors == []
    raw["licences"] = [{"docu_code": "4", "cert_code": "24-AA-123456"}]
    assert "应填报在许可证号栏" in errors_of(findings(actor_a, raw))["licences[0].docu_code"]


@pytest.mark.parametrize(("ie", "trade_mode", "expected"), [
    ("E", "0110", [("4", True)]), ("E", "0615", [("x", True)]), ("E", "4019", [("y", True)]),
    ("I", "0110", [("7", False)]), ("I", "0615", [("v", False)]),
])
def test_trade_mode_variants_replace_the_general_licence(ie, trade_mode, expected, db):
    """监管证件代码表: x 出口许可证(加工贸易), y 出口许可证(边境小额贸易), v 自动进口许可证(加工贸易)
    replace 4 and 7 by 监管方式; one of each family is needed, never both."""
    needed = licence_conditions.documents_needed("7AB4x", ie, trade_mode)
    assert [(n.code, n.in_licence_no) for n in needed] == expected


def test_import_needs_its_automatic_import_licence_as_attached_document(actor_a):
    """自动进口许可证 (7) is a 随附单证 of an import of 0207141100 (not 7 and v together)."""
    raw = _import_of(_chicken("I"))
    assert "随附单证 7(自动进口许可证)" in errors_of(findings(actor_a, raw))["items[0].code_ts"]
    raw["licences"] = [{"docu_code": "7", "cert_code": "AIL2024000123"}]
    assert findings(actor_a, raw).errors == []


def test_one_licence_number_per_declaration(actor_a):
    """填制规范 许可证号: "一份报关单只允许填报一个许可证号": goods needing 出口许可证 (4) and
    两用物项和技术出口许可证 (3) go on separate declarations."""
    raw = _export_of(_chicken("E"), item_for("1211500021", "E"))
    raw["license_no"] = "24-AA-123456"
    assert "一份报关单只允许填报一个许可证号" in errors_of(findings(actor_a, raw))["license_no"]


def test_deprecated_inspection_organs_not_required(actor_a):
    """Field dictionary: OrgCode/InspOrgCode/VsaOrgCode "字段已废弃，不再使用": an inspected import
    (监管条件 A) passes without them."""
    raw = import_payload()
    assert "org_code" not in raw and "insp_org_code" not in raw
    found = findings(actor_a, raw)
    assert found.errors == []


def test_inspected_import_declares_purpose_and_goods_attributes(actor_a):
    """填制规范 用途/货物属性 (关检融合, 海关总署公告2018年第60号): an import with 监管条件 A
    declares its 用途 and the attributes of its kind: 预包装/非预包装 for foods, 3C 目录内/目录外/
    无需认证 for machinery; codes exist and one per group."""
    raw = import_payload()
    raw["items"][0].update(purpose="", goods_attr="")
    found = errors_of(findings(actor_a, raw))
    assert "须填写用途" in found["items[0].purpose"]
    assert "预包装" in found["items[0].goods_attr"]
    raw["items"][0].update(purpose="12", goods_attr="14,15")
    assert "只能选择一项" in errors_of(findings(actor_a, raw))["items[0].goods_attr"]
    raw["items"][0]["goods_attr"] = "14,99"
    assert "货物属性代码不存在: 99" in errors_of(findings(actor_a, raw))["items[0].goods_attr"]
    laptop = item_for("8471309000", "I", g_unit="001", ciq_code="101", purpose="99", goods_attr="19")
    raw = _import_of(laptop)
    assert "3C认证" in errors_of(findings(actor_a, raw))["items[0].goods_attr"]
    raw["items"][0]["goods_attr"] = "12,19"
    assert "items[0].goods_attr" not in errors_of(findings(actor_a, raw))


def test_dangerous_goods_fields(actor_a):
    """Dictionary DecList 危险货物信息: goods declared dangerous (UN编码, or 非危险化学品 = 0) give
    the UN编码 (4 digits), 危险货物名称 and 危包类别; 非危险化学品 = 1 carries no UN编码."""
    raw = export_payload()
    raw["items"][0].update(uncode="1230")
    found = errors_of(findings(actor_a, raw))
    assert "危险货物名称" in found["items[0].dang_name"] and "危包类别" in found["items[0].dang_pack_type"]
    raw["items"][0].update(dang_name="甲醇", dang_pack_type="2")
    assert not {"items[0].dang_name", "items[0].dang_pack_type"} & set(errors_of(findings(actor_a, raw)))
    raw["items"][0].update(uncode="UN12")
    assert "UN编码应为4位数字" in errors_of(findings(actor_a, raw))["items[0].uncode"]
    raw["items"][0].update(uncode="1230", no_dang_flag="1")
    assert messages(findings(actor_a, raw), "items[0].uncode") == ["第1项 已声明为非危险化学品, 不应填写UN编码"]
