"""The secrets in the portal's links for networks, balls and activities."""

import secrets


def new_ball_token() -> str:
    """192 random bits for a link that is its own key: a ball's status page, a network
    invitation, a registration's ticket and cancel links."""
    return secrets.token_urlsafe(24)
