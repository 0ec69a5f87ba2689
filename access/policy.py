"""The one place that decides who may do what on which board.

Every path — admin, workbench, reports, API, import — asks these functions; none decides
on its own. A system administrator (superuser) may do everything; anyone else acts through
a role on a board (reader ⊂ editor ⊂ approver); anonymous visitors see published content.
"""

from django.db.models import Exists, OuterRef, Q

from goals.choices import PeriodStatus

from .choices import Action, Role

ROLE_ACTIONS = {
    Role.READER: {Action.VIEW_PUBLISHED, Action.VIEW_DRAFT, Action.EXPORT},
}
ROLE_ACTIONS[Role.EDITOR] = ROLE_ACTIONS[Role.READER] | {
    Action.EDIT,
    Action.EDIT_FOLLOW_UP,
    Action.IMPORT,
}
ROLE_ACTIONS[Role.APPROVER] = ROLE_ACTIONS[Role.EDITOR] | {
    Action.SUBMIT,
    Action.APPROVE,
    Action.REOPEN,
    Action.PUBLISH,
}

#: How to reach the board from each board-owned model, for filtering querysets.
BOARD_PATHS = {
    "goals.board": "pk",
    "goals.activityarea": "board",
    "goals.plan": "board",
    "goals.plansection": "plan__board",
    "goals.goal": "plan__board",
    "goals.goalindicatoritem": "goal__plan__board",
    "goals.goalmunicipalgoal": "goal__plan__board",
    "goals.followupperiod": "plan__board",
    "activities.activity": "plan__board",
    "activities.assignment": "plan__board",
    "indicators.indicator": "board",
    "indicators.indicatorvalue": "indicator__board",
    "followups.followup": "period__plan__board",
    "followups.followupcoverage": "period__plan__board",
    "access.boardmembership": "board",
    "reports.economysummaryrow": "plan__board",
    "reports.operatingsummaryrow": "plan__board",
    "reports.investmentrow": "plan__board",
    "reports.edition": "plan__board",
}


class _All:
    """Stands for "every board" (system administrators)."""

    def __contains__(self, item):
        return True

    def __bool__(self):
        return True


ALL = _All()


def is_system_admin(user) -> bool:
    """Superusers may do everything, except through an API token (always scoped)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_superuser
        and getattr(user, "_token_scope", None) is None
    )


def _roles(user) -> dict[int, str]:
    """The user's role per board id, read once per user object (i.e. once per request)."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    cached = getattr(user, "_board_roles", None)
    if cached is None:
        from .models import BoardMembership

        cached = dict(BoardMembership.objects.filter(user=user).values_list("board_id", "role"))
        scope = getattr(user, "_token_scope", None)
        if scope is not None:
            # Through an API token: only the token's boards, and read-only unless it may write.
            # A system administrator's token acts as an editor (or reader) of its boards.
            if user.is_superuser:
                cached = dict.fromkeys(scope["boards"], Role.EDITOR)
            cached = {
                board: (role if scope["can_write"] else Role.READER)
                for board, role in cached.items()
                if board in scope["boards"]
            }
        user._board_roles = cached
    return cached


def board_ids(user, action: str):
    """The ids of the boards where `user` may do `action`, or ALL."""
    if is_system_admin(user):
        return ALL
    return {board for board, role in _roles(user).items() if action in ROLE_ACTIONS[role]}


def can(user, action: str, board_id) -> bool:
    """May `user` do `action` on the board with this id?"""
    if action == Action.VIEW_PUBLISHED:
        return True
    return board_id in board_ids(user, action)


def has_any_role(user) -> bool:
    return is_system_admin(user) or bool(_roles(user))


def board_of(obj):
    """The board id an object belongs to, following BOARD_PATHS on the instance."""
    path = BOARD_PATHS[obj._meta.label_lower]
    if path == "pk":
        return obj.pk
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def filter_by_board(queryset, user, action: str):
    """Keep the rows of boards where `user` may do `action`."""
    ids = board_ids(user, action)
    if ids is ALL:
        return queryset
    path = BOARD_PATHS[queryset.model._meta.label_lower]
    return queryset.filter(**{f"{path}__in": ids})


def visible_periods_q(user, prefix: str = "") -> Q:
    """Follow-up periods the user may read: published ones, and every period of own boards."""
    published = Q(**{f"{prefix}status": PeriodStatus.PUBLISHED})
    ids = board_ids(user, Action.VIEW_DRAFT)
    if ids is ALL:
        return Q()
    return published | Q(**{f"{prefix}plan__board__in": ids})


def can_view_period(user, period) -> bool:
    return period.status == PeriodStatus.PUBLISHED or can(
        user, Action.VIEW_DRAFT, period.plan.board_id
    )


def visible_plans_q(user, prefix: str = "") -> Q:
    """Plans the user may read (the one answer for API, reader and reports): for everyone a
    plan the board has adopted or that has a published follow-up period; every plan of the
    boards where the user may read drafts. `prefix` reaches the plan from another model
    ("plan__" for goals, activities, assignments)."""
    ids = board_ids(user, Action.VIEW_DRAFT)
    if ids is ALL:
        return Q()
    from goals.models import FollowUpPeriod

    published = FollowUpPeriod.objects.filter(
        plan=OuterRef(f"{prefix}pk"), status=PeriodStatus.PUBLISHED
    )
    q = Q(**{f"{prefix}adopted_on__isnull": False}) | Q(Exists(published))
    if ids:
        q |= Q(**{f"{prefix}board__in": ids})
    return q


def can_view_plan(user, plan) -> bool:
    """The plan itself (without follow-ups): see visible_plans_q."""
    if plan.adopted_on is not None or can(user, Action.VIEW_DRAFT, plan.board_id):
        return True
    return plan.periods.filter(status=PeriodStatus.PUBLISHED).exists()


def can_edit_follow_ups(user, period) -> bool:
    """Follow-ups change only in an open period, by an editor of its board."""
    return period.is_open and can(user, Action.EDIT_FOLLOW_UP, period.plan.board_id)
