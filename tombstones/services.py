"""Writes of the change log: tombstones for deleted rows, and `updated_at` bumps.

`updated_at` is `auto_now`, which only `Model.save()` sets: `bulk_update()`,
`QuerySet.update()` and many-to-many changes leave it alone. Services that write that way
must set `updated_at=timezone.now()` themselves (or call `rows_touch`), or the API's
`changed_since` and ETags will not see the change.
"""

from django.apps import apps
from django.utils import timezone

from .models import Tombstone
from .registry import BY_LABEL


def _board_id(instance, board_path):
    if board_path is None:
        return None
    if board_path == "pk":
        return instance.pk
    if "__" not in board_path:
        return getattr(instance, board_path)
    relation, rest = board_path.split("__", 1)
    parent_id = getattr(instance, f"{relation}_id")
    if parent_id is None:
        return None
    parent_model = instance._meta.get_field(relation).related_model
    return parent_model._default_manager.filter(pk=parent_id).values_list(rest, flat=True).first()


def tombstone_record(*, instance) -> Tombstone | None:
    """Record that `instance` (of a tracked model) was deleted; None for untracked models."""
    tracked = BY_LABEL.get(instance._meta.label_lower)
    if tracked is None:
        return None
    return Tombstone.objects.create(
        model=tracked.label_lower,
        object_id=instance.pk,
        board_id=_board_id(instance, tracked.board_path),
        # Set by publication.mark_public_before_delete (pre_delete); a draft's deletion is
        # recorded for staff but not listed to the public.
        was_public=getattr(instance, "_tombstone_was_public", True),
    )


def rows_touch(*, model, pks=None, queryset=None) -> int:
    """Set `updated_at` to now on the given rows of `model`; returns how many changed."""
    if queryset is None:
        queryset = model._default_manager.filter(pk__in=pks or [])
    return queryset.update(updated_at=timezone.now())


def tracked_models():
    """The model classes whose deletions are recorded."""
    return [apps.get_model(label) for label in BY_LABEL]
