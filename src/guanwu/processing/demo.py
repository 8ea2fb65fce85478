"""Demo 加工贸易 for enterprise A (issue 15, Demo): a garment processor's account book approved by
customs (fabric, buttons, zips, labels as 料件; shirts and jackets as 成品, a BOM with losses), an
import list released, an export list released with its consumption, one export list refused
before sending for overdraw (a draft whose 申报 the balance check refuses, line by line), and one
book change declared and pending with customs. Idempotent.

Codes are real: HS codes and legal units of the 2020 tariff (5208420090 米/千克, 5407520000 米/千克,
9606210000 千克, 9607110000 米/千克, 5807100000 千克, 6205200099 件/千克, 6201939000 件/千克), customs
9001 关中海关 / 9002 咸阳机场 / 2248 洋山港区, country/currency codes as the pickers store them (JPN 日本,
CHN 中国, USA 美国, USD 美元); the messages carry their 金二 numeric forms (116, 142, 502, 502).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

from guanwu.core.demo import demo_actor, demo_step
from guanwu.core.errors import ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise

from . import services
from .models import Book

DEMO_MARK = "DEMO-GARMENT"

# (料号, 商品编码, 名称, 规格型号, 申报单位, 单价 USD, 法定数量/申报单位, 第二法定数量/申报单位)
MATERIALS = [
    (
        "FAB-CT-001",
        "5208420090",
        "色织全棉平纹布",
        "0|0|机织|平纹|色织|100%棉|幅宽150cm|克重120g/m2|无品牌",
        "030",
        D("2.35"),
        D(1),
        D("0.18"),
    ),
    (
        "FAB-PE-002",
        "5407520000",
        "染色涤纶变形长丝布",
        "0|0|机织|染色|100%聚酯变形长丝|幅宽145cm|无品牌",
        "030",
        D("1.8"),
        D(1),
        D("0.15"),
    ),
    (
        "BTN-PL-003",
        "9606210000",
        "塑料纽扣",
        "0|0|塑料制|未包纺织材料|直径11.5mm|无品牌",
        "007",
        D("0.012"),
        D("0.0005"),
        None,
    ),
    ("ZIP-MT-004", "9607110000", "金属齿拉链", "0|0|贱金属齿|长60cm|无品牌", "015", D("0.35"), D("0.6"), D("0.012")),
    ("LBL-WV-005", "5807100000", "机织商标", "0|0|机织|未绣制|涤纶|无品牌", "007", D("0.03"), D("0.0002"), None),
]
# (料号, 商品编码, 名称, 规格型号, 单价 USD, 第二法定数量/件)
PRODUCTS = [
    ("SHT-M-001", "6205200099", "男式棉制衬衫", "0|0|机织|男式|100%棉|长袖|无品牌", D("8.5"), D("0.25")),
    ("JKT-M-002", "6201939000", "男式化纤短上衣", "0|0|机织|男式|100%聚酯|防寒短上衣|无品牌", D("21"), D("0.8")),
]
# (成品序号, 料件序号, 净耗, 有形损耗率%, 无形损耗率%): a shirt takes 1.65 m cotton (3% cutting
# waste), 8 buttons, one label; a jacket 2.1 m polyester (4% + 1%), a zip, 2 buttons, one label.
BOM = [
    (1, 1, D("1.65"), D("3"), D("0.5")),
    (1, 3, D("8"), D("2"), D("0")),
    (1, 5, D("1"), D("0"), D("0")),
    (2, 2, D("2.1"), D("4"), D("1")),
    (2, 4, D("1"), D("0.5"), D("0")),
    (2, 3, D("2"), D("2"), D("0")),
    (2, 5, D("1"), D("0"), D("0")),
]
IMPORTED = {1: D(6000), 2: D(4000), 3: D(60000), 4: D(2500), 5: D(8000)}
EXPORTED = {1: D(2000), 2: D(1200)}


def _book_head() -> dict[str, Any]:
    return {
        "master_cuscd": "9001",
        "ems_typecd": "1",
        "finish_valid_date": "2027-12-31",
        "max_tovr_amt": "150",
        "ucns_dcl_segcd": "1",
        "usage_typecd": "1",
        "etps_preent_no": DEMO_MARK,
        "rmk": "演示: 服装来料加工账册",
    }


def _qty(value: D | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _import_lines() -> list[dict[str, Any]]:
    lines = []
    for seq, qty in IMPORTED.items():
        _m, _c, _n, _g, _u, price, first, second = MATERIALS[seq - 1]
        lines.append(
            {
                "putrec_seqno": seq,
                "dcl_qty": str(qty),
                "lawf_qty": _qty(qty * first),
                "secd_lawf_qty": _qty(qty * second if second is not None else None),
                "dcl_uprc_amt": str(price),
                "dcl_total_amt": _qty((qty * price).quantize(D("0.01"))),
                "natcd": "JPN",
                "destination_natcd": "CHN",
            }
        )
    return lines


def _export_lines(quantities: dict[int, D]) -> list[dict[str, Any]]:
    lines = []
    for seq, qty in quantities.items():
        _m, _c, _n, _g, price, second = PRODUCTS[seq - 1]
        lines.append(
            {
                "putrec_seqno": seq,
                "dcl_qty": str(qty),
                "lawf_qty": str(qty),
                "secd_lawf_qty": _qty(qty * second),
                "dcl_uprc_amt": str(price),
                "dcl_total_amt": _qty((qty * price).quantize(D("0.01"))),
                "natcd": "CHN",
                "destination_natcd": "USA",
            }
        )
    return lines


def _list(book: Book, ie: str, lines: list[dict[str, Any]], rmk: str) -> dict[str, Any]:
    return {
        "putrec_no": book.ems_no,
        "impexp_markcd": ie,
        "mtpck_endprd_markcd": ie,
        "impexp_portcd": "9002" if ie == "I" else "2248",
        "dcl_plc_cuscd": "9001",
        "trsp_modecd": "5" if ie == "I" else "2",
        "stship_trsarv_natcd": "JPN" if ie == "I" else "USA",
        "rmk": rmk,
        "items": lines,
    }


def _customs_answers() -> None:
    from guanwu.gateway.customs import demo_customs
    from guanwu.gateway.services import flush_outbox, poll_once

    flush_outbox()  # the demo runs in one transaction: write the outbox now, not at commit
    customs = demo_customs()
    if customs is not None:
        customs.answer_outbox()
    poll_once()


def create_demo_book(actor: Actor) -> Book:
    book = services.create_book(actor, _book_head())
    services.import_book_lines(
        actor,
        book.pk,
        "materials",
        [
            {
                "gds_seqno": i,
                "gds_mtno": m,
                "gdecd": c,
                "gds_nm": n,
                "endprd_gds_spcf_model_desc": g,
                "dcl_unitcd": u,
                "dcl_uprc_amt": str(p),
                "dcl_currcd": "USD",
                "lvyrlf_modecd": "3",
                "adjmtr_markcd": "1" if i <= 2 else "0",
            }
            for i, (m, c, n, g, u, p, _f, _s) in enumerate(MATERIALS, start=1)
        ],
    )
    services.import_book_lines(
        actor,
        book.pk,
        "products",
        [
            {
                "gds_seqno": i,
                "gds_mtno": m,
                "gdecd": c,
                "gds_nm": n,
                "endprd_gds_spcf_model_desc": g,
                "dcl_unitcd": "011",
                "dcl_uprc_amt": str(p),
                "dcl_currcd": "USD",
                "lvyrlf_modecd": "3",
            }
            for i, (m, c, n, g, p, _s) in enumerate(PRODUCTS, start=1)
        ],
    )
    services.import_book_lines(
        actor,
        book.pk,
        "boms",
        [
            {
                "endprd_seqno": exg,
                "mtpck_seqno": img,
                "ucns_verno": "1",
                "net_useup_qty": str(net),
                "tgbl_loss_rate": str(tgbl),
                "intgb_loss_rate": str(intgb),
                "ucns_dcl_stucd": "1",
                "bond_mtpck_prpr": "100",
            }
            for exg, img, net, tgbl, intgb in BOM
        ],
    )
    return book


@demo_step
def demo_processing(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    ent = enterprises["a"]
    if Book.objects.for_enterprise(ent).filter(etps_preent_no=DEMO_MARK).exists():
        say("加工贸易账册: 演示数据已存在")
        return
    actor = demo_actor(ent, users["a_admin"])
    book = create_demo_book(actor)
    services.declare_book(actor, book.pk)
    _customs_answers()
    book.refresh_from_db()
    if not book.ems_no:
        say(f"加工贸易账册: 账册未获批准 ({book.get_status_display()}), 跳过核注清单演示")
        return
    imported = services.create_inventory(actor, _list(book, "I", _import_lines(), "演示: 料件进口"))
    services.declare_inventory(actor, imported.pk)
    _customs_answers()
    exported = services.create_inventory(actor, _list(book, "E", _export_lines(EXPORTED), "演示: 成品出口"))
    services.declare_inventory(actor, exported.pk)
    _customs_answers()
    # 超量: 50,000 shirts need 85,500 m of cotton; the balance check refuses it before sending
    overdraw = services.create_inventory(
        actor, _list(book, "E", _export_lines({1: D(50000)}), "演示: 超量出口, 申报时余量校验拒绝")
    )
    try:
        services.declare_inventory(actor, overdraw.pk)
    except ServiceError as exc:
        refused = len(exc.errors)
    else:  # pragma: no cover - the balance check refuses it
        refused = 0
    # a 变更 declared and waiting for customs: a higher price of the cotton fabric
    services.start_change(actor, book.pk)
    cotton = book.materials.get(gds_seqno=1)
    services.save_book_line(actor, book.pk, "materials", {"dcl_uprc_amt": "2.45"}, cotton.pk)
    services.declare_book(actor, book.pk)
    book.refresh_from_db()
    say(
        f"加工贸易账册: {book.ems_no} ({book.get_status_display()}), 进口清单 {imported.pk}, 出口清单 {exported.pk}, "
        f"超量清单被拒 {refused} 项"
    )
