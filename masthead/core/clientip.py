"""The client's address, trusting X-Forwarded-For only from configured proxies (MASTHEAD_TRUSTED_PROXIES)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from masthead.core.hashing import salted_hash


@lru_cache(maxsize=8)
def _trusted_networks(
    spec: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _is_trusted(address: str) -> bool:
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


FORWARDED_PROTO = "HTTP_X_FORWARDED_PROTO"


def drop_untrusted_forwarding(request: HttpRequest) -> None:
    """Forget X-Forwarded-Proto unless a trusted proxy sent it.

    Django believes SECURE_PROXY_SSL_HEADER from anyone; removing the header from other peers' requests
    (first thing, in core.fastpath) makes MASTHEAD_TRUSTED_PROXIES decide for the scheme too, as it does
    for the address. The server itself interprets no forwarding header (`masthead run` starts uvicorn
    with proxy_headers off).
    """
    if FORWARDED_PROTO in request.META and not _is_trusted(request.META.get("REMOTE_ADDR", "")):
        del request.META[FORWARDED_PROTO]


def client_ip(request: HttpRequest) -> str:
    """Walk X-Forwarded-For from the right while the hop is a trusted proxy; the first untrusted hop is the client."""
    peer = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104
    if not _is_trusted(peer):
        return peer
    forwarded = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    for hop in reversed(forwarded):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        if not _is_trusted(hop):
            return hop
    return forwarded[0] if forwarded else peer


def hash_ip(address: str) -> str:
    """A salted hash: the same address always gives the same value on this site, and the address cannot be read back."""
    return salted_hash(address)


def network_of(address: str) -> str:
    """The /24 (IPv4) or /56 (IPv6) around an address: the unit for 'same network' checks."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    prefix = 24 if ip.version == 4 else 56
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
