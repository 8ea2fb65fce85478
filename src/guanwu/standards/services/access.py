"""企业端授权确认 (seed 5.1: 企业端包括企业库查询、公共库查询、企业消息 3 大功能。首先，应使用企业法人卡
进行授权确认 ... 如未授权，操作员登录系统时，会给出提示).

Here the enterprise admin confirms (no 法人卡 on this platform). Until then every service of the
module refuses with the seed's prompt, except the 申报要素 checker (``POST /standards/check``) and
reading the authorisation state itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import Forbidden, ServiceError
from guanwu.tenancy.context import Actor

from ..models import Authorisation

NOT_AUTHORISED = ("本企业尚未进行企业端授权确认, 暂不能使用海关进出口商品规范申报企业专属库; "
                  "请联系企业管理员完成授权确认")
NOT_AUTHORISED_ADMIN = "本企业尚未进行企业端授权确认, 请先在「企业端授权确认」中确认授权后使用"
CONFIRM_TEXT = ("本企业授权平台依据海关审核数据和本企业历史申报数据建立规范申报企业专属库, 供本企业查询; "
                "海关审核为规范的数据默认在公共库中公开 (不含企业名称及任何企业信息), 本企业可随时关闭公开。")


@dataclass(frozen=True)
class State:
    confirmed: bool
    confirmed_at: object = None
    confirmed_by: str = ""
    can_confirm: bool = False
    text: str = CONFIRM_TEXT


def state(actor: Actor) -> State:
    """The authorisation of the actor's enterprise (any member may read it)."""
    auth = Authorisation.objects.for_enterprise(actor.enterprise).select_related("confirmed_by").first()
    if auth is None:
        return State(False, can_confirm=actor.is_admin)
    user = auth.confirmed_by
    name = (user.get_full_name() or user.get_username()) if user else ""
    return State(True, auth.confirmed_at, name, False)


def is_authorised(enterprise) -> bool:
    return Authorisation.objects.for_enterprise(enterprise).exists()


def require(actor: Actor) -> None:
    """Refuse (403, the seed's prompt) until the enterprise confirmed the authorisation."""
    if not is_authorised(actor.enterprise):
        raise Forbidden(NOT_AUTHORISED_ADMIN if actor.is_admin else NOT_AUTHORISED)


@transaction.atomic
def confirm(actor: Actor) -> Authorisation:
    """The admin confirms (operation log in the same transaction); a second confirmation is refused."""
    actor.require_admin("企业端授权确认")
    if Authorisation.objects.select_for_update().for_enterprise(actor.enterprise).exists():
        raise ServiceError("本企业已完成企业端授权确认, 无需重复确认", status=409)
    auth = Authorisation.objects.create(enterprise=actor.enterprise, confirmed_by=actor.user,
                                        confirmed_at=timezone.now())
    audit.record(actor, auth, "企业端授权确认", after="已授权", opinion=CONFIRM_TEXT)
    return auth
