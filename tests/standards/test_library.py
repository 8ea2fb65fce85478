"""企业库 (seed 5.2): de-duplication (商品编码 + normalised 商品名称 + normalised 申报要素), marking
规范数据/不规范数据/系统匹配数据/企业自选数据, 设为自选, 设置数据公开状态, the query conditions and
申报要素详情 against the latest catalog."""

from __future__ import annotations

import datetime as dt

import pytest

from guanwu.audit.models import OperationLog
from guanwu.core.errors import NotFound, ServiceError
from guanwu.declarations.models import DeclarationStatus
from guanwu.params import index
from guanwu.params.models import TariffItem, TariffVersion
from guanwu.standards.models import LibraryEntry, Mark
from guanwu.standards.services import library, normalise

from .helpers import CHLORINE, CHLORINE_OK, COFFEE, COFFEE_OK, authorise, publish, raw, released

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorised(actor_a):
    authorise(actor_a)
    return actor_a


def entries(ent):
    return list(LibraryEntry.objects.filter(enterprise=ent).order_by("code_ts", "g_name"))


def test_normalise_full_width_spaces_and_case():
    assert normalise.normalise(" ＡＢＣ １２３ ｜ abc ") == "abc123|abc"
    assert normalise.key(CHLORINE, "氯 ", "0|0|ＡＢ c") == normalise.key(CHLORINE, "氯", "0|0|abc")
    assert normalise.key(CHLORINE, "氯", "0|0|ab") != normalise.key(COFFEE, "氯", "0|0|ab")
    assert normalise.key(CHLORINE, "氯", "0|0|ab") != normalise.key(CHLORINE, "液氯", "0|0|ab")


def test_history_items_deduplicated_on_code_name_and_normalised_elements(ent_a):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK), (CHLORINE, "氯 ", CHLORINE_OK.replace("钢瓶", "钢 瓶"))],
             day=dt.date(2026, 9, 1))
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK.replace("0|0", "０|０"))], day=dt.date(2026, 9, 20), ie_flag="I")
    released(ent_a, [(COFFEE, "氯", CHLORINE_OK)])  # another code: another row
    counts = library.build(ent_a)
    assert counts == {"entries": 2, "inserted": 2, "updated": 0, "deleted": 0}
    chlorine = LibraryEntry.objects.get(enterprise=ent_a, code_ts=CHLORINE)
    assert chlorine.history_count == 3 and chlorine.reviewed_count == 0
    assert chlorine.mark == Mark.MATCHED and not chlorine.is_public
    assert chlorine.decl_date == dt.date(2026, 9, 20) and chlorine.ie_flag == "I"  # the latest occurrence shows


def test_only_released_or_closed_declarations_count(ent_a):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK)], status=DeclarationStatus.DRAFT)
    released(ent_a, [(COFFEE, "咖啡", COFFEE_OK)], status=DeclarationStatus.REJECTED)
    assert library.build(ent_a)["entries"] == 0
    released(ent_a, [(COFFEE, "咖啡", COFFEE_OK)], status=DeclarationStatus.CLOSED)
    assert library.build(ent_a)["entries"] == 1


def test_marks_from_the_latest_review_else_matched(ent_a, ent_b):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK), (COFFEE, "咖啡", COFFEE_OK), (COFFEE, "咖啡豆", COFFEE_OK)])
    publish([
        raw(ent_a, g_name="氯", conclusion="规范"),
        raw(ent_a, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK, conclusion="规范", day=dt.date(2026, 10, 1)),
        raw(ent_a, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK, conclusion="不规范", day=dt.date(2026, 10, 9),
            reasons="产区:应申报到县级"),
        raw(ent_b, code_ts=COFFEE, g_name="咖啡豆", g_model=COFFEE_OK, conclusion="规范"),  # about B only
    ], rebuild=False)
    library.build(ent_a)
    by_name = {e.g_name: e for e in entries(ent_a)}
    assert by_name["氯"].mark == Mark.STANDARD and by_name["氯"].is_public
    assert by_name["氯"].history_count == 1 and by_name["氯"].reviewed_count == 1
    assert by_name["咖啡"].mark == Mark.NONSTANDARD and not by_name["咖啡"].is_public
    assert by_name["咖啡"].reasons == [["产区", "应申报到县级"]]
    assert by_name["咖啡豆"].mark == Mark.MATCHED  # B's review says nothing about A's item


def test_reviewed_rows_as_owner_join_the_library_with_the_role(ent_a):
    publish([raw(None, agent="6101339998", trade=ent_a.customs_code)], rebuild=False)
    library.build(ent_a)
    (entry,) = entries(ent_a)
    assert entry.as_owner and not entry.as_agent and entry.history_count == 0 and entry.mark == Mark.STANDARD


