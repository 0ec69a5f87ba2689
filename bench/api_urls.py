"""URLconf of bench/api_bench.py: the product's URLs plus the baseline, a plain Django view.

The baseline returns the same rows as `/api/v1/indicator-values/?indicator=…&year_min=…`
(same filter, same order, same page of 100) straight from `.values()` as JSON: no DRF, no
count, no ETag, no visibility rule. It exists only here, never in the product.
"""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns
from indicators.models import IndicatorValue

FIELDS = (
    "id",
    "indicator_id",
    "indicator__kolada_kpi",
    "indicator__key",
    "indicator__name",
    "indicator__unit",
    "indicator__board_id",
    "indicator__board__municipality__code",
    "year",
    "tertial",
    "gender",
    "category",
    "value",
    "text_value",
    "is_estimate",
    "note",
    "updated_at",
)


def baseline_values(request):
    rows = (
        IndicatorValue.objects.filter(
            indicator_id=int(request.GET["indicator"]), year__gte=int(request.GET["year_min"])
        )
        .order_by("indicator_id", "category", "gender", "year", "tertial", "pk")
        .values(*FIELDS)[:100]
    )
    return JsonResponse({"results": list(rows)})


urlpatterns = [
    path("bench/baseline/values/", baseline_values),
    *product_urlpatterns,
]
