"""监管方式 groups and what they require of 备案号, 征免性质 and 征免: shared by the declaration
rules and the customs simulator (which may not import the declarations app).

Sources: 《海关进出口货物报关单填制规范》(海关总署公告2019年第18号), the entries 备案号, 监管方式,
征免性质 and 征免; the 监管方式代码表 (2019, its 原报检 column classes the processing-trade modes
as 12 来料加工 / 13 进料加工) and the 征免性质代码表.

Where the public sources are silent the tables say so:
- which letter starts each kind of 备案号 (B 来料加工手册, C 进料加工手册, D 不作价设备手册, E 电子
  账册, Z 征免税证明) is the numbering customs uses on the documents; the 填制规范 names the
  documents, not the letters.
- the 减免税 征免性质 that need a 征免税证明 (Z) are those whose 减免税 is approved case by case
  under the 《海关进出口货物减免税管理办法》 (科教用品, 鼓励项目, 自有资金, 慈善捐赠 ...); the
  legal exemptions that need no certificate (其他法定 299, 特定区域 3xx, 加征关税排除 666,
  选择征税 899, 自贸协定 997, 内部暂定 998) are not in the list.
- 一般贸易 (0110) with a 减免税 征免性质 needs the 征免税证明's number; with 一般征税 (101) it
  carries no 备案号 (the 填制规范 lists no document for it).
"""

from __future__ import annotations

GENERAL_TRADE = "0110"
BORDER_TRADE = "4019"  # 边境小额

# 加工贸易 (手册/账册) modes, by the kind of processing (代码表 原报检 12 来料加工 / 13 进料加工).
# 0815 低值辅料 is left out: 少量低价值辅料按规定不使用《加工贸易手册》(备案号栏, 特殊情况一).
# The 区内 (5014/5015) and 保税工厂 (1215) modes use the zone's or factory's own 账册 and are
# not checked here.
PROCESSING_SUPPLIED = frozenset({"0214", "0245", "0255", "0258", "0265", "0300", "0345", "0845", "0865", "4400"})
PROCESSING_IMPORTED = frozenset({"0615", "0642", "0644", "0654", "0657", "0664", "0700", "0715", "0744", "0844",
                                 "0864", "4600"})
PROCESSING = PROCESSING_SUPPLIED | PROCESSING_IMPORTED
NO_CHARGE_EQUIPMENT = "0320"  # 不作价设备: 手册 D
# 结转 (深加工结转, 余料结转): 征免性质 免予填报 (征免性质栏, 特殊情况三).
CARRY_OVER = frozenset({"0255", "0258", "0654", "0657"})
# 料件退运出口 / 成品退运进口 (and 边角料复出): 征免性质 填报 "其他法定" 299 (征免性质栏, 特殊情况二).
RETURNS = frozenset({"0265", "0300", "0664", "0700", "4400", "4600", "0864", "0865"})
# 加工贸易转内销: 征免性质 按实际情况 (一般征税, 科教用品, 其他法定 ...), never the processing ones.
INTERNAL_SALES = frozenset({"0245", "0644", "0844", "0845"})

CUT_GENERAL = "101"
CUT_SUPPLIED = "502"  # 来料加工
CUT_IMPORTED = "503"  # 进料加工
CUT_EQUIPMENT = "501"  # 加工设备
CUT_OTHER_LEGAL = "299"
PROCESSING_CUTS = frozenset({CUT_EQUIPMENT, CUT_SUPPLIED, CUT_IMPORTED})
# 征免性质 of 减免税 approved case by case: the declaration carries the 征免税证明 (Z...) number.
CERTIFIED_REDUCTION_CUTS = frozenset({
    "201", "401", "402", "403", "405", "406", "407", "408", "409", "412", "413", "417", "418", "419", "420", "421",
    "422", "423", "601", "602", "603", "605", "606", "608", "609", "611", "698", "704", "705", "707", "710", "711",
    "789", "799", "801", "802", "803", "811", "819", "888", "898", "901", "902", "903", "904", "905", "906", "907",
    "908", "909", "910", "911", "921", "922",
})

# 征免 (征减免税方式) codes: 1 照章征税, 3 全免, 6 保证金, 7 保函.
DUTY_FULL = "1"
DUTY_EXEMPT = "3"
DUTY_BONDS = frozenset({"6", "7"})