def test_publish_rebuilds_the_libraries_concerned(ent_a, ent_b):
    publish([raw(ent_a), raw(ent_b, g_name="液氯")])
    assert [e.g_name for e in entries(ent_a)] == ["氯"]
    assert [e.g_name for e in entries(ent_b)] == ["液氯"]


def test_publish_rebuilds_only_after_the_upload_commits(ent_a, monkeypatch):
    """The rebuild runs in the worker once the upload is committed: an upload rolled back queues
    nothing, and the upload's transaction never waits for the libraries."""
    from django.db import transaction

    from guanwu.standards.services import reviews

    from .helpers import committed

    row, _ = reviews.check_row(raw(ent_a))
    row["line"] = 2
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        reviews.publish([row], source="staff")
        assert entries(ent_a) == []  # not built inside the upload's transaction
        raise RuntimeError("upload rolled back")
    assert entries(ent_a) == []


def test_a_failing_library_does_not_hold_back_the_others(ent_a, ent_b, monkeypatch):
    real = library.build

    def build(ent):
        if ent.pk == ent_a.pk:
            raise RuntimeError("broken library")
        return real(ent)

    publish([raw(ent_a), raw(ent_b, g_name="液氯")], rebuild=False)
    monkeypatch.setattr(library, "build", build)
    library.build_later.call_local([ent_a.pk, ent_b.pk])
    assert entries(ent_a) == [] and [e.g_name for e in entries(ent_b)] == ["液氯"]


def test_own_choice_only_on_matched_and_kept_across_rebuilds(authorised, ent_a):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK), (COFFEE, "咖啡", COFFEE_OK)])
    publish([raw(ent_a, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK)])
    matched = LibraryEntry.objects.get(enterprise=ent_a, code_ts=CHLORINE)
    standard = LibraryEntry.objects.get(enterprise=ent_a, code_ts=COFFEE)
    chosen = library.set_own_choice(authorised, matched.pk)
    assert chosen.mark == Mark.OWN_CHOICE
    log = OperationLog.objects.get(action="设为自选")
    assert (log.status_before, log.status_after, log.enterprise_id) == ("系统匹配数据", "企业自选数据", ent_a.pk)
    with pytest.raises(ServiceError) as refused:
        library.set_own_choice(authorised, standard.pk)
    assert refused.value.status == 409 and "只有系统匹配数据可以设为自选" in refused.value.message
    library.build(ent_a)
    assert LibraryEntry.objects.get(pk=matched.pk).mark == Mark.OWN_CHOICE
    # customs reviews it later: the review's mark wins
    publish([raw(ent_a, conclusion="不规范", reasons="包装:应申报包装规格", day=dt.date(2026, 11, 2))])
    assert LibraryEntry.objects.get(pk=matched.pk).mark == Mark.NONSTANDARD


def test_visibility_only_for_standard_rows_and_kept_across_rebuilds(authorised, ent_a):
    released(ent_a, [(COFFEE, "咖啡", COFFEE_OK)])
    publish([raw(ent_a)])
    standard = LibraryEntry.objects.get(enterprise=ent_a, code_ts=CHLORINE)
    matched = LibraryEntry.objects.get(enterprise=ent_a, code_ts=COFFEE)
    assert standard.is_public  # 规范 data public by default
    closed = library.set_visibility(authorised, standard.pk, False)
    assert not closed.is_public and closed.public_closed
    assert OperationLog.objects.filter(action="设置数据公开状态", status_after="不公开").count() == 1
    library.build(ent_a)
    assert not LibraryEntry.objects.get(pk=standard.pk).is_public
    with pytest.raises(ServiceError, match="只有海关审核的规范数据可以设置公开状态"):
        library.set_visibility(authorised, matched.pk, True)
    assert library.set_visibility(authorised, standard.pk, True).is_public


def test_rebuild_updates_and_deletes(authorised, ent_a):
    decl = released(ent_a, [(CHLORINE, "氯", CHLORINE_OK)])
    released(ent_a, [(COFFEE, "咖啡", COFFEE_OK)])
    library.build(ent_a)
    decl.delete()
    counts = library.rebuild(authorised)
    assert counts == {"entries": 1, "inserted": 0, "updated": 0, "deleted": 1}
    assert OperationLog.objects.filter(action="更新企业库").count() == 1


