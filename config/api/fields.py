"""Serializer fields shared by the API: own link, numbers as numbers, timestamps in UTC."""

from datetime import UTC

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
            path = reverse(self.view_name, kwargs={"pk": _SENTINEL})
            request = self.context.get("request")
            url = request.build_absolute_uri(path) if request is not None else path
            self._template = url.replace(str(_SENTINEL), "{pk}")
        return self._template.format(pk=instance.pk)


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
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
