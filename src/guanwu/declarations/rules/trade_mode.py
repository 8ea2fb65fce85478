"""监管方式 -> 备案号, 征免性质 and each item's 征免 (see ``guanwu.params.trade_modes``)."""

from __future__ import annotations

from guanwu.params import services as params
from guanwu.params import trade_modes

from ..payload import DeclarationData
from .base import Findings, item_path, item_prefix


def _mode_name(data: DeclarationData) -> str:
    return params.code_name("trade-modes", data.head.get("trade_mode")) or ""


def record_number_matches_trade_mode(data: DeclarationData, out: Findings) -> None:
    """备案号: 加工贸易 modes carry their 手册 (B 来料 / C 进料) or 账册 (E); 不作价设备 its D 手册;
    减免税 征免性质 the 征免税证明 (Z); 一般贸易 with 一般征税 none."""
    h = data.head
    trade_mode, cut_mode = h.get("trade_mode") or "", h.get("cut_mode") or ""
    if not trade_mode:
        return
    for problem in trade_modes.manual_no_problems(trade_mode, cut_mode, h.get("manual_no") or "", _mode_name(data)):
        out.rule("manual_no", problem)


def cut_mode_matches_trade_mode(data: DeclarationData, out: Findings) -> None:
    """征免性质: required where the 监管方式 has one (一般贸易 101, 来料加工 502, 进料加工 503,
    退运 299 ...), 免予填报 for 加工贸易结转, and consistent with the 监管方式."""
    trade_mode = data.head.get("trade_mode") or ""
    if not trade_mode:
        return
    for problem in trade_modes.cut_mode_problems(trade_mode, data.head.get("cut_mode") or "", _mode_name(data)):
        out.rule("cut_mode", problem)


def duty_modes_match_cut_mode(data: DeclarationData, out: Findings) -> None:
    """征免 of each item under the 征免性质: 一般征税 -> 照章征税; 来料/进料加工 -> 全免."""
    cut_mode = data.head.get("cut_mode") or ""
    allowed = trade_modes.expected_duty_modes(cut_mode)
    if not allowed:
        return
    names = "、".join(f"{c}({params.code_name('duty-modes', c)})" for c in sorted(allowed))
    for index, row in enumerate(data.items):
        duty_mode = row.get("duty_mode") or ""
        if duty_mode and duty_mode not in allowed:
            out.rule(item_path(index, "duty_mode"),
                     f"{item_prefix(row, index)} 征免性质{cut_mode}的商品征免应为{names}, 实际为{duty_mode}"
                     f"({params.code_name('duty-modes', duty_mode) or duty_mode})")


def check_trade_mode(data: DeclarationData, out: Findings) -> None:
    record_number_matches_trade_mode(data, out)
    cut_mode_matches_trade_mode(data, out)
    duty_modes_match_cut_mode(data, out)
