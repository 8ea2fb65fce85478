"""Receipts of the processing-trade family: parse what the Single Window and customs send
back (the platform), and build them (the simulator).

- ``CommonResponeMessage`` (sic, the official spelling): the Single Window client's answer to
  every imported file, no namespace. DealFlag ``0`` = 导入成功 with the 预录入统一编号 SeqNo; any
  other value (``-1``) = 导入失败 with the reason in CheckInfo. (receipts.md §1; samples G.)
- Customs receipts: ``Package`` in the XML-DSig namespace with EnvelopInfo, DataInfo/
  [PocketInfo]/BussinessData/<message type> (receipts.md §2):

  - ``INV201`` 核注清单审核回执: HdeApprResult (manageResult 1 通过(已核扣), 2 转人工, 3 退单,
    4 预核扣, 5 通过(未核扣), Y 入库成功, Z 入库失败), optional CheckInfo lines, BondInvtBsc (head,
    with the 18-character 清单编号 ``QD`` + 关区 + yy + I/E + 9 digits), BondInvtDtl lines.
    (``BondInvtDtl`` is gx-customs-bridge's name; no public sample carries lines: unverified.)
  - ``INV202`` 核注清单生成报关单回执: InvApprResult (manageResult 1 生成成功 / 2 生成失败, the
    报关单统一编号 entrySeqNo). Not a 核扣 receipt.
  - ``INV211`` 核注清单记账(核扣)回执: BondInvtBsc + BwsDt ledger lines.
  - ``EMS201`` / ``EMS211``: **guanwu simulator's own design** — no public receipt of the
    企业资质申请 (EMS101) or 加工贸易账册 (EMS111) exists (receipts.md §7). Modelled on INV201:
    HdeApprResult (manageResult 1 审批通过, 2 转人工审核, 3 海关退单, Y 入库成功, Z 入库失败, codes
    as SAS221) + CheckInfo lines in the seed's form ``[3349] 加工账册资质: 商务部前置审批开关开启,
    企业必须申报表体, 退单`` / ``[3402] 联网电子审核通过, 转岗``. On approval businessId carries
    the 账册编号 (``E`` + 主管海关 + yy + 5 digits) or 档案库编号. The names EMS201/EMS211 follow
    the INV101 -> INV201 pattern; they are ours.

Values are kept as received text, except date-times, read as aware datetimes in China time.
Parsing is for untrusted files (defusedxml; DTDs, entities and external references
forbidden; GB-encoded files transcoded; over 5 MB refused); every problem raises
:class:`ReceiptError` with a Chinese message, never another exception. Element names are
matched without namespace. Each receipt's ``implied_status`` is a key of
:data:`.codes.STATES` (from ``data/codes.csv``), for the service that applies it.

Pure: no Django, no models.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from functools import cache, wraps
from typing import Any, ClassVar
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from lxml import etree

from guanwu.messages.common import child, children, leaf_values, local, read_untrusted

from . import codes
from .structure import XMLDSIG
from .types import PocketInfo

CHINA = ZoneInfo("Asia/Shanghai")
MAX_RECEIPT_BYTES = 5 * 1024 * 1024
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

RECEIPT_TYPES = ("INV201", "INV202", "INV211", "EMS201", "EMS211")
# Which sent message each customs receipt answers.
ANSWERS = {"INV201": "INV101", "INV202": "INV101", "INV211": "INV101", "EMS201": "EMS101", "EMS211": "EMS111"}


class ReceiptError(ValueError):
    """A receipt that cannot be read; ``str(error)`` is a Chinese message for the operator."""


def camel(name: str) -> str:
    """Element name of a receipt field: ``bond_invt_no`` -> ``bondInvtNo``, ``invt_g_no`` -> ``invtGNo``."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


# ------------------------------------------------------------------------------------ types

@dataclass(frozen=True)
class ReceiptEnvelope:
    """EnvelopInfo of a customs receipt (no IC card; message_type is a field here)."""

    version: str = "1.0"
    business_id: str = ""
    message_id: str = ""
    file_name: str = ""
    message_type: str = ""
    sender_id: str = ""
    receiver_id: str = ""
    send_time: dt.datetime | None = None


