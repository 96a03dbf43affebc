import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found as default_page_not_found

from udsathed.core.clientip import client_ip

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database does not answer")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bench_floor(request):
    """The benchmark's floor: the same middleware as every page, no database, no template."""
    return HttpResponse("floor\n", content_type="text/plain")


def page_not_found(request, exception):
    return default_page_not_found(request, exception, template_name="404.html")


def server_error(request):
    # Rendered without context processors: the database may be the reason we are here.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request": request}))


def favicon(request):
    # Browsers ask for /favicon.ico on pages without an icon link (the admin).
    return HttpResponsePermanentRedirect(static("img/ball.svg"))


def ratelimited(request, exception):
    """Too many submissions from one address or for one e-mail: a friendly 429, nothing saved."""
    logger.warning("Rate limit hit on %s from %s", request.path, client_ip(request))
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    return response
