from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .context import Actor

SESSION_KEY = "guanwu_enterprise_id"


class CurrentEnterpriseMiddleware:
    """Sets ``request.actor`` and ``request.enterprise`` from the session's chosen enterprise."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None
        request.enterprise = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.session.get(SESSION_KEY)
            actor = Actor.resolve(user, chosen) if chosen else None
            if actor is None:
                actor = Actor.resolve(user)
                if actor is not None:
                    request.session[SESSION_KEY] = actor.enterprise.pk
            request.actor = actor
            request.enterprise = actor.enterprise if actor else None
        return self.get_response(request)
