"""Starting an import and the background job that runs it."""

from __future__ import annotations

import gc
import io
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.jobs import services as jobs
from guanwu.jobs.models import Job, JobStatus
from guanwu.jobs.progress import Progress
from guanwu.jobs.registry import register
from guanwu.tenancy.context import Actor

from . import reader
from .convert import compile_column
from .errorbook import build_book_error_workbook, build_error_workbook
from .pipeline import (
    BookValidation,
    RowError,
    Validation,
    check_book_headers,
    check_headers,
    locate,
    validate,
    validate_book,
)
from .reader import FileError
from .spec import ImportSpec, get_spec

log = logging.getLogger(__name__)
MODES = {"all_or_nothing": "全部正确才导入", "valid_only": "只导入正确的行"}
JOB_KIND = "import"
# Files up to this size are opened at upload so that a wrong file is refused at once.
SYNC_CHECK_BYTES = 2 * 1024 * 1024


def modes_for(spec: ImportSpec) -> dict[str, str]:
    """The two modes as the upload page names them (a multi-sheet import counts records)."""
    if spec.multi_sheet:
        return {**MODES, "valid_only": f"只导入正确的{spec.title}"}
    return MODES


def spec_for(actor: Actor, key: str) -> ImportSpec:
    spec = get_spec(key)
    if spec is None:
        raise NotFound("导入类型不存在")
    if spec.admin_only:
        actor.require_admin(f"导入{spec.title}")
    return spec


def upload_values(spec: ImportSpec, actor: Actor, raw: dict | None) -> dict:
    """The ``spec.upload_fields`` values of ``raw`` converted like cells and checked
    (``spec.check_upload``); ServiceError naming the field otherwise."""
    values: dict = {}
    errors: list[FieldError] = []
    raw = raw or {}
    for column in spec.upload_fields:
        value, error = compile_column(column)(raw.get(column.field))
        if not error and column.required and value in (None, ""):
            error = "必填项不能为空"
        if error:
            errors.append(FieldError(column.field, f"{column.header}：{error}"))
        values[column.field] = value
    if errors:
        raise ServiceError.fields(errors, message=errors[0].message)
    if spec.check_upload is not None:
        spec.check_upload(actor, values)
    return values


