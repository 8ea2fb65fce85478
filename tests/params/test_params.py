import datetime as dt
import gzip
import json

import pytest

from guanwu.params import loader, services
from guanwu.params.models import CiqName, CodeEntry, CodeTable, TariffItem, TariffVersion

EXPECTED_COUNTS = {
    "customs-offices": 1302, "transport-modes": 18, "trade-modes": 101, "cut-modes": 78, "countries": 265,
    "ports": 4270, "districts": 1021, "transaction-modes": 7, "currencies": 22, "container-specs": 8, "units": 123,
    "duty-modes": 9, "wrap-types": 14, "entry-ports": 1321, "ciq-organs": 870, "relation-reasons": 9,
    "licence-docs": 51, "enterprise-qualifications": 75, "purposes": 24, "origin-areas": 4038,
    "dangerous-pack-specs": 57, "goods-attributes": 20, "admin-divisions": 3533, "document-types": 59,
    "licence-types": 90,
}


def test_all_25_tables_loaded_with_their_rows(db):
    counts = {t.slug: t.entries.count() for t in CodeTable.objects.all()}
    assert counts == EXPECTED_COUNTS


def test_tariff_codes_elements_and_ciq_names(db):
    version = TariffVersion.objects.get()
    assert version.items.count() == 11988
    # 1,791 rows of the sheet say #N/A: their elements come from the 申报要素 sheet; 9 codes have none.
    assert TariffItem.objects.exclude(elements=[]).count() == 11979
    assert TariffItem.objects.get(code_ts="8517611020").elements == []
    assert CiqName.objects.count() == 22475


def test_na_rows_take_elements_from_the_elements_sheet(db):
    with gzip.open(loader.TARIFF_FILE) as fh:
        data = json.load(fh)
    assert all(it["elements"] or it["code_ts"] for it in data["items"])
    # 0101210010 is a row whose elements are written in the main sheet; pick an #N/A row at random:
    item = services.tariff_item("0101210010")
    assert item.elements[:2] == ("品牌类型", "出口享惠情况")


def test_manual_gap_codes_are_present(db):
    assert services.code_name("trade-modes", "9710") == "跨境电商B2B直接出口"
    assert services.code_name("trade-modes", "9810") == "跨境电商出口海外仓"
    assert services.code_name("document-types", "10000004") == "跨境B2B出口单证"


def test_reload_is_idempotent(db):
    before = CodeEntry.objects.count(), TariffItem.objects.count(), CiqName.objects.count()
    loader.load_all(say=lambda _: None)
    assert (CodeEntry.objects.count(), TariffItem.objects.count(), CiqName.objects.count()) == before
    assert CodeTable.objects.get(slug="countries").version == 2


def test_later_tariff_version_and_as_of_lookups(db, tmp_path):
    with gzip.open(loader.TARIFF_FILE) as fh:
        data = json.load(fh)
    for item in data["items"]:
        if item["code_ts"] == "0901210000":
            item["mfn_rate"] = "0.1000"
    data["items"] = [i for i in data["items"] if i["code_ts"] != "0101210010"]
    path = tmp_path / "tariff_2027.json.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(json.dumps(data).encode())
    loader.load_tariff(path, effective_date=dt.date(2027, 1, 1), name="2027年税则", ciq_path=None)
    assert TariffVersion.objects.count() == 2
    assert str(services.tariff_item("0901210000", dt.date(2026, 12, 31)).mfn_rate) == "0.1500"
    assert str(services.tariff_item("0901210000", dt.date(2027, 1, 1)).mfn_rate) == "0.1000"
    assert services.tariff_item("0101210010", dt.date(2026, 6, 1)) is not None
    assert services.tariff_item("0101210010", dt.date(2027, 6, 1)) is None


@pytest.mark.parametrize("q", ["mg", "meiguo", "美国", "USA", "502"])
def test_picker_finds_usa_by_initials_pinyin_name_code_and_old_code(client_a, q):
    response = client_a.get("/api/v1/params/countries", {"q": q, "limit": 5})
    assert response.status_code == 200
    codes = [item["code"] for item in response.json()["items"]]
    assert "USA" in codes[:2], codes
    assert response.json()["count"] >= 1


@pytest.mark.parametrize("q", ["rmb", "CNY", "142", "人民币", "renminbi"])
def test_picker_finds_rmb(client_a, q):
    items = client_a.get("/api/v1/params/currencies", {"q": q}).json()["items"]
    assert items[0]["code"] == "CNY"
    assert items[0]["old_code"] == "142"


def test_exact_code_ranks_first(client_a):
    items = client_a.get("/api/v1/params/transport-modes", {"q": "2"}).json()["items"]
    assert items[0] == {"code": "2", "name": "水路运输", "old_code": "2", "old_ciq_code": "1",
                        "old_ciq_name": items[0]["old_ciq_name"]}


def test_unknown_table_is_404_in_chinese(client_a):
    response = client_a.get("/api/v1/params/planets")
    assert response.status_code == 404
    assert response.json()["detail"] == "参数表不存在: planets"


def test_params_api_needs_auth(client, db):
    assert client.get("/api/v1/params/countries").status_code == 401


def test_tariff_search_by_code_prefix_and_words(client_a):
    by_code = client_a.get("/api/v1/tariff", {"q": "090121"}).json()
    assert [i["code_ts"] for i in by_code["items"]] == ["0901210000"]
    by_words = client_a.get("/api/v1/tariff", {"q": "咖啡 未焙炒"}).json()
    assert {i["code_ts"] for i in by_words["items"]} == {"0901110000", "0901120000"}
    assert by_words["count"] == 2


def test_tariff_detail_shape(client_a):
    body = client_a.get("/api/v1/tariff/0901210000").json()
    assert body["code_ts"] == "0901210000"
    assert body["first_unit"] == "035" and body["first_unit_name"] == "千克"
    assert body["second_unit"] == ""
    assert body["elements"][0] == {"index": 0, "name": "品牌类型"}
    assert body["elements"][1] == {"index": 1, "name": "出口享惠情况"}
    assert len(body["elements"]) == 8
    assert body["licence_codes"] == "AB"
    assert {"code": "101", "name": "未浸除咖啡碱的已焙炒咖啡(咖啡粉)"} in body["ciq"]
    assert float(body["vat_rate"]) == 0.13 and float(body["mfn_rate"]) == 0.15


def test_tariff_unknown_code_is_404(client_a):
    response = client_a.get("/api/v1/tariff/0000000000")
    assert response.status_code == 404
    assert response.json()["detail"] == "商品编号不存在: 0000000000"


def test_tariff_browser_and_tables_pages(client_a):
    page = client_a.get("/params/tariff/", {"q": "咖啡 已焙炒"})
    html = page.content.decode()
    assert page.status_code == 200 and "0901210000" in html and "申报要素" in html
    partial = client_a.get("/params/tariff/", {"q": "8471", "partial": "results"}, headers={"HX-Request": "true"})
    assert "8471900090" in partial.content.decode() and "<html" not in partial.content.decode()
    tables = client_a.get("/params/tables/").content.decode()
    assert "港口" in tables and "countries" in tables
    entries = client_a.get("/params/tables/countries/", {"q": "mg"}, headers={"HX-Request": "true"})
    assert "美国" in entries.content.decode()
    assert client_a.get("/params/tables/planets/").status_code == 404
