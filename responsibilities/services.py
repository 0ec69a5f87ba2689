"""Writes of responsibilities: set a subject's responsible persons, carry them to a new plan."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q

from .models import SUBJECT_FIELDS, Responsibility


@transaction.atomic
def responsibilities_set(*, kind: str, subject, users) -> list[Responsibility]:
    """Make `users` exactly the persons responsible for `subject` (a `kind` of SUBJECT_FIELDS)."""
    if kind not in SUBJECT_FIELDS:
        raise ValueError(kind)
    current = {r.user_id: r for r in Responsibility.objects.filter(**{kind: subject})}
    wanted = {u.pk: u for u in users}
    Responsibility.objects.filter(**{kind: subject}).exclude(user__in=list(wanted)).delete()
    created = []
    for user_id, user in wanted.items():
        if user_id in current:
            continue
        row = Responsibility(user=user, **{kind: subject})
        row.full_clean(exclude=["user", *SUBJECT_FIELDS], validate_constraints=False)
        created.append(row)
    Responsibility.objects.bulk_create(created)
    return created


@transaction.atomic
def copy_responsibilities(
    *,
    goals: Mapping[int, int] | None = None,
    indicators: Mapping[int, int] | None = None,
    activities: Mapping[int, int] | None = None,
    assignments: Mapping[int, int] | None = None,
) -> int:
    """Carry the responsible persons of last year's subjects to their copies in a new plan.

    For the plan roll-over ("Ny verksamhetsplan från föregående år"): each mapping takes an
    old subject's id to its copy's id. Inactive users are left behind; a person already
    responsible for the copy is not added twice. Returns the number of rows created.
    """
    mappings = {
        "goal": goals or {},
        "indicator": indicators or {},
        "activity": activities or {},
        "assignment": assignments or {},
    }
    rows = []
    targets = Q()
    for kind, mapping in mappings.items():
        if not mapping:
            continue
        old = Responsibility.objects.filter(
            **{f"{kind}__in": list(mapping)}, user__is_active=True
        ).values_list(f"{kind}_id", "user_id")
        rows.extend(
            Responsibility(user_id=user_id, **{f"{kind}_id": mapping[old_id]})
            for old_id, user_id in old
        )
        targets |= Q(**{f"{kind}__in": list(mapping.values())})
    if not rows:
        return 0
    before = Responsibility.objects.filter(targets).count()
    Responsibility.objects.bulk_create(rows, ignore_conflicts=True)
    return Responsibility.objects.filter(targets).count() - before
