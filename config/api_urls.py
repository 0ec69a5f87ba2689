"""The REST API: `/api/v1/` (resources, their whole-dataset files and the Kolada routes),
`/api/schema/` (OpenAPI 3), `/api/docs/` (Swagger UI) and `/api/redoc/` (Redoc).

Each app registers its viewsets on its own router (`api/<app>/urls.py`); this module
collects them under one DefaultRouter, whose root view lists every resource.
"""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from api.actionplans.urls import router as actionplans_router
from api.activities.urls import router as activities_router
from api.followups.urls import router as followups_router
from api.followups.write import FollowUpTextView
from api.goals.urls import router as goals_router
from api.indicators.bulk import IndicatorValueBulkView
from api.indicators.urls import kolada_urlpatterns
from api.indicators.urls import router as indicators_router
from api.opendata import dcat_view
from api.qualityreports.urls import router as qualityreports_router
from api.tombstones.urls import router as tombstones_router
from core.api.viewsets import download_routes

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # `?format=csv` is the one way to pick a format
for app_router in (
    goals_router,
    activities_router,
    followups_router,
    indicators_router,
    tombstones_router,
    actionplans_router,
    qualityreports_router,
):
    router.registry.extend(app_router.registry)

urlpatterns = [
    # Writes (token or session), before the router so "bulk" is not read as an id.
    path(
        "v1/indicator-values/bulk/",
        IndicatorValueBulkView.as_view(),
        name="indicator-values-bulk",
    ),
    path("v1/follow-ups/<int:pk>/text/", FollowUpTextView.as_view(), name="follow-up-text"),
    *download_routes(router, "v1/"),
    path("v1/", include(router.urls)),
    path("v1/kolada/", include(kolada_urlpatterns)),
    path("dcat.jsonld", dcat_view, name="dcat"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start script is served as a file (the split view), so the page runs
    # under the site's CSP without inline scripts; both UIs set inline styles, and Redoc
    # starts a web worker from a blob.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update({"worker-src": ["blob:"], "img-src": ["data:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
]
