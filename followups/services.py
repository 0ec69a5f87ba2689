"""Writes of follow-ups: many rows from the workbench in one transaction, with version checks."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from access import policy
from access.choices import Action
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, FulfilmentLevel

from .models import (
    COVERABLE_FIELDS,
    READY_FIELDS,
    SUBJECT_FIELDS,
    FollowUp,
    FollowUpCoverage,
)

EDITABLE_FIELDS = ("text", "forecast", "fulfilment_id", "status")
#: What each field holds when nothing was written.
EMPTY = {"text": "", "forecast": "", "fulfilment_id": None, "status": ""}
#: Fields the service checks itself (subject and level come from the period's own plan).
_NOT_REVALIDATED = ["period", *SUBJECT_FIELDS, "fulfilment", "updated_by"]


@dataclass(frozen=True)
class FollowUpEntry:
    """What an editor wrote about one subject.

    `values` holds only the fields the editor set (of EDITABLE_FIELDS); the rest of the
    follow-up stays as stored. Two ways to tell a lost update:

    - `base`: each set field's value as the editor saw it (the workbench's rendered page).
      A field someone else has changed since to something else is a conflict; a field
      nobody touched is written, also when others changed other fields or rows meanwhile.
    - `base_version`: the version the client read (the API's If-Match); any later save is a
      conflict.
    """

    kind: str
    subject: object
    values: dict = field(default_factory=dict)
    base: dict | None = None
    base_version: int | None = None
    #: The further items (indicator items, assignments of the same goal) the follow-up is to
    #: cover from now on ("Skriv gemensamt med …"); None leaves its coverage as stored.
    coverage: list | None = None
    #: The keys ("<kind>-<id>") of the items it covered as the editor saw it; a coverage
    #: someone else has changed since to something else is a conflict.
    coverage_base: list | None = None

    @property
    def key(self):
        return f"{self.kind}-{self.subject.pk}"


class FollowUpSaveError(Exception):
    """Nothing was saved: some entries are invalid or were changed by someone else meanwhile.

    `errors` maps an entry key to its messages; `conflicts` maps an entry key to the
    follow-up as it now stands in the database, so the editor can compare both texts.
    """

    def __init__(self, *, errors=None, conflicts=None, message=""):
        self.errors = errors or {}
        self.conflicts = conflicts or {}
        self.message = message
        super().__init__(message or "follow-ups not saved")


def _normalized(kind, values: dict) -> dict:
    """The fields as stored: texts stripped, fulfilment only on goals, status only on
    activities and assignments."""
    out = {}
    for name, value in values.items():
        if name in ("text", "forecast"):
            value = (value or "").strip()
        elif name == "fulfilment_id":
            value = value if kind == "goal" else None
        elif name == "status":
            value = (value or "") if kind in ("activity", "assignment") else ""
        out[name] = value
    return out


def _item_key(item) -> str:
    kind = "assignment" if item._meta.model_name == "assignment" else "indicator_item"
    return f"{kind}-{item.pk}"


def _coverage_key(row) -> str:
    return (
        f"indicator_item-{row.indicator_item_id}"
        if row.indicator_item_id
        else f"assignment-{row.assignment_id}"
    )


def _coverage_errors(follow_up, entry, adds, owned, covered_by) -> list[str]:
    """Why `adds` (items) may not be joined to `follow_up`: the same goal, not the follow-up's
    own item, no follow-up of their own in the period, not covered by another follow-up."""
    errors = []
    goal_id = follow_up.owner_goal_id if entry.kind in COVERABLE_FIELDS else None
    for item in adds:
        key = _item_key(item)
        if goal_id is None or item.goal_id != goal_id:
            errors.append(_("A joint follow-up covers only items of the same board goal."))
        elif key == entry.key:
            errors.append(_("The follow-up is already about this item."))
        elif key in owned:
            errors.append(_("The item has its own follow-up in the period; join the texts there."))
        elif covered_by.get(key, follow_up.pk or entry.key) != (follow_up.pk or entry.key):
            errors.append(_("The item is already covered by another follow-up of the period."))
        else:
            continue
        break
    return errors


def coverage_keys(follow_up) -> list[str]:
    """The keys of the items `follow_up` covers now (one query)."""
    return [_coverage_key(row) for row in follow_up.coverage.all()]


def _subject_q(entries):
    q = Q()
    for kind in SUBJECT_FIELDS:
        ids = [e.subject.pk for e in entries if e.kind == kind]
        if ids:
            q |= Q(**{f"{kind}_id__in": ids})
    return q


@transaction.atomic
def follow_ups_save(
    *, period: FollowUpPeriod, entries: list[FollowUpEntry], user
) -> list[FollowUp]:
    """Save the changed follow-ups of one period; all or nothing.

    Refuses the whole save when the period is not open, when any entry is invalid, or when
    any entry was based on a version that someone else has replaced since (no lost updates).
    Returns the follow-ups that were created or changed, in the order of `entries`.
    """
    # Read the status under a row lock: the workflow takes the same lock to close the period,
    # so a save and a submit never interleave.
    status = (
        FollowUpPeriod.objects.select_for_update().filter(pk=period.pk).values_list("status")
    ).first()
    if status is None or status[0] != PeriodStatus.OPEN:
        raise FollowUpSaveError(
            message=_("The period is closed; follow-ups can no longer be changed.")
        )
    entries = [e for e in entries if e.kind in SUBJECT_FIELDS]
    if not entries:
        return []

    existing = {
        fu.subject_key: fu
        for fu in FollowUp.objects.select_for_update()
        .filter(period=period)
        .filter(_subject_q(entries))
    }
    allowed_levels = set()
    if any(e.values.get("fulfilment_id") for e in entries):
        allowed_levels = set(
            FulfilmentLevel.objects.filter(
                municipality=period.plan.board.municipality_id
            ).values_list("pk", flat=True)
        )
    stored_coverage = defaultdict(list)  # follow-up pk → its coverage rows
    if any(e.coverage is not None for e in entries):
        for row in FollowUpCoverage.objects.select_for_update().filter(period=period):
            stored_coverage[row.follow_up_id].append(row)
    errors, conflicts = {}, {}
    to_create, to_update, saved, coverage_changes = [], [], [], []
    now = timezone.now()
    for entry in entries:
        follow_up = existing.get(entry.key)
        current_version = follow_up.version if follow_up else 0
        stored = {f: getattr(follow_up, f) if follow_up else EMPTY[f] for f in EDITABLE_FIELDS}
        wanted = _normalized(entry.kind, entry.values)
        values = {**stored, **wanted}
        covering = stored_coverage.get(follow_up.pk, []) if follow_up else []
        stored_keys = {_coverage_key(row) for row in covering}
        wanted_items = {_item_key(i): i for i in entry.coverage or []}
        coverage_changed = entry.coverage is not None and set(wanted_items) != stored_keys
        if values == stored and not coverage_changed:
            continue
        if entry.base_version is not None and current_version != entry.base_version:
            conflicts[entry.key] = follow_up
            continue
        if entry.base is not None:
            base = _normalized(entry.kind, entry.base)
            if any(stored[f] != wanted[f] and stored[f] != base.get(f, EMPTY[f]) for f in wanted):
                # Someone else saved another value of a field this editor changed.
                conflicts[entry.key] = follow_up
                continue
        if (
            coverage_changed
            and entry.coverage_base is not None
            and stored_keys != set(entry.coverage_base)
        ):
            # Someone else changed what the follow-up covers since the editor's page.
            conflicts[entry.key] = follow_up
            continue
        if follow_up is None:
            follow_up = FollowUp(period=period, **{entry.kind: entry.subject})
        else:
            # Reuse the objects in hand so validation and labels need no further queries.
            follow_up.period = period
            setattr(follow_up, entry.kind, entry.subject)
        for name, value in values.items():
            setattr(follow_up, name, value)
        follow_up.version = current_version + 1
        follow_up.updated_by = user
        follow_up.updated_at = now
        # A change of what a follow-up marked "klar" says takes the mark back.
        follow_up.ready_lapse(now)
        if wanted.get("fulfilment_id") and follow_up.fulfilment_id not in allowed_levels:
            errors[entry.key] = [_("The goal fulfilment is not in the municipality's scale.")]
            continue
        try:
            follow_up.full_clean(
                exclude=_NOT_REVALIDATED, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors[entry.key] = exc.messages
            continue
        (to_update if follow_up.pk else to_create).append(follow_up)
        saved.append(follow_up)
        if coverage_changed:
            adds = [i for k, i in wanted_items.items() if k not in stored_keys]
            removes = [row for row in covering if _coverage_key(row) not in wanted_items]
            coverage_changes.append((entry, follow_up, adds, removes))

    if coverage_changes:
        errors.update(_coverage_check(period, coverage_changes, saved, stored_coverage))
    if errors or conflicts:
        raise FollowUpSaveError(errors=errors, conflicts=conflicts)
    try:
        with transaction.atomic():
            # Bulk writes, with one history row per follow-up and the editor as its author.
            bulk_create_with_history(to_create, FollowUp, default_user=user)
            bulk_update_with_history(
                to_update,
                FollowUp,
                [
                    "text",
                    "forecast",
                    "fulfilment",
                    "status",
                    "version",
                    "updated_at",
                    "updated_by",
                    "ready_at",
                    "ready_by",
                    "ready_lapsed_at",
                ],
                default_user=user,
            )
            _coverage_write(period, coverage_changes)
    except IntegrityError as exc:
        # Someone created the same follow-up between our read and write.
        raise FollowUpSaveError(
            message=_(
                "Someone else saved the same follow-up at the same time. Nothing was saved; "
                "reload the page and enter your changes again."
            )
        ) from exc
    return saved


def _coverage_check(period, changes, saved, stored_coverage) -> dict:
    """The errors, by entry key, of the coverage `changes` of one save (two queries)."""
    add_keys = {_item_key(i) for _e, _f, adds, _r in changes for i in adds}
    if not add_keys:
        return {}
    q = Q()
    for kind in COVERABLE_FIELDS:
        ids = [int(k.partition("-")[2]) for k in add_keys if k.startswith(f"{kind}-")]
        if ids:
            q |= Q(**{f"{kind}_id__in": ids})
    # Items with a follow-up of their own: stored, or written in this same save.
    owned = {f.subject_key for f in FollowUp.objects.filter(period=period).filter(q)}
    owned |= {f.subject_key for f in saved}
    # Items covered by a follow-up: as stored, less what this save removes, plus its adds.
    covered_by = {
        _coverage_key(row): row.follow_up_id for rows in stored_coverage.values() for row in rows
    }
    for _entry, _follow_up, _adds, removes in changes:
        for row in removes:
            covered_by.pop(_coverage_key(row), None)
    errors = {}
    for entry, follow_up, adds, _removes in changes:
        found = _coverage_errors(follow_up, entry, adds, owned, covered_by)
        if found:
            errors[entry.key] = found
            continue
        for item in adds:
            covered_by[_item_key(item)] = follow_up.pk or entry.key
    return errors


def _coverage_write(period, changes):
    """Remove and add the coverage rows of one save (after its follow-ups are written)."""
    removed = [row.pk for _e, _f, _a, removes in changes for row in removes]
    if removed:
        FollowUpCoverage.objects.filter(pk__in=removed).delete()
    rows = []
    for _entry, follow_up, adds, _removes in changes:
        for item in adds:
            field_name = _item_key(item).partition("-")[0]
            rows.append(FollowUpCoverage(follow_up=follow_up, period=period, **{field_name: item}))
    if rows:
        FollowUpCoverage.objects.bulk_create(rows)


@transaction.atomic
def follow_up_mark_ready(
    *, period: FollowUpPeriod, kind: str, subject_id: int, user, ready: bool = True
) -> FollowUp:
    """Mark the written follow-up of one subject "klar" (or not any more), as its writer.

    Only an editor of the board, only while the period is open (the row lock keeps a
    submit from slipping in between), and only a follow-up whose text is written.
    """
    locked = FollowUpPeriod.objects.select_for_update().select_related("plan").get(pk=period.pk)
    if not policy.can(user, Action.EDIT_FOLLOW_UP, locked.plan.board_id):
        raise PermissionDenied
    if locked.status != PeriodStatus.OPEN:
        raise ValidationError(_("The period is closed; follow-ups can no longer be changed."))
    if kind not in SUBJECT_FIELDS:
        raise ValidationError(_("Unknown follow-up."))
    follow_up = (
        FollowUp.objects.select_for_update()
        .filter(period=locked, **{f"{kind}_id": subject_id})
        .first()
    )
    if follow_up is None or not follow_up.is_written:
        raise ValidationError(_("Write the follow-up before marking it ready."))
    if ready == follow_up.is_ready:
        return follow_up
    follow_up.ready_at = timezone.now() if ready else None
    follow_up.ready_by = user if ready else None
    follow_up.ready_lapsed_at = None
    follow_up._history_user = user
    follow_up.save(update_fields=READY_FIELDS)
    return follow_up