def _stored(values: dict) -> dict:
    """Upload values as the job's JSON params keep them (dates as ISO text, read back by the cell
    converters)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else (None if v is None else str(v)))
            for k, v in values.items()}


def start_import(actor: Actor, key: str, upload, mode: str = "all_or_nothing", values: dict | None = None) -> Job:
    """Check the file (readable, headers as the template) and the upload values
    (``spec.upload_fields``, e.g. 商品批次号), store the file, queue the job."""
    spec = spec_for(actor, key)
    if mode not in MODES:
        raise _error("mode", "导入方式只能是全部正确才导入或只导入正确的行")
    constants = upload_values(spec, actor, values)
    if upload is None:
        raise _error("file", "请选择要导入的文件")
    if upload.size > settings.GUANWU_IMPORT_MAX_BYTES:
        limit = settings.GUANWU_IMPORT_MAX_BYTES / (1024 * 1024)
        raise _error("file", f"文件超过 {limit:g} MB, 请拆分后导入")
    data = upload.read()
    try:
        if len(data) <= SYNC_CHECK_BYTES and spec.multi_sheet:
            check_book_headers(spec, reader.read_book(io.BytesIO(data), _sheet_names(spec), header_only=True))
        elif len(data) <= SYNC_CHECK_BYTES:
            sheet = reader.read(io.BytesIO(data), sheet_name=spec.sheet_name, header_only=True)
            check_headers(spec, sheet.headers)
        elif spec.multi_sheet and reader.sniff(data[:8]) == "csv":
            reader.read_book(io.BytesIO(data[:8]), _sheet_names(spec))  # refuses CSV at once
        else:  # big files: the job checks the headers (parsing them here would cost a second full read)
            reader.sniff(data[:8])
    except FileError as exc:
        raise _error("file", str(exc)) from None
    path = default_storage.save(f"imports/{actor.enterprise.pk}/{uuid.uuid4().hex}.upload", ContentFile(data))
    with transaction.atomic():
        job = jobs.submit(
            actor, JOB_KIND, f"导入{spec.title}",
            params={"spec": key, "mode": mode, "file_name": upload.name[:200], "values": _stored(constants)},
            input_file=path,
        )
        audit.record(actor, job, "提交导入", after=JobStatus.QUEUED.label, changes={"文件": upload.name[:200]})
    return job


def _sheet_names(spec: ImportSpec) -> list[str]:
    return [part.sheet_name for part in spec.sheets()]


def _error(field: str, message: str) -> ServiceError:
    return ServiceError.fields([FieldError(field, message)], message=message)


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection while an import runs: it builds millions of objects that
    live until it ends (cells, row dicts), which every collection would walk through again
    for nothing (~6% of a 100k-row import). Reference counting still frees what is dropped;
    the collector runs again as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@register(JOB_KIND)
def run_import(progress: Progress) -> None:
    with _without_cyclic_gc():
        _run_import(progress)


def _run_import(progress: Progress) -> None:
    job = progress.job
    actor = Actor.resolve(job.user, job.enterprise) if job.user else None
    if actor is None:
        job.status, job.message = JobStatus.FAILED, "提交人已不是本企业成员, 导入取消"
        return
    spec = get_spec(job.params.get("spec", ""))
    if spec is None:
        job.status, job.message = JobStatus.FAILED, "导入类型不存在"
        return
    try:
        constants = upload_values(spec, actor, job.params.get("values")) if spec.upload_fields else None
        with default_storage.open(job.input_file, "rb") as fh:
            if spec.multi_sheet:
                sheets = reader.read_book(fh, _sheet_names(spec))
                progress.update(total=len(sheets[spec.sheet_name].rows), stage="校验", force=True)
                result: Validation | BookValidation = validate_book(spec, actor, sheets, progress, constants)
            else:
                sheet = reader.read(fh, sheet_name=spec.sheet_name)
                progress.update(total=len(sheet.rows), stage="校验", force=True)
                result = validate(spec, actor, sheet, progress, constants)
    except FileError as exc:
        job.status, job.message = JobStatus.FAILED, str(exc)
        return
    except ServiceError as exc:
        job.status, job.message = JobStatus.FAILED, exc.message
        return
    mode = job.params.get("mode", "all_or_nothing")
    job.total = result.total
    progress.update(total=result.total, done=0, failed=result.bad_count, stage="写入", force=True)
    refused: list[dict] = []
    save_error = ""
    if spec.save_each is not None:
        imported, refused = _save_each(job, spec, actor, result, mode, progress)
    else:
        to_save = result.valid_rows if (mode == "valid_only" or not result.errors) else []
        imported, save_error = _save(job, spec, actor, to_save)
    job.failed = result.bad_count
    if result.errors:
        workbook = (
            build_book_error_workbook(result) if isinstance(result, BookValidation)
            else build_error_workbook(sheet.headers, result)
        )
        job.output_file = default_storage.save(
            f"imports/{job.enterprise_id}/{uuid.uuid4().hex}-errors.xlsx", ContentFile(workbook)
        )
    job.done = imported
    job.stage = "完成"
    job.result = {
        "imported": imported, "error_rows": _error_rows(result), "errors": len(result.errors),
        "error_sample": [e.as_dict() for e in result.errors[:50]],
    }
    warnings = getattr(result, "warnings", [])
    if warnings:  # rows imported with a warning (e.g. the 规范申报 checker's)
        job.result.update(warnings=len(warnings), warning_sample=[w.as_dict() for w in warnings[:50]])
    if refused:
        job.result["refused"] = refused  # what a rerun of this job reports again (see _save_each)
    unit = spec.unit
    unlinked = _unlinked(spec, result)
    if isinstance(result, BookValidation):
        job.result["error_units"] = result.bad_count
        job.result["unlinked_rows"] = sum(result.unlinked.values())
    if save_error:
        job.status, job.message = JobStatus.FAILED, f"写入失败, 未导入任何数据: {save_error}"
    elif result.errors and mode == "all_or_nothing":
        job.status = JobStatus.FAILED
        if spec.multi_sheet:
            found = "、".join(filter(None, [f"{result.bad_count} {unit}有错误" if result.bad_count else "", unlinked]))
        else:
            found = f"{result.bad_count} 行错误"
        job.message = f"发现 {found}, 按「全部正确才导入」未导入任何数据。请下载错误文件修改后重新导入"
    elif result.errors:
        job.message = f"导入成功 {imported} {unit}, 失败 {result.bad_count} {unit}"
        if unlinked:
            job.message += f", {unlinked}"
    else:
        job.message = f"导入成功 {imported} {unit}"


def _error_rows(result: Validation | BookValidation) -> int:
    if isinstance(result, BookValidation):
        return sum(len(rows) for rows in result.bad_rows.values())
    return result.bad_count


def _unlinked(spec: ImportSpec, result: Validation | BookValidation) -> str:
    if not isinstance(result, BookValidation) or not result.unlinked:
        return ""
    counts = "、".join(f"{n} 行{name}" for name, n in result.unlinked.items())
    return f"{counts}无法对应到{spec.sheet_name}"


def _save(job: Job, spec: ImportSpec, actor: Actor, rows: list[dict]) -> tuple[int, str]:
    """Save once: the rows and the job's mark commit together, so a rerun never imports twice."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if "imported" in (locked.result or {}):
            return int(locked.result["imported"]), ""
        try:
            with transaction.atomic():
                imported = spec.save(actor, rows) if rows else 0
        except ServiceError as exc:
            return 0, exc.message
        Job.objects.filter(pk=job.pk).update(result={"imported": imported}, heartbeat_at=timezone.now())
        if imported:
            audit.record(actor, locked, "导入数据", changes={"导入行数": imported})
    return imported, ""


