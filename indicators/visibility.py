"""Which indicator values a user may read: one rule for the REST API (api/visibility.py)
and the quality reports that cite values (qualityreports/selectors.py).

A value of year Y is public once its board has published a year-end report (a T3 period)
for Y or later (the 2019 report shows the 2017 and 2018 values beside 2019's); a reader,
editor or approver of the board (or a system administrator) sees them all.
"""

from django.db.models import BooleanField, Expression, Q

from access import policy
from access.choices import Action
from goals.choices import PeriodKind, PeriodStatus
from goals.models import FollowUpPeriod, Plan

from .models import Indicator, IndicatorValue


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


def values_visible(queryset, user):
    """The indicator values of `queryset` that `user` may read (None or anonymous: the public)."""
    boards = policy.board_ids(user, Action.VIEW_DRAFT)
    if boards is policy.ALL:
        return queryset
    if not boards:
        return queryset.filter(PublishedYearEnd())
    return queryset.filter(PublishedYearEnd() | Q(indicator__board__in=boards))
