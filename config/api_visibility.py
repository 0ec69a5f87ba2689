"""What each reader of the REST API may see. Every API viewset filters through these.

The answers come from the role policy (access/policy.py): a system administrator sees
everything; a reader, editor or approver of a board (in person or through an API token
scoped to the board) sees that board's unpublished content too; everyone else sees
published content:

- follow-ups and follow-up periods only of periods whose status is "published";
- indicator values only of years covered by a published year-end (T3) period of the
  indicator's board: a value of year Y is public once the board has published a year-end
  report for Y or later (the 2019 report shows the 2017 and 2018 values beside 2019's);
- plans, goals, activities, assignments, indicators, boards, areas, municipal goals and
  deletions (ids only) are public: they are the adopted plan.

`audience()` differs for every pair of readers who may see different rows, since it is
part of every ETag.
"""

from django.db.models import Exists, OuterRef, Q

from access import policy
from access.choices import Action
from goals.choices import PeriodKind, PeriodStatus
from goals.models import FollowUpPeriod


def _draft_boards(request):
    return policy.board_ids(getattr(request, "user", None), Action.VIEW_DRAFT)


def sees_everything(request) -> bool:
    """True for readers who see unpublished content of every board."""
    return _draft_boards(request) is policy.ALL


def audience(request) -> str:
    """A key naming what this reader may see ("public" for the anonymous public)."""
    boards = _draft_boards(request)
    if boards is policy.ALL:
        return "all"
    if not boards:
        return "public"
    return "boards-" + "-".join(str(b) for b in sorted(boards))


def visible_boards(request, queryset):
    return queryset


def visible_activity_areas(request, queryset):
    return queryset


def visible_municipal_goals(request, queryset):
    return queryset


def visible_plans(request, queryset):
    return queryset


def visible_goals(request, queryset):
    return queryset


def visible_activities(request, queryset):
    return queryset


def visible_assignments(request, queryset):
    return queryset


def visible_indicators(request, queryset):
    return queryset


def visible_periods(request, queryset):
    """Follow-up periods; the public sees published ones, role holders their boards' too."""
    return queryset.filter(policy.visible_periods_q(getattr(request, "user", None)))


def visible_follow_ups(request, queryset):
    """Follow-ups (and the goal fulfilment nested in goals); the public sees published ones."""
    return queryset.filter(policy.visible_periods_q(getattr(request, "user", None), "period__"))


def visible_values(request, queryset):
    """Indicator values; the public sees years up to the board's last published year-end."""
    boards = _draft_boards(request)
    if boards is policy.ALL:
        return queryset
    published_year_end = FollowUpPeriod.objects.filter(
        plan__board=OuterRef("indicator__board"),
        plan__year__gte=OuterRef("year"),
        kind=PeriodKind.TERTIAL_3,
        status=PeriodStatus.PUBLISHED,
    )
    return queryset.filter(Exists(published_year_end) | Q(indicator__board__in=boards))


def visible_deletions(request, queryset):
    return queryset
