"""What search engines read: the sitemap (both languages, with hreflang alternates) and
robots.txt. The sitemap lists only public pages, built from the querysets those pages use."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ambassadors.models import Newsletter
from evaluation.models import EvaluationRound
from networks.models import Activity, Ball, Network
from themes.models import CoreArea, Theme


class PortalSitemap(Sitemap):
    """Each page in Danish (unprefixed) and English (/en/), each pointing at the other."""

    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "themes:home",
            "themes:theme-list",
            "themes:about",
            "themes:accessibility",
            "networks:network-list",
            "networks:activity-list",
            "networks:ball-create",
            "networks:ball-public-list",
            "ambassadors:ambassador-list",
            "ambassadors:ambassador-signup",
            "newsletter-list",
            "evaluation:progress",
            "evaluation:round-list",
            "privacy",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ThemeSitemap(PortalSitemap):
    def items(self):
        return Theme.objects.of_active_strategy().only("number")


class CoreAreaSitemap(PortalSitemap):
    def items(self):
        return CoreArea.objects.of_active_strategy().only("slug")


class NetworkSitemap(PortalSitemap):
    def items(self):
        return Network.objects.public().only("slug").order_by("pk")


class ActivitySitemap(PortalSitemap):
    def items(self):
        return Activity.objects.visible().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Activity):
        return item.updated_at


class NewsletterSitemap(PortalSitemap):
    def items(self):
        return Newsletter.objects.published().only("slug", "sent_at").order_by("pk")

    def lastmod(self, item: Newsletter):
        return item.sent_at


class EvaluationRoundSitemap(PortalSitemap):
    def items(self):
        return EvaluationRound.objects.published().filter(strategy__is_active=True).only("slug")


class BallSitemap(PortalSitemap):
    """The published balls' public pages; never a ball's own address, which is its sender's
    secret status page."""

    def items(self):
        return Ball.objects.published().only("pk", "published_at").order_by("pk")

    def location(self, item: Ball) -> str:
        return item.get_public_url()

    def lastmod(self, item: Ball):
        return item.published_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "themes": ThemeSitemap,
    "core-areas": CoreAreaSitemap,
    "networks": NetworkSitemap,
    "activities": ActivitySitemap,
    "newsletters": NewsletterSitemap,
    "evaluations": EvaluationRoundSitemap,
    "balls": BallSitemap,
}

# Pages for one person (behind a link or a log-in), the admin and the staff dashboard. Each
# also under /en/. The robots test reverses every private URL and checks it is refused here.
PRIVATE_PATHS = [
    "/admin/",
    "/bolde/",  # a ball's status page (its address is its secret); the public ones are allowed
    "/aktiviteter/billet/",
    "/aktiviteter/afmeld/",
    "/netvaerk/invitation/",
    "/ambassadoerer/min-side/",
    "/ambassadoerer/bekraeft/",
    "/ambassadoerer/forbliv/",
    "/ambassadoerer/bevis/",
    "/nyhedsbreve/afmeld/",
    "/evaluering/svar/",
    "/dashboard/",
]
# Allowed before the rules above: the longest matching rule wins (RFC 9309), so these open the
# form, the public record of balls and its feed; `$` ends the list's own address, so a status
# page `/bolde/<token>/` stays refused.
PUBLIC_UNDER_PRIVATE = ["/bolde/send/", "/bolde/nr/", "/bolde/feed/", "/bolde/$"]


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *"]
    for prefix in ("", "/en"):
        lines += [f"Allow: {prefix}{path}" for path in PUBLIC_UNDER_PRIVATE]
    for prefix in ("", "/en"):
        lines += [f"Disallow: {prefix}{path}" for path in PRIVATE_PATHS if path != "/admin/"]
    lines.append("Disallow: /admin/")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
