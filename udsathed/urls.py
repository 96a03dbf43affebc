from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from ambassadors import views as ambassador_views
from ambassadors.feeds import NewsletterFeed
from udsathed import views
from udsathed.admin_site import PortalAdminSite
from udsathed.core.audit import audit_admins
from udsathed.core.cache import public_page
from udsathed.seo import SITEMAPS, robots_txt

# django-otp's documented way to add the second factor to the default site everyone registers on.
admin.site.__class__ = PortalAdminSite
audit_admins(admin.site)
admin.site.site_header = "Fællesskabsportalen"
admin.site.site_title = "Fællesskabsportalen"
admin.site.index_title = "Administration"

# Pages live in both languages: Danish unprefixed (the portal is Danish-first), English under
# /en/. The language is the URL's, so a page is a link that can be shared, bookmarked and
# indexed in either language, and switching language is a plain link to the twin page. The
# files some pages serve (pictures, .ics, PDFs, CSV) come along with their app's pages; they
# answer alike under both prefixes.
urlpatterns = i18n_patterns(
    path("", include("themes.urls")),
    path("ambassadoerer/", include("ambassadors.urls")),
    path("", include("networks.urls")),
    path(
        "nyhedsbreve/",
        public_page(ambassador_views.NewsletterListView.as_view()),
        name="newsletter-list",
    ),
    path("nyhedsbreve/feed/", public_page(NewsletterFeed()), name="newsletter-feed"),
    path(
        "nyhedsbreve/afmeld/<str:token>/",
        ambassador_views.NewsletterUnsubscribeView.as_view(),
        name="newsletter-unsubscribe",
    ),
    path(
        "nyhedsbreve/<slug:slug>/",
        public_page(ambassador_views.NewsletterDetailView.as_view()),
        name="newsletter-detail",
    ),
    path("", include("evaluation.urls")),
    path(
        "privatliv/",
        public_page(
            TemplateView.as_view(
                template_name="privacy.html",
                extra_context={"version": settings.PRIVACY_NOTICE_VERSION},
            )
        ),
        name="privacy",
    ),
    prefix_default_language=False,
)

# Not pages for visitors: the health probe, the icon, the admin, which is the municipality's
# staff tool and stays Danish and unprefixed, what search engines read (the sitemap names both
# languages itself) and the API (one address for both languages: `?lang=` or Accept-Language).
urlpatterns += [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("api/", include("udsathed.api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor", views.bench_floor))

handler404 = "udsathed.views.page_not_found"
handler500 = "udsathed.views.server_error"
