"""Idempotency keys for public forms (SECURITY.md, reliability 2).

Every drawing of a public form carries a one-time key. The row it creates stores a digest of
that key together with what was sent, so the same form sent twice with the same content (a
double click, a retry after a lost answer) finds the first row, while the same form sent again
with other content (back, edit, send) is a submission of its own. The key is never a secret:
status-page tokens are always made by the server.
"""

from __future__ import annotations

import hashlib
import json
import secrets

KEY_LENGTH = 40


def new_form_key() -> str:
    """The one-time key of one drawing of a form."""
    return secrets.token_urlsafe(24)


def submission_key(form_key: str | None, *content) -> str | None:
    """The stored key of one submission: the form's key and its content, or None without a key."""
    if not form_key:
        return None
    payload = json.dumps([form_key, *content], default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:KEY_LENGTH]
