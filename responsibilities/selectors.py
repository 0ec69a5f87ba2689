"""Reads: who is responsible for which subject of a plan."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import SUBJECT_FIELDS, Responsibility

#: (kind, subject id) → the responsible users, in username order.
Responsibles = dict[tuple[str, int], list]


def plan_q(plan_id, prefix: str = "") -> Q:
    """Responsibilities for subjects of the plan (an indicator through its goal)."""
    return (
        Q(**{f"{prefix}goal__plan": plan_id})
        | Q(**{f"{prefix}indicator__goal__plan": plan_id})
        | Q(**{f"{prefix}activity__plan": plan_id})
        | Q(**{f"{prefix}assignment__plan": plan_id})
    )


def responsibles_of_plan(*, plan_id: int) -> Responsibles:
    """Each subject's own responsible persons (one query)."""
    rows = (
        Responsibility.objects.filter(plan_q(plan_id))
        .select_related("user")
        .order_by("user__username", "pk")
    )
    out: Responsibles = defaultdict(list)
    for row in rows:
        out[(row.subject_kind, row.subject_id)].append(row.user)
    return dict(out)


def effective_responsibles(responsibles: Responsibles, kind: str, subject) -> list:
    """The subject's responsible persons; for an indicator, activity or assignment without
    its own, those of its board goal."""
    own = responsibles.get((kind, subject.pk))
    if own:
        return own
    goal_id = getattr(subject, "goal_id", None) if kind != "goal" else None
    return responsibles.get(("goal", goal_id), []) if goal_id else []


def users_by_login(logins) -> dict[str, object]:
    """Active users by lower-cased username and e-mail address (for imports)."""
    logins = {str(login).strip().casefold() for login in logins if str(login).strip()}
    if not logins:
        return {}
    users = get_user_model().objects.filter(is_active=True)
    q = Q()
    for login in logins:
        q |= Q(username__iexact=login) | Q(email__iexact=login)
    found = {}
    for user in users.filter(q):
        found.setdefault(user.username.casefold(), user)
        if user.email:
            found.setdefault(user.email.casefold(), user)
    return found


__all__ = [
    "SUBJECT_FIELDS",
    "Responsibles",
    "effective_responsibles",
    "plan_q",
    "responsibles_of_plan",
    "users_by_login",
]
