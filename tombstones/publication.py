"""Open data follows publication: what publishing and reopening a period do to the change log.

- Publishing a period makes rows public that were not: the period's follow-ups, the plan's
  goals (with their numbered indicators and municipal-goal links), activities and
  assignments (the goal fulfilment nested in goals; a plan first shown by its publication)
  and, for a year-end period (T3), the board's indicator values of the years it newly
  covers (indicators.visibility). Their `updated_at` is set to the publication
  time, so `changed_since` lists every one of them, not only the period row.
- Adopting a plan makes it public too: its rows are dated the same way, and an adoption
  undone (no published period left) withdraws them as a reopening does.
- Reopening a published period withdraws the same rows from anonymous readers: each gets a
  tombstone with reason "withdrawn", so mirrors polling /api/v1/deletions/ drop them. When the
  period is published again, the rows are touched again and come back through `changed_since`.

Connected in TombstonesConfig.ready() to followups.workflow's signals.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max
from django.utils import timezone

from access import policy
from activities.models import Activity, Assignment
from followups.models import FollowUp
from goals.choices import PeriodKind, PeriodStatus
from goals.models import FollowUpPeriod, Goal, GoalIndicatorItem, GoalMunicipalGoal, Plan
from indicators.models import IndicatorValue

from .models import Tombstone
from .registry import BY_LABEL

_ANONYMOUS = AnonymousUser()


def _other_year_end(period) -> int | None:
    """The latest year a published year-end of the board covers, other than `period`'s."""
    return (
        FollowUpPeriod.objects.filter(
            plan__board_id=period.plan.board_id,
            kind=PeriodKind.TERTIAL_3,
            status=PeriodStatus.PUBLISHED,
        )
        .exclude(pk=period.pk)
        .aggregate(year=Max("plan__year"))["year"]
    )


def _values(period):
    """The indicator values whose visibility `period` decides (none unless it is a T3)."""
    if period.kind != PeriodKind.TERTIAL_3:
        return IndicatorValue.objects.none()
    covered = _other_year_end(period)
    if covered is not None and covered >= period.plan.year:
        return IndicatorValue.objects.none()
    values = IndicatorValue.objects.filter(
        indicator__board_id=period.plan.board_id, year__lte=period.plan.year
    )
    return values if covered is None else values.filter(year__gt=covered)


def _plan_public_without(period) -> bool:
    """Whether the plan stays public without `period`: adopted, or another period published."""
    plan = period.plan
    if plan.adopted_on is not None:
        return True
    others = FollowUpPeriod.objects.filter(plan=plan, status=PeriodStatus.PUBLISHED)
    return others.exclude(pk=period.pk).exists()


def _plan_rows(period):
    return _rows_of_plan(period.plan)


def _rows_of_plan(plan):
    return [
        Plan.objects.filter(pk=plan.pk),
        Goal.objects.filter(plan=plan),
        GoalIndicatorItem.objects.filter(goal__plan=plan),
        GoalMunicipalGoal.objects.filter(goal__plan=plan),
        Activity.objects.filter(plan=plan),
        Assignment.objects.filter(plan=plan),
    ]


def publication_touch(sender, *, period, **kwargs):
    """Date every row the publication made public (or changed for the public) now."""
    now = timezone.now()
    FollowUp.objects.filter(period=period).update(updated_at=now)
    for rows in _plan_rows(period):
        rows.update(updated_at=now)
    _values(period).update(updated_at=now)


def _withdraw(groups, board_id):
    """A "withdrawn" tombstone for every row of `groups` (querysets of tracked models)."""
    now = timezone.now()
    tombstones = []
    for rows in groups:
        label = rows.model._meta.label_lower
        if label not in BY_LABEL:
            continue
        tombstones += [
            Tombstone(
                model=label,
                object_id=pk,
                board_id=board_id,
                deleted_at=now,
                reason="withdrawn",
                was_public=True,
            )
            for pk in rows.values_list("pk", flat=True).iterator()
        ]
    Tombstone.objects.bulk_create(tombstones, batch_size=2000)


def withdrawal_record(sender, *, period, from_status, **kwargs):
    """Tombstones ("withdrawn") for the rows a reopened published period takes from the public."""
    if from_status != PeriodStatus.PUBLISHED:
        return
    groups = [
        FollowUpPeriod.objects.filter(pk=period.pk),
        FollowUp.objects.filter(period=period),
        _values(period),
    ]
    if not _plan_public_without(period):
        groups += _plan_rows(period)
    else:
        # The goals stay public, but their nested fulfilment of this period is gone.
        Goal.objects.filter(plan=period.plan).update(updated_at=timezone.now())
    _withdraw(groups, period.plan.board_id)


# -- a plan adopted (or its adoption undone) --------------------------------------------------


def _plan_is_public(plan) -> bool:
    return Plan.objects.filter(pk=plan.pk).filter(policy.visible_plans_q(_ANONYMOUS)).exists()


def adoption_note(sender, instance, raw=False, **kwargs):
    """Before a plan is saved: whether the public could see it (and its goals …) until now."""
    if not raw:
        instance._was_public = bool(instance.pk) and _plan_is_public(instance)


def adoption_follow(sender, instance, raw=False, **kwargs):
    """Adoption makes a plan public as a publication does: its goals, their parts, activities
    and assignments are dated now, so `changed_since` lists them; an adoption undone (no
    published period left) withdraws them as a reopening does."""
    was_public = getattr(instance, "_was_public", None)
    if raw or was_public is None:
        return
    del instance._was_public
    is_public = _plan_is_public(instance)
    if is_public and not was_public:
        now = timezone.now()
        for rows in _rows_of_plan(instance):
            rows.update(updated_at=now)
    elif was_public and not is_public:
        _withdraw(_rows_of_plan(instance), instance.board_id)


# -- was a deleted row public? ----------------------------------------------------------------


def _public_rows(model):
    """The rows of `model` anonymous readers see (None: all of them)."""
    label = model._meta.label_lower
    if label == "goals.plan":
        return model.objects.filter(policy.visible_plans_q(_ANONYMOUS))
    if label in ("goals.goal", "activities.activity", "activities.assignment"):
        return model.objects.filter(policy.visible_plans_q(_ANONYMOUS, "plan__"))
    if label in ("goals.goalindicatoritem", "goals.goalmunicipalgoal"):
        return model.objects.filter(policy.visible_plans_q(_ANONYMOUS, "goal__plan__"))
    if label == "goals.followupperiod":
        return model.objects.filter(policy.visible_periods_q(_ANONYMOUS))
    if label == "followups.followup":
        return model.objects.filter(policy.visible_periods_q(_ANONYMOUS, "period__"))
    if label == "indicators.indicatorvalue":
        from indicators.visibility import values_visible

        return values_visible(model.objects.all(), None)
    return None


def mark_public_before_delete(sender, instance, **kwargs):
    """Before anything of a deletion is gone: note whether the public could see the row."""
    rows = _public_rows(sender)
    instance._tombstone_was_public = rows is None or rows.filter(pk=instance.pk).exists()
