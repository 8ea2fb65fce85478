"""Uploaded files: checked by their content, stored under a generated name.

Checking: size, type by content (magic bytes), and names never trusted.

The type comes from the first bytes of the file, never from its name or the browser's
Content-Type; the name's extension must then agree with the content, so a renamed executable
or a ``.pdf`` that is really a PNG is refused with a message saying what the file really is.
ZIP-based formats are told apart by their members: ``[Content_Types].xml`` with ``word/``
(DOCX) or ``xl/`` (XLSX), ``OFD.xml`` (OFD, the Chinese fixed-layout format of e-invoices);
macro-enabled Office files and other archives are refused.

The original name is kept for display only (``safe_display_name``); stored names are generated.

Storing: ``tenant_upload_path`` gives a generated name under the enterprise's folder; the
uploaded name is kept only for display (on the record), so it cannot collide, traverse or reveal
anything. Used by every record with an attachment (``audit.records``, ``ui.crud``) and by the
declaration documents (``datacenter.bizdocs``).
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from guanwu.core.errors import FieldError, ServiceError

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 64  # EdocCopId is 64 characters


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    extensions: tuple[str, ...]  # the first is the one stored names get
    content_type: str


PDF = FileKind("pdf", "PDF 文档", ("pdf",), "application/pdf")
JPEG = FileKind("jpg", "JPG 图片", ("jpg", "jpeg"), "image/jpeg")
PNG = FileKind("png", "PNG 图片", ("png",), "image/png")
XLSX = FileKind("xlsx", "Excel 工作簿(xlsx)", ("xlsx",),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX = FileKind("docx", "Word 文档(docx)", ("docx",),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
OFD = FileKind("ofd", "OFD 版式文档", ("ofd",), "application/ofd")
KINDS: dict[str, FileKind] = {k.key: k for k in (PDF, JPEG, PNG, XLSX, DOCX, OFD)}
DOCUMENT_KINDS = tuple(KINDS)

# Recognised but refused, so the message can say what the file is.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "可执行程序"),
    (b"GIF8", "GIF 图片"),
    (b"BM", "BMP 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档(doc/xls)"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "GZIP 压缩包"),
    (b"<?xml", "XML 文本"),
    (b"<html", "HTML 网页"),
    (b"<!DOCTYPE", "HTML 网页"),
)


def max_document_bytes() -> int:
    return int(getattr(settings, "GUANWU_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{_one_place(size / 1024)} KB"
    return f"{_one_place(size / 1024 / 1024)} MB"


def _one_place(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def request_too_large(content_length: str | None, max_bytes: int | None = None) -> ServiceError | None:
    """Refuse an oversized upload from the request's Content-Length, before its body is read."""
    limit = max_bytes if max_bytes is not None else max_document_bytes()
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    if length > limit + 256 * 1024:  # the multipart envelope around the file
        message = f"文件大小超过上限 {human_size(limit)}"
        return ServiceError.fields([FieldError("file", message)], message)
    return None


def _zip_kind(fh: IO[bytes]) -> tuple[FileKind | None, str]:
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None, "损坏的压缩文件"
    finally:
        fh.seek(0)
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            if "word/vbaProject.bin" in names:
                return None, "含宏的 Word 文档"
            return DOCX, ""
        if any(n.startswith("xl/") for n in names):
            if "xl/vbaProject.bin" in names:
                return None, "含宏的 Excel 工作簿"
            return XLSX, ""
        return None, "其他 Office 文档"
    if "OFD.xml" in names:
        return OFD, ""
    return None, "ZIP 压缩包"


def sniff(fh: IO[bytes]) -> tuple[FileKind | None, str]:
    """(kind, "") for an allowed type, else (None, what the file looks like)."""
    fh.seek(0)
    head = fh.read(16)
    fh.seek(0)
    if not head:
        return None, "空文件"
    if head.startswith(b"%PDF-"):
        return PDF, ""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG, ""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG, ""
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(fh)
    for magic, label in _OTHER_MAGIC:
        if head.startswith(magic) or head.lower().startswith(magic.lower()):
            return None, label
    return None, "无法识别的文件类型"


def safe_display_name(name: str, limit: int = NAME_MAX) -> str:
    """The uploaded name for display: last path component only, no control or reserved
    characters, at most ``limit`` characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        "_" if ch in '<>:"|?*' else ch
        for ch in name
        if unicodedata.category(ch)[0] != "C"
    )
    cleaned = " ".join(cleaned.split()).strip(" .")
    if not cleaned:
        return ""
    if len(cleaned) <= limit:
        return cleaned
    stem, dot, ext = cleaned.rpartition(".")
    if dot and 0 < len(ext) <= 8:
        return f"{stem[: limit - len(ext) - 1]}.{ext}"
    return cleaned[:limit]


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass(frozen=True)
class CheckedFile:
    file: UploadedFile
    kind: FileKind
    display_name: str
    size: int


def check_upload(
    uploaded: UploadedFile | None,
    *,
    field: str = "file",
    max_bytes: int | None = None,
    allowed: tuple[str, ...] = DOCUMENT_KINDS,
) -> CheckedFile:
    """The uploaded file if its size and content are acceptable, else a ServiceError on ``field``."""
    limit = max_bytes if max_bytes is not None else max_document_bytes()
    kinds = [KINDS[k] for k in allowed]
    allowed_text = "、".join(k.label.split(" ")[0].split("(")[0] for k in kinds)
    if uploaded is None:
        raise ServiceError.fields([FieldError(field, "请选择要上传的文件")], "请选择要上传的文件")
    size = uploaded.size or 0
    if size == 0:
        raise ServiceError.fields([FieldError(field, "文件为空, 请重新选择")], "文件为空")
    if size > limit:
        message = f"文件大小 {human_size(size)} 超过上限 {human_size(limit)}"
        raise ServiceError.fields([FieldError(field, message)], message)
    kind, what = sniff(uploaded)
    if kind is None or kind.key not in allowed:
        shown = kind.label if kind else what
        message = f"不支持的文件类型: {shown}。只能上传 {allowed_text}"
        raise ServiceError.fields([FieldError(field, message)], message)
    display = safe_display_name(uploaded.name or "")
    ext = extension(display)
    if ext and ext not in kind.extensions:
        message = f"文件扩展名 .{ext} 与文件内容({kind.label})不符, 请检查文件"
        raise ServiceError.fields([FieldError(field, message)], message)
    if not ext:
        display = f"{display or '文件'}.{kind.extensions[0]}"
    return CheckedFile(file=uploaded, kind=kind, display_name=display, size=size)


def tenant_upload_path(folder: str, instance: Any, filename: str) -> str:
    """``<folder>/<enterprise id>/<random hex>.<suffix of the uploaded name>``."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{instance.enterprise_id}/{uuid.uuid4().hex}.{suffix}"


def delete_stored(names: Iterable[str], storage: Any = None) -> None:
    """Delete stored files (best effort: the row is what counts)."""
    if storage is None:
        from django.core.files.storage import default_storage as storage
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # pragma: no cover - best effort
            log.warning("could not delete stored file %s", name)


def delete_on_commit(storage: Any, name: str | None) -> None:
    """Delete a stored file once the transaction that stopped using it commits."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))
