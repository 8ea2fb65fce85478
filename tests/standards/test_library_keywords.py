"""The 关键字 condition of the 企业库 and the 公共库 (seed 5.2/5.3: 关键字 查询 商品名称/申报要素) over the
shared keyword index (``guanwu.core.fulltext``, the mechanism of the commodity library): Chinese
text anywhere in the name or the elements, Latin words and pinyin by prefix, the enterprise's
own rows only, the public library's public rows only, the index kept current by the build and
by 设置数据公开状态. Runs on SQLite (FTS5) and PostgreSQL (tsvector/GIN) alike."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.urls import reverse

from guanwu.core import fulltext
from guanwu.standards.models import LibraryEntry
from guanwu.standards.services import library, normalise, public

from .helpers import CHLORINE, COFFEE, COFFEE_OK, authorise, publish, raw, released

pytestmark = pytest.mark.django_db

SHOES = "6404110000"
SHOES_MODEL = "0|0|运动鞋|NIKE耐克|AB-100 Ｐｒｏ|皮革面|||"


@pytest.fixture
def lib_a(actor_a, ent_a):
    authorise(actor_a)
    released(ent_a, [(COFFEE, "已焙炒咖啡豆", COFFEE_OK), (SHOES, "男式运动鞋", SHOES_MODEL),
                     (CHLORINE, "液氯", "0|0|氯99.5%|钢瓶|无品牌|无型号|||")], day=dt.date(2026, 3, 1))
    library.build(ent_a)
    return actor_a


def names(actor, q: str) -> list[str]:
    return sorted(e.g_name for e in library.query(actor, q=q))


def test_chinese_keyword_finds_any_substring_of_the_name_or_the_elements(lib_a):
    assert names(lib_a, "炒咖") == ["已焙炒咖啡豆"]
    assert names(lib_a, "咖啡豆") == ["已焙炒咖啡豆"]
    assert names(lib_a, "普洱") == ["已焙炒咖啡豆"]  # 产区 element
    assert names(lib_a, "皮革") == ["男式运动鞋"]
    assert names(lib_a, "运动鞋") == ["男式运动鞋"]
    assert names(lib_a, "咖鞋") == []  # a phrase: consecutive characters only
    assert names(lib_a, "咖啡 阿拉比卡") == ["已焙炒咖啡豆"]  # every part required
    assert names(lib_a, "咖啡 钢瓶") == []


def test_latin_words_of_the_elements_match_by_prefix_whatever_the_width_and_case(lib_a):
    assert names(lib_a, "nik") == ["男式运动鞋"]
    assert names(lib_a, "NIKE") == ["男式运动鞋"]
    assert names(lib_a, "ab-10") == ["男式运动鞋"]  # AB-100: the words ab and 100
    assert names(lib_a, "ab10") == []
    assert names(lib_a, "ｐｒｏ") == ["男式运动鞋"]  # full-width in the elements and in the query
    assert names(lib_a, "ike") == []  # a prefix, not any substring
    assert names(lib_a, "氯99") == ["液氯"]


def test_pinyin_and_initials_of_the_name_match_by_prefix(lib_a):
    assert names(lib_a, "kafei") == ["已焙炒咖啡豆"]
    assert names(lib_a, "kfd") == ["已焙炒咖啡豆"]
    assert names(lib_a, "yundongxie") == ["男式运动鞋"]
    assert names(lib_a, "ydx") == ["男式运动鞋"]
    assert names(lib_a, "yel") == ["液氯"]


def test_punctuation_only_keyword_is_no_condition(lib_a):
    assert len(names(lib_a, "|%")) == 3


def test_another_enterprises_rows_never_match(lib_a, actor_b, ent_b):
    authorise(actor_b)
    released(ent_b, [(COFFEE, "速溶咖啡", COFFEE_OK), (SHOES, "男式运动鞋", SHOES_MODEL)])
    library.build(ent_b)
    assert names(lib_a, "咖啡") == ["已焙炒咖啡豆"]
    assert names(lib_a, "速溶") == [] and names(lib_a, "surong") == []
    assert [e.enterprise_id for e in library.query(lib_a, q="nike")] == [lib_a.enterprise.pk]
    assert names(actor_b, "咖啡") == ["速溶咖啡"]
    assert names(actor_b, "beichao") == [] and names(actor_b, "男式") == ["男式运动鞋"]


def test_the_build_keeps_the_index_current(lib_a, ent_a):
    assert names(lib_a, "焙炒") == ["已焙炒咖啡豆"]
    LibraryEntry.objects.filter(enterprise=ent_a).delete()
    assert names(lib_a, "焙炒") == []
    counts = library.build(ent_a)
    assert counts["inserted"] == 3
    assert names(lib_a, "焙炒") == ["已焙炒咖啡豆"]
    # the group's latest occurrence renames the row (same key: the name normalises the same)
    released(ent_a, [(SHOES, "男式运动鞋 ", SHOES_MODEL.replace("NIKE耐克", "NIKE 耐克"))], day=dt.date(2026, 9, 1))
    assert library.build(ent_a)["updated"] == 1
    assert names(lib_a, "nike") == ["男式运动鞋 "] and names(lib_a, "耐克") == ["男式运动鞋 "]


def test_the_public_library_finds_public_rows_only(actor_a, actor_b, ent_a, ent_b):
    authorise(actor_a)
    authorise(actor_b)
    publish([raw(ent_b, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK),
             raw(ent_b, code_ts=COFFEE, g_name="速溶咖啡", g_model=COFFEE_OK, conclusion="不规范",
                 reasons="产区:不具体"),
             raw(ent_a, code_ts=COFFEE, g_name="焙炒咖啡", g_model=COFFEE_OK)])
    released(ent_b, [(COFFEE, "咖啡饮料", COFFEE_OK)])  # 系统匹配数据: never public
    library.build(ent_b)

    def found(q: str) -> list[str]:
        return sorted(r["g_name"] for r in public.query(actor_a, q=q))

    assert found("咖啡") == ["咖啡", "焙炒咖啡"]
    assert found("kafei") == ["咖啡", "焙炒咖啡"] and found("普洱") == ["咖啡", "焙炒咖啡"]
    assert found("速溶") == [] and found("饮料") == []
    assert names(actor_b, "速溶") == ["速溶咖啡"]  # in B's own library all the same
    closed = LibraryEntry.objects.get(enterprise=ent_b, g_name="咖啡")
    library.set_visibility(actor_b, closed.pk, False)
    assert found("咖啡") == ["焙炒咖啡"]
    assert names(actor_b, "咖啡") == ["咖啡", "咖啡饮料", "速溶咖啡"]  # closing does not hide it from B
    library.set_visibility(actor_b, closed.pk, True)
    assert found("咖啡") == ["咖啡", "焙炒咖啡"]
    library.set_visibility(actor_b, closed.pk, False)
    library.build(ent_b)  # a rebuild keeps the enterprise's choice, and the index with it
    assert found("咖啡") == ["焙炒咖啡"]


def test_the_list_pages_use_the_index(client_a, lib_a, actor_b, ent_b):
    authorise(actor_b)
    publish([raw(ent_b, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK)])
    page = client_a.get(reverse("standards:enterprise-library"), {"q": "kafei"}).content.decode()
    assert "已焙炒咖啡豆" in page and "男式运动鞋" not in page
    theirs = LibraryEntry.objects.get(enterprise=ent_b).pk
    page = client_a.get(reverse("standards:public-library"), {"q": "普洱"}).content.decode()
    assert set(re.findall(r'<tr data-pk="(\d+)"', page)) == {str(theirs)}  # A's rows are 系统匹配数据: not public
    page = client_a.get(reverse("standards:public-library"), {"q": "运动鞋"}).content.decode()
    assert 'data-pk="' not in page


def test_index_text_in_the_enterprise_and_the_public_scopes():
    text = normalise.search_text(12, "咖啡", "NIKE|普洱", public=False)
    assert text.split() == ["12zu5496", "12zu5561", "12znike", "12zu666e", "12zu6d31", "12zkafei", "12zkf", "12zfei"]
    both = normalise.search_text(12, "咖啡", "NIKE|普洱", public=True).split()
    assert both[:8] == text.split() and both[8:] == [t.replace("12z", "pz", 1) for t in text.split()]


def test_the_commodity_library_and_the_standards_library_share_the_index_sql():
    """The shared operation writes what the commodity library's own migrations wrote."""
    fts = importlib.import_module("guanwu.datacenter.commodities.migrations.0002_search_index")
    tsv = importlib.import_module("guanwu.datacenter.commodities.migrations.0004_search_tsv")
    sql = fulltext.index_sql("commodities_commodity", "search")
    assert sql["sqlite"] == (fts.SQLITE, fts.SQLITE_REVERSE)
    assert sql["postgresql"][0] == tsv.FORWARD[1:]


@pytest.mark.parametrize("few,many", [(0, 0), (0, 10**6), (2_000, 50_000)])
def test_every_way_of_reading_the_matches_answers_the_same(lib_a, monkeypatch, few, many):
    """SQLite reads a few matches by id, more by checking the rows against the list (page) and
    counts them by id or by the rows (``fulltext.filter_matching``): the same rows every way."""
    monkeypatch.setattr(fulltext, "FEW_MATCHES", few)
    monkeypatch.setattr(fulltext, "MANY_MATCHES", many)
    qs = library.query(lib_a, q="咖啡")
    assert qs.count() == 1 and [e.g_name for e in qs[:50]] == ["已焙炒咖啡豆"]
    qs = library.query(lib_a, q="0", ie_flag="E")  # the elements of two rows start 0|
    assert qs.count() == 2 and len(list(qs[:1])) == 1
    assert library.query(lib_a, q="钢瓶 kafei").count() == 0
