from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from ambassadors import views as ambassador_views
from udsathed import views
from udsathed.admin_site import PortalAdminSite
from udsathed.core.audit import audit_admins

# django-otp's documented way to add the second factor to the default site everyone registers on.
admin.site.__class__ = PortalAdminSite
audit_admins(admin.site)
admin.site.site_header = "Fællesskabsportalen"
admin.site.site_title = "Fællesskabsportalen"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", include("themes.urls")),
    path("ambassadoerer/", include("ambassadors.urls")),
    path("", include("networks.urls")),
    path("nyhedsbreve/", ambassador_views.NewsletterListView.as_view(), name="newsletter-list"),
    path(
        "nyhedsbreve/afmeld/<str:token>/",
        ambassador_views.NewsletterUnsubscribeView.as_view(),
        name="newsletter-unsubscribe",
    ),
    path(
        "nyhedsbreve/<slug:slug>/",
        ambassador_views.NewsletterDetailView.as_view(),
        name="newsletter-detail",
    ),
    path("", include("evaluation.urls")),
    path(
        "privatliv/",
        TemplateView.as_view(
            template_name="privacy.html",
            extra_context={"version": settings.PRIVACY_NOTICE_VERSION},
        ),
        name="privacy",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor", views.bench_floor))

handler404 = "udsathed.views.page_not_found"
handler500 = "udsathed.views.server_error"
