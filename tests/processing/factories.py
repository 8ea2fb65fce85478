"""Rows of 加工贸易 for the tenant-isolation walk (tests/tenant_objects.py): made directly,
without the services (an enterprise's whole graph: application, book with rows, list, receipt)."""

from __future__ import annotations

from decimal import Decimal as D

from guanwu.processing.models import (
    Book,
    BookBom,
    BookDocument,
    BookMaterial,
    BookProduct,
    BookVersion,
    Inventory,
    InventoryItem,
    MaterialBalance,
    ProcessingReceipt,
    QualificationApplication,
    QualificationDocument,
    QualificationGoods,
    Status,
)


def walk_application(enterprise, user) -> QualificationApplication:
    return QualificationApplication.objects.create(enterprise=enterprise, created_by=user, master_cuscd="9001",
                                                   qua_typecd="1", etps_preent_no=f"WALK-Q-{enterprise.pk}")


def walk_goods(enterprise, user) -> QualificationGoods:
    return QualificationGoods.objects.create(enterprise=enterprise, application=walk_application(enterprise, user),
                                             kind="I", gds_seqno=1, gds_nm="走查料件")


def walk_qualification_document(enterprise, user) -> QualificationDocument:
    return QualificationDocument.objects.create(enterprise=enterprise,
                                                application=walk_application(enterprise, user), acmp_form_no="W1")


def walk_book(enterprise, user) -> Book:
    return Book.objects.create(enterprise=enterprise, created_by=user, master_cuscd="9001", status=Status.APPROVED,
                               ems_no=f"E9001{enterprise.pk % 100:02d}{enterprise.pk:05d}"[:12],
                               etps_preent_no=f"WALK-B-{enterprise.pk}")


def walk_material(enterprise, user) -> BookMaterial:
    return BookMaterial.objects.create(enterprise=enterprise, book=walk_book(enterprise, user), gds_seqno=1,
                                       gds_nm="走查料件", dcl_unitcd="035", modf_markcd="0")


def walk_product(enterprise, user) -> BookProduct:
    return BookProduct.objects.create(enterprise=enterprise, book=walk_book(enterprise, user), gds_seqno=1,
                                      gds_nm="走查成品", dcl_unitcd="011", modf_markcd="0")


def walk_bom(enterprise, user) -> BookBom:
    return BookBom.objects.create(enterprise=enterprise, book=walk_book(enterprise, user), g_seqno=1, endprd_seqno=1,
                                  mtpck_seqno=1, ucns_verno="1", net_useup_qty=D(1), ucns_qty=D(1), modf_markcd="0")


def walk_book_document(enterprise, user) -> BookDocument:
    return BookDocument.objects.create(enterprise=enterprise, book=walk_book(enterprise, user), acmp_form_no="W1")


def walk_version(enterprise, user) -> BookVersion:
    return BookVersion.objects.create(enterprise=enterprise, book=walk_book(enterprise, user), chg_tms_cnt=0,
                                      status=Status.APPROVED)


def walk_balance(enterprise, user) -> MaterialBalance:
    return MaterialBalance.objects.create(enterprise=enterprise, book=walk_book(enterprise, user), gds_seqno=1,
                                          imported=D(10))


def walk_inventory(enterprise, user) -> Inventory:
    book = walk_book(enterprise, user)
    return Inventory.objects.create(enterprise=enterprise, created_by=user, book=book, putrec_no=book.ems_no,
                                    impexp_markcd="I", mtpck_endprd_markcd="I",
                                    etps_inner_invt_no=f"WALK-L-{enterprise.pk}")


def walk_item(enterprise, user) -> InventoryItem:
    return InventoryItem.objects.create(enterprise=enterprise, inventory=walk_inventory(enterprise, user), gds_seqno=1,
                                        putrec_seqno=1, dcl_qty=D(1))


def walk_receipt(enterprise, user) -> ProcessingReceipt:
    return ProcessingReceipt.objects.create(enterprise=enterprise, inventory=walk_inventory(enterprise, user),
                                            message_type="INV201", dedupe_key=f"walk-{enterprise.pk}-{user.pk}")
