"""Staff session limits: 30 minutes without a request, 12 hours in all (SECURITY.md, security 6)."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.views.defaults import bad_request

from udsathed.core.clientip import client_ip

logger = logging.getLogger("portal.audit")

STARTED_KEY = "staff_session_started"
SEEN_KEY = "staff_session_seen"
# The last-seen stamp is written at most this often, so not every request saves the session.
SEEN_RESOLUTION = 60


class StaffSessionLimitMiddleware:
    """Logs a staff user out when the session has been idle too long or has lived too long.

    Ambassadors do not have Django users (their magic-link session has its own age), so only
    `is_staff` users are concerned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            self.enforce(request)
        return self.get_response(request)

    def enforce(self, request) -> None:
        now = time.time()
        session = request.session
        started = session.get(STARTED_KEY)
        seen = session.get(SEEN_KEY)
        idle = settings.STAFF_SESSION_IDLE.total_seconds()
        maximum = settings.STAFF_SESSION_MAX.total_seconds()
        if started is not None and (now - started > maximum or now - (seen or started) > idle):
            logger.info(
                "Staff session ended by its limit: user=%s ip=%s",
                request.user.pk,
                client_ip(request),
            )
            logout(request)
            return
        if started is None:
            session[STARTED_KEY] = now
        if seen is None or now - seen > SEEN_RESOLUTION:
            session[SEEN_KEY] = now


class NulByteGuardMiddleware:
    """A NUL byte in the URL that reaches the database is answered 400, not 500.

    PostgreSQL refuses NUL in text, so a token in the path holding one (`/bolde/%00/`) ended as
    a server error; the hostile-input suite found it. Only that failure is turned into a 400;
    every view that already answers such input itself (404, 400, a form error) is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError) and (
            "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower()
        ):
            return bad_request(request, SuspiciousOperation("NUL byte in the URL"))
        return None


class ForbiddenLogMiddleware:
    """Every 403 (a CSRF failure, a permission denied) is logged with time, path, user id and
    address, never with what was posted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            logger.warning(
                "403 %s %s user=%s address=%s",
                request.method,
                request.path[:200],
                user.pk if user is not None and user.is_authenticated else "-",
                client_ip(request),
            )
        return response
