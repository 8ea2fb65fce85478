"""监管方式, 运输方式, packing and dates (issue 12, points 7, 8, 11, 12, 13, 16, 17)."""

from __future__ import annotations

import datetime as dt

import pytest

from guanwu.declarations import forms, rules
from tests.declarations.payloads import export_payload, import_payload
from tests.declarations.rulecheck import errors_of, findings, messages

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- 监管方式


def _processing(trade_mode: str, cut_mode: str, manual_no: str, duty_mode: str = "3") -> dict:
    raw = import_payload(trade_mode=trade_mode, cut_mode=cut_mode, manual_no=manual_no)
    raw["items"][0]["duty_mode"] = duty_mode
    return raw


@pytest.mark.parametrize(("trade_mode", "cut_mode", "manual_no", "words"), [
    ("0110", "101", "C22481234567", "不应填写备案号"),
    ("0615", "503", "", "须填写备案号"),
    ("0615", "503", "B22481234567", "进料加工手册(C开头)或电子账册(E开头)"),
    ("0214", "502", "C22481234567", "来料加工手册(B开头)或电子账册(E开头)"),
    ("0615", "503", "C2248123", "备案号应为12位"),
    ("0110", "401", "", "须填写备案号: 征免税证明(Z开头)"),
])
def test_record_number_matches_the_trade_mode(actor_a, trade_mode, cut_mode, manual_no, words):
    """填制规范 备案号: 加工贸易 declares its 《加工贸易手册》 (B 来料, C 进料) or 账册 (E), 减免税
    its 《征免税证明》 (Z); 一般贸易 with 一般征税 has none."""
    duty = "1" if cut_mode == "101" else "3"
    found = errors_of(findings(actor_a, _processing(trade_mode, cut_mode, manual_no, duty)))
    assert words in found.get("manual_no", ""), found


@pytest.mark.parametrize(("trade_mode", "cut_mode", "manual_no"), [
    ("0615", "503", "C22481234567"), ("0615", "503", "E22481234567"), ("0214", "502", "B22481234567"),
    ("0110", "401", "Z22481234567"),
])
def test_record_number_accepted(actor_a, trade_mode, cut_mode, manual_no):
    """The same rule's accepted cases: 手册/账册/征免税证明 of the right kind."""
    duty = "1" if cut_mode == "101" else "3"
    assert "manual_no" not in errors_of(findings(actor_a, _processing(trade_mode, cut_mode, manual_no, duty)))


@pytest.mark.parametrize(("trade_mode", "cut_mode", "manual_no", "words"), [
    ("0110", "", "", "须填写征免性质"),
    ("0214", "101", "B22481234567", "征免性质应为502"),
    ("0615", "502", "C22481234567", "征免性质应为503"),
    ("0654", "503", "C22481234567", "征免性质免予填报"),
    ("0110", "503", "", "不能使用加工贸易征免性质503"),
    ("0664", "503", "C22481234567", "征免性质应为299"),
])
def test_cut_mode_required_and_consistent_with_the_trade_mode(actor_a, trade_mode, cut_mode, manual_no, words):
    """填制规范 征免性质: 一般贸易 101 (or its 减免税), 来料加工 502, 进料加工 503, 料件退运 299
    (其他法定); 加工贸易结转 免予填报."""
    found = errors_of(findings(actor_a, _processing(trade_mode, cut_mode, manual_no)))
    assert words in found.get("cut_mode", ""), found


def test_duty_mode_follows_the_cut_mode(actor_a):
    """填制规范 征免: 一般征税 items are 照章征税 (1); 加工贸易 (502/503) items 全免 (3) (a 手册's
    保金/保函 is declared 全免)."""
    raw = import_payload()
    raw["items"][0]["duty_mode"] = "3"
    assert "征免应为1(照章征税)" in errors_of(findings(actor_a, raw))["items[0].duty_mode"]
    raw = _processing("0615", "503", "C22481234567", duty_mode="6")
    assert "征免应为3(全免)" in errors_of(findings(actor_a, raw))["items[0].duty_mode"]


# --------------------------------------------------------------------------- ports by direction


