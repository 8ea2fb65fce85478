from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .context import Actor
from .models import Membership

SESSION_KEY = "guanwu_enterprise_id"


class CurrentEnterpriseMiddleware:
    """Sets ``request.actor`` and ``request.enterprise`` from the session's chosen enterprise.

    A user of one enterprise works in it without choosing. A user of several must choose (the
    login sends them to the chooser): until then ``request.actor`` is None and
    ``request.needs_enterprise_choice`` is True, and pages send them to ``tenancy:choose``."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None
        request.enterprise = None
        request.needs_enterprise_choice = False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.session.get(SESSION_KEY)
            actor = Actor.resolve(user, chosen) if chosen else None
            if actor is None:
                memberships = list(
                    Membership.objects.select_related("enterprise", "user")
                    .filter(user=user, is_active=True, enterprise__is_active=True)
                    .order_by("enterprise__name", "enterprise_id")[:2]
                )
                if len(memberships) == 1:
                    actor = Actor.for_membership(memberships[0])
                    request.session[SESSION_KEY] = actor.enterprise.pk
                elif memberships:
                    request.session.pop(SESSION_KEY, None)
                    request.needs_enterprise_choice = True
            request.actor = actor
            request.enterprise = actor.enterprise if actor else None
        return self.get_response(request)