@dataclass(frozen=True)
class CommonResponse:
    """CommonResponeMessage: the Single Window client's import answer."""

    seq_no: str = ""  # 预录入统一编号 (on success)
    etps_preent_no: str = ""  # 企业内部编号 (INV101: EtpsInnerInvtNo)
    check_info: str = ""  # 响应信息 / the reason of a failure
    deal_flag: str = ""  # 0 导入成功, other = 导入失败

    kind: ClassVar[str] = "CommonResponeMessage"

    @property
    def ok(self) -> bool:
        return self.deal_flag == "0"

    @property
    def implied_status(self) -> str:
        return "declared" if self.ok else "failed"

    @property
    def text(self) -> str:
        return self.check_info or codes.code_text("deal_flag", "0" if self.ok else "-1")


@dataclass(frozen=True)
class HdeApprResult:
    """审核信息回执 (INV201, and guanwu's EMS201/EMS211)."""

    etps_preent_no: str = ""  # in practice the 18-digit 预录入统一编号
    business_id: str = ""  # 业务编号: 清单编号 QD..., 账册编号, 档案库编号
    tms_cnt: str = ""  # 变更/报核次数
    typecd: str = ""  # 业务类型 (1 in every sample; meaning unverified)
    manage_result: str = ""
    manage_date: dt.datetime | None = None
    rmk: str = ""


@dataclass(frozen=True)
class CheckInfo:
    """检查信息: one line, e.g. ``[3402] 联网电子审核通过, 转岗``."""

    etps_preent_no: str = ""
    business_id: str = ""
    note: str = ""


@dataclass(frozen=True)
class BondInvtBsc:
    """核注清单表头 as customs echoes it (lowerCamel customs names; text as received)."""

    bond_invt_no: str = ""
    chg_tms_cnt: str = ""
    invt_preent_no: str = ""
    putrec_no: str = ""
    etps_inner_invt_no: str = ""
    bizop_etps_sccd: str = ""
    bizop_etpsno: str = ""
    bizop_etps_nm: str = ""
    rvsngd_etps_sccd: str = ""
    rcvgd_etpsno: str = ""
    rcvgd_etps_nm: str = ""
    dcl_etps_sccd: str = ""
    dcl_etpsno: str = ""
    dcl_etps_nm: str = ""
    invt_dcl_time: str = ""
    entry_dcl_time: str = ""
    entry_no: str = ""
    rlt_invt_no: str = ""
    rlt_putrec_no: str = ""
    rlt_entry_no: str = ""
    rlt_entry_bizop_etps_sccd: str = ""
    rlt_entry_bizop_etpsno: str = ""
    rlt_entry_bizop_etps_nm: str = ""
    impexp_portcd: str = ""
    dcl_plc_cuscd: str = ""
    impexp_markcd: str = ""
    mtpck_endprd_markcd: str = ""
    supv_modecd: str = ""
    trsp_modecd: str = ""
    stship_trsarv_natcd: str = ""
    apply_no: str = ""
    dclcus_flag: str = ""
    dclcus_typecd: str = ""
    prevd_time: str = ""
    formal_vrfded_time: str = ""
    invt_iochkpt_stucd: str = ""
    vrfded_markcd: str = ""
    invt_stucd: str = ""
    vrfded_modecd: str = ""
    du_code: str = ""
    rmk: str = ""
    bond_invt_typecd: str = ""
    entry_stucd: str = ""
    passport_used_typecd: str = ""
    param1: str = ""
    param2: str = ""
    param3: str = ""
    param4: str = ""
    need_entry_modified: str = ""
    levy_bl_amt: str = ""
    dcl_typecd: str = ""


