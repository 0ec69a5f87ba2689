"""URL configuration: the admin, the follow-up workbench and (later) reports and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("uppfoljning/", include("followups.urls")),
    path("uppfoljning/", include("deadlines.urls")),
    path("rapporter/", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("config.api_urls")),
    path("", include("actionplans.urls")),
    path("", include("qualityreports.urls")),
    # The public reader, at the site root: keep it last, it matches "" and "las/…".
    path("", include("public.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

# Under /api/ every error is JSON (core/api/errors.py); elsewhere the Swedish pages.
handler400 = "core.error_views.bad_request"
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"
