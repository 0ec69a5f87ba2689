"""Serializer fields shared by the API: own link, numbers as numbers, timestamps in UTC."""

from datetime import UTC

from django.db import NotSupportedError
from django.db.models import CharField, Func
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_SENTINEL = 987654321012345


@extend_schema_field(OpenApiTypes.URI)
class SelfLinkField(serializers.Field):
    """The absolute URL of the row's detail endpoint, e.g. https://…/api/v1/goals/7/.

    Reverses the route once per serializer instead of once per row, and leaves out the
    request's query string (no `?format=csv` in the links of a CSV file).
    """

    def __init__(self, view_name, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)
        self.view_name = view_name
        self._template = None

    def to_representation(self, instance):
        if self._template is None:
            self._template = detail_url_template(self.view_name, self.context.get("request"))
        return self._template.format(pk=instance.pk)


def detail_url_template(view_name, request=None) -> str:
    """The absolute URL of a detail route with "{pk}" in place of the id (one reverse)."""
    path = reverse(view_name, kwargs={"pk": _SENTINEL})
    url = request.build_absolute_uri(path) if request is not None else path
    return url.replace(str(_SENTINEL), "{pk}")


def utc_timestamp(value) -> str:
    """A timestamp in ISO 8601 UTC, as TimestampField writes it."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class UtcIsoText(Func):
    """A timestamp column as ISO 8601 text in UTC without the zone, written by the database:
    "2019-06-30T10:00:00.123456". `utc_iso_text()` finishes it as TimestampField would.

    A page of rows read as plain values skips the parsing of one timestamp per row in
    Python, which psycopg does in Python for Django's time-zone handling.
    """

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores a UTC timestamp as "2019-06-30 10:00:00.123456" (no fraction at 0).
        return self.as_sql(compiler, connection, template="replace(%(expressions)s, ' ', 'T')")

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra:
            raise NotSupportedError("UtcIsoText supports PostgreSQL and SQLite.")
        return super().as_sql(compiler, connection, **extra)


def utc_iso_text(text: str) -> str:
    """UtcIsoText's text as TimestampField writes it: no zero fraction, "Z" for UTC."""
    return (text[:-7] if text.endswith(".000000") else text) + "Z"


class NumberField(serializers.DecimalField):
    """A read-only decimal shown as a JSON number (12.3, not "12.3000"), or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", None)
        kwargs.setdefault("coerce_to_string", False)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else float(value)


class TimestampField(serializers.DateTimeField):
    """A read-only timestamp in ISO 8601, always in UTC: 2019-06-30T10:00:00.123456Z."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return utc_timestamp(value)
