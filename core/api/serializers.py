"""Base serializers of the read API: DRF's field declarations, a faster way to fill them.

Two costs of DRF dominate a list request, and both are paid once instead:
- a ModelSerializer builds its fields from the model on every request; here they are built
  once per class and each request gets copies (bound to it, as DRF requires);
- `Serializer.to_representation` asks every field for its attribute through a chain of
  generic calls; the mixin resolves once per serializer how each field reads its value (a
  plain attribute path, the row itself, or the field's own `get_attribute` where DRF needs
  it, as for many-to-many links) and then fills rows in a tight loop.
Output is the same as DRF's: None stays None, everything else goes through the field's own
`to_representation`.
"""

import copy

from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.relations import ManyRelatedField

from .fields import TimestampField


def _attribute_path(instance, attrs):
    for attr in attrs:
        instance = getattr(instance, attr)
        if instance is None:
            return None
    return instance


class FastRepresentationMixin:
    """Fill representations without DRF's per-field generic overhead (read-only use)."""

    def _representation_plan(self):
        plan = getattr(self, "_plan", None)
        if plan is None:
            plan = []
            for field in self._readable_fields:
                plain = type(field).get_attribute is Field.get_attribute and not isinstance(
                    field, ManyRelatedField
                )
                if field.source == "*":
                    reader = None
                elif plain:
                    reader = tuple(field.source_attrs)
                else:
                    reader = field.get_attribute
                plan.append((field.field_name, reader, field.to_representation))
            self._plan = plan
        return plan

    def to_representation(self, instance):
        row = {}
        for name, reader, represent in self._representation_plan():
            if reader is None:
                value = instance
            elif type(reader) is tuple:
                value = _attribute_path(instance, reader)
            else:
                value = reader(instance)
            row[name] = None if value is None else represent(value)
        return row


class ReadModelSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """A model's read-only representation; its timestamps in UTC."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: TimestampField,
    }

    def get_fields(self):
        cls = type(self)
        if "_field_prototypes" not in cls.__dict__:
            cls._field_prototypes = super().get_fields()
        return copy.deepcopy(cls._field_prototypes)


class ReadSerializer(FastRepresentationMixin, serializers.Serializer):
    """A read-only representation of something other than one model row."""
