"""Wiring: record deletions, and bump `updated_at` where Django changes rows without it.

Connected in TombstonesConfig.ready(). Deletions cascade row by row through Django's
collector (these receivers turn off its fast path), so every cascaded child gets its own
tombstone. `updated_at` is `auto_now`, which `save(update_fields=[...])` without it,
many-to-many changes and SET_NULL cascades leave alone; the receivers below bump it.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from activities.models import Assignment
from followups.models import FollowUp, FollowUpCoverage
from goals.models import Board, Goal, GoalIndicatorItem, GoalMunicipalGoal, MunicipalGoal, Plan
from indicators.models import Indicator

from . import publication, services


def record_deletion(sender, instance, **kwargs):
    services.tombstone_record(instance=instance)


def touch_after_partial_save(sender, instance, update_fields=None, **kwargs):
    """save(update_fields=["status"]) writes no `updated_at`; write it now."""
    if update_fields is not None and "updated_at" not in update_fields:
        services.rows_touch(model=sender, pks=[instance.pk])


def _m2m_field_name(through, owner):
    return next(f.name for f in owner._meta.many_to_many if f.remote_field.through is through)


def touch_on_m2m_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A goal's municipal goals and a board's predecessors are part of its representation."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        services.rows_touch(model=type(instance), pks=[instance.pk])
    elif pk_set:
        services.rows_touch(model=model, pks=pk_set)
    elif action == "pre_clear":
        field = _m2m_field_name(sender, model)
        services.rows_touch(
            model=model, queryset=model._default_manager.filter(**{field: instance})
        )


#: Rows whose representation changes when a row of the key model is deleted, without save():
#: SET_NULL foreign keys, many-to-many links and the goal fulfilment nested in goals.
DEPENDANTS = {
    Goal: [(Indicator, "goal")],
    MunicipalGoal: [(Goal, "municipal_goals")],
    Board: [(Board, "predecessors")],
}


def touch_dependants(sender, instance, **kwargs):
    for model, field in DEPENDANTS[sender]:
        services.rows_touch(model=model, queryset=model.objects.filter(**{field: instance}))


def touch_goal_of_follow_up(sender, instance, **kwargs):
    """A deleted follow-up changes its goal's nested fulfilment, for the public only when the
    follow-up was public: a draft's deletion leaves no trace in the goal's `updated_at`."""
    if instance.goal_id and getattr(instance, "_tombstone_was_public", True):
        services.rows_touch(model=Goal, pks=[instance.goal_id])


def touch_goal_of_part(sender, instance, **kwargs):
    """A goal's numbered indicators and ordered links are part of its representation."""
    if instance.goal_id:
        services.rows_touch(model=Goal, pks=[instance.goal_id])


def touch_follow_up_of_coverage(sender, instance, **kwargs):
    """What a joint follow-up covers is part of its representation (`also_covers`,
    `coverage`)."""
    services.rows_touch(model=FollowUp, pks=[instance.follow_up_id])


def touch_follow_ups_of_item(sender, instance, created=False, **kwargs):
    """An item's number is in the row label (`coverage`) of the follow-ups that cover it."""
    if created:
        return
    field = "indicator_item" if sender is GoalIndicatorItem else "assignment"
    covering = Q(**{field: instance}) | Q(**{f"coverage__{field}": instance})
    services.rows_touch(model=FollowUp, queryset=FollowUp.objects.filter(covering))


def connect():
    for model in services.tracked_models():
        label = model._meta.label_lower
        pre_delete.connect(
            publication.mark_public_before_delete,
            sender=model,
            dispatch_uid=f"tombstone-public-{label}",
        )
        post_delete.connect(record_deletion, sender=model, dispatch_uid=f"tombstone-{label}")
        post_save.connect(
            touch_after_partial_save, sender=model, dispatch_uid=f"touch-partial-{label}"
        )
    for through in (Goal.municipal_goals.through, Board.predecessors.through):
        m2m_changed.connect(
            touch_on_m2m_change, sender=through, dispatch_uid=f"touch-m2m-{through._meta.label}"
        )
    for model in DEPENDANTS:
        pre_delete.connect(
            touch_dependants, sender=model, dispatch_uid=f"touch-dependants-{model._meta.label}"
        )
    post_delete.connect(
        touch_goal_of_follow_up, sender=FollowUp, dispatch_uid="touch-goal-of-follow-up"
    )
    for part in (GoalIndicatorItem, GoalMunicipalGoal):
        label = part._meta.label_lower
        post_save.connect(touch_goal_of_part, sender=part, dispatch_uid=f"touch-goal-{label}")
        post_delete.connect(touch_goal_of_part, sender=part, dispatch_uid=f"touch-goal-d-{label}")
    post_save.connect(
        touch_follow_up_of_coverage, sender=FollowUpCoverage, dispatch_uid="touch-coverage"
    )
    post_delete.connect(
        touch_follow_up_of_coverage, sender=FollowUpCoverage, dispatch_uid="touch-coverage-d"
    )
    for item in (GoalIndicatorItem, Assignment):
        post_save.connect(
            touch_follow_ups_of_item,
            sender=item,
            dispatch_uid=f"touch-follow-ups-{item._meta.label_lower}",
        )
    pre_save.connect(publication.adoption_note, sender=Plan, dispatch_uid="tombstones-adoption")
    post_save.connect(publication.adoption_follow, sender=Plan, dispatch_uid="tombstones-adopted")
    from followups.workflow import period_reopened, publication_made

    publication_made.connect(publication.publication_touch, dispatch_uid="tombstones-published")
    period_reopened.connect(publication.withdrawal_record, dispatch_uid="tombstones-withdrawn")
