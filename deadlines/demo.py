"""Demo data for `scripts/run`: the seed's open 2017-12-31 period gets a deadline, and the
persons of the board office are made responsible for its goals (by activity area)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from access.choices import Role
from access.models import BoardMembership
from goals.models import FollowUpPeriod
from responsibilities.models import Responsibility

#: (username, first name, last name, role, activity areas whose goals they answer for)
DEMO_PEOPLE = [
    ("anna.lind", "Anna", "Lind", Role.EDITOR, ["Individ och familjeomsorg"]),
    (
        "bertil.ek",
        "Bertil",
        "Ek",
        Role.EDITOR,
        ["Socialpsykiatri", "Funktionshindrade barn och vuxna"],
    ),
    ("cecilia.berg", "Cecilia", "Berg", Role.EDITOR, []),
    ("maria.chef", "Maria", "Holm", Role.APPROVER, []),
]
DEADLINE = datetime.date(2018, 1, 19)
VALUES_DEADLINE = datetime.date(2018, 1, 12)


@transaction.atomic
def demo_responsibilities_load() -> FollowUpPeriod | None:
    """Idempotent. Returns the period, or None when the seed's 2017 plan is not loaded."""
    period = (
        FollowUpPeriod.objects.select_related("plan__board")
        .filter(plan__year=2017, date="2017-12-31")
        .first()
    )
    if period is None:
        return None
    if period.deadline is None:
        FollowUpPeriod.objects.filter(pk=period.pk).update(
            deadline=DEADLINE, values_deadline=VALUES_DEADLINE, reminder_days="7,1"
        )
        period.refresh_from_db()
    board = period.plan.board
    users = {}
    for username, first, last, role, _areas in DEMO_PEOPLE:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.se"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        BoardMembership.objects.get_or_create(user=user, board=board, defaults={"role": role})
        users[username] = user
    goals = list(period.plan.goals.select_related("area").order_by("order"))
    assigned = set()
    for username, _first, _last, _role, areas in DEMO_PEOPLE:
        for goal in goals:
            if goal.area and goal.area.name in areas:
                Responsibility.objects.get_or_create(user=users[username], goal=goal)
                assigned.add(goal.pk)
    # Cecilia answers for the goals nobody else has, and for the plan's first activities.
    for goal in goals:
        if goal.pk not in assigned:
            Responsibility.objects.get_or_create(user=users["cecilia.berg"], goal=goal)
    for activity in period.plan.activities.order_by("sort_key")[:3]:
        Responsibility.objects.get_or_create(user=users["anna.lind"], activity=activity)
    return period
