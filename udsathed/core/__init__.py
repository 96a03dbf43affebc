"""The floor app: models every domain app may rely on and none of them owns (the audit trail).

It imports no domain app (themes, ambassadors, networks, evaluation)."""
