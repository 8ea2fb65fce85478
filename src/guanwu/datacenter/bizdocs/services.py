"""业务单据: the original documents of a declaration (invoice, packing list, B/L, contract ...).

Documents are ``DeclarationDocument`` rows (the EdocRealation of the declaration message) with
their ``file``. Uploading fills the EdocRealation fields the way the single window names them:

- ``edoc_id``: 申报口岸 (4) + 随附单据类别代码 (8) + ``IM`` + 18-digit serial + extension — the rule
  of the field dictionary. The serial is the upload date (8) and the row's id (10 digits), so it
  is unique without a counter. The dictionary says ``.pdf``; other allowed types keep their own
  extension (they are the enterprise's archive; customs only takes PDF).
- ``edoc_cop_id``: the uploaded file name, cleaned (display only; never used as a path);
- ``edoc_size`` in bytes, ``edoc_owner_code``/``edoc_owner_name`` of the enterprise,
  ``edoc_fomat_type`` ``US`` (unstructured), ``sign_unit``/``sign_time`` of the upload.

Stored names are generated (``<uuid>.<ext>`` under the declaration's folder), whatever the
upload was called. Every read goes through the declaration of the actor's enterprise, so another
enterprise's document is a 404. Uploads and deletions are logged on the declaration.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core import uploads
from guanwu.core.errors import FieldError, Forbidden, NotFound, ServiceError
from guanwu.declarations import printing
from guanwu.declarations.models import Declaration, DeclarationDocument, DeclarationStatus
from guanwu.declarations.services import get_declaration
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

DOCUMENT_TABLE = "document-types"
# While a declaration can still be changed, its documents can be removed by anyone; after it
# went to customs only an admin may remove one (they are the evidence of what was declared).
FREELY_DELETABLE = frozenset({DeclarationStatus.DRAFT, DeclarationStatus.REJECTED, DeclarationStatus.FAILED})
ZIP_CHUNK = 64 * 1024


def with_files() -> Q:
    return ~Q(file="")


# ----------------------------------------------------------------------------- reads


def declarations_with_counts(actor: Actor) -> QuerySet[Declaration]:
    """The enterprise's declarations, each with ``doc_count`` (documents that have a file)."""
    return Declaration.objects.for_enterprise(actor.enterprise).annotate(
        doc_count=Count("documents", filter=~Q(documents__file=""))
    )


def documents(actor: Actor, declaration_id: int | str) -> tuple[Declaration, list[DeclarationDocument]]:
    """The declaration and its documents that have a file, in upload order."""
    declaration = get_declaration(actor, declaration_id)
    return declaration, list(declaration.documents.filter(with_files()).order_by("id"))


def get_document(actor: Actor, declaration_id: int | str, document_id: int | str) -> DeclarationDocument:
    declaration = get_declaration(actor, declaration_id)
    document = get_owned(declaration.documents.all(), document_id, "单据")
    if not document.file:
        raise NotFound("单据不存在或无权访问")
    return document


def type_name(edoc_code: str) -> str:
    return params.code_name(DOCUMENT_TABLE, edoc_code) or edoc_code


def file_kind(document: DeclarationDocument) -> uploads.FileKind | None:
    return uploads.KINDS.get(uploads.extension(document.file.name)) or (
        uploads.JPEG if uploads.extension(document.file.name) == "jpeg" else None
    )


def display_name(document: DeclarationDocument) -> str:
    return document.edoc_cop_id or document.edoc_id or document.file.name.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Opened:
    handle: Any
    name: str
    content_type: str
    size: int | None


