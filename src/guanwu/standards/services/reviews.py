"""The customs side (seed section 3: 系统为海关人员提供审核数据管理和数据查询功能，文件上传时系统根据相应
规则进行校验，方便海关人员及时了解不符合导入规则的数据并进行修正，并可对已上传文件进行查询、导出等).

Platform staff (``is_staff``) upload an Excel file of reviewed declaration items; the simulator
publishes its monthly review through the same ``publish``. The rules of a row (source of each in
its message and in ``tests/standards/test_reviews.py``):

* required columns present (the file's header row);
* 商品编码: 10 digits and in the tariff in force on the row's 申报日期 (``params.tariff_item``);
* 申报要素: as many elements as the 规范申报目录 of that date lists for the code
  (``params.goods.element_count``, 《海关进出口商品规范申报目录》);
* 监管方式 in the 监管方式代码表, 进出口标志 I/E (进口/出口);
* 申报单位 and 收发货人: a 海关编码 (10 characters) or a 统一社会信用代码 (18) each;
* 审核结论 规范 or 不规范; a 不规范 row names at least one element with its reason
  ("要素名称:原因; ..."), each element one of the catalog's.

A file with any broken row writes no data row: the upload is kept as 未导入 with the report of
the broken rows (row number, errors), so staff can correct and upload again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.audit.models import OperationLog
from guanwu.core.errors import FieldError, Forbidden, NotFound, ServiceError
from guanwu.core.ids import possible_ids
from guanwu.params import goods
from guanwu.params import services as params
from guanwu.tenancy.models import Enterprise

from ..models import Conclusion, MonthlyMessage, ReviewedRow, ReviewUpload, UploadSource, UploadStatus
from . import normalise
from .xlsx import workbook

MAX_ROWS = 200_000
MAX_BYTES = 30 * 1024 * 1024
CHUNK = 5_000


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column("entry_id", "海关编号", False),
    Column("code_ts", "商品编码", True),
    Column("g_name", "商品名称", True),
    Column("g_model", "申报要素", True),
    Column("trade_mode", "监管方式", True),
    Column("ie_flag", "进出口标志", True),
    Column("agent_code", "申报单位海关编码", False),
    Column("agent_scc", "申报单位社会信用代码", False),
    Column("trade_code", "收发货人海关编码", False),
    Column("trade_scc", "收发货人社会信用代码", False),
    Column("decl_date", "申报日期", True),
    Column("conclusion", "审核结论", True),
    Column("reasons", "不规范原因", False),
)
BY_LABEL = {c.label: c for c in COLUMNS}
CONCLUSIONS = {"规范": Conclusion.STANDARD, "不规范": Conclusion.NONSTANDARD}
IE_FLAGS = {"I": "I", "E": "E", "进口": "I", "出口": "E"}
_CUSTOMS_CODE = re.compile(r"^[0-9A-Z]{10}$")
_SCC = re.compile(r"^[0-9A-Z]{18}$")
_REASON_SPLIT = re.compile(r"[;；\n]+")


def require_staff(user: Any) -> None:
    """Only platform staff act as customs (seed 3: 系统为海关人员提供 ...)."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        raise Forbidden("仅平台海关人员 (staff) 可管理海关审核数据")


# -- reading and checking ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_reasons(text: str) -> list[tuple[str, str]]:
    """"品牌:未申报品牌; 型号:应填写型号" -> [("品牌", "未申报品牌"), ("型号", "应填写型号")]
    (a part without a colon is a reason about the whole text: element "")."""
    out: list[tuple[str, str]] = []
    for part in _REASON_SPLIT.split(text or ""):
        part = part.strip()
        if not part:
            continue
        name, sep, reason = part.replace("：", ":").partition(":")
        out.append((name.strip(), reason.strip()) if sep else ("", part))
    return out