def test_export_declares_destination_and_exit_ports_not_departure_port(actor_a):
    """填制规范 启运港 ("进口货物在运抵我国关境前的第一个境外装运港") and 货物存放地点 ("货物进境后存放
    的场所") are import fields; an export declares 指运港 and 离境口岸. The field dictionary marks
    DespPortCode/GoodsPlace 申报必填 for both directions: the 填制规范 wins (rules.required)."""
    raw = export_payload()
    assert "desp_port_code" not in raw and "goods_place" not in raw
    assert findings(actor_a, raw).errors == []
    found = errors_of(findings(actor_a, export_payload(distinate_port="", enty_port_code="")))
    assert found["distinate_port"] == "指运港不能为空" and found["enty_port_code"] == "离境口岸不能为空"
    found = errors_of(findings(actor_a, import_payload(desp_port_code="", goods_place="")))
    assert found["desp_port_code"] == "启运港不能为空" and found["goods_place"] == "货物存放地点不能为空"


def test_port_fields_labelled_and_required_by_direction(db):
    """The entry form shows and marks each port field for its direction: 经停港/指运港,
    入境口岸/离境口岸; 启运港 and 货物存放地点 on the import form only."""
    assert rules.head_label("distinate_port", "E") == "指运港" and rules.head_label("distinate_port", "I") == "经停港"
    assert rules.head_label("enty_port_code", "E") == "离境口岸"
    export_cells = {c.key: c for b in forms.bind_layout({}, "E") for c in b.cells}
    import_cells = {c.key: c for b in forms.bind_layout({}, "I") for c in b.cells}
    assert "desp_port_code" not in export_cells and "goods_place" not in export_cells
    assert import_cells["desp_port_code"].label == "启运港" and import_cells["desp_port_code"].required
    assert export_cells["distinate_port"].label == "指运港" and export_cells["distinate_port"].required
    assert "desp_port_code" not in forms.declare_required_head("E")
    assert {"org_code", "insp_org_code"}.isdisjoint(forms.head_names("I"))


# --------------------------------------------------------------------------- transport documents


@pytest.mark.parametrize(("head", "field", "words"), [
    ({"voy_no": ""}, "voy_no", "运输方式为水路运输的报关单须填写航次号"),
    ({"bill_no": ""}, "bill_no", "须填写提运单号"),
    ({"traf_mode": "5", "traf_name": "CA1043", "voy_no": "", "bill_no": ""}, "bill_no", "须填写提运单号"),
    ({"traf_mode": "5", "traf_name": "CA1043", "voy_no": "042W", "bill_no": "999-12345675"}, "voy_no",
     "航空运输的报关单航次号免予填报"),
    ({"traf_mode": "5", "traf_name": "MSC OSCAR", "voy_no": "", "bill_no": "999-12345675"}, "traf_name", "航班号"),
    ({"traf_mode": "5", "traf_name": "CA1043", "voy_no": "", "bill_no": "999-12345676"}, "bill_no", "校验位不正确"),
    ({"traf_mode": "4", "traf_name": "", "voy_no": "", "bill_no": ""}, "bill_no", "须填写提运单号"),
    ({"traf_mode": "4", "traf_name": "粤Z1234港", "voy_no": "W42", "bill_no": "RM2024110400001"}, "voy_no",
     "8位进出境日期"),
    ({"traf_mode": "9", "traf_name": "MSC OSCAR"}, "traf_name", "无实际进出境"),
])
def test_transport_documents_by_transport_mode(actor_a, head, field, words):
    """填制规范 运输工具名称及航次号/提运单号: 水路 船名+航次号+提单号; 航空 航班号, no 航次号,
    总运单号 (IATA check digit) [_分运单号]; 公路 总运单号, 航次号 an 8-digit date when given;
    modes without an actual crossing (0 1 7 8 9 H T W X Y Z) leave all three empty."""
    found = errors_of(findings(actor_a, import_payload(**head)))
    assert words in found.get(field, ""), found


@pytest.mark.parametrize("head", [
    {"traf_mode": "5", "traf_name": "CA1043", "voy_no": "", "bill_no": "999-12345675_HAWB8801"},
    {"traf_mode": "4", "traf_name": "", "voy_no": "20241104", "bill_no": "RM2024110400001"},
    {"traf_mode": "9", "traf_name": "", "voy_no": "", "bill_no": ""},
])
def test_transport_documents_accepted(actor_a, head):
    found = errors_of(findings(actor_a, import_payload(**head)))
    assert not {"traf_name", "voy_no", "bill_no"} & set(found), found


