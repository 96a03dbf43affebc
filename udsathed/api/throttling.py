"""The API's rate limit per client address.

One mechanism for the whole portal: django-ratelimit's counter in the shared cache (atomic
across workers), keyed by `key="ip"`, which the settings point at `udsathed.core.clientip`
(the address the nearest trusted proxy saw). Wrapped as a DRF throttle so an API client gets
DRF's JSON 429 with `Retry-After`, not the visitor's HTML page."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle


class ClientAddressThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        self.usage = get_usage(
            request, group="api", key="ip", rate=settings.API_RATE_LIMIT, increment=True
        )
        return self.usage is None or not self.usage["should_limit"]

    def wait(self) -> float | None:
        return self.usage["time_left"] if self.usage else None
