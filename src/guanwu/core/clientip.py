"""The client's IP address, behind trusted reverse proxies or not.

``REMOTE_ADDR`` is the client unless it is one of ``GUANWU_TRUSTED_PROXIES`` (addresses or
networks, e.g. ``127.0.0.1,10.0.0.0/8``). Behind such a proxy the client is the right-most
address of ``X-Forwarded-For`` that is not itself a trusted proxy: every proxy appends the
address it received the request from, so entries left of the first untrusted one may be
forged by the client and are never used. See docs/deployment.md.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.GUANWU_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    client = remote
    for hop in reversed(forwarded):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage: keep the last address a trusted proxy vouched for
        client = hop
        if not _trusted(hop):
            break
    return client
