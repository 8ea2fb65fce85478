"""The services of a declared record: tenant-scoped reads, and create / update / delete that
clean the input with the record's ``FieldSpec``, refuse bad input as a whole (422, Chinese
messages naming the fields), write the operation log in the same transaction and keep an
attachment's file in step with the row (stored names generated, old files deleted on commit).

A module's services are a small subclass::

    class QualificationServices(RecordService):
        model = Qualification
        spec = QUALIFICATION_FIELDS
        what = "企业资质"
        unique = (("qual_type", "cert_no"), "cert_no", "证书编号 {cert_no} 已存在")
        attachment = "attachment"
        date_order = ("valid_from", "valid_to", "有效期止不能早于有效期起")

Records with child rows (a licence's goods lines) declare them (``rows``: ``core.fields.RowsSpec``):
the rows are read, checked (``check_row``), logged and replaced in the same transaction; rules across
the rows go in an override of ``clean_children``. Roles go in ``check_role``; rules of their own for
reading the input in ``clean`` and across fields in ``check``, log actions of their own (新增商品) in ``action``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q, QuerySet

from guanwu.audit import services as audit
from guanwu.core import uploads
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.core.fields import FieldSpec, RowsSpec
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned


class RecordService:
    model: type[models.Model]
    spec: FieldSpec
    what: str = "记录"
    # (fields unique per enterprise, the field the error is on, message formatted with the values)
    unique: tuple[tuple[str, ...], str, str] | None = None
    search_fields: tuple[str, ...] = ()
    attachment: str = ""  # a FileField with ``<name>_name`` and ``<name>_size`` beside it
    attachment_kinds: tuple[str, ...] = ("pdf", "jpg", "png", "ofd")
    # (first date, later date, message): both given, the later may not be before the first
    date_order: tuple[str, str, str] | None = None
    created_by: bool = True  # the model has ``created_by``
    single_message: bool = True  # one error: its message is the answer's ``detail``
    rows: tuple[RowsSpec, ...] = ()  # child rows: ``data[rows.key]`` given replaces them
    detail_rows: tuple[RowsSpec, ...] = ()  # child rows edited one at a time (``add_row``...), not in the form

    # -- hooks --------------------------------------------------------------------------

    def check_role(self, actor: Actor, action: str) -> None:
        """Raise Forbidden when ``actor`` may not ``action`` ("新增"/"修改"/"删除")."""

    def clean(self, actor: Actor, data: dict[str, Any], instance: Any, errors: list[FieldError]) -> dict[str, Any]:
        """The record's values read from ``data`` (on update: the stored values with the given keys)."""
        return self.spec.clean(data, errors)

    def check(self, actor: Actor, values: dict[str, Any], instance: Any, errors: list[FieldError]) -> None:
        """Rules across fields and rows (after each field was read)."""

    def action(self, verb: str) -> str:
        """The operation log's action of "新增"/"修改"/"删除"."""
        return verb

    def check_row(self, key: str, row: dict[str, Any], err: Any) -> None:
        """Rules of one child row of ``rows`` ``key``: ``err(field, message)``; may complete ``row``."""

    def clean_children(self, actor: Actor, data: dict[str, Any], instance: Any,
                       errors: list[FieldError]) -> dict[str, list[dict[str, Any]]] | None:
        """The child rows given (on update, a list left out stays as it is)."""
        out = {rows.key: rows.clean(data.get(rows.key), errors, lambda row, err, key=rows.key: self.check_row(
            key, row, err)) for rows in self.rows if instance is None or rows.key in data}
        return out or None

    def write_children(self, obj: Any, children: Any) -> None:
        """Store what ``clean_children`` returned (None: unchanged)."""
        for rows in self.rows:
            if rows.key in children:
                rows.write(obj, children[rows.key])

    def children_snapshot(self, obj: Any) -> dict[str, Any]:
        return {rows.key: rows.text(obj) for rows in self.rows}

    def check_delete(self, obj: Any) -> None:
        """Raise ServiceError when ``obj`` may not be deleted."""

    def status_label(self, obj: Any) -> str:
        status = getattr(obj, "status_label", None)
        return status() if callable(status) else ""

    # -- reads ----------------------------------------------------------------------------

    def queryset(self, actor: Actor) -> QuerySet:
        return self.model.objects.for_enterprise(actor.enterprise)

    def get(self, actor: Actor, pk: int | str, *, for_update: bool = False) -> Any:
        return get_owned(self.queryset(actor), pk, self.what, for_update=for_update)

    def search(self, actor: Actor, q: str = "", **filters: Any) -> QuerySet:
        qs = self.queryset(actor)
        q = (q or "").strip()
        if q and self.search_fields:
            cond = Q()
            for name in self.search_fields:
                cond |= Q(**{f"{name}__icontains": q})
            qs = qs.filter(cond)
            if any("__" in name for name in self.search_fields):
                qs = qs.distinct()
        return qs.filter(**{k: v for k, v in filters.items() if v not in (None, "")})

    def snapshot(self, obj: Any) -> dict[str, Any]:
        snap: dict[str, Any] = {}
        for f in self.spec:
            if f.kind != "file":
                value = getattr(obj, f.name)
                snap[f.name] = f.display(value) if f.kind == "choice" else value
        snap.update(self.children_snapshot(obj))
        if self.attachment:
            snap[self.attachment] = getattr(obj, f"{self.attachment}_name")
        return snap

    # -- writes ---------------------------------------------------------------------------

    def create(self, actor: Actor, data: dict[str, Any], attachment: UploadedFile | None = None) -> Any:
        stored: list[str] = []
        try:
            return self._save(actor, None, data, attachment, False, stored)
        except Exception:
            uploads.delete_stored(stored)
            raise

    def update(self, actor: Actor, pk: int | str, data: dict[str, Any] | None,
               attachment: UploadedFile | None = None, *, remove_attachment: bool = False) -> Any:
        stored: list[str] = []
        try:
            return self._save(actor, pk, data, attachment, remove_attachment, stored)
        except Exception:
            uploads.delete_stored(stored)
            raise

    @transaction.atomic
    def _save(self, actor: Actor, pk: int | str | None, data: Any, attachment: UploadedFile | None,
              remove_attachment: bool, stored: list[str]) -> Any:
        instance = self.get(actor, pk, for_update=True) if pk is not None else None
        if not isinstance(data, dict):
            raise ServiceError(f"{self.what}数据格式错误")
        self.check_role(actor, "新增" if instance is None else "修改")
        if instance is not None:  # keys given replace the stored values
            data = {**self.spec.values_of(instance), **{k: v for k, v in data.items() if k in self.spec.names()},
                    **{k: v for k, v in data.items() if k not in self.spec.names()}}
        errors: list[FieldError] = []
        values = self.clean(actor, data, instance, errors)
        self.check(actor, values, instance, errors)
        self._check_date_order(values, errors)
        children = self.clean_children(actor, data, instance, errors)
        self._check_unique(actor, values, instance, errors)
        checked = self._check_attachment(attachment, errors)
        if errors:
            raise ServiceError.fields(errors, errors[0].message if len(errors) == 1 and self.single_message
                                      else "数据校验未通过")
        before = self.snapshot(instance) if instance is not None else {}
        before_status = self.status_label(instance) if instance is not None else ""
        obj = instance or self.model(enterprise=actor.enterprise, **(
            {"created_by": actor.user} if self.created_by else {}))
        for name, value in values.items():
            setattr(obj, name, value)
        if self.attachment:
            self._apply_attachment(obj, checked, remove_attachment, stored)
        obj.save()
        if children is not None:
            self.write_children(obj, children)
        if instance is None:
            audit.record(actor, obj, self.action("新增"), after=self.status_label(obj),
                         changes=audit.diff({}, self.snapshot(obj)))
        else:
            changes = audit.diff(before, self.snapshot(obj))
            if changes:
                audit.record(actor, obj, self.action("修改"), before=before_status, after=self.status_label(obj),
                             changes=changes)
        return obj

    def _check_date_order(self, values: dict[str, Any], errors: list[FieldError]) -> None:
        first, later, message = self.date_order or ("", "", "")
        if values.get(first) and values.get(later) and values[later] < values[first]:
            errors.append(FieldError(later, message))

    def _check_unique(self, actor: Actor, values: dict[str, Any], instance: Any, errors: list[FieldError]) -> None:
        if not self.unique:
            return
        names, field_name, message = self.unique
        if any(e.field in names for e in errors) or not all(values.get(n) for n in names):
            return
        qs = self.queryset(actor).filter(**{n: values[n] for n in names})
        if instance is not None:
            qs = qs.exclude(pk=instance.pk)
        if qs.exists():
            errors.append(FieldError(field_name, message.format(**values)))

    @transaction.atomic
    def delete_many(self, actor: Actor, ids: Iterable[int | str]) -> int:
        self.check_role(actor, "删除")
        found = [self.get(actor, pk, for_update=True) for pk in ids]
        for obj in found:
            self.check_delete(obj)
            audit.record(actor, obj, self.action("删除"), before=self.status_label(obj), after="已删除",
                         changes=audit.diff(self.snapshot(obj), {}))
            if self.attachment and getattr(obj, self.attachment):
                uploads.delete_on_commit(getattr(obj, self.attachment).storage, getattr(obj, self.attachment).name)
            obj.delete()
        return len(found)

    def delete(self, actor: Actor, pk: int | str) -> None:
        self.delete_many(actor, [pk])

    # -- one child row at a time (a customer's contacts: a form per row) -----------------

    def row_spec(self, key: str) -> RowsSpec:
        for rows in (*self.rows, *self.detail_rows):
            if rows.key == key:
                return rows
        raise NotFound(f"{self.what}没有此类信息")

    def get_row(self, actor: Actor, pk: Any, key: str, row_pk: Any, *, for_update: bool = False) -> tuple[Any, Any]:
        """The record (404 for another enterprise's) and its child row ``row_pk`` of ``rows`` ``key``."""
        rows = self.row_spec(key)
        obj = self.get(actor, pk, for_update=for_update)
        found = rows.stored(obj).filter(pk=row_pk if str(row_pk).isdigit() else None)
        row = (found.select_for_update() if for_update else found).first()
        if row is None:
            raise NotFound(f"{rows.label}不存在")
        return obj, row

    def _row_log(self, actor: Actor, obj: Any, action: str, changes: dict[str, Any]) -> None:
        status = self.status_label(obj)
        audit.record(actor, obj, action, before=status, after=status, changes=changes)

    @transaction.atomic
    def add_row(self, actor: Actor, pk: Any, key: str, data: dict[str, Any]) -> Any:
        """Add one child row (the record's own fields and state stay as they are); logged on the record."""
        rows = self.row_spec(key)
        obj = self.get(actor, pk, for_update=True)
        self.check_role(actor, "修改")
        values = rows.clean_one(data)
        extra = {"created_by": actor.user} if any(f.name == "created_by" for f in rows.model._meta.fields) else {}
        row = rows.model._default_manager.create(**{rows.parent: obj}, **values, **extra)
        self._row_log(actor, obj, f"新增{rows.label}", {rows.label: [None, rows.summary(row)]})
        return row

    @transaction.atomic
    def update_row(self, actor: Actor, pk: Any, key: str, row_pk: Any, data: dict[str, Any] | None) -> Any:
        rows = self.row_spec(key)
        obj, row = self.get_row(actor, pk, key, row_pk, for_update=True)
        self.check_role(actor, "修改")
        before = rows.spec.values_of(row)
        values = rows.clean_one(data or {}, before)
        changes = audit.diff(before, values)
        if changes:
            for name in changes:
                setattr(row, name, values[name])
            row.save(update_fields=list(changes))
            self._row_log(actor, obj, f"修改{rows.label}",
                          {f"{rows.label}{rows.spec[name].label}": change for name, change in changes.items()})
        return row

    @transaction.atomic
    def delete_row(self, actor: Actor, pk: Any, key: str, row_pk: Any) -> None:
        rows = self.row_spec(key)
        obj, row = self.get_row(actor, pk, key, row_pk, for_update=True)
        self.check_role(actor, "修改")
        self._row_log(actor, obj, f"删除{rows.label}", {rows.label: [rows.summary(row), None]})
        row.delete()

    # -- attachment -----------------------------------------------------------------------

    def _check_attachment(self, uploaded: UploadedFile | None, errors: list[FieldError]) -> Any:
        if uploaded is None or not self.attachment:
            return None
        try:
            return uploads.check_upload(uploaded, field=self.attachment, allowed=self.attachment_kinds)
        except ServiceError as exc:
            errors.extend(exc.errors or [FieldError(self.attachment, exc.message)])
            return None

    def _apply_attachment(self, obj: Any, checked: Any, remove: bool, stored: list[str]) -> None:
        name = self.attachment
        current = getattr(obj, name)
        if checked is not None:
            old = current.name or None
            current.save(f"attachment.{checked.kind.extensions[0]}", checked.file, save=False)
            setattr(obj, f"{name}_name", checked.display_name[:128])
            setattr(obj, f"{name}_size", checked.size)
            stored.append(getattr(obj, name).name)
            uploads.delete_on_commit(current.storage, old)
        elif remove and current:
            uploads.delete_on_commit(current.storage, current.name)
            setattr(obj, name, "")
            setattr(obj, f"{name}_name", "")
            setattr(obj, f"{name}_size", None)

