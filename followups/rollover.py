"""Next year's plan from this year's ("Ny verksamhetsplan från föregående år").

Lives with the follow-ups because what carries over depends on them: an assignment or an
activity whose latest follow-up says it is done (or cancelled) stays behind.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from activities.choices import WorkStatus
from activities.models import Activity, Assignment
from goals.models import Goal, GoalIndicatorItem, GoalMunicipalGoal, Plan, PlanSection
from responsibilities.services import copy_responsibilities

from .models import COVERABLE_FIELDS, FollowUp, FollowUpCoverage

#: Work that is over: not carried into next year's plan.
FINISHED = {WorkStatus.DONE, WorkStatus.CANCELLED}


def _next_title(title: str, year: int, new_year: int) -> str:
    """ "Verksamhetsplan 2019 för …" → "Verksamhetsplan 2020 för …"; a title without its year
    gets the new year appended."""
    if re.search(rf"\b{year}\b", title):
        return re.sub(rf"\b{year}\b", str(new_year), title)
    return f"{title} {new_year}"


def _finished(model_field: str, ids) -> set:
    """The ids among `ids` whose latest follow-up (own or joint) has a finishing status."""
    latest = {}
    own = (
        FollowUp.objects.filter(**{f"{model_field}__in": ids})
        .exclude(status="")
        .values_list(model_field, "period__date", "status")
    )
    joint = (
        FollowUpCoverage.objects.filter(**{f"{model_field}__in": ids})
        .exclude(follow_up__status="")
        .values_list(model_field, "follow_up__period__date", "follow_up__status")
        if model_field in COVERABLE_FIELDS
        else []
    )
    for item_id, when, status in [*own, *joint]:
        if item_id not in latest or when > latest[item_id][0]:
            latest[item_id] = (when, status)
    return {item_id for item_id, (_when, status) in latest.items() if status in FINISHED}


def _save(instance, user):
    instance._history_user = user
    instance.save()
    return instance


@transaction.atomic
def plan_roll_over(*, plan: Plan, user=None) -> Plan:
    """Create the board's plan for the next year as an unadopted draft, from `plan`: its
    goals with their introductions, numbered indicators and municipal-goal links (those still
    valid that year), the assignments and activities still running, and its narrative
    sections (one placed before a goal, before that goal's copy). Follow-ups, summaries and
    decisions stay with the old plan.

    Refused (ValidationError) when the board already has a plan for that year or has ended.
    """
    year = plan.year + 1
    board = plan.board
    if Plan.objects.filter(board=board, year=year).exists():
        raise ValidationError(
            _("%(board)s already has a plan for %(year)s; nothing was created.")
            % {"board": board.name, "year": year}
        )
    if board.valid_to is not None and board.valid_to < year:
        raise ValidationError(
            _("%(board)s ended in %(end)s and can have no plan for %(year)s.")
            % {"board": board.name, "end": board.valid_to, "year": year}
        )
    new_plan = Plan(board=board, year=year, title=_next_title(plan.title, plan.year, year))
    new_plan.full_clean()
    new_plan.save()

    goals = list(
        Goal.objects.filter(plan=plan).prefetch_related(
            "indicator_items", "municipal_goal_links__municipal_goal"
        )
    )
    new_goals = {}
    for goal in goals:
        new_goals[goal.pk] = _save(
            Goal(
                plan=new_plan,
                area_id=goal.area_id,
                domain_id=goal.domain_id,
                text=goal.text,
                intro=goal.intro,
                order=goal.order,
            ),
            user,
        )
        for item in goal.indicator_items.all():
            _save(
                GoalIndicatorItem(
                    goal=new_goals[goal.pk], number=item.number, text=item.text, order=item.order
                ),
                user,
            )
        for link in goal.municipal_goal_links.all():
            valid_to = link.municipal_goal.valid_to
            if valid_to is not None and valid_to < year:
                continue
            _save(
                GoalMunicipalGoal(
                    goal=new_goals[goal.pk],
                    municipal_goal_id=link.municipal_goal_id,
                    order=link.order,
                ),
                user,
            )

    assignments = list(Assignment.objects.filter(plan=plan))
    done = _finished("assignment", [a.pk for a in assignments])
    new_assignments = {}
    for assignment in assignments:
        if assignment.pk in done:
            continue
        new_assignments[assignment.pk] = _save(
            Assignment(
                plan=new_plan,
                goal=new_goals.get(assignment.goal_id),
                origin=assignment.origin,
                number=assignment.number,
                text=assignment.text,
                partners=assignment.partners,
            ),
            user,
        )

    activities = list(Activity.objects.filter(plan=plan))
    done = _finished("activity", [a.pk for a in activities])
    new_activities = {}
    for activity in activities:
        if activity.pk in done:
            continue
        new_activities[activity.pk] = _save(
            Activity(
                plan=new_plan,
                goal=new_goals.get(activity.goal_id),
                area_id=activity.area_id,
                number=activity.number,
                text=activity.text,
                schedule=activity.schedule,
                schedule_text=activity.schedule_text,
            ),
            user,
        )

    for section in PlanSection.objects.filter(plan=plan, period__isnull=True).filter(
        Q(area__isnull=True) | Q(area__board=board)
    ):
        _save(
            PlanSection(
                plan=new_plan,
                area_id=section.area_id,
                before_goal=new_goals.get(section.before_goal_id),
                key=section.key,
                title=section.title,
                body=section.body,
                order=section.order,
            ),
            user,
        )
    # The responsible persons go with their goals, assignments and activities.
    copy_responsibilities(
        goals={old: new.pk for old, new in new_goals.items()},
        activities={old: new.pk for old, new in new_activities.items()},
        assignments={old: new.pk for old, new in new_assignments.items()},
    )
    return new_plan
