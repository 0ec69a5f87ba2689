"""Bulk write of indicator values for API clients with a read-write token.

The body is checked strictly before anything is looked up: only known fields, each of its
JSON type (booleans only as true/false, numbers finite and within the column's digits,
texts within their length and free of NUL and unpaired surrogates); every problem of every
row is reported at once. `dry_run: true` checks everything, the database rules included,
and reports what would happen without writing.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from access.tokens import ScopedTokenAuthentication
from core.api.filters import MAX_ID
from core.api.strict import StrictQueryMixin, unknown_field_errors
from core.cells import check_digits, parse_decimal
from core.safeinput.text import text_problem
from indicators.models import IndicatorValue
from indicators.services import RowError, ValuesRejected, indicator_values_upsert

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
    is_estimate = serializers.BooleanField(required=False, help_text="true or false (JSON).")
    note = serializers.CharField(required=False, allow_blank=True)


class BulkInputSerializer(serializers.Serializer):
    values = ValueRowSerializer(many=True)
    dry_run = serializers.BooleanField(
        required=False,
        help_text="true: check every row and report the counts, write nothing.",
    )


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1-based position in `values`.")
    field = serializers.CharField()
    message = serializers.CharField()


class BulkErrorSerializer(serializers.Serializer):
    errors = RowErrorSerializer(many=True)


BODY_FIELDS = {"values", "dry_run"}
ROW_FIELDS = {
    "indicator",
    "year",
    "tertial",
    "gender",
    "category",
    "value",
    "text_value",
    "is_estimate",
    "note",
}
#: Text fields of a row and their longest length (the model's).
TEXT_FIELDS = {
    name: IndicatorValue._meta.get_field(name).max_length
    for name in ("tertial", "gender", "category", "text_value", "note")
}
_VALUE_FIELD = IndicatorValue._meta.get_field("value")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def row_errors(n: int, row) -> list[RowError]:
    """Every problem of one row that can be seen without the database."""
    if not isinstance(row, dict):
        return [RowError(n, "-", _("The row must be an object with fields."))]
    errors = [
        RowError(n, name, messages[0])
        for name, messages in unknown_field_errors(row.keys(), ROW_FIELDS).items()
    ]
    for name in ("indicator", "year"):
        if name not in row:
            errors.append(RowError(n, name, _("The field is required.")))
        elif not _is_int(row[name]) or not 0 < row[name] <= MAX_ID:
            errors.append(RowError(n, name, _("Give a positive whole number.")))
    for name, max_length in TEXT_FIELDS.items():
        text = row.get(name)
        if text is None:
            continue
        if not isinstance(text, str):
            errors.append(RowError(n, name, _("Give a text (a JSON string).")))
        elif problem := text_problem(text, name):
            errors.append(RowError(n, name, problem))
        elif len(text) > max_length:
            errors.append(
                RowError(
                    n,
                    name,
                    _("At most %(max)s characters (here %(count)s).")
                    % {"max": max_length, "count": len(text)},
                )
            )
    if "is_estimate" in row and not isinstance(row["is_estimate"], bool):
        errors.append(RowError(n, "is_estimate", _("Give true or false (JSON booleans).")))
    value = row.get("value")
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            errors.append(RowError(n, "value", _("Give a number, a text with a number, or null.")))
        elif isinstance(value, str) and (problem := text_problem(value, "value")):
            errors.append(RowError(n, "value", problem))
        else:
            try:
                number = parse_decimal(value)
            except ValueError:
                errors.append(RowError(n, "value", _("The value is not a number.")))
            else:
                try:
                    if number is not None:
                        check_digits(
                            number,
                            max_digits=_VALUE_FIELD.max_digits,
                            decimal_places=_VALUE_FIELD.decimal_places,
                        )
                except ValueError as exc:
                    errors.append(RowError(n, "value", str(exc)))
    return errors


class IndicatorValueBulkView(StrictQueryMixin, APIView):
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
            "nothing is written and every error names its row and field (all errors of every "
            "row). Unknown fields are errors; `is_estimate` and `dry_run` take JSON booleans. "
            "With `dry_run: true` every check runs and the counts are reported, but nothing "
            "is written. At most 5000 values per request; a body over the API's size limit "
            "(20 MB by default) is answered 413."
        ),
    )
    def post(self, request):
        body = request.data
        if not isinstance(body, dict):
            return _refused(_("Give a JSON object with the list 'values'."), field="-")
        errors = [
            RowError(0, name, messages[0])
            for name, messages in unknown_field_errors(body.keys(), BODY_FIELDS).items()
        ]
        dry_run = body.get("dry_run", False)
        if not isinstance(dry_run, bool):
            errors.append(RowError(0, "dry_run", _("Give true or false (JSON booleans).")))
        raw = body.get("values")
        if not isinstance(raw, list):
            errors.append(RowError(0, "values", _("Give a list 'values'.")))
        elif len(raw) > MAX_ROWS:
            errors.append(
                RowError(
                    0,
                    "values",
                    _(
                        "At most %(max)s values per request (here %(count)s); "
                        "split them over several requests."
                    )
                    % {"max": MAX_ROWS, "count": len(raw)},
                )
            )
        else:
            for n, row in enumerate(raw, start=1):
                errors.extend(row_errors(n, row))
        if errors:
            return _rejected(errors)
        try:
            result = indicator_values_upsert(rows=raw, user=request.user, dry_run=dry_run)
        except ValuesRejected as exc:
            return _rejected(exc.errors)
        return Response(
            {
                "created": len(result.created),
                "updated": len(result.updated),
                "unchanged": result.unchanged,
                "dry_run": dry_run,
            }
        )


def _rejected(errors):
    return Response({"errors": [e.__dict__ for e in errors]}, status=status.HTTP_400_BAD_REQUEST)


def _refused(message, field="values"):
    """A 400 about the request as a whole (row 0: no particular row)."""
    return Response(
        {"errors": [{"row": 0, "field": field, "message": message}]},
        status=status.HTTP_400_BAD_REQUEST,
    )
