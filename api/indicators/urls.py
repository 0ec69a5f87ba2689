from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-values", views.IndicatorValueViewSet, basename="indicator-value")

#: Kolada's data API v2 routes: any two of kpi, municipality and year, or all three.
kolada_urlpatterns = [
    path(
        "kolada/data/kpi/<str:kpi>/municipality/<str:municipality>/year/<str:year>",
        views.kolada_view("kpi", "municipality", "year"),
        name="kolada-kpi-municipality-year",
    ),
    path(
        "kolada/data/kpi/<str:kpi>/year/<str:year>",
        views.kolada_view("kpi", "year"),
        name="kolada-kpi-year",
    ),
    path(
        "kolada/data/kpi/<str:kpi>/municipality/<str:municipality>",
        views.kolada_view("kpi", "municipality"),
        name="kolada-kpi-municipality",
    ),
    path(
        "kolada/data/municipality/<str:municipality>/year/<str:year>",
        views.kolada_view("municipality", "year"),
        name="kolada-municipality-year",
    ),
]

urlpatterns = router.urls + kolada_urlpatterns
