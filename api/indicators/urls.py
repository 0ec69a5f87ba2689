from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import views
from .kolada import kolada_view, metadata_view

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-values", views.IndicatorValueViewSet, basename="indicator-value")

#: Kolada's data API v2 routes: any two of kpi, municipality and year, or all three.
DATA_V2_SHAPES = [
    ("kpi", "municipality", "year"),
    ("kpi", "year"),
    ("kpi", "municipality"),
    ("municipality", "year"),
]
OUDATA_V2_SHAPES = [("kpi", "ou", "year"), ("kpi", "year"), ("kpi", "ou"), ("ou", "year")]


def _data_route(prefix, shape, **options):
    route = "/".join(f"{name}/<str:{name}>" for name in shape)
    name = "kolada-" + ("ou" if options.get("by_unit") else "") + "-".join(shape)
    return path(f"{prefix}/{route}", kolada_view(*shape, **options), name=name)


kolada_v2 = [_data_route("data", shape) for shape in DATA_V2_SHAPES] + [
    _data_route("oudata", shape, by_unit=True) for shape in OUDATA_V2_SHAPES
]
kolada_v3 = [
    # koladapy asks for "data/" and "oudata/"; Kolada's own documentation writes "data".
    re_path(r"^v3/data/?$", kolada_view(version=3), name="kolada-v3-data"),
    re_path(r"^v3/oudata/?$", kolada_view(version=3, by_unit=True), name="kolada-v3-oudata"),
]
for kind in ("kpi", "municipality", "ou"):
    for version, prefix in ((2, ""), (3, "v3/")):
        routes = kolada_v3 if version == 3 else kolada_v2
        routes += [
            re_path(
                rf"^{prefix}{kind}/?$",
                metadata_view(kind, version=version),
                name=f"kolada-v{version}-{kind}",
            ),
            path(
                f"{prefix}{kind}/<str:ids>",
                metadata_view(kind, version=version, with_ids=True),
                name=f"kolada-v{version}-{kind}-ids",
            ),
        ]

#: Under /api/v1/kolada/: v2 at the top, v3 under v3/.
kolada_urlpatterns = kolada_v3 + kolada_v2

urlpatterns = router.urls