@dataclass(frozen=True)
class BondInvtDtl:
    """核注清单表体 line in an INV201 (element name unverified, see module doc)."""

    chg_tms_cnt: str = ""
    bond_invt_no: str = ""
    gds_seqno: str = ""
    entry_gds_seqno: str = ""
    putrec_seqno: str = ""
    gdecd: str = ""
    gds_mtno: str = ""
    gds_nm: str = ""
    gds_spcf_model_desc: str = ""
    lawf_unitcd: str = ""
    lawf_qty: str = ""
    secd_lawf_unitcd: str = ""
    secd_lawf_qty: str = ""
    dcl_unitcd: str = ""
    dcl_qty: str = ""
    dcl_currcd: str = ""
    dcl_uprc_amt: str = ""
    dcl_total_amt: str = ""
    usd_stat_total_amt: str = ""
    actl_pass_qty: str = ""
    passport_used: str = ""
    natcd: str = ""
    destination_natcd: str = ""
    lvyrlf_modecd: str = ""
    cly_markcd: str = ""
    wt_sf_val: str = ""
    fst_sf_val: str = ""
    secd_sf_val: str = ""
    gross_wt: str = ""
    net_wt: str = ""
    ucns_verno: str = ""
    use_cd: str = ""
    apply_tb_seqno: str = ""
    modf_markcd: str = ""
    rmk: str = ""
    param1: str = ""
    param2: str = ""
    param3: str = ""
    param4: str = ""


@dataclass(frozen=True)
class BwsDt:
    """INV211 账册记账明细 (the ledger line after 核扣)."""

    bws_no: str = ""
    chg_tms_cnt: str = ""
    gds_seqno: str = ""
    in_date: str = ""
    gds_mtno: str = ""
    gdecd: str = ""
    gds_nm: str = ""
    gds_spcf_model_desc: str = ""
    natcd: str = ""
    dcl_unitcd: str = ""
    lawf_unitcd: str = ""
    secd_lawf_unitcd: str = ""
    dcl_uprc_amt: str = ""
    dcl_currcd: str = ""
    avg_price: str = ""
    total_amt: str = ""
    in_qty: str = ""
    in_lawf_qty: str = ""
    in_secd_lawf_qty: str = ""
    actl_inc_qty: str = ""
    actl_redc_qty: str = ""
    prevd_inc_qty: str = ""
    prevd_redc_qty: str = ""
    out_date: str = ""
    limit_date: str = ""
    in_type: str = ""
    invt_no: str = ""
    invt_g_no: str = ""
    cusm_exe_markcd: str = ""
    rmk: str = ""
    modf_markcd: str = ""


@dataclass(frozen=True)
class InvApprResult:
    """INV202 核注清单生成报关单结果."""

    inv_preent_no: str = ""  # 核注清单预录入统一编号
    business_id: str = ""  # 清单编号 QD...
    entry_seq_no: str = ""  # 报关单统一编号
    manage_result: str = ""  # 1 生成成功, 2 生成失败
    create_date: dt.datetime | None = None
    reason: str = ""  # 生成失败原因


@dataclass(frozen=True)
class Inv201Receipt:
    """INV201 核注清单审核回执."""

    envelope: ReceiptEnvelope
    result: HdeApprResult
    check_infos: tuple[CheckInfo, ...] = ()
    head: BondInvtBsc | None = None
    items: tuple[BondInvtDtl, ...] = ()
    pocket: PocketInfo | None = None

    kind: ClassVar[str] = "INV201"

    def __post_init__(self) -> None:
        object.__setattr__(self, "check_infos", tuple(self.check_infos))
        object.__setattr__(self, "items", tuple(self.items))

    @property
    def seq_no(self) -> str:
        return (self.head.invt_preent_no if self.head else "") or self.result.etps_preent_no

    @property
    def bond_invt_no(self) -> str:
        return (self.head.bond_invt_no if self.head else "") or self.result.business_id

    @property
    def manage_result_text(self) -> str:
        return codes.code_text("inv201_manage_result", self.result.manage_result)

    @property
    def implied_status(self) -> str | None:
        return codes.code_state("inv201_manage_result", self.result.manage_result)


