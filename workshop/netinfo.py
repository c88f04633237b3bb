"""Where phones can reach this server: the public URL or the machine's LAN address."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

import ifaddr
from flask import current_app, has_request_context, request

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"}


@lru_cache(maxsize=1)
def lan_address() -> str | None:
    """The first private IPv4 address of a network interface, else any non-loopback one.

    Read from the interfaces themselves: nothing is sent on the network.
    """
    candidates: list[ipaddress.IPv4Address] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):
                continue  # IPv6 comes as a tuple
            address = ipaddress.IPv4Address(ip.ip)
            if address.is_loopback or address.is_link_local:
                continue
            candidates.append(address)
    private = [a for a in candidates if a.is_private]
    chosen = (private or candidates or [None])[0]
    return str(chosen) if chosen else None


def lan_base_url(port: int) -> str:
    host = lan_address() or "127.0.0.1"
    return f"http://{host}:{port}"


def public_base_url() -> str:
    """Base of join links and QR codes, without a trailing slash."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured
    if has_request_context():
        host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host
        if host not in LOCAL_HOSTS:
            return request.host_url.rstrip("/")
        port = request.host.rsplit(":", 1)[1] if ":" in request.host else current_app.config["PORT"]
        return lan_base_url(int(port))
    return lan_base_url(current_app.config["PORT"])
