"""The JSON API under /api/v1/: token or session auth, Chinese errors.

Errors always answer ``{"detail": "...", "errors": [{"field", "message"}]}`` (``guanwu.apikit``:
error handlers, the parser that refuses unreadable bodies, shared parameter types, the error
answers of the OpenAPI).
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from guanwu.accounts import services as accounts
from guanwu.apikit import errors
from guanwu.apikit.openapi import document_errors
from guanwu.apikit.parser import GuanwuParser
from guanwu.core.errors import Forbidden


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = accounts.authenticate_token(token)
        if found is None:
            return None
        actor, api_token = found
        request.actor = actor
        request.enterprise = actor.enterprise
        request.api_token = api_token
        return actor


class SessionActorAuth(SessionAuth):
    """The logged-in browser session, in its current enterprise (set by the middleware).

    Without a logged-in session this answers nothing (so the request gets the 401 of a missing
    token, whatever stale cookie came with it); with one, the CSRF token is required."""

    def _get_key(self, request: HttpRequest):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise Forbidden(errors.CSRF_FAILED)
        actor = getattr(request, "actor", None)
        if actor is None:
            if getattr(request, "needs_enterprise_choice", False):
                raise Forbidden("请先在页面上选择要操作的企业")
            raise Forbidden("您的账号尚未加入任何企业")
        return actor


class GuanwuAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = GuanwuAPI(
    title="关务 guanwu API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionActorAuth()],
    parser=GuanwuParser(),
)
errors.install(api)


auth_router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str = Field(title="用户名")
    password: str = Field(title="密码")
    enterprise: str | None = Field(None, title="企业", description="海关编码; 属于多个企业的用户必填")


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


@auth_router.post("/logout", response={204: None}, summary="退出: 撤销本次使用的令牌 (浏览器会话则退出登录)")
def logout(request):
    token = getattr(request, "api_token", None)
    if token is not None:
        accounts.revoke_token(request.auth.user, token.pk)
    else:
        from django.contrib.auth import logout as session_logout

        session_logout(request)
    return Status(204, None)


class TokenListOut(Schema):
    id: int
    prefix: str
    enterprise: str
    enterprise_name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    current: bool


@auth_router.get("/tokens", response=list[TokenListOut], summary="我的 API 令牌 (有效的)")
def list_tokens(request):
    current = getattr(getattr(request, "api_token", None), "pk", None)
    return [
        {"id": t.pk, "prefix": t.prefix, "enterprise": t.enterprise.customs_code, "enterprise_name": t.enterprise.name,
         "created_at": t.created_at, "expires_at": t.expires_at, "last_used_at": t.last_used_at,
         "current": t.pk == current}
        for t in accounts.user_tokens(request.auth.user)
    ]


@auth_router.delete("/tokens/{token_id}", response={204: None}, summary="撤销我的一个 API 令牌")
def revoke_token(request, token_id: int):
    accounts.revoke_token(request.auth.user, token_id)
    return Status(204, None)


class MyInvitationOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    enterprise_scc: str
    role: str
    role_label: str
    invited_by: str | None
    created_at: datetime


@auth_router.get("/invitations", response=list[MyInvitationOut], summary="邀请我加入的企业 (待处理)")
def my_invitations(request):
    from guanwu.tenancy.services import pending_invitations

    return [
        {"id": i.pk, "enterprise": i.enterprise.customs_code, "enterprise_name": i.enterprise.name,
         "enterprise_scc": i.enterprise.scc, "role": i.role, "role_label": i.get_role_display(),
         "invited_by": i.invited_by.get_username() if i.invited_by else None, "created_at": i.created_at}
        for i in pending_invitations(request.auth.user)
    ]


class AnswerOut(Schema):
    id: int
    status: str
    enterprise: str
    enterprise_name: str


@auth_router.post("/invitations/{invitation_id}/accept", response=AnswerOut, summary="接受邀请, 加入该企业")
def accept_invitation(request, invitation_id: int):
    from guanwu.tenancy.services import accept_invitation as accept

    membership = accept(request.auth.user, invitation_id)
    return {"id": invitation_id, "status": "accepted", "enterprise": membership.enterprise.customs_code,
            "enterprise_name": membership.enterprise.name}


@auth_router.post("/invitations/{invitation_id}/decline", response=AnswerOut, summary="拒绝邀请")
def decline_invitation(request, invitation_id: int):
    from guanwu.tenancy.services import decline_invitation as decline

    invitation = decline(request.auth.user, invitation_id)
    return {"id": invitation.pk, "status": invitation.status, "enterprise": invitation.enterprise.customs_code,
            "enterprise_name": invitation.enterprise.name}


api.add_router("/auth", auth_router)


def _mount() -> None:
    from guanwu.audit.api import router as audit_router
    from guanwu.autodeclare import api as autodeclare_api
    from guanwu.classify.api import router as classify_router
    from guanwu.crossborder import api as crossborder_api
    from guanwu.datacenter import api as datacenter_api
    from guanwu.declarations.api import router as declarations_router
    from guanwu.imports.api import router as imports_router
    from guanwu.jobs.api import router as jobs_router
    from guanwu.params.api import router as params_router
    from guanwu.processing.api import router as processing_router
    from guanwu.standards import api as standards_api
    from guanwu.tenancy.api import router as tenancy_router

    api.add_router("/", classify_router)  # before params: /tariff/suggest is not a code
    api.add_router("/", params_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/imports", imports_router)
    api.add_router("/enterprise", tenancy_router)
    api.add_router("/audit", audit_router)
    api.add_router("/declarations", declarations_router)
    api.add_router("/", processing_router)
    datacenter_api.mount(api)
    autodeclare_api.mount(api)
    standards_api.mount(api)
    crossborder_api.mount(api)


_mount()