def open_document(actor: Actor, declaration_id: int | str, document_id: int | str) -> Opened:
    document = get_document(actor, declaration_id, document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise NotFound("单据文件不存在, 请重新上传") from None
    kind = file_kind(document)
    return Opened(handle, display_name(document), kind.content_type if kind else "application/octet-stream",
                  int(document.edoc_size) if document.edoc_size.isdigit() else None)


# ----------------------------------------------------------------------------- writes


def _port(declaration: Declaration) -> str:
    """申报口岸 of the edoc id: the 4-digit customs office (申报地海关, else 进出境关别)."""
    for code in (declaration.custom_master, declaration.ie_port):
        if code and len(code) == 4 and code.isdigit():
            return code
    return "0000"


def make_edoc_id(declaration: Declaration, edoc_code: str, serial_id: int, extension: str, when=None) -> str:
    when = timezone.localtime(when) if when else timezone.localtime()
    serial = f"{when:%Y%m%d}{serial_id % 10**10:010d}"
    return f"{_port(declaration)}{edoc_code}IM{serial}.{extension}"


def _g_no_str(declaration: Declaration, raw: str) -> str:
    raw = (raw or "").replace("，", ",").replace(" ", "").strip(",")
    if not raw:
        return ""
    numbers: list[int] = []
    for part in raw.split(","):
        if not part.isdigit():
            raise ServiceError.fields([FieldError("g_no_str", "商品项号应为数字, 多个用逗号分隔, 如 1,3")])
        numbers.append(int(part))
    existing = set(declaration.items.values_list("g_no", flat=True))
    missing = [n for n in numbers if n not in existing]
    if missing:
        raise ServiceError.fields([FieldError("g_no_str", f"报关单没有第{','.join(map(str, missing))}项商品")])
    text = ",".join(str(n) for n in dict.fromkeys(numbers))
    if len(text) > 150:
        raise ServiceError.fields([FieldError("g_no_str", "商品项号关系过长")])
    return text


T = TypeVar("T")


def _checked(errors: list[FieldError], check: Callable[[], T]) -> T | None:
    """What ``check`` returns, or None with its errors added to ``errors``."""
    try:
        return check()
    except ServiceError as exc:
        errors.extend(exc.errors or [FieldError("", exc.message)])
        return None


def upload_document(
    actor: Actor,
    declaration_id: int | str,
    *,
    edoc_code: str,
    uploaded: UploadedFile | None,
    g_no_str: str = "",
) -> DeclarationDocument:
    """Check and store one document of a declaration; raises ServiceError naming the field."""
    stored: list[str] = []
    try:
        return _upload(actor, declaration_id, edoc_code, uploaded, g_no_str, stored)
    except Exception:
        uploads.delete_stored(stored)
        raise


@transaction.atomic
def _upload(actor: Actor, declaration_id: int | str, edoc_code: str, uploaded: UploadedFile | None, g_no_str: str,
            stored: list[str]) -> DeclarationDocument:
    declaration = get_declaration(actor, declaration_id, for_update=True)
    edoc_code = (edoc_code or "").strip()
    if " - " in edoc_code:
        edoc_code = edoc_code.split(" - ", 1)[0].strip()
    errors: list[FieldError] = []
    if not edoc_code:
        errors.append(FieldError("edoc_code", "请选择单据类型"))
    elif not params.code_exists(DOCUMENT_TABLE, edoc_code):
        errors.append(FieldError("edoc_code", f"单据类型 {edoc_code} 不在随附单据类别代码表中"))
    # every problem at once: the type, the file and the item numbers
    checked = _checked(errors, lambda: uploads.check_upload(uploaded, field="file"))
    g_nos = _checked(errors, lambda: _g_no_str(declaration, g_no_str))
    if errors or checked is None or g_nos is None:
        raise ServiceError.fields(errors, errors[0].message)
    now = timezone.localtime()
    ent = actor.enterprise
    document = DeclarationDocument.objects.create(
        declaration=declaration, edoc_code=edoc_code, edoc_fomat_type="US", edoc_cop_id=checked.display_name,
        edoc_owner_code=ent.customs_code, edoc_owner_name=ent.name[:100], sign_unit=ent.customs_code,
        sign_time=f"{now:%Y%m%d %H:%M:%S}", edoc_size=str(checked.size), g_no_str=g_nos,
        op_note="",
    )
    document.edoc_id = make_edoc_id(declaration, edoc_code, document.pk, checked.kind.extensions[0], now)
    document.file.save(f"{uuid.uuid4().hex}.{checked.kind.extensions[0]}", checked.file, save=False)
    stored.append(document.file.name)
    document.save(update_fields=["edoc_id", "file"])
    count = declaration.documents.filter(with_files()).count()
    audit.record(
        actor, declaration, "上传单据", before=declaration.get_status_display(),
        after=declaration.get_status_display(), changes={"documents": [count - 1, count]},
        opinion=f"{type_name(edoc_code)}: {checked.display_name} ({uploads.human_size(checked.size)}), "
                f"随附单据编号 {document.edoc_id}",
    )
    return document


@transaction.atomic
def delete_document(actor: Actor, declaration_id: int | str, document_id: int | str) -> None:
    declaration = get_declaration(actor, declaration_id, for_update=True)
    document = get_document(actor, declaration.pk, document_id)
    if declaration.status not in FREELY_DELETABLE and not actor.is_admin:
        raise Forbidden(f"报关单状态为“{declaration.get_status_display()}”, 其单据只能由企业管理员删除")
    name, storage = document.file.name, document.file.storage
    count = declaration.documents.filter(with_files()).count()
    audit.record(
        actor, declaration, "删除单据", before=declaration.get_status_display(),
        after=declaration.get_status_display(), changes={"documents": [count, count - 1]},
        opinion=f"{type_name(document.edoc_code)}: {display_name(document)}, 随附单据编号 {document.edoc_id}",
    )
    document.delete()
    transaction.on_commit(lambda: uploads.delete_stored([name], storage))



# ----------------------------------------------------------------------------- zip export


def folder_name(declaration: Declaration) -> str:
    number = declaration.entry_id or declaration.seq_no or declaration.client_seq_no or f"ID{declaration.pk}"
    parts = [number, declaration.get_ie_flag_display() if declaration.ie_flag else "", declaration.bill_no]
    return uploads.safe_display_name("_".join(p for p in parts if p), limit=80) or f"ID{declaration.pk}"


@dataclass(frozen=True)
class ZipEntry:
    """A file of the zip: a stored document (``storage_name`` in ``storage``), or a file made
    while the zip streams (``render``: the declaration's own PDF)."""

    arcname: str
    storage_name: str = ""
    storage: Any = None
    render: Callable[[], bytes] | None = None


def zip_entries(actor: Actor, declaration_ids: Iterable[int | str]) -> list[ZipEntry]:
    """What the zip of these declarations holds: one folder per declaration with the 报关单
    itself as a PDF (as the manual's export has it) and the uploaded files named ``类型_原文件名``;
    only the actor's enterprise's declarations (others are not found)."""
    ids = []
    for raw in declaration_ids:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            continue
    declarations = list(Declaration.objects.for_enterprise(actor.enterprise).filter(pk__in=ids).order_by("id"))
    if len(declarations) != len(set(ids)):
        raise NotFound("报关单不存在或无权访问")
    docs = (
        DeclarationDocument.objects.filter(declaration__in=declarations).filter(with_files())
        .order_by("declaration_id", "id")
    )
    by_declaration: dict[int, list[DeclarationDocument]] = {}
    for doc in docs:
        by_declaration.setdefault(doc.declaration_id, []).append(doc)
    entries: list[ZipEntry] = []
    folders: set[str] = set()
    for declaration in declarations:
        folder = _unique(folder_name(declaration), folders)
        names: set[str] = set()
        pdf = partial(_declaration_pdf, declaration.pk)
        entries.append(ZipEntry(f"{folder}/{_unique('报关单.pdf', names)}", render=pdf))
        for doc in by_declaration.get(declaration.pk, []):
            base = uploads.safe_display_name(f"{type_name(doc.edoc_code)}_{display_name(doc)}", limit=120)
            entries.append(ZipEntry(f"{folder}/{_unique(base, names)}", doc.file.name, doc.file.storage))
    return entries


def _declaration_pdf(pk: int) -> bytes:
    """The printed 报关单, rendered when the zip reaches it (one declaration in memory at a time)."""
    declaration = Declaration.objects.prefetch_related("items", "licences", "containers").get(pk=pk)
    return printing.declaration_pdf(declaration)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate.lower() in taken:
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem}({n}).{ext}" if dot else f"{name}({n})"
        n += 1
    taken.add(candidate.lower())
    return candidate


class _Sink:
    """A write-only buffer the zip writer streams into; the generator drains it."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


def stream_zip(entries: list[ZipEntry]) -> Iterator[bytes]:
    """The zip, chunk by chunk, reading each stored file as it goes (constant memory)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        if not entries:
            archive.writestr("说明.txt", "所选报关单没有上传单据。\n")
        for entry in entries:
            if entry.render is not None:
                archive.writestr(entry.arcname, entry.render())
                yield sink.drain()
                continue
            try:
                source = entry.storage.open(entry.storage_name, "rb")
            except FileNotFoundError:
                archive.writestr(f"{entry.arcname}.缺失.txt", "该单据的文件已不存在, 请重新上传。\n")
                yield sink.drain()
                continue
            with source, archive.open(entry.arcname, mode="w") as target:
                while True:
                    chunk = source.read(ZIP_CHUNK)
                    if not chunk:
                        break
                    target.write(chunk)
                    data = sink.drain()
                    if data:
                        yield data
            yield sink.drain()
    yield sink.drain()


def zip_filename(declarations_count: int) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    return f"业务单据_{declarations_count}份报关单_{stamp}.zip"
