"""The text of a PDF that reportlab wrote (literal strings in Flate + ASCII85 content streams,
UTF-16BE for the CID font, Latin-1 for the standard ones): enough for tests to read what a page
says without a PDF library."""

from __future__ import annotations

import base64
import re
import zlib

_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape(literal: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(literal):
        ch = literal[i:i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(literal[i + 1:i + 2], literal[i + 1:i + 2])
            i += 2
    return bytes(out)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each content stream (one per page), pieces separated by spaces."""
    assert pdf.startswith(b"%PDF-")
    pages = []
    for data in re.findall(rb"\nstream\r?\n(.*?)endstream", pdf, re.S):
        try:
            raw = zlib.decompress(base64.a85decode(data.strip(), adobe=True))
        except ValueError:
            continue
        if b" Tj" not in raw:
            continue
        pieces, font = [], b""
        for match in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", raw, re.S):
            if match.group(1):
                font = match.group(1)
                continue
            text = _unescape(match.group(2))
            pieces.append(text.decode("latin-1") if font == b"F1" else text.decode("utf-16-be", "replace"))
        pages.append(" ".join(pieces))
    return pages