def test_query_conditions(authorised, ent_a):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK)], day=dt.date(2026, 3, 1), ie_flag="E", trade_mode="0110")
    released(ent_a, [(COFFEE, "焙炒咖啡", COFFEE_OK)], day=dt.date(2026, 6, 1), ie_flag="I", trade_mode="0615",
             trade="6101339999")
    publish([raw(None, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK, conclusion="不规范", reasons="产区:不具体",
                 agent="6101339998", trade=ent_a.customs_code, ie_flag="I")])

    def names(**conditions):
        return sorted(e.g_name for e in library.query(authorised, **conditions))

    assert names() == ["咖啡", "氯", "焙炒咖啡"]
    assert names(mark="nonstandard") == ["咖啡"]
    assert names(mark="matched") == ["氯", "焙炒咖啡"]
    assert names(trade_mode="0615") == ["焙炒咖啡"]
    assert names(code_ts="0901") == ["咖啡", "焙炒咖啡"]
    assert names(code_ts=CHLORINE) == ["氯"]
    assert names(ie_flag="E") == ["氯"]
    assert names(role="owner") == ["咖啡", "氯"]
    assert names(role="agent") == ["氯", "焙炒咖啡"]
    assert names(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 7, 1)) == ["焙炒咖啡"]
    assert names(q="阿拉比卡 云南") == ["咖啡", "焙炒咖啡"]
    assert names(q="ＣＡＳ") == [] and names(q="钢瓶") == ["氯"] and names(q="氯９９") == ["氯"]
    with pytest.raises(ServiceError) as bad:
        library.query(authorised, mark="x", ie_flag="Q", role="boss")
    assert {e.field for e in bad.value.errors} == {"mark", "ie_flag", "role"}


def test_other_enterprise_ids_are_not_found(authorised, actor_b, ent_b):
    authorise(actor_b)
    publish([raw(ent_b)])
    theirs = LibraryEntry.objects.get(enterprise=ent_b)
    for call in (lambda: library.get_entry(authorised, theirs.pk), lambda: library.elements(authorised, theirs.pk),
                 lambda: library.set_own_choice(authorised, theirs.pk),
                 lambda: library.set_visibility(authorised, theirs.pk, False)):
        with pytest.raises(NotFound):
            call()
    assert LibraryEntry.objects.get(pk=theirs.pk).is_public


@pytest.fixture
def new_catalog():
    """A catalog in force from 2026-07-01 where 氯 drops 包装 and gains 用途 (as the 规范申报目录
    changes between tariff years)."""
    version = TariffVersion.objects.create(name="2026年7月税则", effective_date=dt.date(2026, 7, 1))
    TariffItem.objects.create(version=version, code_ts=CHLORINE, name="氯",
                              elements=["品牌类型", "出口享惠情况", "用途", "成分含量", "品牌", "型号", "GTIN", "CAS",
                                        "其他"])
    index.invalidate()
    yield version
    index.invalidate()


def test_element_details_against_the_latest_catalog(authorised, ent_a, new_catalog):
    """规范申报目录: 详情页根据海关最新规范申报要素目录显示 ... (seed 5.2); the catalog of the
    declaration date names the row's values, the latest catalog the names shown."""
    released(ent_a, [(CHLORINE, "氯", "0|0|氯99.5%|钢瓶|无品牌|无型号|||")], day=dt.date(2026, 3, 1))
    library.build(ent_a)
    entry = LibraryEntry.objects.get(enterprise=ent_a)
    details = library.elements(authorised, entry.pk)
    assert details["changed"] is True
    assert details["added"] == ["用途"] and details["dropped"] == [{"name": "包装", "value": "钢瓶"}]
    assert [(e["name"], e["value"], e["added"]) for e in details["elements"][:5]] == [
        ("品牌类型", "0", False), ("出口享惠情况", "0", False), ("用途", "", True), ("成分含量", "氯99.5%", False),
        ("品牌", "无品牌", False)]


def test_element_details_unchanged_catalog(authorised, ent_a):
    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK)])
    library.build(ent_a)
    details = library.elements(authorised, LibraryEntry.objects.get(enterprise=ent_a).pk)
    assert details["changed"] is False and details["added"] == [] and details["dropped"] == []
    assert [e["value"] for e in details["elements"]][:6] == ["0", "0", "氯99.5%", "钢瓶", "无品牌", "无型号"]


def test_export_page(authorised, ent_a):
    import io

    import openpyxl

    released(ent_a, [(CHLORINE, "氯", CHLORINE_OK), (COFFEE, "咖啡", COFFEE_OK)])
    library.build(ent_a)
    content = library.export_page(authorised, 0, 1)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("商品编码", "商品名称", "申报要素") and len(rows) == 2  # the page only
