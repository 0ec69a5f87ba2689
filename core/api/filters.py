"""Filter types shared by the API's filtersets, and the ordering that always ends in the pk.

Ids, years and codes take one value or a comma-separated list (`?board=1,2`). Every value
is range-checked by its form field, so a bad query is a 400 and never a database error.
"""

import copy
import re
from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.filters import OrderingFilter

from core.years import FIRST_YEAR, LAST_YEAR

MAX_ID = 2**63 - 1
YEAR_MIN, YEAR_MAX = FIRST_YEAR, LAST_YEAR


class ShallowCopyMixin:
    """Copy the filter cheaply: FilterSet deep-copies every filter for every request, and
    deep copies of the lazy help texts and choice labels dominate that. A filter is
    configuration; only its bookkeeping (model, parent, cached label and field) differs
    per copy, and a shallow copy with its own `extra` dict keeps those apart."""

    def __deepcopy__(self, memo):
        duplicate = copy.copy(self)
        duplicate.extra = dict(self.extra)
        if self.method is not None:
            duplicate.method = self.method  # binds a FilterMethod to the copy
        return duplicate


class IntegerFilter(ShallowCopyMixin, django_filters.Filter):
    """A filter on one whole number."""

    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.BaseInFilter, IntegerFilter):
    """One id or a comma-separated list of ids."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(IntegerFilter):
    """A year, or a bound of a range of years with lookup_expr gte/lte."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class YearsFilter(django_filters.BaseInFilter, IntegerFilter):
    """One year or a comma-separated list of years."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class CharInFilter(ShallowCopyMixin, django_filters.BaseInFilter, django_filters.CharFilter):
    """One text value or a comma-separated list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)


class ChoiceInFilter(ShallowCopyMixin, django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """One choice or a comma-separated list of choices."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)


class SinceField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 timestamp that the database can compare (no overflow at year 1 or 9999)."""

    def to_python(self, value):
        if isinstance(value, str):
            # An unescaped "+02:00" in a query string arrives as " 02:00".
            value = re.sub(r" ([0-9]{2}(:?[0-9]{2})?)$", r"+\1", value.strip())
        try:
            result = super().to_python(value)
            if result is not None:
                # The same instant in UTC: PostgreSQL refuses offsets beyond ±15:59.
                result = result.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(_("The timestamp is out of range.")) from exc
        return result


class StrictBooleanField(forms.Field):
    """true or false (also True/False, 1/0); anything else is an error, not "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        found = self.VALUES.get(str(value).strip().lower())
        if found is None:
            raise ValidationError(_("Give true or false."), code="invalid")
        return found


class BooleanFilter(ShallowCopyMixin, django_filters.BooleanFilter):
    """true or false."""

    field_class = StrictBooleanField


class ChangedSinceFilter(ShallowCopyMixin, django_filters.IsoDateTimeFilter):
    """Rows changed at or after an ISO 8601 timestamp."""

    field_class = SinceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "help_text",
            _(
                "Only rows changed at or after this ISO 8601 timestamp, e.g. "
                "2019-06-30T00:00:00+02:00 (inclusive). Deleted rows are listed at "
                "/api/v1/deletions/ with the same parameter."
            ),
        )
        super().__init__(*args, **kwargs)


class ApiFilterSet(django_filters.FilterSet):
    """Base of every API filterset: `changed_since` on the row's own `updated_at`.

    django-filter rebuilds each filter's label and form field, and the form class, for
    every request; these filtersets never change at run time, so both are made once per
    class (the form still validates each request's data in a fresh form instance).
    """

    changed_since = ChangedSinceFilter()

    def __init__(self, *args, **kwargs):
        cls = type(self)
        if "_labels_ready" not in cls.__dict__:
            for filter_ in cls.base_filters.values():
                filter_.label  # noqa: B018  (computed once, then copied with the filter)
            cls._labels_ready = True
        super().__init__(*args, **kwargs)

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class


class SharedFields(dict):
    """A form's fields that each form instance shares instead of deep-copying them.

    Django copies every field (widget, validators, messages) for each form, so that a form
    may change its fields; a filter form only validates one request's query and changes no
    field, so a new dict of the same fields is enough.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` on the view's `ordering_fields`, always ending with the primary key.

    A total order keeps page boundaries stable: no row is shown twice or skipped.
    """

    def get_schema_operation_parameters(self, view):
        """`ordering` with its allowed values: the fields, "-" for descending, comma lists."""
        fields = [f for f in (getattr(view, "ordering_fields", None) or []) if f != "__all__"]
        values = [v for field in fields for v in (field, f"-{field}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": _(
                    "Sort order: one or more of %(fields)s, comma-separated; '-' sorts "
                    "descending. Ties are always broken by id."
                )
                % {"fields": ", ".join(fields)},
                "schema": {"type": "array", "items": {"type": "string", "enum": values}},
                "style": "form",
                "explode": False,
            }
        ]

    def remove_invalid_fields(self, queryset, fields, view, request):
        """An unknown ordering field is a 400 listing the valid ones (DRF drops it silently)."""
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        invalid = [term for term in fields if term not in valid]
        if invalid:
            names = sorted(name for name, _label in self.get_valid_fields(queryset, view, {}))
            raise DRFValidationError(
                {
                    self.ordering_param: [
                        _(
                            "Unknown ordering “%(terms)s”. Order by: %(names)s (“-” first for "
                            "descending)."
                        )
                        % {"terms": ", ".join(t[:40] for t in invalid), "names": ", ".join(names)}
                    ]
                }
            )
        return valid

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("pk")
        return ordering