@dataclass(frozen=True)
class Inv202Receipt:
    """INV202 核注清单生成报关单回执."""

    envelope: ReceiptEnvelope
    result: InvApprResult

    kind: ClassVar[str] = "INV202"

    @property
    def ok(self) -> bool:
        return self.result.manage_result == "1"

    @property
    def manage_result_text(self) -> str:
        return codes.code_text("inv202_manage_result", self.result.manage_result)

    @property
    def implied_status(self) -> str | None:
        return codes.code_state("inv202_manage_result", self.result.manage_result)


@dataclass(frozen=True)
class Inv211Receipt:
    """INV211 核注清单记账(核扣)回执."""

    envelope: ReceiptEnvelope
    head: BondInvtBsc
    bws_rows: tuple[BwsDt, ...] = ()
    pocket: PocketInfo | None = None

    kind: ClassVar[str] = "INV211"

    def __post_init__(self) -> None:
        object.__setattr__(self, "bws_rows", tuple(self.bws_rows))

    @property
    def implied_status(self) -> str | None:
        """By the head's 核扣标记 (2 已核扣 -> verified, ...)."""
        return codes.code_state("vrfded_markcd", self.head.vrfded_markcd)


@dataclass(frozen=True)
class EmsReceipt:
    """EMS201 (企业资质申请) / EMS211 (加工贸易账册) 审批回执: guanwu simulator's own format."""

    envelope: ReceiptEnvelope
    result: HdeApprResult
    check_infos: tuple[CheckInfo, ...] = ()
    pocket: PocketInfo | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "check_infos", tuple(self.check_infos))

    @property
    def kind(self) -> str:
        return self.envelope.message_type

    @property
    def manage_result_text(self) -> str:
        return codes.code_text("ems_manage_result", self.result.manage_result)

    @property
    def implied_status(self) -> str | None:
        return codes.code_state("ems_manage_result", self.result.manage_result)

    @property
    def check_lines(self) -> tuple[CheckLine, ...]:
        return tuple(parse_check_line(c.note) for c in self.check_infos)


SasReceipt = CommonResponse | Inv201Receipt | Inv202Receipt | Inv211Receipt | EmsReceipt


# ------------------------------------------------------------------------------ check info

EFFECT_WORDS = {"rejected": "退单", "manual_review": "转岗", "approved": "通过"}
_WORD_EFFECTS = {"退单": "rejected", "转岗": "manual_review", "转人工": "manual_review", "通过": "approved"}
# manageResult of an EMS2xx receipt for the worst effect of its check lines.
EFFECT_RESULTS = {"rejected": "3", "manual_review": "2", "approved": "1"}
_CHECK_LINE = re.compile(r"^\[(?P<code>[0-9A-Za-z]+)\]\s*(?P<text>.*?)(?:[,，]\s*(?P<word>退单|转岗|转人工|通过))?\s*$",
                         re.S)


@dataclass(frozen=True)
class CheckLine:
    code: str
    text: str
    effect: str | None  # rejected / manual_review / approved, from the line's last word


def check_line(code: str, detail: str = "") -> str:
    """The check-info line of a code of ``codes.csv`` table check_info, in the seed's form:
    ``[3349] 加工账册资质: 商务部前置审批开关开启, 企业必须申报表体, 退单``; ``detail`` goes in
    brackets after the text: ``[9101] 单损耗的成品序号在成品表中不存在（单损耗第1项 成品序号9）, 退单``.
    ``KeyError`` for an unknown code."""
    entry = codes.table("check_info")[code]
    text = f"{entry.text}（{detail}）" if detail else entry.text
    return f"[{code}] {text}, {EFFECT_WORDS[entry.state]}"


def parse_check_line(note: str) -> CheckLine:
    """``[3402] 联网电子审核通过, 转岗`` -> CheckLine("3402", "联网电子审核通过", "manual_review");
    a line without ``[code]`` keeps its text with code "" (customs also writes free text)."""
    m = _CHECK_LINE.match(note.strip())
    if not m:
        return CheckLine("", note.strip(), None)
    word = m["word"]
    effect = _WORD_EFFECTS[word] if word else codes.code_state("check_info", m["code"])
    return CheckLine(m["code"], m["text"].strip(), effect)


