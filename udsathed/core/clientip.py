"""The client's address, the one every rate limit, lock-out and log line uses.

Behind TLS proxies every request comes from the nearest proxy, and `X-Forwarded-For` is a list
each proxy appends its peer's address to, after whatever the client wrote there itself. With
`TRUSTED_PROXY_COUNT` = N the right-most N entries were written by the trusted proxies, so the
N-th from the right is the address the outermost proxy saw: the client's. Anything left of it
is the client's own say and is never believed.

- N = 0 (no proxy, the default): `REMOTE_ADDR` only, the header is ignored.
- A missing header, one with fewer than N entries, or an N-th entry that is not an IP address
  means the chain is not what the setting says; then `REMOTE_ADDR` (the nearest proxy, which a
  client cannot forge) is used. All clients then share one address, which makes limits
  stricter, never looser.
- With no sane address at all (an empty `REMOTE_ADDR` over a Unix socket) the answer is
  `UNKNOWN_ADDRESS`, so callers always get a valid IP (django-ratelimit needs one).
"""

import ipaddress

from django.conf import settings

# An address to record when none is known, never one to bind to.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104  # nosec B104
# Longer headers are not split: a trusted proxy chain is short, a long one is someone's noise.
MAX_HEADER_LENGTH = 2000


def parse_address(value: str | None) -> str | None:
    """The address in one header entry (ports and IPv6 brackets allowed), or None if none."""
    value = (value or "").strip()
    if not value or len(value) > 64:
        return None
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address as a valid IP string (see the module docstring for the rules)."""
    remote = parse_address(request.META.get("REMOTE_ADDR")) or UNKNOWN_ADDRESS
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not header or len(header) > MAX_HEADER_LENGTH:
        return remote
    entries = header.split(",")
    if len(entries) < trusted:
        return remote
    return parse_address(entries[-trusted]) or remote
