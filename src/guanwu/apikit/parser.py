"""The API's request parser: a JSON body must be an object, and no string anywhere in a body,
a query string or a form may carry a NUL or a lone surrogate (``core.text``).

django-ninja wraps any error of ``parse_body`` into ``HttpError(400, "Cannot parse request
body")``; the original ``InputError`` stays its ``__cause__`` and the error handler answers it
as the 422 it is (``errors.http_error``)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from guanwu.core.errors import FieldError, ServiceError
from guanwu.core.text import MESSAGE as BAD_TEXT
from guanwu.core.text import forbidden_paths


class InputError(ServiceError):
    """The request itself cannot be read (422)."""


def _refuse_bad_text(value: Any, prefix: str = "") -> None:
    paths = list(dict.fromkeys(forbidden_paths(value, prefix)))
    if paths:
        raise InputError.fields([FieldError(p, BAD_TEXT) for p in paths])


class GuanwuParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise InputError.fields([FieldError("", "请求体不是有效的 JSON")], "请求体不是有效的 JSON") from None
        if not isinstance(data, dict):
            raise InputError.fields([FieldError("", "请求体应为 JSON 对象 {...}")], "请求体应为 JSON 对象")
        _refuse_bad_text(data)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_bad_text(result)
        return result