MANUAL_NO_LENGTH = 12
MANUAL_KINDS = {"B": "来料加工手册", "C": "进料加工手册", "D": "不作价设备手册", "E": "电子账册", "Z": "征免税证明"}


def expected_manual_letters(trade_mode: str, cut_mode: str) -> frozenset[str] | None:
    """The letters a 备案号 may start with for this 监管方式/征免性质; ``frozenset()`` when the
    declaration must carry none; None when the tables do not say."""
    if trade_mode in PROCESSING_SUPPLIED:
        return frozenset("BE")
    if trade_mode in PROCESSING_IMPORTED:
        return frozenset("CE")
    if trade_mode == NO_CHARGE_EQUIPMENT:
        return frozenset("D")
    if cut_mode in CERTIFIED_REDUCTION_CUTS:
        return frozenset("Z")
    if trade_mode == GENERAL_TRADE and cut_mode == CUT_GENERAL:
        return frozenset()
    return None


def manual_no_problems(trade_mode: str, cut_mode: str, manual_no: str, trade_mode_name: str = "") -> list[str]:
    """What is wrong with the 备案号 of a declaration of this 监管方式 and 征免性质 (Chinese)."""
    manual_no = (manual_no or "").strip()
    letters = expected_manual_letters(trade_mode, cut_mode)
    mode = f"监管方式{trade_mode}{f'({trade_mode_name})' if trade_mode_name else ''}"
    if letters is None:
        return []
    if not letters:
        return [f"{mode}、征免性质{cut_mode}的报关单不应填写备案号"] if manual_no else []
    kinds = "或".join(f"{MANUAL_KINDS[x]}({x}开头)" for x in sorted(letters))
    if not manual_no:
        if trade_mode in PROCESSING or trade_mode == NO_CHARGE_EQUIPMENT:
            return [f"{mode}须填写备案号: {kinds}编号"]
        return [f"征免性质{cut_mode}的减免税货物须填写备案号: {kinds}编号"]
    problems = []
    if manual_no[0].upper() not in letters:
        problems.append(f"{mode}、征免性质{cut_mode or '(空)'}的备案号应为{kinds}编号, 实际为{manual_no}")
    if len(manual_no) != MANUAL_NO_LENGTH:
        problems.append(f"备案号应为{MANUAL_NO_LENGTH}位, 实际{len(manual_no)}位: {manual_no}")
    return problems


def cut_mode_problems(trade_mode: str, cut_mode: str, trade_mode_name: str = "") -> list[str]:
    """征免性质 required, 免予填报 or consistent with the 监管方式 (Chinese messages)."""
    mode = f"监管方式{trade_mode}{f'({trade_mode_name})' if trade_mode_name else ''}"
    if trade_mode in CARRY_OVER:
        return [f"{mode}为加工贸易结转, 征免性质免予填报"] if cut_mode else []
    expected = None
    if trade_mode == "0214":
        expected = CUT_SUPPLIED
    elif trade_mode in ("0615", "0715"):
        expected = CUT_IMPORTED
    elif trade_mode in RETURNS:
        expected = CUT_OTHER_LEGAL
    elif trade_mode == NO_CHARGE_EQUIPMENT:
        expected = CUT_EQUIPMENT
    required = expected or trade_mode == GENERAL_TRADE or trade_mode in INTERNAL_SALES
    if not cut_mode:
        return [f"{mode}须填写征免性质"] if required else []
    if expected and cut_mode != expected:
        return [f"{mode}的征免性质应为{expected}, 实际为{cut_mode}"]
    if (trade_mode == GENERAL_TRADE or trade_mode in INTERNAL_SALES) and cut_mode in PROCESSING_CUTS:
        return [f"{mode}不能使用加工贸易征免性质{cut_mode}"]
    return []


def expected_duty_modes(cut_mode: str) -> frozenset[str] | None:
    """征免 each item may take under this 征免性质; None when the tables do not say.

    一般征税 (101): 照章征税. 来料/进料加工 (502/503): 全免 (征免栏: 手册备案的征免规定为
    "保金"或"保函"的, 填报"全免")."""
    if cut_mode == CUT_GENERAL:
        return frozenset({DUTY_FULL})
    if cut_mode in (CUT_SUPPLIED, CUT_IMPORTED):
        return frozenset({DUTY_EXEMPT})
    return None