def manage_result_for(effects: Iterable[str | None]) -> str:
    """manageResult of an EMS2xx receipt from its check lines' effects: any 退单 -> 3, else any
    转岗 -> 2, else 1 (审批通过)."""
    found = set(effects)
    for effect in ("rejected", "manual_review"):
        if effect in found:
            return EFFECT_RESULTS[effect]
    return EFFECT_RESULTS["approved"]


# ---------------------------------------------------------------------------------- parsing

def _never_raises_other(func):
    """Contract of the parsers: ReceiptError or a result, nothing else."""

    @wraps(func)
    def wrapper(data):
        try:
            return func(data)
        except ReceiptError:
            raise
        except Exception as exc:  # any surprise is a bad receipt, not a crash
            raise ReceiptError(f"回执无法解析：{exc.__class__.__name__}") from exc

    return wrapper


def parse_time(text: str) -> dt.datetime | None:
    """``2024-07-30 11:48:02``, ``2024-07-30T11:48:02``, ``20240730114802`` -> aware China time."""
    text = text.strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{14}", text):
            value = dt.datetime.strptime(text, "%Y%m%d%H%M%S")
        else:
            value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ReceiptError(f"回执时间格式不正确：{text}") from None
    return value if value.tzinfo else value.replace(tzinfo=CHINA)


