"""Services of 加工贸易 (issue 15): 企业资质申请, 账册 备案/变更, 核注清单, receipts, balances."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from guanwu.core.errors import ServiceError
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import Book, BookVersion, Inventory, Status
from tests.messages.sas import garment as g

from . import garment_book as gb

pytestmark = pytest.mark.django_db


def test_book_record_and_approval(actor_a):
    book = gb.draft_book(actor_a)
    assert book.materials.count() == 5 and book.boms.count() == 7
    # 单耗 = 净耗 / (1 - (有形 + 无形损耗率) / 100): 1.65 / (1 - 3.5 %)
    bom = book.boms.get(endprd_seqno=1, mtpck_seqno=1)
    assert bom.ucns_qty == sas.ucns_qty(D("1.65"), D("3"), D("0.5"))
    book = gb.approve_book(actor_a, book)
    assert book.status == Status.APPROVED and book.ems_no == g.EMS_NO and book.seq_no
    assert set(book.materials.values_list("modf_markcd", flat=True)) == {"0"}
    version = BookVersion.objects.get(book=book)
    assert version.chg_tms_cnt == 0 and version.status == Status.APPROVED
    box = services.receipt_box(actor_a, book)
    assert box["check_infos"] == [{"seqno": 1, "note": "[3402] 联网电子审核通过, 转岗"}]
    assert box["business_id"] == g.EMS_NO
