"""报关单导入: the 表头/表体 template through the shared Excel pipeline and create_draft."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import xlsxwriter
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from guanwu.core.errors import ServiceError
from guanwu.declarations.models import Declaration, DeclarationItem, DeclarationStatus
from guanwu.imports import reader, services
from guanwu.imports.spec import get_spec
from guanwu.jobs.models import Job, JobStatus
from tests.declarations.payloads import export_payload, import_payload

pytestmark = pytest.mark.django_db

SPEC = get_spec("declarations")
HEAD, ITEMS = SPEC.sheets()
BAD_HS = "6109909999"  # not in the tariff


def _cell(ws, r: int, c: int, column, value: Any) -> None:
    if value is None:
        return
    if column.kind == "decimal" and str(value).replace(".", "").isdigit():
        ws.write_number(r, c, float(value))
    elif column.kind == "int":
        ws.write_number(r, c, int(value))
    elif column.kind == "date":
        ws.write_datetime(r, c, dt.datetime.fromisoformat(value), ws.date_format)
    elif column.kind == "choice":
        ws.write_string(r, c, dict(column.choices)[value])  # the label, as the dropdown writes it
    else:
        ws.write_string(r, c, str(value))


def _sheet(wb, part, rows: list[dict[str, Any]]) -> None:
    ws = wb.add_worksheet(part.sheet_name)
    ws.date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [c.marked_header for c in part.columns])
    by_field = part.column_by_field()
    for r, row in enumerate(rows, start=1):
        unknown = set(row) - set(by_field)
        assert not unknown, f"no column for {unknown}"
        for c, column in enumerate(part.columns):
            _cell(ws, r, c, column, row.get(column.field))


def book(declarations: list[tuple[Any, dict]], *, items: list[tuple[Any, dict]] | None = None,
         sheets: tuple[str, ...] = ("表头", "表体")) -> bytes:
    """A filled template: ``declarations`` as (报关单序号, payload); the payloads' items go to 表体
    in order unless ``items`` gives the 表体 rows as (报关单序号, item)."""
    heads, lines = [], []
    for key, payload in declarations:
        payload = dict(payload)
        payload.pop("containers", None)
        for item in payload.pop("items"):
            lines.append({"__link__": key, **item})
        # 企业内部编号 is required on import: ERP-<报关单序号> unless the payload gives one ("" for none)
        heads.append({"__link__": key, "internal_no": f"ERP-{key}", **payload})
    if items is not None:
        lines = [{"__link__": key, **item} for key, item in items]
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    if "表头" in sheets:
        _sheet(wb, HEAD, heads)
    if "表体" in sheets:
        _sheet(wb, ITEMS, lines)
    wb.close()
    return out.getvalue()


def upload(data: bytes, name: str = "declarations.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def run(actor, data: bytes, mode: str, capture) -> Job:
    with capture(execute=True):
        job = services.start_import(actor, "declarations", upload(data), mode)
    job.refresh_from_db()
    return job


def error_book(job: Job) -> dict[str, list[list[Any]]]:
    with default_storage.open(job.output_file, "rb") as fh:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def two_declarations(bad_hs: bool = False) -> bytes:
    export, imp = export_payload(), import_payload()
    if bad_hs:
        export["items"][1]["code_ts"] = BAD_HS
    # 表体 rows of the two declarations interleaved: each keeps its own order
    items = [(1, export["items"][0]), (2, imp["items"][0]), (1, export["items"][1])]
    return book([(1, export), (2, imp)], items=items)


def test_template_has_head_and_item_sheets_with_marks_and_dropdowns(client_a):
    response = client_a.get("/imports/declarations/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["表头", "表体", "代码", "说明"]
    assert wb["代码"].sheet_state == "hidden"
    head = [c.value for c in wb["表头"][1]]
    items = [c.value for c in wb["表体"][1]]
    assert head[:3] == ["*报关单序号", "*进出口标志", "*主管海关（申报地海关）"]
    assert items[:2] == ["*报关单序号", "*商品编号"] and "商品规格、型号" in items and "成交计量单位" in items

    def dropdown(ws, header: str) -> str:
        letter = chr(ord("A") + [c.value for c in ws[1]].index(header))
        found = [v for v in ws.data_validations.dataValidation if f"{letter}2:" in str(v.sqref)]
        assert found, f"no dropdown on {header}"
        return found[0].formula1

    codes = wb["代码"]
    head_list = dropdown(wb["表头"], "监管方式")
    column = head_list.split("!$")[1].split("$")[0]
    assert "0110 - 一般贸易" in [c.value for c in codes[column]]
    unit_list = dropdown(wb["表体"], "成交计量单位")
    assert any(str(c.value).startswith("011 - ") for c in codes[unit_list.split("!$")[1].split("$")[0]])
    assert dropdown(wb["表头"], "*进出口标志")
    # the same table feeds every column using it
    assert dropdown(wb["表体"], "原产国") == dropdown(wb["表体"], "最终目的国（地区）")
    notes = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "报关单序号" in notes and "表体" in notes
    # the empty template reads back: both sheets, headers without marks
    sheets = reader.read_book(io.BytesIO(response.content), ["表头", "表体"])
    assert sheets["表体"].headers[:2] == ["报关单序号", "商品编号"] and sheets["表体"].rows == []


def test_two_declarations_become_drafts_with_items_in_order(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, two_declarations(), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.message == "导入成功 2 份报关单"
    assert (job.total, job.done, job.failed) == (2, 2, 0)
    drafts = list(Declaration.objects.filter(enterprise=actor_a.enterprise).order_by("id"))
    assert [(d.ie_flag, d.status) for d in drafts] == [("E", DeclarationStatus.DRAFT), ("I", DeclarationStatus.DRAFT)]
    export, imp = drafts
    assert [(i.g_no, i.code_ts) for i in export.items.all()] == [(1, "6109100010"), (2, "6110200011")]
    assert [(i.g_no, i.code_ts) for i in imp.items.all()] == [(1, "0901210000")]
    assert export.ie_date is None and str(export.net_wt) == "2650.50000"  # 出口日期: customs fills it
    assert export.custom_master == "5316" and export.trade_country == "DEU" and export.pack_no == 340
    first = export.items.first()
    assert first.g_model.startswith("0|0|针织|T恤衫") and str(first.decl_price) == "3.8500"
    assert first.first_unit  # the legal unit comes from the tariff, as in the form
    assert export.agent_code == actor_a.enterprise.customs_code  # enterprise defaults of create_draft
    assert imp.items.first().dest_code == "310115"


def test_valid_only_skips_the_bad_declaration_and_names_sheet_row_and_column(
    actor_a, django_capture_on_commit_callbacks
):
    job = run(actor_a, two_declarations(bad_hs=True), "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED
    assert job.message == "导入成功 1 份报关单, 失败 1 份报关单"
    assert (job.total, job.done, job.failed) == (2, 1, 1)
    saved = Declaration.objects.get(enterprise=actor_a.enterprise)
    assert saved.ie_flag == "I" and saved.items.count() == 1
    assert not DeclarationItem.objects.filter(code_ts=BAD_HS).exists()
    # the second item of declaration 1 is 表体 row 4 (rows 2 and 4 are declaration 1's)
    [error] = job.result["error_sample"]
    assert error["sheet"] == "表体" and error["row"] == 4 and error["column"] == "商品编号"
    assert "第2项" in error["message"] and "税则中不存在" in error["message"]
    sheets = error_book(job)
    assert list(sheets) == ["表头", "表体"]
    head, items = sheets["表头"], sheets["表体"]
    assert head[0][:3] == ["原行号", "报关单序号", "进出口标志"] and head[0][-1] == "错误信息"
    assert [r[0] for r in head[1:]] == [2] and head[1][1] == "1"
    # every row of the refused declaration, so the file can be fixed and imported again
    assert [r[0] for r in items[1:]] == [2, 4]
    assert items[1][-1] == ""
    assert items[2][-1].startswith("商品编号: 第2项 商品编号6109909999")


def test_all_or_nothing_saves_none_and_still_reports_every_error(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, two_declarations(bad_hs=True), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("发现 1 份报关单有错误, 按「全部正确才导入」未导入任何数据")
    assert job.done == 0 and job.result["imported"] == 0
    assert not Declaration.objects.exists() and not DeclarationItem.objects.exists()
    assert [(e["sheet"], e["row"], e["column"]) for e in job.result["error_sample"]] == [("表体", 4, "商品编号")]


def test_cell_and_head_rule_errors_land_on_the_head_row(actor_a, django_capture_on_commit_callbacks):
    export = export_payload(gross_wet="两吨")
    imp = import_payload(trade_country="XXX")
    job = run(actor_a, book([(1, export), (2, imp)]), "valid_only", django_capture_on_commit_callbacks)
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert errors == {
        ("表头", 2, "毛重"): "应为数字",  # read by the pipeline
        ("表头", 3, "启运国/运抵国"): "启运国(地区)代码不存在: XXX",  # refused by the 暂存 rules
    }
    assert job.message == "导入成功 0 份报关单, 失败 2 份报关单"
    assert not Declaration.objects.exists()


def test_unknown_link_key_duplicate_key_and_declaration_without_items(actor_a, django_capture_on_commit_callbacks):
    export, imp = export_payload(), import_payload()
    items = [(1, export["items"][0]), (9, imp["items"][0]), (3, imp["items"][0])]
    data = book([(1, export), (2, imp), (3, imp), (3, imp)], items=items)
    job = run(actor_a, data, "valid_only", django_capture_on_commit_callbacks)
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert errors == {
        ("表头", 3, "报关单序号"): "表体中没有报关单序号为「2」的商品项",
        ("表头", 4, "报关单序号"): "报关单序号「3」在表头中重复(第4、5行)",
        ("表头", 5, "报关单序号"): "报关单序号「3」在表头中重复(第4、5行)",
        ("表体", 3, "报关单序号"): "表头中没有报关单序号为「9」的行, 无法对应到报关单",
    }
    assert job.message == "导入成功 1 份报关单, 失败 3 份报关单, 1 行表体无法对应到表头"
    assert job.result["unlinked_rows"] == 1
    assert Declaration.objects.get().items.count() == 1
    all_or_nothing = run(actor_a, data, "all_or_nothing", django_capture_on_commit_callbacks)
    # the declaration the first run imported is now refused too (its 企业内部编号 is taken)
    assert all_or_nothing.message.startswith("发现 4 份报关单有错误、1 行表体无法对应到表头, 按「全部正确才导入」")
    assert Declaration.objects.count() == 1


def test_missing_sheet_is_refused_in_chinese_and_nothing_is_saved(actor_a):
    for data, missing in ((book([(1, export_payload())], sheets=("表头",)), "「表体」"),
                          (book([(1, export_payload())], sheets=("表体",)), "「表头」")):
        with pytest.raises(ServiceError) as exc:
            services.start_import(actor_a, "declarations", upload(data), "valid_only")
        assert f"文件中缺少工作表{missing}" in exc.value.message
    csv = "报关单序号,进出口标志\n1,出口\n".encode()
    with pytest.raises(ServiceError, match="CSV 文件只有一个工作表"):
        services.start_import(actor_a, "declarations", upload(csv, "d.csv"), "valid_only")
    assert not Job.objects.exists() and not Declaration.objects.exists()


def test_missing_sheet_of_a_big_file_fails_the_job(actor_a, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "SYNC_CHECK_BYTES", 10)
    job = run(actor_a, book([(1, export_payload())], sheets=("表头",)), "valid_only",
              django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and "文件中缺少工作表「表体」" in job.message
    assert not Declaration.objects.exists()


def test_missing_required_column_names_the_sheet(actor_a):
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet("表头").write_row(0, 0, ["报关单序号", "进出口标志", "主管海关（申报地海关）", "企业内部编号"])
    wb.add_worksheet("表体").write_row(0, 0, ["报关单序号", "商品名称"])
    wb.close()
    with pytest.raises(ServiceError) as exc:
        services.start_import(actor_a, "declarations", upload(out.getvalue()), "valid_only")
    assert exc.value.message.startswith("工作表「表体」缺少必填列: 「商品编号」")


@pytest.mark.parametrize("data", [b"\x00\x01not a workbook" * 10, b"PK\x03\x04broken zip", b""])
def test_malformed_file_is_refused(actor_a, data):
    with pytest.raises(ServiceError) as exc:
        services.start_import(actor_a, "declarations", upload(data), "valid_only")
    assert "文件无法读取" in exc.value.message or "文件为空" in exc.value.message
    assert not Job.objects.exists() and not Declaration.objects.exists()


def test_rows_land_in_the_actors_enterprise_only(actor_a, actor_b, client_b, django_capture_on_commit_callbacks):
    job = run(actor_a, two_declarations(), "valid_only", django_capture_on_commit_callbacks)
    assert Declaration.objects.filter(enterprise=actor_a.enterprise).count() == 2
    assert not Declaration.objects.filter(enterprise=actor_b.enterprise).exists()
    assert set(Declaration.objects.values_list("created_by", flat=True)) == {actor_a.user.pk}
    assert client_b.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert client_b.get(f"/jobs/{job.pk}/").status_code == 404
    other = run(actor_b, two_declarations(), "valid_only", django_capture_on_commit_callbacks)
    assert other.done == 2
    assert Declaration.objects.filter(enterprise=actor_b.enterprise).count() == 2
    assert Declaration.objects.filter(enterprise=actor_a.enterprise).count() == 2


def test_upload_page_and_result_name_the_sheet(client_a, django_capture_on_commit_callbacks):
    page = client_a.get("/imports/declarations/").content.decode()
    assert "导入报关单" in page and "表头" in page and "表体" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post("/imports/declarations/",
                                 {"file": upload(two_declarations(bad_hs=True)), "mode": "valid_only"})
    assert response.status_code == 302
    result = client_a.get(response["Location"]).content.decode()
    assert "导入成功 1 份报关单, 失败 1 份报关单" in result
    assert "<td>表体</td><td>4</td><td>商品编号</td>" in result


def test_import_api(client, admin_a, django_capture_on_commit_callbacks):
    from tests.conftest import PASSWORD

    token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    template = client.get("/api/v1/imports/declarations/template", headers=auth)
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    wb = load_workbook(io.BytesIO(template.content))
    assert wb.sheetnames[:2] == ["表头", "表体"]
    assert [c.value for c in wb["表体"][1]][:2] == ["*报关单序号", "*商品编号"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/declarations",
                               {"file": upload(two_declarations()), "mode": "valid_only"}, headers=auth)
    assert response.status_code == 202
    body = client.get(f"/api/v1/jobs/{response.json()['id']}", headers=auth).json()
    assert body["status"] == "succeeded" and body["done"] == 2 and body["total"] == 2


def test_error_workbook_fixed_and_imported_again(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, two_declarations(bad_hs=True), "valid_only", django_capture_on_commit_callbacks)
    with default_storage.open(job.output_file, "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    items = wb["表体"]
    code_col = [c.value for c in items[1]].index("商品编号") + 1
    assert items.cell(row=3, column=code_col).value == BAD_HS
    items.cell(row=3, column=code_col, value="6110200011")
    out = io.BytesIO()
    wb.save(out)
    again = run(actor_a, out.getvalue(), "all_or_nothing", django_capture_on_commit_callbacks)
    assert again.status == JobStatus.SUCCEEDED, again.result
    export = Declaration.objects.get(enterprise=actor_a.enterprise, ie_flag="E")
    assert [i.code_ts for i in export.items.all()] == ["6109100010", "6110200011"]


# -------------------------------------------------------------------- importing a file twice


def head_errors(job: Job) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.result["error_sample"] if e["sheet"] == "表头"]


def test_importing_the_same_file_again_is_refused_by_internal_no(actor_a, django_capture_on_commit_callbacks):
    """企业内部编号 names one declaration of the enterprise: the same file imported a second time
    (a double upload, a retry after a timeout) adds nothing; each declaration is refused on its
    表头 row, naming the declaration that has the number."""
    data = two_declarations()
    first = run(actor_a, data, "valid_only", django_capture_on_commit_callbacks)
    assert first.done == 2
    export, imp = Declaration.objects.filter(enterprise=actor_a.enterprise).order_by("id")
    assert (export.internal_no, imp.internal_no) == ("ERP-1", "ERP-2")
    again = run(actor_a, data, "valid_only", django_capture_on_commit_callbacks)
    assert again.message == "导入成功 0 份报关单, 失败 2 份报关单"
    assert head_errors(again) == [
        (2, "企业内部编号", f"企业内部编号ERP-1已用于{export}(暂存), 不能重复: 同一票货物请勿重复导入或录入"),
        (3, "企业内部编号", f"企业内部编号ERP-2已用于{imp}(暂存), 不能重复: 同一票货物请勿重复导入或录入"),
    ]
    strict = run(actor_a, data, "all_or_nothing", django_capture_on_commit_callbacks)
    assert strict.status == JobStatus.FAILED and strict.result["imported"] == 0
    assert Declaration.objects.filter(enterprise=actor_a.enterprise).count() == 2
    assert DeclarationItem.objects.count() == 3


def test_the_same_internal_no_twice_in_one_file_imports_the_first_only(actor_a, django_capture_on_commit_callbacks):
    data = book([(1, export_payload(internal_no="SO-7")), (2, import_payload(internal_no="SO-7"))])
    job = run(actor_a, data, "valid_only", django_capture_on_commit_callbacks)
    saved = Declaration.objects.get(enterprise=actor_a.enterprise)
    assert saved.ie_flag == "E" and job.done == 1
    message = f"企业内部编号SO-7已用于{saved}(暂存), 不能重复: 同一票货物请勿重复导入或录入"
    assert head_errors(job) == [(3, "企业内部编号", message)]


def test_internal_no_is_required_on_import(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, book([(1, export_payload(internal_no=""))]), "valid_only", django_capture_on_commit_callbacks)
    assert head_errors(job) == [(2, "企业内部编号", "必填项不能为空")]
    assert not Declaration.objects.exists()


def test_the_same_number_in_another_enterprise_is_its_own(actor_a, actor_b, django_capture_on_commit_callbacks):
    assert run(actor_a, two_declarations(), "valid_only", django_capture_on_commit_callbacks).done == 2
    assert run(actor_b, two_declarations(), "valid_only", django_capture_on_commit_callbacks).done == 2


def test_a_declaration_reports_all_its_errors_at_once(actor_a, django_capture_on_commit_callbacks):
    """Issue 11, point 16: codes the 暂存 rules refuse are reported next to a 件数 "abc" the
    pipeline could not read (they came only after it was fixed)."""
    export = export_payload(trade_country="XXX")
    export["items"][0]["g_unit"] = "999"
    wb = load_workbook(io.BytesIO(book([(1, export)])))
    head = wb["表头"]
    column = [c.value for c in head[1]].index("件数") + 1
    head.cell(row=2, column=column, value="abc")
    data = io.BytesIO()
    wb.save(data)
    job = run(actor_a, data.getvalue(), "valid_only", django_capture_on_commit_callbacks)
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert errors[("表头", 2, "件数")] == "应为整数"
    assert "代码不存在: XXX" in errors[("表头", 2, "启运国/运抵国")]
    assert "999" in errors[("表体", 2, "成交计量单位")]
    assert len(errors) == 3, errors
    assert job.message == "导入成功 0 份报关单, 失败 1 份报关单"
    assert not Declaration.objects.exists()


def _by_header(job_book: bytes) -> dict[str, list[dict[str, Any]]]:
    """The rows of each sheet of a workbook as {header: value} (headers without the * mark)."""
    wb = CalamineWorkbook.from_filelike(io.BytesIO(job_book))
    out = {}
    for name in ("表头", "表体"):
        rows = wb.get_sheet_by_name(name).to_python()
        headers = [str(h).lstrip("*") for h in rows[0]]
        out[name] = [dict(zip(headers, row, strict=False)) for row in rows[1:]]
    return out


def test_columns_mean_what_their_headers_say_for_an_export(actor_a, client_a, django_capture_on_commit_callbacks):
    """Issue 11, point 17: an export with 原产国=CHN and 最终目的国=DEU in the file is an export of
    Chinese goods to Germany (it was stored the other way round: 原产国 德国 in grid and print)."""
    export = export_payload()
    for item in export["items"]:  # the file's columns by meaning
        item["origin_country"], item["destination_country"] = "CHN", "DEU"
    job = run(actor_a, book([(1, export)]), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED, job.result
    declaration = Declaration.objects.get()
    item = declaration.items.get(g_no=1)
    # stored as the dictionary wants an export: DestinationCountry holds the 原产国
    assert (item.destination_country, item.origin_country) == ("CHN", "DEU")
    page = client_a.get(f"/declarations/{declaration.pk}/print/").content.decode()
    row = page[page.index("棉制针织T恤衫"):]
    assert row.index("中国(CHN)") < row.index("德国(DEU)")  # 原产国 column before 最终目的国
    # an import keeps them as named
    imp = import_payload()
    imp["items"][0]["origin_country"], imp["items"][0]["destination_country"] = "USA", "CHN"
    run(actor_a, book([(2, imp)]), "all_or_nothing", django_capture_on_commit_callbacks)
    stored = DeclarationItem.objects.filter(declaration__ie_flag="I").order_by("g_no").first()
    assert (stored.origin_country, stored.destination_country) == ("USA", "CHN")


@pytest.mark.parametrize("make", [export_payload, import_payload])
def test_a_declaration_exported_to_the_template_imports_back_identical(
    actor_a, client_a, django_capture_on_commit_callbacks, make
):
    """Issue 11, point 17: 导出Excel then 导入 gives the same declaration; the exported columns
    mean what their headers say."""
    from guanwu.declarations import services as declarations
    from guanwu.declarations.payload import from_instance

    original = declarations.create_draft(actor_a, make(internal_no="RT-1"))
    response = client_a.get(f"/declarations/{original.pk}/template.xlsx")
    assert response.status_code == 200
    sheets = _by_header(response.content)
    first = original.items.get(g_no=1)
    origin, destination = ((first.origin_country, first.destination_country) if original.ie_flag == "I"
                           else (first.destination_country, first.origin_country))
    assert sheets["表体"][0]["原产国"] == origin and sheets["表体"][0]["最终目的国（地区）"] == destination
    assert origin != destination

    before = from_instance(original)
    # 企业内部编号 names one declaration: the original goes before its copy comes back
    Declaration.objects.filter(pk=original.pk).delete()
    job = run(actor_a, response.content, "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED, job.result
    copy = Declaration.objects.get()
    after = from_instance(copy)
    assert copy.internal_no == "RT-1"
    assert after.head == before.head
    assert after.items == before.items
