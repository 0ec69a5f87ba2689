"""Bulk write of indicator values for API clients with a read-write token."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from access.tokens import ScopedTokenAuthentication
from indicators.services import ValuesRejected, indicator_values_upsert

#: Most values one request may write (a larger set is split over several requests).
MAX_ROWS = 5000


class ValueRowSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text="Indicator id.")
    year = serializers.IntegerField()
    tertial = serializers.CharField(required=False, allow_blank=True, help_text="'', T1–T3")
    gender = serializers.CharField(required=False, help_text="T, K or M (default T).")
    category = serializers.CharField(required=False, allow_blank=True)
    value = serializers.CharField(required=False, allow_null=True, help_text="A number.")
    text_value = serializers.CharField(required=False, allow_blank=True)
    is_estimate = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class BulkInputSerializer(serializers.Serializer):
    values = ValueRowSerializer(many=True)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1-based position in `values`.")
    field = serializers.CharField()
    message = serializers.CharField()


class BulkErrorSerializer(serializers.Serializer):
    errors = RowErrorSerializer(many=True)


class IndicatorValueBulkView(APIView):
    """Create or change many indicator values in one request: all or nothing."""

    authentication_classes = [ScopedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "api_write"

    @extend_schema(
        operation_id="indicator_values_bulk_upsert",
        request=BulkInputSerializer,
        responses={
            200: BulkResultSerializer,
            400: BulkErrorSerializer,
            401: OpenApiResponse(description="No or unknown token."),
            403: OpenApiResponse(description="Not allowed."),
            429: OpenApiResponse(description="Throttled."),
        },
        examples=[
            OpenApiExample(
                "Två värden",
                value={
                    "values": [
                        {"indicator": 12, "year": 2020, "gender": "K", "value": "7,1"},
                        {"indicator": 12, "year": 2020, "text_value": "Ej mätbart"},
                    ]
                },
                request_only=True,
            )
        ],
        description=(
            "Upserts indicator values keyed on (indicator, year, tertial, gender, category). "
            "Needs a token with write scope on the indicators' boards. If any row is invalid "
            "nothing is written and every error names its row and field. At most 5000 values "
            "per request."
        ),
    )
    def post(self, request):
        raw = request.data.get("values") if isinstance(request.data, dict) else None
        if not isinstance(raw, list):
            return _refused(_("Give a list 'values'."))
        if len(raw) > MAX_ROWS:
            return _refused(
                _(
                    "At most %(max)s values per request (here %(count)s); "
                    "split them over several requests."
                )
                % {"max": MAX_ROWS, "count": len(raw)}
            )
        try:
            result = indicator_values_upsert(rows=raw, user=request.user)
        except ValuesRejected as exc:
            return Response(
                {"errors": [e.__dict__ for e in exc.errors]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            {
                "created": len(result.created),
                "updated": len(result.updated),
                "unchanged": result.unchanged,
            }
        )


def _refused(message):
    """A 400 about the request as a whole (row 0: no particular row)."""
    return Response(
        {"errors": [{"row": 0, "field": "values", "message": message}]},
        status=status.HTTP_400_BAD_REQUEST,
    )