def check_row(raw: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """One row as read (column name -> cell): the clean values for a ReviewedRow, or the errors."""
    errors: list[str] = []
    row = {c.name: _text(raw.get(c.name)) for c in COLUMNS if c.name != "decl_date"}
    decl_date = _date(raw.get("decl_date"))
    if decl_date is None:
        errors.append("申报日期为空或格式不正确 (应为 YYYY-MM-DD)")
    code = row["code_ts"]
    tariff = None
    if not re.fullmatch(r"\d{10}", code):
        errors.append(f"商品编码“{code}”应为10位数字")
    elif decl_date is not None:
        tariff = params.tariff_item(code, decl_date)
        if tariff is None:
            errors.append(goods.unknown_code(code, decl_date.isoformat()).message)
    if not row["g_name"]:
        errors.append("商品名称不能为空")
    elif len(row["g_name"]) > 255:
        errors.append("商品名称最多255个字符")
    if len(row["g_model"]) > 255:
        errors.append("申报要素最多255个字符")
    elif tariff is not None:
        count = goods.element_count(goods.split_elements(row["g_model"]), tariff)
        if count is not None:
            errors.append(f"申报要素个数与{decl_date}的规范申报目录不符: {count.message}")
    if not row["trade_mode"]:
        errors.append("监管方式不能为空")
    elif params.table_exists("trade-modes") and not params.code_exists("trade-modes", row["trade_mode"]):
        errors.append(f"监管方式“{row['trade_mode']}”不在监管方式代码表中")
    ie = IE_FLAGS.get(row["ie_flag"].upper() if len(row["ie_flag"]) == 1 else row["ie_flag"])
    if ie is None:
        errors.append(f"进出口标志“{row['ie_flag']}”应为 I(进口) 或 E(出口)")
    row["ie_flag"] = ie or ""
    parties = (("申报单位", "agent_code", "agent_scc"), ("收发货人", "trade_code", "trade_scc"))
    for who, code_field, scc_field in parties:
        row[code_field], row[scc_field] = row[code_field].upper(), row[scc_field].upper()
        if not row[code_field] and not row[scc_field]:
            errors.append(f"{who}海关编码和社会信用代码至少填写一项")
        if row[code_field] and not _CUSTOMS_CODE.match(row[code_field]):
            errors.append(f"{who}海关编码“{row[code_field]}”应为10位数字或大写字母")
        if row[scc_field] and not _SCC.match(row[scc_field]):
            errors.append(f"{who}社会信用代码“{row[scc_field]}”应为18位数字或大写字母")
    if len(row["entry_id"]) > 18:
        errors.append("海关编号最多18位")
    conclusion = CONCLUSIONS.get(row["conclusion"])
    reasons = parse_reasons(row["reasons"])
    if conclusion is None:
        errors.append(f"审核结论“{row['conclusion']}”应为 规范 或 不规范")
    elif conclusion == Conclusion.NONSTANDARD and not reasons:
        errors.append("审核结论为不规范时应填写不规范原因 (要素名称:原因)")
    if tariff is not None:
        unknown = [name for name, _ in reasons if name and name not in tariff.elements]
        if unknown:
            errors.append(f"不规范原因中的要素“{'、'.join(unknown)}”不是商品编码{code}的申报要素 "
                          f"({'、'.join(tariff.elements)})")
    if errors:
        return None, errors
    row.update(conclusion=conclusion, reasons=[list(r) for r in reasons], decl_date=decl_date,
               key=normalise.key(code, row["g_name"], row["g_model"]))
    return row, []


def read_workbook(content: bytes) -> list[dict[str, Any]]:
    """The rows of the first sheet by column name; a malformed file is a ServiceError (nothing read)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ServiceError("文件不是有效的 Excel 工作簿 (xlsx)", [FieldError("file", "请上传 .xlsx 文件")]) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise ServiceError("文件为空: 第一行应为列名", [FieldError("file", "第一行应为列名")])
        labels = [_text(h) for h in header]
        missing = [c.label for c in COLUMNS if c.required and c.label not in labels]
        if missing:
            raise ServiceError(f"文件缺少必填列: {'、'.join(missing)}",
                               [FieldError("file", f"缺少列“{label}”") for label in missing])
        positions = [(i, BY_LABEL[label].name) for i, label in enumerate(labels) if label in BY_LABEL]
        out: list[dict[str, Any]] = []
        for values in rows:
            if values is None or all(v in (None, "") for v in values):
                continue
            out.append({name: values[i] if i < len(values) else None for i, name in positions})
            if len(out) > MAX_ROWS:
                raise ServiceError(f"文件最多{MAX_ROWS}行数据", [FieldError("file", f"最多{MAX_ROWS}行")])
    finally:
        book.close()
    if not out:
        raise ServiceError("文件没有数据行", [FieldError("file", "没有数据行")])
    return out


def template() -> bytes:
    """The upload template: the header row and one example row."""
    example = ["", "2801100000", "氯", "0|3|氯99.5%|钢瓶|无品牌|无型号|||", "0110", "E", "6101930001", "",
               "6101930001", "", dt.date(2026, 1, 5), "规范", ""]
    return workbook("海关审核数据", [c.label for c in COLUMNS], [example])


# -- publishing -----------------------------------------------------------------------------------------


def _log(user: Any, obj: Any, action: str, *, enterprise: Enterprise | None = None, after: str = "",
         opinion: str = "") -> OperationLog:
    row = audit.entry(None, obj, action, after=after, opinion=opinion, enterprise=enterprise)
    if user is not None:
        row.user = user
        row.user_name = user.get_full_name() or user.get_username()
    return row


def upload(user: Any, file_name: str, content: bytes) -> ReviewUpload:
    """Staff upload: read, check every row; all good -> published, else kept as 未导入 with the report."""
    require_staff(user)
    if len(content) > MAX_BYTES:
        raise ServiceError(f"文件不能超过{MAX_BYTES // 1024 // 1024}MB", [FieldError("file", "文件过大")])
    raws = read_workbook(content)
    clean: list[dict[str, Any]] = []
    report: list[dict[str, Any]] = []
    for line, raw in enumerate(raws, start=2):
        row, errors = check_row(raw)
        if errors:
            report.append({"row": line, "errors": errors})
        else:
            row["line"] = line  # type: ignore[index]
            clean.append(row)  # type: ignore[arg-type]
    name = (file_name or "审核数据.xlsx")[:255]
    if report:
        with transaction.atomic():
            rejected = ReviewUpload.objects.create(
                source=UploadSource.STAFF, uploaded_by=user, file_name=name, status=UploadStatus.REJECTED,
                row_count=len(raws), rejected_count=len(report), report=report)
            rejected.file.save(f"{hashlib.sha1(content).hexdigest()[:16]}.xlsx", ContentFile(content), save=True)
            audit.record_many([_log(user, rejected, "上传海关审核数据", after="未导入",
                                    opinion=f"{len(report)}行不符合导入规则")])
        return rejected
    return publish(clean, source=UploadSource.STAFF, user=user, file_name=name, content=content)


def publish(rows: list[dict[str, Any]], *, source: str, user: Any = None, file_name: str = "", period: str = "",
            content: bytes | None = None, now: dt.datetime | None = None, rebuild: bool = True) -> ReviewUpload:
    """Write checked rows (``check_row`` output) as one upload, push the monthly message of every
    enterprise concerned and rebuild their libraries: in the background once the upload commits
    (``library.build_later``), so a staff upload answers without waiting for every library; a
    library a lost rebuild left behind is brought up to date by 更新企业库 or the next upload."""
    from . import library

    now = now or timezone.now()
    dates = [r["decl_date"] for r in rows]
    if not period and dates:
        period = max(dates).strftime("%Y-%m")
    standard = sum(1 for r in rows if r["conclusion"] == Conclusion.STANDARD)
    with transaction.atomic():
        up = ReviewUpload.objects.create(
            source=source, period=period, uploaded_by=user, file_name=file_name or f"审核数据 {period}",
            status=UploadStatus.ACCEPTED, row_count=len(rows), standard_count=standard,
            nonstandard_count=len(rows) - standard)
        if content is not None:
            up.file.save(f"{hashlib.sha1(content).hexdigest()[:16]}.xlsx", ContentFile(content), save=True)
        fields = [f.name for f in ReviewedRow._meta.concrete_fields if f.name not in ("id", "upload")]
        for start in range(0, len(rows), CHUNK):
            ReviewedRow.objects.bulk_create(
                [ReviewedRow(upload=up, **{k: r.get(k, 0 if k == "line" else "") for k in fields})
                 for r in rows[start:start + CHUNK]])
        logs = [_log(user, up, "上传海关审核数据" if source == UploadSource.STAFF else "月度审核数据发布",
                     after="已导入", opinion=f"{len(rows)}行: 规范{standard}行, 不规范{len(rows) - standard}行")]
        enterprises = concerned(rows)
        messages = _messages(up, rows, enterprises, now)
        MonthlyMessage.objects.bulk_create(messages)
        logs += [_log(None, m, "推送企业消息", enterprise=m.enterprise, after="未读") for m in messages]
        audit.record_many(logs)
        if rebuild and enterprises:
            ids = [e.pk for e in enterprises]
            transaction.on_commit(lambda: library.build_later(ids))
    return up


def concerned(rows: Iterable[dict[str, Any]]) -> list[Enterprise]:
    """The platform's enterprises a row names as 申报单位 or 收发货人 (by 海关编码 or 社会信用代码)."""
    codes: set[str] = set()
    sccs: set[str] = set()
    for r in rows:
        codes.update(c for c in (r["agent_code"], r["trade_code"]) if c)
        sccs.update(c for c in (r["agent_scc"], r["trade_scc"]) if c)
    if not codes and not sccs:
        return []
    return list(Enterprise.objects.filter(Q(customs_code__in=codes) | Q(scc__in=sccs)).order_by("id"))


def _is(r: dict[str, Any], ent: Enterprise, code_field: str, scc_field: str) -> bool:
    return bool((r[code_field] and r[code_field] == ent.customs_code) or (r[scc_field] and r[scc_field] == ent.scc))


def _messages(up: ReviewUpload, rows: list[dict[str, Any]], enterprises: list[Enterprise],
              now: dt.datetime) -> list[MonthlyMessage]:
    out = []
    for ent in enterprises:
        agent = owner = bad = 0
        dates: list[dt.date] = []
        for r in rows:
            a, o = _is(r, ent, "agent_code", "agent_scc"), _is(r, ent, "trade_code", "trade_scc")
            if not (a or o):
                continue
            agent += a
            owner += o
            bad += r["conclusion"] == Conclusion.NONSTANDARD
            dates.append(r["decl_date"])
        out.append(MonthlyMessage(
            enterprise=ent, upload=up, period=up.period, pushed_at=now,
            title=f"{up.period} 海关规范申报审核情况", total_reviewed=up.row_count,
            total_standard=up.standard_count, total_nonstandard=up.nonstandard_count,
            as_agent_count=agent, as_owner_count=owner, nonstandard_count=bad,
            date_from=min(dates) if dates else None, date_to=max(dates) if dates else None))
    return out


# -- query and export ----------------------------------------------------------------------------------


def list_uploads(user: Any, *, status: str = "", source: str = "", q: str = "", date_from: dt.date | None = None,
                 date_to: dt.date | None = None) -> QuerySet[ReviewUpload]:
    require_staff(user)
    qs = ReviewUpload.objects.select_related("uploaded_by")
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if q:
        qs = qs.filter(Q(file_name__icontains=q) | Q(period__icontains=q))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def get_upload(user: Any, upload_id: int) -> ReviewUpload:
    require_staff(user)
    ids = possible_ids([upload_id])
    found = ReviewUpload.objects.filter(pk=ids[0]).first() if ids else None
    if found is None:
        raise NotFound("审核数据文件不存在")
    return found


def rows_of(user: Any, upload_id: int) -> QuerySet[ReviewedRow]:
    return get_upload(user, upload_id).rows.all()


EXPORT_HEADERS = [c.label for c in COLUMNS]


def export_upload(user: Any, upload_id: int) -> tuple[str, bytes]:
    """The rows of an upload as the upload template (imported), or its report (未导入)."""
    up = get_upload(user, upload_id)
    if up.status == UploadStatus.REJECTED:
        data = workbook("校验报告", ["行号", "不符合的规则"],
                        ([r["row"], "; ".join(r["errors"])] for r in up.report))
        return f"校验报告_{up.pk}.xlsx", data
    labels = dict(CONCLUSIONS)
    inverse = {v: k for k, v in labels.items()}
    data = workbook("海关审核数据", EXPORT_HEADERS, (
        [r.entry_id, r.code_ts, r.g_name, r.g_model, r.trade_mode, r.ie_flag, r.agent_code, r.agent_scc,
         r.trade_code, r.trade_scc, r.decl_date, inverse[r.conclusion],
         "; ".join(f"{e}:{m}" if e else m for e, m in r.reasons)]
        for r in up.rows.order_by("line", "id").iterator(chunk_size=2000)))
    return f"海关审核数据_{up.pk}.xlsx", data
