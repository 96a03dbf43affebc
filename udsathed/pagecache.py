"""Whole rendered pages, kept per data version, with holes for what is new in every response.

At national scale the public pages cost their template rendering, not their SQL: the same
theme page is drawn again for every visitor although nothing in it changed. `shared_page`
keeps the rendered page in a per-process memory cache (`CACHES["pages"]`: nothing of it is
written to disk, so an erasure cannot leave a copy behind) under a key made of the address with
its query string, the language and the data version (udsathed/dataversion.py, moved by every
save or delete). Entries also expire after `PAGE_CACHE_SECONDS`, since
some pages move with the clock ("upcoming", "overdue").

Three things differ in every response and are punched out of the stored page as holes: the CSRF
token of the forms (masked anew for each request, as Django does), the Content-Security-Policy
nonce of the script tags, and a form's one-time key (`form_key`, which makes a double click one
row). A hit fills them with this request's own, so the response is what rendering would have
produced.

Only requests that carry no state are served from it: GET or HEAD, no session, no messages, no
cookie but the CSRF and language ones. A visitor who has just sent a ball, or an ambassador who is
logged in, gets a fresh page. Pages for staff are never kept: what they may see is decided from
their current rights on every request, and a change of rights is not a change of data.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from udsathed import dataversion

# Holes: random per process, so no text a user wrote can ever look like one.
CSRF_HOLE = f"csrf-hole-{secrets.token_hex(12)}"
NONCE_HOLE = f"nonce-hole-{secrets.token_hex(12)}"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
# A form's one-time key (a double click makes one row): every drawn form gets a fresh one.
FORM_KEY_HOLE = f"form-key-hole-{secrets.token_hex(12)}"
FORM_KEY_INPUT = re.compile(r'(?<=name="form_key" value=")[A-Za-z0-9_-]+')
STATELESS_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


@dataclass(frozen=True)
class Page:
    body: str
    status: int
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def from_response(cls, request: HttpRequest, response: HttpResponse) -> Page:
        body = response.content.decode(response.charset)
        for token in set(CSRF_INPUT.findall(body)):
            body = body.replace(token, CSRF_HOLE)
        body = FORM_KEY_INPUT.sub(FORM_KEY_HOLE, body)
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # evaluated while rendering: the page carries it
            body = body.replace(str(nonce), NONCE_HOLE)
        return cls(body=body, status=response.status_code, headers=tuple(response.headers.items()))

    def response(self, request: HttpRequest) -> HttpResponse:
        body = self.body
        if CSRF_HOLE in body:
            body = body.replace(CSRF_HOLE, get_token(request))  # also sets the cookie if new
        if NONCE_HOLE in body:
            body = body.replace(NONCE_HOLE, str(request._csp_nonce))  # and the header names it
        while FORM_KEY_HOLE in body:  # one key per form, never one shared by two visitors
            body = body.replace(FORM_KEY_HOLE, new_form_key(), 1)
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        return response


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


def stateless(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and set(request.COOKIES) <= STATELESS_COOKIES


def page_key(request: HttpRequest) -> str:
    # Scheme and host too: a page may hold absolute links (the certificate's, the calendar's).
    path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    version = dataversion.current()
    return f"page:{version}:{translation.get_language()}:{path}"


def storable(request: HttpRequest, response: HttpResponse, session_was_modified: bool) -> bool:
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response["Content-Type"].startswith("text/html")
        # Only the CSRF cookie (the admin's views set it themselves); a hit sets it anew.
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and not (session is not None and session.modified and not session_was_modified)
        and not (messages is not None and getattr(messages, "added_new", False))
    )


def shared_page(view=None):
    """Serve `view`'s GET pages from the page cache (see the module's text), for visitors
    without state only."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not stateless(request) or not settings.PAGE_CACHE_SECONDS:
                return view(request, *args, **kwargs)
            pages = caches["pages"]
            key = page_key(request)
            page = pages.get(key)
            if page is not None:
                return page.response(request)
            session = getattr(request, "session", None)
            session_was_modified = session is not None and session.modified
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if storable(request, response, session_was_modified):
                pages.set(key, Page.from_response(request, response), settings.PAGE_CACHE_SECONDS)
            return response

        return wrapped

    return decorator if view is None else decorator(view)
