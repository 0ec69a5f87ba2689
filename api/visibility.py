"""What each reader of the REST API may see. Every API viewset filters through these.

The answers come from the role policy (access/policy.py): a system administrator sees
everything; a reader, editor or approver of a board (in person or through an API token
scoped to the board) sees that board's unpublished content too; everyone else sees
published content:

- follow-ups and follow-up periods only of periods whose status is "published";
- indicator values only of years covered by a published year-end (T3) period of the
  indicator's board: a value of year Y is public once the board has published a year-end
  report for Y or later (the 2019 report shows the 2017 and 2018 values beside 2019's);
- plans, and their goals, activities and assignments, once the board has adopted the plan or
  published one of its follow-up periods (policy.visible_plans_q, the rule the reader and the
  reports ask too);
- indicators, boards, areas, municipal goals and deletions (ids only) are public.

`audience()` differs for every pair of readers who may see different rows, since it is
part of every ETag.
"""

from django.db.models import BooleanField, Expression, Q

from access import policy
from access.choices import Action
from goals.choices import PeriodKind, PeriodStatus
from goals.models import FollowUpPeriod, Plan
from indicators.models import Indicator, IndicatorValue


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


def _user(request):
    return getattr(request, "user", None)


def visible_plans(request, queryset):
    return queryset.filter(policy.visible_plans_q(_user(request)))


def visible_goals(request, queryset):
    return queryset.filter(policy.visible_plans_q(_user(request), "plan__"))


def visible_activities(request, queryset):
    return queryset.filter(policy.visible_plans_q(_user(request), "plan__"))


def visible_assignments(request, queryset):
    return queryset.filter(policy.visible_plans_q(_user(request), "plan__"))


def visible_indicators(request, queryset):
    return queryset


def visible_periods(request, queryset):
    """Follow-up periods; the public sees published ones, role holders their boards' too."""
    return queryset.filter(policy.visible_periods_q(getattr(request, "user", None)))


def visible_follow_ups(request, queryset):
    """Follow-ups (and the goal fulfilment nested in goals); the public sees published ones."""
    return queryset.filter(policy.visible_periods_q(getattr(request, "user", None), "period__"))


class PublishedYearEnd(Expression):
    """True for an indicator value whose year a published year-end report covers: its
    board has a published T3 period in a plan of that year or later.

    The same as `Exists(FollowUpPeriod.objects.filter(plan__board=OuterRef(...), ...))`,
    written as SQL once: that subquery's ORM form was most of the cost of building and
    compiling a values page. The outer table's alias is read at compile time, so the
    expression stays correct when its queryset becomes a subquery (relabelled U0, …).
    """

    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        value = compiler.quote_name_unless_alias(compiler.query.base_table)
        q = connection.ops.quote_name

        def column(model, field):
            return q(model._meta.get_field(field).column)

        sql = (
            f"EXISTS (SELECT 1 FROM {q(FollowUpPeriod._meta.db_table)} p"
            f" INNER JOIN {q(Plan._meta.db_table)} pl"
            f" ON p.{column(FollowUpPeriod, 'plan')} = pl.{column(Plan, 'id')}"
            f" INNER JOIN {q(Indicator._meta.db_table)} i"
            f" ON i.{column(Indicator, 'board')} = pl.{column(Plan, 'board')}"
            f" WHERE i.{column(Indicator, 'id')} = {value}.{column(IndicatorValue, 'indicator')}"
            f" AND pl.{column(Plan, 'year')} >= {value}.{column(IndicatorValue, 'year')}"
            f" AND p.{column(FollowUpPeriod, 'kind')} = %s"
            f" AND p.{column(FollowUpPeriod, 'status')} = %s)"
        )
        return sql, [PeriodKind.TERTIAL_3.value, PeriodStatus.PUBLISHED.value]


def visible_values(request, queryset):
    """Indicator values; the public sees years up to the board's last published year-end."""
    boards = _draft_boards(request)
    if boards is policy.ALL:
        return queryset
    if not boards:
        return queryset.filter(PublishedYearEnd())
    return queryset.filter(PublishedYearEnd() | Q(indicator__board__in=boards))


def visible_deletions(request, queryset):
    return queryset
