"""File answers shared by pages and the API."""

from __future__ import annotations

from django.http import HttpResponse

XML = "application/xml; charset=utf-8"


def inline_xml(data: bytes, name: str) -> HttpResponse:
    """A customs message shown in the browser (``inline``), saved as ``<name>.xml``."""
    response = HttpResponse(data, content_type=XML)
    response["Content-Disposition"] = f'inline; filename="{name}.xml"'
    return response
