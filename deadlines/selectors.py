"""Reads: how far a period's follow-ups have come, per area and per responsible person."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from access.choices import Role
from followups.selectors import MISSING, READY, WRITTEN, Workbench, WorkbenchRow, workbench_get
from goals.choices import PeriodKind
from goals.models import FollowUpPeriod
from indicators.choices import Tertial
from indicators.models import IndicatorValue

from .models import ReminderPreference, ReminderSent


@dataclass
class Tally:
    """Counts of rows by state, with the rows still missing."""

    ready: int = 0
    written: int = 0
    missing_rows: list[WorkbenchRow] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return len(self.missing_rows)

    @property
    def total(self) -> int:
        return self.ready + self.written + self.missing

    @property
    def done_percent(self) -> int:
        return round(100 * (self.ready + self.written) / self.total) if self.total else 100

    def add(self, row: WorkbenchRow):
        state = row.state
        if state == READY:
            self.ready += 1
        elif state == WRITTEN:
            self.written += 1
        else:
            self.missing_rows.append(row)


@dataclass
class AreaProgress:
    title: str
    tally: Tally


@dataclass
class PersonProgress:
    user: object
    tally: Tally
    opted_out: bool = False
    #: The indicators (workbench rows) they are responsible for whose value for the period
    #: is missing (see values_missing_keys).
    values_missing_rows: list[WorkbenchRow] = field(default_factory=list)

    @property
    def values_missing(self) -> int:
        return len(self.values_missing_rows)

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


@dataclass
class Progress:
    period: FollowUpPeriod
    bench: Workbench
    total: Tally
    areas: list[AreaProgress]
    people: list[PersonProgress]
    unassigned: Tally
    #: The period's indicators without a value for its year and tertial.
    values_missing_rows: list[WorkbenchRow] = field(default_factory=list)

    @property
    def values_missing(self) -> int:
        return len(self.values_missing_rows)


def period_tertial(period: FollowUpPeriod) -> str:
    """The tertial of the indicator values a period reports: T1 and T2 their own, the
    year-end (T3) the whole year's (as indicators.locks reads them)."""
    return Tertial.YEAR if period.kind == PeriodKind.TERTIAL_3 else period.kind


def values_missing_keys(*, period: FollowUpPeriod, indicator_ids) -> set[int]:
    """Which of the indicators (of the period's plan) have no value at all (any breakdown, a
    number or a text such as "Ej mätbart") for the period's year and tertial; one query,
    whatever the number of indicators."""
    given = (
        IndicatorValue.objects.filter(
            indicator__goal__plan=period.plan_id,
            year=period.plan.year,
            tertial=period_tertial(period),
        )
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return set(indicator_ids) - set(given)


def progress_get(*, period: FollowUpPeriod, bench: Workbench | None = None) -> Progress:
    """The period's rows counted as ready / written / missing, per area and per responsible
    person (a row with two responsible persons counts for both), with the indicator values
    still missing, in a fixed number of queries."""
    bench = bench or workbench_get(period=period)
    total, unassigned = Tally(), Tally()
    areas, people = [], {}

    def person(user):
        return people.setdefault(user.pk, PersonProgress(user=user, tally=Tally()))

    for section in bench.sections:
        tally = Tally()
        for row in section.rows:
            tally.add(row)
            total.add(row)
            if not row.responsibles:
                unassigned.add(row)
            for user in row.responsibles:
                person(user).tally.add(row)
        areas.append(AreaProgress(title=section.title, tally=tally))
    indicator_rows = {row.subject.pk: row for row in bench.rows if row.kind == "indicator"}
    missing = values_missing_keys(period=period, indicator_ids=indicator_rows)
    values_missing_rows = [row for pk, row in indicator_rows.items() if pk in missing]
    for row in values_missing_rows:
        for user in row.responsibles:
            person(user).values_missing_rows.append(row)
    opted_out = set(
        ReminderPreference.objects.filter(user__in=list(people), opt_out=True).values_list(
            "user_id", flat=True
        )
    )
    for person in people.values():
        person.opted_out = person.user.pk in opted_out
    return Progress(
        period=period,
        bench=bench,
        total=total,
        areas=areas,
        people=sorted(people.values(), key=lambda p: (p.name.casefold(), p.user.pk)),
        unassigned=unassigned,
        values_missing_rows=values_missing_rows,
    )


def reminders_of_period(*, period: FollowUpPeriod):
    """Who was sent which reminder about the period, newest first."""
    return (
        ReminderSent.objects.filter(period=period).select_related("user").order_by("-sent_at", "pk")
    )


def approvers_of_board(*, board_id: int) -> list:
    """The board's approvers (förvaltningschef) with an active account."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            board_memberships__board=board_id,
            board_memberships__role=Role.APPROVER,
        )
        .order_by("username")
    )


__all__ = [
    "MISSING",
    "READY",
    "WRITTEN",
    "AreaProgress",
    "PersonProgress",
    "Progress",
    "Tally",
    "approvers_of_board",
    "period_tertial",
    "progress_get",
    "reminders_of_period",
    "values_missing_keys",
]