class _Rollback(Exception):
    pass


MAX_TRIAL_SAVES = 10_000


def _check_erroneous(spec: ImportSpec, actor: Actor, result: Validation | BookValidation) -> None:
    """What the save would refuse as well in the records that already have errors (a bad code
    next to a 件数 "abc"), so that each reports all its errors at once: each is saved as far as
    it could be read, in a savepoint that is always rolled back. A record the save cannot even
    try (what could not be read broke it) keeps the errors it has. At most MAX_TRIAL_SAVES."""
    found: list[RowError] = []
    for unit in result.erroneous[:MAX_TRIAL_SAVES]:
        try:
            with transaction.atomic():
                spec.save_each(actor, unit.values)
                raise _Rollback
        except _Rollback:
            continue
        except ServiceError as exc:
            found.extend(locate(spec, unit, exc))
        except Exception:  # a value the reading refused (None) broke the trial
            log.debug("trial save of import row %s failed", unit.row, exc_info=True)
    result.add_errors(found)


def _save_each(
    job: Job, spec: ImportSpec, actor: Actor, result: Validation | BookValidation, mode: str, progress: Progress
) -> tuple[int, list[dict]]:
    """Save record by record, each in a savepoint; what a service refuses becomes row errors.

    Every valid record is tried, so the user sees all errors at once; in all-or-nothing mode
    the whole write is rolled back unless everything passed. The records saved, the refused
    ones and the job's mark commit together: a rerun neither imports twice nor loses errors.
    """
    _check_erroneous(spec, actor, result)
    units = result.units()
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        done = locked.result or {}
        if "imported" in done:
            by_index = {u.index: u for u in units}
            for item in done.get("refused", []):
                unit = by_index.get(item["unit"])
                if unit is not None:
                    result.reject(unit, [RowError(**e) for e in item["errors"]])
            return int(done["imported"]), done.get("refused", [])
        saved = 0
        refused: list[tuple] = []
        try:
            with transaction.atomic():
                for unit in units:
                    try:
                        with transaction.atomic():
                            spec.save_each(actor, unit.values)
                        saved += 1
                    except ServiceError as exc:
                        refused.append((unit, locate(spec, unit, exc)))
                    progress.update(done=saved, failed=result.bad_count + len(refused))
                if mode == "all_or_nothing" and (refused or result.errors):
                    raise _Rollback
        except _Rollback:
            saved = 0
        for unit, errors in refused:
            result.reject(unit, errors)
        marks = [{"unit": u.index, "errors": [e.as_dict() for e in errs]} for u, errs in refused]
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), result={"imported": saved, "refused": marks})
        if saved:
            audit.record(actor, locked, "导入数据", changes={"导入数量": f"{saved} {spec.unit}"})
    return saved, marks
