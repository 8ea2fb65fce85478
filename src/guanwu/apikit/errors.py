"""The one error shape of the API: ``{"detail": "中文说明", "errors": [{"field", "message"}]}``.

``install(api)`` registers the exception handlers of the NinjaAPI; ``ApiErrorMiddleware`` does
the same for what happens outside django-ninja under ``/api/`` (unknown paths, a method the
path does not take, a body over the size limit, an unexpected exception), so no answer of the
API is ever HTML, plain text or English.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from guanwu.core.errors import ServiceError
from guanwu.core.text import is_storable

from .messages import is_chinese, translate
from .parser import InputError

logger = logging.getLogger("guanwu.api")

API_PREFIX = "/api/"
JSON = "application/json; charset=utf-8"

STATUS_DETAIL: dict[int, str] = {
    400: "请求格式错误",
    401: "未登录或令牌无效",
    403: "没有执行此操作的权限",
    404: "接口或记录不存在",
    405: "该接口不支持此请求方法",
    406: "无法提供请求的格式",
    409: "当前状态不允许此操作",
    413: "请求体过大",
    415: "不支持的请求格式",
    422: "数据校验未通过",
    429: "请求过于频繁, 请稍后再试",
    500: "服务器内部错误, 请稍后再试或联系平台管理员",
}
AUTHENTICATE = 'Bearer realm="guanwu"'
CSRF_FAILED = "CSRF 校验失败: 浏览器会话调用接口时需带 X-CSRFToken 请求头 (或改用 API 令牌)"


def detail_for(status: int) -> str:
    return STATUS_DETAIL.get(status) or ("请求错误" if status < 500 else STATUS_DETAIL[500])


def error_response(
    status: int, detail: str = "", errors: list[dict] | None = None, *, retry_after: int | None = None
) -> HttpResponse:
    """The error answer; 401 carries ``WWW-Authenticate: Bearer``, 429 ``Retry-After``."""
    body = {"detail": detail or detail_for(status), "errors": errors or []}
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON)
    if status == 401:
        response["WWW-Authenticate"] = AUTHENTICATE
    if retry_after is not None:
        response["Retry-After"] = str(max(1, math.ceil(retry_after)))
    return response


def too_large_detail() -> str:
    return f"请求体过大, 不能超过 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB"


def _loc_to_field(loc: list) -> str:
    parts = [p for p in loc if p not in {"body", "query", "path", "payload", "form", "data", "filters"}]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_errors(errors: list[dict]) -> list[dict]:
    """pydantic's errors as ``{"field", "message"}`` with Chinese messages."""
    return [
        {"field": _loc_to_field(list(e.get("loc", []))),
         "message": translate(e.get("type", ""), str(e.get("msg", "")), e.get("ctx"))}
        for e in errors
    ]


def server_error(request: HttpRequest, exc: BaseException) -> HttpResponse:
    logger.error("Internal Server Error: %s", request.path, exc_info=(type(exc), exc, exc.__traceback__))
    return error_response(500)


def exception_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The answer to any exception raised while serving an API request."""
    if isinstance(exc, ServiceError):
        errors = [e.as_dict() for e in exc.errors]
        return error_response(exc.status, exc.message, errors, retry_after=getattr(exc, "retry_after", None))
    if isinstance(exc, NinjaValidationError):
        return error_response(422, detail_for(422), validation_errors(exc.errors))
    if isinstance(exc, AuthenticationError):
        return error_response(401)
    if isinstance(exc, HttpError):
        cause = exc.__cause__
        if isinstance(cause, InputError):  # the parser's, wrapped by django-ninja
            return exception_response(request, cause)
        message = str(exc)
        return error_response(exc.status_code, message if is_chinese(message) else detail_for(exc.status_code))
    if isinstance(exc, Http404):
        message = str(exc)
        return error_response(404, message if is_chinese(message) else "记录不存在或无权访问")
    if isinstance(exc, PermissionDenied):
        message = str(exc)
        return error_response(403, message if is_chinese(message) else detail_for(403))
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, too_large_detail())
    if isinstance(exc, SuspiciousOperation):
        return error_response(400)
    return server_error(request, exc)


def install(api: NinjaAPI) -> None:
    """Every exception raised inside an operation answers through ``exception_response``
    (registered for django-ninja's own classes too, which have default handlers)."""
    for exc_class in (Exception, Http404, HttpError, AuthenticationError, NinjaValidationError, ServiceError):
        api.add_exception_handler(exc_class, exception_response)


class ApiErrorMiddleware:
    """Under ``/api/``: any error answer that is not already JSON becomes the API's error shape
    (keeping ``Allow``, ``Retry-After`` and the like), and an exception that escaped the view
    answers JSON 500 (or 413 for a body over the limit)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and not is_storable(request.path):
            # no record is named with a NUL (PostgreSQL could not even be asked)
            return error_response(404, "记录不存在或无权访问")
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement = error_response(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        return exception_response(request, exc)
