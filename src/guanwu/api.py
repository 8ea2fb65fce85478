"""The JSON API under /api/v1/: token or session auth, Chinese errors.

Errors always answer ``{"detail": "...", "errors": [{"field", "message"}]}``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from guanwu.accounts import services as accounts
from guanwu.core.errors import ServiceError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        actor = accounts.actor_for_token(token)
        if actor is not None:
            request.actor = actor
            request.enterprise = actor.enterprise
        return actor


class SessionActorAuth(SessionAuth):
    """The logged-in browser session, in its current enterprise (set by the middleware)."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return getattr(request, "actor", None) if user else None


api = NinjaAPI(
    title="关务 guanwu API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionActorAuth()],
)


def _loc_to_field(loc: list) -> str:
    parts = [p for p in loc if p not in {"body", "query", "path", "payload", "form"}]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _error(request, status: int, detail: str, errors: list[dict] | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return _error(request, exc.status, exc.message, [e.as_dict() for e in exc.errors])


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        field = _loc_to_field(list(err.get("loc", [])))
        message = err.get("msg", "格式错误")
        errors.append({"field": field, "message": _translate(err.get("type", ""), message)})
    return _error(request, 422, "数据校验未通过", errors)


def _translate(kind: str, message: str) -> str:
    table = {
        "missing": "必填项",
        "int_parsing": "应为整数",
        "float_parsing": "应为数字",
        "decimal_parsing": "应为数字",
        "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
        "date_parsing": "日期格式应为 YYYY-MM-DD",
        "string_too_long": "长度超出限制",
        "json_invalid": "JSON 格式错误",
        "bool_parsing": "应为 true 或 false",
        "string_type": "应为文本",
        "list_type": "应为列表",
    }
    return table.get(kind, message)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "未登录或令牌无效")


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "记录不存在或无权访问")


# django-ninja's own messages are English ("Cannot parse request body"): answer in Chinese
HTTP_MESSAGES = {
    "Cannot parse request body": "请求内容无法解析, 应为有效的 JSON",
}
HTTP_DEFAULTS = {400: "请求格式错误", 403: "没有执行此操作的权限", 404: "记录不存在或无权访问", 405: "不支持该请求方法",
                 413: "请求内容过大", 415: "不支持的内容类型"}


def _chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    message = str(exc)
    if not _chinese(message):
        message = HTTP_MESSAGES.get(message) or HTTP_DEFAULTS.get(exc.status_code, "请求失败")
    return _error(request, exc.status_code, message)


auth_router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str
    password: str
    enterprise: str | None = None


class TokenOut(Schema):
    token: str
    enterprise: str
    enterprise_name: str
    role: str


@auth_router.post("/token", auth=None, response=TokenOut)
def obtain_token(request, payload: TokenIn):
    raw, actor = accounts.issue_token(request, payload.username, payload.password, payload.enterprise)
    return {
        "token": raw,
        "enterprise": actor.enterprise.customs_code,
        "enterprise_name": actor.enterprise.name,
        "role": actor.role,
    }


class MeOut(Schema):
    username: str
    full_name: str
    enterprise: str
    enterprise_name: str
    role: str


@auth_router.get("/me", response=MeOut)
def me(request):
    actor = request.auth
    return {
        "username": actor.user.get_username(),
        "full_name": actor.user.get_full_name(),
        "enterprise": actor.enterprise.customs_code,
        "enterprise_name": actor.enterprise.name,
        "role": actor.role,
    }


api.add_router("/auth", auth_router)


def _mount() -> None:
    from guanwu.audit.api import router as audit_router
    from guanwu.autodeclare import api as autodeclare_api
    from guanwu.classify.api import router as classify_router
    from guanwu.datacenter import api as datacenter_api
    from guanwu.declarations.api import router as declarations_router
    from guanwu.imports.api import router as imports_router
    from guanwu.jobs.api import router as jobs_router
    from guanwu.params.api import router as params_router
    from guanwu.tenancy.api import router as tenancy_router

    api.add_router("/", classify_router)  # before params: /tariff/suggest is not a code
    api.add_router("/", params_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/imports", imports_router)
    api.add_router("/enterprise", tenancy_router)
    api.add_router("/audit", audit_router)
    api.add_router("/declarations", declarations_router)
    datacenter_api.mount(api)
    autodeclare_api.mount(api)


_mount()