@cache
def _field_names(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(attribute, element, is_datetime) of a receipt record type."""
    out = []
    for f in fields(cls):
        element = f.name if cls in (ReceiptEnvelope, PocketInfo) else camel(f.name)
        out.append((f.name, element, "datetime" in str(f.type)))
    return tuple(out)


def _record(el: ET.Element | None, cls: type) -> Any:
    values = leaf_values(el) if el is not None else {}
    kwargs: dict[str, Any] = {}
    for attr, element, is_time in _field_names(cls):
        text = values.get(element, "")
        if is_time:
            kwargs[attr] = parse_time(text)
        elif cls is PocketInfo and attr in {"total_pocket_qty", "cur_pocket_no"}:
            kwargs[attr] = int(text) if text.isdigit() else None
        else:
            kwargs[attr] = text
    return cls(**kwargs)


def _package_parts(root: ET.Element) -> tuple[ReceiptEnvelope, ET.Element | None, ET.Element]:
    """(envelope, PocketInfo element, the receipt's business element) of a Package."""
    envelope_el = child(root, "EnvelopInfo")
    data_info = child(root, "DataInfo")
    business = child(data_info, "BussinessData") if data_info is not None else None
    if envelope_el is None or business is None:
        raise ReceiptError("回执缺少报文头(EnvelopInfo)或业务数据(DataInfo/BussinessData)")
    envelope = _record(envelope_el, ReceiptEnvelope)
    body = next((c for c in business if local(c.tag) in RECEIPT_TYPES), None)
    if body is None:
        names = "、".join(local(c.tag) for c in business) or "空"
        raise ReceiptError(f"不认识的回执类型：业务数据为{names}，应为{'、'.join(RECEIPT_TYPES)}之一")
    message_type = local(body.tag)
    if envelope.message_type and envelope.message_type != message_type:
        raise ReceiptError(f"回执报文类型不一致：报文头为{envelope.message_type}，业务数据为{message_type}")
    if not envelope.message_type:
        envelope = replace(envelope, message_type=message_type)
    return envelope, child(data_info, "PocketInfo"), body


def _pocket(el: ET.Element | None) -> PocketInfo | None:
    return _record(el, PocketInfo) if el is not None else None


def _appr_result(body: ET.Element) -> HdeApprResult:
    el = child(body, "HdeApprResult")
    if el is None:
        raise ReceiptError(f"{local(body.tag)}回执缺少审核信息(HdeApprResult)")
    result = _record(el, HdeApprResult)
    if not result.manage_result:
        raise ReceiptError(f"{local(body.tag)}回执缺少处理结果(manageResult)")
    return result


def _receipt(root: ET.Element) -> SasReceipt:
    name = local(root.tag)
    if name == "CommonResponeMessage":
        values = leaf_values(root)
        response = CommonResponse(**{attr: values.get(element, "") for attr, element in _COMMON_FIELDS.items()})
        if not response.deal_flag:
            raise ReceiptError("导入回执缺少处理标志(DealFlag)")
        return response
    if name != "Package":
        raise ReceiptError(f"不认识的回执：根元素为{name}，应为CommonResponeMessage或Package")
    envelope, pocket_el, body = _package_parts(root)
    kind = envelope.message_type
    if kind == "INV201":
        head_el = child(body, "BondInvtBsc")
        return Inv201Receipt(
            envelope=envelope, result=_appr_result(body),
            check_infos=tuple(_record(c, CheckInfo) for c in children(body, "CheckInfo")),
            head=_record(head_el, BondInvtBsc) if head_el is not None else None,
            items=tuple(_record(c, BondInvtDtl) for c in children(body, "BondInvtDtl")),
            pocket=_pocket(pocket_el),
        )
    if kind == "INV202":
        el = child(body, "InvApprResult")
        if el is None:
            raise ReceiptError("INV202回执缺少生成结果(InvApprResult)")
        result = _record(el, InvApprResult)
        if not result.manage_result:
            raise ReceiptError("INV202回执缺少处理结果(manageResult)")
        return Inv202Receipt(envelope=envelope, result=result)
    if kind == "INV211":
        head_el = child(body, "BondInvtBsc")
        if head_el is None:
            raise ReceiptError("INV211回执缺少清单表头(BondInvtBsc)")
        return Inv211Receipt(envelope=envelope, head=_record(head_el, BondInvtBsc),
                             bws_rows=tuple(_record(c, BwsDt) for c in children(body, "BwsDt")),
                             pocket=_pocket(pocket_el))
    return EmsReceipt(envelope=envelope, result=_appr_result(body),
                      check_infos=tuple(_record(c, CheckInfo) for c in children(body, "CheckInfo")),
                      pocket=_pocket(pocket_el))


_COMMON_FIELDS = {"seq_no": "SeqNo", "etps_preent_no": "EtpsPreentNo", "check_info": "CheckInfo",
                  "deal_flag": "DealFlag"}


@_never_raises_other
def parse_sas_receipt(data: bytes) -> SasReceipt:
    """Any receipt of the family, by its root and message type."""
    return _receipt(read_untrusted(data, what="回执", max_bytes=MAX_RECEIPT_BYTES, error=ReceiptError))


def _expect(kind: str):
    def parse(data: bytes):
        receipt = parse_sas_receipt(data)
        if receipt.kind != kind:
            raise ReceiptError(f"不是{kind}回执：实为{receipt.kind}")
        return receipt

    parse.__name__ = f"parse_{kind.lower()}"
    parse.__doc__ = f"A {kind} receipt; ReceiptError for anything else or anything malformed."
    return parse


parse_common_response = _expect("CommonResponeMessage")
parse_inv201 = _expect("INV201")
parse_inv202 = _expect("INV202")
parse_inv211 = _expect("INV211")


def parse_ems_receipt(data: bytes) -> EmsReceipt:
    """An EMS201 or EMS211 receipt (guanwu's own format)."""
    receipt = parse_sas_receipt(data)
    if not isinstance(receipt, EmsReceipt):
        raise ReceiptError(f"不是EMS201/EMS211回执：实为{receipt.kind}")
    return receipt


# --------------------------------------------------------------------------------- building

def format_time(value: dt.datetime | None, sep: str = " ") -> str:
    """yyyy-MM-dd HH:mm:ss (``sep`` "T" for send_time) in China time."""
    if value is None:
        return ""
    if value.tzinfo:
        value = value.astimezone(CHINA)
    return value.strftime(f"%Y-%m-%d{sep}%H:%M:%S")


def _bytes(root: etree._Element) -> bytes:
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, record: Any, tag: str, ns: str = "") -> etree._Element:
    el = etree.SubElement(parent, f"{ns}{tag}")
    for attr, element, is_time in _field_names(type(record)):
        value = getattr(record, attr)
        if is_time:
            text = format_time(value, "T" if attr == "send_time" else " ")
        else:
            text = "" if value is None else str(value)
        etree.SubElement(el, f"{ns}{element}").text = text or None
    return el


def build_common_response(response: CommonResponse) -> bytes:
    """CommonResponeMessage bytes, as the Single Window client writes them (no namespace)."""
    root = etree.Element("CommonResponeMessage")
    for attr, element in _COMMON_FIELDS.items():
        value = getattr(response, attr)
        if attr == "seq_no" and not value:
            continue  # absent on failure, as in the samples
        etree.SubElement(root, element).text = value or None
    return _bytes(root)


def _package(envelope: ReceiptEnvelope, kind: str, pocket: PocketInfo | None) -> tuple[etree._Element, etree._Element]:
    ns = f"{{{XMLDSIG}}}"
    if envelope.message_type not in ("", kind):
        raise ValueError(f"envelope message_type {envelope.message_type!r} is not {kind}")
    envelope = replace(envelope, message_type=kind)
    root = etree.Element(f"{ns}Package", nsmap={None: XMLDSIG})
    _sub(root, envelope, "EnvelopInfo", ns)
    data_info = etree.SubElement(root, f"{ns}DataInfo")
    if pocket is not None:
        _sub(data_info, pocket, "PocketInfo", ns)
    business = etree.SubElement(data_info, f"{ns}BussinessData")
    return root, etree.SubElement(business, f"{ns}{kind}")


def build_inv201(receipt: Inv201Receipt) -> bytes:
    ns = f"{{{XMLDSIG}}}"
    root, body = _package(receipt.envelope, "INV201", receipt.pocket)
    _sub(body, receipt.result, "HdeApprResult", ns)
    for info in receipt.check_infos:
        _sub(body, info, "CheckInfo", ns)
    if receipt.head is not None:
        _sub(body, receipt.head, "BondInvtBsc", ns)
    for item in receipt.items:
        _sub(body, item, "BondInvtDtl", ns)
    return _bytes(root)


def build_inv202(receipt: Inv202Receipt) -> bytes:
    root, body = _package(receipt.envelope, "INV202", None)  # INV202 has no PocketInfo (sample G)
    _sub(body, receipt.result, "InvApprResult", f"{{{XMLDSIG}}}")
    return _bytes(root)


def build_inv211(receipt: Inv211Receipt) -> bytes:
    ns = f"{{{XMLDSIG}}}"
    root, body = _package(receipt.envelope, "INV211", receipt.pocket)
    _sub(body, receipt.head, "BondInvtBsc", ns)
    for row in receipt.bws_rows:
        _sub(body, row, "BwsDt", ns)
    return _bytes(root)


def build_ems_receipt(receipt: EmsReceipt) -> bytes:
    """EMS201 / EMS211 bytes (the envelope's message_type says which; guanwu's own format)."""
    kind = receipt.envelope.message_type
    if kind not in {"EMS201", "EMS211"}:
        raise ValueError(f"EMS receipt message_type should be EMS201 or EMS211, not {kind!r}")
    ns = f"{{{XMLDSIG}}}"
    root, body = _package(receipt.envelope, kind, receipt.pocket)
    _sub(body, receipt.result, "HdeApprResult", ns)
    for info in receipt.check_infos:
        _sub(body, info, "CheckInfo", ns)
    return _bytes(root)


def build_sas_receipt(receipt: SasReceipt) -> bytes:
    """Any receipt of the family, by its type."""
    if isinstance(receipt, CommonResponse):
        return build_common_response(receipt)
    if isinstance(receipt, Inv201Receipt):
        return build_inv201(receipt)
    if isinstance(receipt, Inv202Receipt):
        return build_inv202(receipt)
    if isinstance(receipt, Inv211Receipt):
        return build_inv211(receipt)
    if isinstance(receipt, EmsReceipt):
        return build_ems_receipt(receipt)
    raise TypeError(f"not a processing-trade receipt: {type(receipt).__name__}")
