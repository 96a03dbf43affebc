"""Signed, expiring links for ambassadors: no passwords, no personal data in URLs.

A token carries the ambassador's id, the purpose and their current `token_version`; rotating the
version (on erasure) ends every link issued before.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

SALT = "ambassadors.link"


def make_token(ambassador, purpose: str) -> str:
    return signing.dumps(
        {"a": ambassador.pk, "p": purpose, "v": ambassador.token_version},
        salt=SALT,
        compress=True,
    )


def read_token(token: str, purpose: str, max_age: timedelta | None):
    """The ambassador the token names, or None when it is forged, expired or superseded."""
    from ambassadors.models import Ambassador

    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    return (
        Ambassador.objects.not_erased()
        .filter(pk=data.get("a"), token_version=data.get("v"))
        .first()
    )
