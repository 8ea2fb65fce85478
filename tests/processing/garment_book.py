"""The garment processor of ``tests/messages/sas/garment.py`` as database rows, made through the
services, and the receipts customs would send (built with the message layer's builders)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from guanwu.gateway.models import OutboxMessage
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import Book, Inventory
from guanwu.tenancy.context import Actor
from tests.messages.sas import garment as g

WHEN = dt.datetime(2024, 11, 5, 9, 30, tzinfo=dt.UTC)


def book_head(**changes: Any) -> dict[str, Any]:
    return {"master_cuscd": "9001", "ems_typecd": "1", "finish_valid_date": "2026-12-31", "max_tovr_amt": "150",
            "ucns_dcl_segcd": "1", **changes}


def material_row(seq: int) -> dict[str, Any]:
    _s, mtno, code, name, model, unit, _lawf, _secd, price = g.MATERIALS[seq - 1]
    return {"gds_seqno": seq, "gds_mtno": mtno, "gdecd": code, "gds_nm": name,
            "endprd_gds_spcf_model_desc": model, "dcl_unitcd": unit, "dcl_uprc_amt": str(price),
            "dcl_currcd": "USD", "lvyrlf_modecd": "3", "adjmtr_markcd": "1" if seq <= 2 else "0"}


def product_row(seq: int) -> dict[str, Any]:
    _s, mtno, code, name, model, price = g.PRODUCTS[seq - 1]
    return {"gds_seqno": seq, "gds_mtno": mtno, "gdecd": code, "gds_nm": name,
            "endprd_gds_spcf_model_desc": model, "dcl_unitcd": "011", "dcl_uprc_amt": str(price),
            "dcl_currcd": "USD", "lvyrlf_modecd": "3"}


def bom_rows() -> list[dict[str, Any]]:
    return [{"endprd_seqno": exg, "mtpck_seqno": img, "ucns_verno": "1", "net_useup_qty": str(net),
             "tgbl_loss_rate": str(tgbl), "intgb_loss_rate": str(intgb), "ucns_dcl_stucd": "1",
             "bond_mtpck_prpr": "100"} for exg, img, net, tgbl, intgb in g.BOM]


def draft_book(actor: Actor, **head: Any) -> Book:
    book = services.create_book(actor, book_head(**head))
    services.import_book_lines(actor, book.pk, "materials", [material_row(s) for s in range(1, 6)])
    services.import_book_lines(actor, book.pk, "products", [product_row(s) for s in range(1, 3)])
    services.import_book_lines(actor, book.pk, "boms", bom_rows())
    return book


def last_outbox() -> OutboxMessage:
    return OutboxMessage.objects.order_by("-id").first()


_serial = iter(range(1, 10**6))


def seq_no() -> str:
    return sas.make_seq_no(2024, 900000 + next(_serial))


def common_response(inner_no: str, seq: str = "", ok: bool = True, text: str = "") -> bytes:
    return sas.build_common_response(sas.CommonResponse(seq_no=seq if ok else "", etps_preent_no=inner_no,
                                                        check_info=text or ("处理成功" if ok else "导入失败"),
                                                        deal_flag="0" if ok else "-1"))


def receipt_envelope(kind: str, business_id: str = "") -> sas.ReceiptEnvelope:
    return sas.ReceiptEnvelope(business_id=business_id, message_id=f"CUS{kind}{next(_serial):010d}",
                               file_name=f"{kind}.xml", message_type=kind, sender_id="CUS0000",
                               receiver_id="DXPENT0000000001", send_time=WHEN)


def ems_receipt(kind: str, seq: str, result: str, business_id: str = "", lines: tuple[str, ...] = ()) -> bytes:
    return sas.build_ems_receipt(sas.EmsReceipt(
        envelope=receipt_envelope(kind, business_id),
        result=sas.HdeApprResult(etps_preent_no=seq, business_id=business_id, tms_cnt="0", typecd="1",
                                 manage_result=result, manage_date=WHEN, rmk=""),
        check_infos=tuple(sas.CheckInfo(etps_preent_no=seq, business_id=business_id, note=n) for n in lines),
    ))


def inv201(seq: str, result: str, bond_invt_no: str = "", rmk: str = "") -> bytes:
    return sas.build_inv201(sas.Inv201Receipt(
        envelope=receipt_envelope("INV201", bond_invt_no),
        result=sas.HdeApprResult(etps_preent_no=seq, business_id=bond_invt_no, tms_cnt="0", typecd="1",
                                 manage_result=result, manage_date=WHEN, rmk=rmk),
        head=sas.BondInvtBsc(bond_invt_no=bond_invt_no, invt_preent_no=seq, vrfded_markcd="2" if result == "1" else "0",
                             invt_stucd="0" if result in ("1", "4", "5") else "2"),
    ))


def inv202(seq: str, bond_invt_no: str, ok: bool = True) -> bytes:
    return sas.build_inv202(sas.Inv202Receipt(
        envelope=receipt_envelope("INV202", bond_invt_no),
        result=sas.InvApprResult(inv_preent_no=seq, business_id=bond_invt_no, entry_seq_no="I20240000012345678",
                                 manage_result="1" if ok else "2", create_date=WHEN, reason="" if ok else "生成失败"),
    ))


def inv211(seq: str, bond_invt_no: str, vrfded: str = "2") -> bytes:
    return sas.build_inv211(sas.Inv211Receipt(
        envelope=receipt_envelope("INV211", bond_invt_no),
        head=sas.BondInvtBsc(bond_invt_no=bond_invt_no, invt_preent_no=seq, vrfded_markcd=vrfded, invt_stucd="0"),
    ))


def approve_book(actor: Actor, book: Book, ems_no: str = g.EMS_NO) -> Book:
    """申报 and approve: the client's response, then EMS211 审批通过 with the 账册编号."""
    book = services.declare_book(actor, book.pk)
    seq = book.seq_no or seq_no()
    services.apply_sas_receipt(common_response(book.etps_preent_no, seq))
    services.apply_sas_receipt(ems_receipt("EMS211", seq, "1", ems_no, ("[3402] 联网电子审核通过, 转岗",)))
    return Book.objects.get(pk=book.pk)