def test_containerised_items_are_in_a_container(actor_a):
    """集装箱商品项号关系: with containers declared, each item is in some container; packed sea cargo
    without any container is questioned (a warning: break-bulk cargo exists)."""
    raw = export_payload()
    raw["containers"][0]["goods_no"] = "1"
    assert "未出现在任何集装箱" in errors_of(findings(actor_a, raw))["items[1].g_no"]
    raw = import_payload(containers=[])
    found = findings(actor_a, raw)
    assert found.errors == [] and messages(found, "containers", warnings=True)


# --------------------------------------------------------------------------- packing and dates


def test_package_count_zero_is_refused(actor_a):
    """填制规范 件数: "不得填报为零, 裸装货物填报为“1”"."""
    assert "件数不得为0" in errors_of(findings(actor_a, export_payload(pack_no=0)))["pack_no"]


def test_weights_under_one_kilogram_are_declared_as_one(actor_a):
    """填制规范 毛重/净重: "不足一千克的填报为“1”"."""
    raw = import_payload(gross_wet="0.6", net_wt="0.5")
    raw["items"][0].update(g_qty="0.5", first_qty="0.5", decl_price="8", decl_total="4")
    found = errors_of(findings(actor_a, raw))
    assert "应填报为1" in found["gross_wet"] and "应填报为1" in found["net_wt"]


def test_other_packaging_or_none(actor_a):
    """填制规范 包装种类: 运输包装 in 包装种类, the other packaging (植物性铺垫材料 ...) in 其他包装, or
    无其他包装 ticked; not both, and 其他包装 does not repeat the 运输包装."""
    found = errors_of(findings(actor_a, export_payload(no_other_pack="")))
    assert "请填写其他包装, 或勾选无其他包装" in found["no_other_pack"]
    raw = export_payload(no_other_pack="", other_packs=[{"pack_qty": "12", "pack_type": "92"}])
    assert findings(actor_a, raw).errors == []
    raw["no_other_pack"] = "1"
    assert "不应再填写其他包装" in errors_of(findings(actor_a, raw))["no_other_pack"]
    raw = export_payload(no_other_pack="0", other_packs=[{"pack_qty": "12", "pack_type": "22"}])
    assert "不应重复填写" in errors_of(findings(actor_a, raw))["other_packs[0].pack_type"]


def test_export_date_left_to_customs(actor_a):
    """填制规范 进出口日期: 出口日期 "在申报时免予填报"."""
    assert "免予填报" in errors_of(findings(actor_a, export_payload(ie_date="2024-09-20")))["ie_date"]


def test_late_declaration_fee_warning(actor_a):
    """《海关征收进口货物滞报金办法》: declared more than 14 days after arrival, an import pays
    0.5 ‰ of its customs value a day; the declaration is warned with the days late."""
    arrived = dt.date(2024, 11, 4)
    on_time = findings(actor_a, import_payload(), as_of=arrived + dt.timedelta(days=14))
    assert not messages(on_time, "ie_date", warnings=True)
    late = findings(actor_a, import_payload(), as_of=arrived + dt.timedelta(days=20))
    (warning,) = messages(late, "ie_date", warnings=True)
    assert "滞报金" in warning and "6天" in warning and "0.5‰" in warning
    assert late.errors == []


def test_today_is_beijing_today(actor_a, monkeypatch):
    """The declaration's dates are 北京时间 (海关 works on China Standard Time, settings.TIME_ZONE):
    at 01:00 in Beijing, still the previous day in UTC, an import that arrived "today" in Beijing is
    neither in the future nor counted from the UTC date (``timezone.now().date()`` would be)."""
    from django.utils import timezone

    utc_evening = dt.datetime.now(dt.UTC).replace(hour=17, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: utc_evening)
    beijing_today = (utc_evening + dt.timedelta(hours=8)).date()
    assert beijing_today == utc_evening.date() + dt.timedelta(days=1)
    found = findings(actor_a, import_payload(ie_date=beijing_today.isoformat()))
    assert not messages(found, "ie_date", warnings=True), (beijing_today, found.warnings)