def approved_book(actor: Actor, ems_no: str = g.EMS_NO) -> Book:
    return approve_book(actor, draft_book(actor), ems_no)


def inventory_data(book: Book, ie: str, lines: list[tuple[int, Any]], **head: Any) -> dict[str, Any]:
    """A list of the book: (备案序号, 申报数量) lines."""
    return {"putrec_no": book.ems_no, "impexp_markcd": ie, "mtpck_endprd_markcd": ie,
            "impexp_portcd": "9002" if ie == "I" else "2248", "dcl_plc_cuscd": "9001",
            "trsp_modecd": "5" if ie == "I" else "2", "stship_trsarv_natcd": "JPN" if ie == "I" else "USA",
            **head,
            "items": [{"putrec_seqno": seq, "dcl_qty": str(qty), "lawf_qty": str(qty), "secd_lawf_qty": str(qty),
                       "natcd": "JPN" if ie == "I" else "CHN",
                       "destination_natcd": "CHN" if ie == "I" else "USA", "dcl_uprc_amt": "1"}
                      for seq, qty in lines]}


def pass_inventory(actor: Actor, inventory: Inventory, result: str = "1") -> Inventory:
    """申报 then the client's response and INV201 (1 通过(已核扣) by default)."""
    inventory = services.declare_inventory(actor, inventory.pk)
    seq = seq_no()
    services.apply_sas_receipt(common_response(inventory.etps_inner_invt_no, seq))
    number = sas.make_bond_invt_no("9001", 2024, inventory.impexp_markcd, next(_serial))
    services.apply_sas_receipt(inv201(seq, result, number))
    return Inventory.objects.get(pk=inventory.pk)


D0 = D(0)
