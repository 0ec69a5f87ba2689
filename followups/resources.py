"""Import and export of follow-ups: the period by board, year and date, the subject by its kind
and number, the texts and the assessment. Only open periods accept imported changes."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget

from activities.choices import AssignmentOrigin, WorkStatus
from activities.models import Activity, Assignment, number_sort_key
from core.years import LAST_YEAR
from goals.models import (
    FIRST_PLAN_YEAR,
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    GoalIndicatorItem,
    Plan,
)
from imports.engine import (
    NEW,
    UNCHANGED,
    UPDATE,
    PlannedImportResource,
    PlannedRow,
    Problem,
    RowProblems,
)
from imports.widgets import ChoiceWidget, DateCellWidget, TextWidget, YearWidget
from indicators.models import Indicator

from .models import FollowUp, FollowUpCoverage, coverage_label

SUBJECT_LABELS = {
    "goal": "Nämndmål",
    "activity": "Aktivitet",
    "assignment_board": "Nämndens uppdrag",
    "assignment_municipal": "Kommunövergripande uppdrag",
    "indicator": "Indikator",
    "indicator_item": "Målindikator",
}
SUBJECT_ALIASES = {
    "indikator i målet": "indicator_item",
    "numrerad indikator": "indicator_item",
    "mål": "goal",
    "uppdrag": "assignment_board",
    "utvecklingsuppdrag": "assignment_board",
}
STATUS_LABELS = {
    WorkStatus.NOT_STARTED: "Ej påbörjad",
    WorkStatus.IN_PROGRESS: "Pågår",
    WorkStatus.DONE: "Genomförd",
    WorkStatus.POSTPONED: "Senarelagd",
    WorkStatus.CANCELLED: "Avbruten",
}
STATUS_ALIASES = {
    "genomfört": WorkStatus.DONE,
    "klart": WorkStatus.DONE,
    "ej påbörjat": WorkStatus.NOT_STARTED,
    "senarelagt": WorkStatus.POSTPONED,
    "avbrutet": WorkStatus.CANCELLED,
    "": "",
}
COLUMNS = {
    "text": "Uppföljning",
    "forecast": "Bedömning helår",
    "status": "Status",
    "fulfilment": "Måluppfyllelse",
}


#: A goal's numbered items are named "<goal's order>:<numbers>": "2:1–2", "2:1, 3", "3:4".
GOAL_SCOPED = re.compile(r"^\s*(\d+)\s*:\s*(.+?)\s*$")
RANGE = re.compile(r"^(\d+)\s*[-\u2013]\s*(\d+)$")


def parse_numbers(spec: str) -> list[str] | None:
    """ "1–2" → ["1", "2"], "1, 3" → ["1", "3"], "4" → ["4"]; None when unreadable."""
    numbers = []
    for part in spec.replace(";", ",").split(","):
        part = part.strip().rstrip(".")
        if not part:
            continue
        match = RANGE.match(part)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            if last < first or last - first > 50:
                return None
            numbers += [str(n) for n in range(first, last + 1)]
        else:
            numbers.append(part)
    return numbers or None


def subject_kind(obj):
    if obj.goal_id:
        return "goal"
    if obj.indicator_item_id:
        return "indicator_item"
    if obj.activity_id:
        return "activity"
    if obj.assignment_id:
        return (
            "assignment_municipal"
            if obj.assignment.origin == AssignmentOrigin.MUNICIPAL
            else "assignment_board"
        )
    return "indicator"


def subject_number(obj):
    kind = subject_kind(obj)
    if kind == "goal":
        return str(obj.goal.order)
    if kind == "activity":
        return obj.activity.number
    if kind == "indicator_item" or (kind.startswith("assignment") and obj.assignment.goal_id):
        owner = obj.indicator_item if kind == "indicator_item" else obj.assignment
        items = [owner, *(row.indicator_item or row.assignment for row in obj.coverage.all())]
        numbers = sorted((i.number for i in items), key=number_sort_key)
        return f"{owner.goal.order}:{coverage_label(numbers)}"
    if kind.startswith("assignment"):
        return obj.assignment.number
    return obj.indicator.name


class FollowUpResource(PlannedImportResource):
    """Follow-ups: (board, year, period date, kind, number) find the row."""

    board = Field(
        attribute="period__plan__board",
        column_name="Nämnd",
        widget=ForeignKeyWidget(Board, field="name"),
    )
    year = Field(
        attribute="period__plan__year",
        column_name="År",
        widget=YearWidget(FIRST_PLAN_YEAR, LAST_YEAR),
    )
    period = Field(attribute="period__date", column_name="Period", widget=DateCellWidget())
    kind = Field(column_name="Typ", widget=ChoiceWidget(SUBJECT_LABELS, aliases=SUBJECT_ALIASES))
    number = Field(column_name="Nummer", widget=TextWidget())
    description = Field(column_name="Beskrivning", readonly=True, widget=TextWidget())
    text = Field(attribute="text", column_name="Uppföljning", widget=TextWidget())
    forecast = Field(attribute="forecast", column_name="Bedömning helår", widget=TextWidget())
    fulfilment = Field(
        attribute="fulfilment",
        column_name="Måluppfyllelse",
        widget=ForeignKeyWidget(FulfilmentLevel, field="label"),
    )
    status = Field(
        attribute="status",
        column_name="Status",
        widget=ChoiceWidget(STATUS_LABELS, aliases=STATUS_ALIASES),
    )

    required_columns = ("Nämnd", "År", "Period", "Typ", "Nummer")
    export_select_related = (
        "period__plan__board",
        "goal",
        "activity",
        "assignment__goal",
        "indicator",
        "indicator_item__goal",
        "fulfilment",
    )

    class Meta:
        model = FollowUp
        name = "Uppföljningar"
        fields = (
            "board",
            "year",
            "period",
            "kind",
            "number",
            "description",
            "text",
            "forecast",
            "fulfilment",
            "status",
        )
        import_id_fields = ("board", "year", "period", "kind", "number")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_kind(self, obj):
        return SUBJECT_LABELS[subject_kind(obj)]

    def dehydrate_number(self, obj):
        return subject_number(obj)

    def dehydrate_description(self, obj):
        subject = obj.subject
        text = " ".join(str(getattr(subject, "text", None) or subject).split())
        return text if len(text) <= 200 else text[:199] + "…"

    def filter_export(self, queryset, **kwargs):
        coverage = FollowUpCoverage.objects.select_related("indicator_item", "assignment")
        return (
            super()
            .filter_export(queryset, **kwargs)
            .prefetch_related(Prefetch("coverage", queryset=coverage))
            .order_by("period__plan__board__name", "period__date", "pk")
        )

    def prepare(self, rows):
        self.load_boards()
        self.plans = {(p.board_id, p.year): p for p in Plan.objects.all()}
        self.periods = {}
        for period in FollowUpPeriod.objects.all():
            self.periods.setdefault(period.plan_id, {})[period.date] = period
        self.subjects = {
            "goal": {
                (g.plan_id, str(g.order)): g for g in Goal.objects.only("pk", "plan", "order")
            },
            "activity": {
                (a.plan_id, a.number): a for a in Activity.objects.only("pk", "plan", "number")
            },
            "assignment_board": {},
            "assignment_municipal": {},
            "indicator": {},
        }
        goal_orders = {g.pk: (g.plan_id, str(g.order)) for g in self.subjects["goal"].values()}
        # A goal's numbered items by (plan, goal's order, number), indicators before assignments.
        self.goal_items = {}
        for item in GoalIndicatorItem.objects.only("pk", "goal", "number").exclude(number=""):
            self.goal_items.setdefault((*goal_orders[item.goal_id], item.number), []).append(item)
        for a in Assignment.objects.only("pk", "plan", "origin", "number", "goal"):
            if a.goal_id:
                self.goal_items.setdefault((*goal_orders[a.goal_id], a.number), []).append(a)
            else:
                self.subjects[f"assignment_{a.origin}"][(a.plan_id, a.number)] = a
        for i in Indicator.objects.only("pk", "board", "name", "kind"):
            self.subjects["indicator"].setdefault((i.board_id, i.name.casefold()), []).append(i)
        self.levels = {}
        for level in FulfilmentLevel.objects.all():
            for word in (level.label, level.code):
                self.levels[(level.municipality_id, word.casefold())] = level
        self.level_labels = {level.pk: level.label for level in FulfilmentLevel.objects.all()}
        self.existing = {}
        self.covers = {}
        for row in FollowUpCoverage.objects.all():
            self.covers.setdefault(row.follow_up_id, set()).add(
                ("indicator_item", row.indicator_item_id)
                if row.indicator_item_id
                else ("assignment", row.assignment_id)
            )
        for follow_up in FollowUp.objects.all():
            for field in ("goal", "activity", "assignment", "indicator", "indicator_item"):
                subject_id = getattr(follow_up, f"{field}_id")
                if subject_id:
                    self.existing[(follow_up.period_id, field, subject_id)] = follow_up

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        board = self.resolve_board(number, values.get("board"), problems)
        if board is None or problems:
            raise RowProblems(problems)
        year, on = values["year"], values.get("period")
        plan = self.plans.get((board.pk, year))
        if plan is None:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "År",
                        _("The board %(board)s has no plan for %(year)s.")
                        % {"board": board.name, "year": year},
                    )
                ]
            )
        if on is None:
            raise RowProblems([Problem(number, "Period", _("The follow-up date is missing."))])
        if on.year != year:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "Period",
                        _("The date %(date)s lies outside the plan's year (%(year)s).")
                        % {"date": on.isoformat(), "year": year},
                    )
                ]
            )
        period = self.periods.get(plan.pk, {}).get(on)
        if period is None:
            known = ", ".join(d.isoformat() for d in sorted(self.periods.get(plan.pk, {}))) or "–"
            raise RowProblems(
                [
                    Problem(
                        number,
                        "Period",
                        _("The plan %(plan)s has no follow-up on %(date)s (there are: %(known)s).")
                        % {"plan": plan, "date": on.isoformat(), "known": known},
                    )
                ]
            )
        kind, code = values["kind"], values.get("number", "")
        field = "assignment" if kind.startswith("assignment") else kind
        covers = None
        scoped = GOAL_SCOPED.match(code)
        if kind == "indicator_item" or (field == "assignment" and scoped):
            items = self.goal_scoped_items(number, plan, kind, code, scoped)
            subject, covers = items[0], items[1:]
            field = "indicator_item" if isinstance(subject, GoalIndicatorItem) else "assignment"
        elif kind == "indicator":
            found = self.subjects["indicator"].get((board.pk, code.casefold()), [])
            subject = found[0] if len(found) == 1 else None
        else:
            subject = self.subjects[kind].get((plan.pk, code))
        if subject is None:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "Nummer",
                        _("The plan %(plan)s has no %(kind)s numbered “%(number)s”.")
                        % {"plan": plan, "kind": SUBJECT_LABELS[kind].lower(), "number": code},
                    )
                ]
            )

        instance = self.existing.get((period.pk, field, subject.pk))
        is_new = instance is None
        if is_new:
            instance = FollowUp(period=period, **{field: subject})
        wanted_covers = None
        if covers is not None:
            wanted_covers = {
                ("indicator_item" if isinstance(i, GoalIndicatorItem) else "assignment", i.pk)
                for i in covers
            }
            instance._covers = wanted_covers
        new_values = {a: values[a] for a in ("text", "forecast", "status") if a in values}
        if new_values.get("status") and field not in ("activity", "assignment"):
            problems.append(
                Problem(
                    number,
                    "Status",
                    _("A status can only be given for activities and development assignments."),
                )
            )
        level = None
        if "fulfilment" in values and values["fulfilment"]:
            if field != "goal":
                problems.append(
                    Problem(
                        number,
                        "Måluppfyllelse",
                        _("Goal fulfilment can only be given for board goals."),
                    )
                )
            level = self.levels.get((board.municipality_id, values["fulfilment"].casefold()))
            if level is None and field == "goal":
                labels = sorted(
                    {v.label for (m, _w), v in self.levels.items() if m == board.municipality_id}
                )
                problems.append(
                    Problem(
                        number,
                        "Måluppfyllelse",
                        _("“%(value)s” is not in the municipality's scale (%(labels)s).")
                        % {"value": values["fulfilment"], "labels": ", ".join(labels)},
                    )
                )
        if problems:
            raise RowProblems(problems)
        changes = self.compare(instance, new_values, COLUMNS, is_new)
        if "fulfilment" in values:
            new_id = level.pk if level else None
            if new_id != instance.fulfilment_id:
                changes.append(
                    (
                        "Måluppfyllelse",
                        self.level_labels.get(instance.fulfilment_id, ""),
                        level.label if level else "",
                    )
                )
                instance.fulfilment_id = new_id
        if wanted_covers is not None:
            stored = set() if is_new else self.covers.get(instance.pk, set())
            if stored != wanted_covers:
                changes.append(("Nummer", "" if is_new else "–", code))
                # Saving it takes back its ready mark (FollowUp.save), as a text change does.
                instance._coverage_changed = not is_new
        if is_new and not any(
            (instance.text, instance.forecast, instance.status, instance.fulfilment_id)
        ):
            return PlannedRow(
                row=number,
                action=UNCHANGED,
                label="",
                instance=instance,
                board_id=board.pk,
                key=("followup", period.pk, field, subject.pk),
            )
        planned = PlannedRow(
            row=number,
            action=NEW if is_new else (UPDATE if changes else UNCHANGED),
            label=f"{SUBJECT_LABELS[kind]} {code} – {on.isoformat()}",
            instance=instance,
            board_id=board.pk,
            changes=changes,
            key=("followup", period.pk, field, subject.pk),
        )
        if planned.action == UNCHANGED:
            return planned
        if not period.is_open:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "Period",
                        _(
                            "The period %(period)s is not open (status %(status)s); "
                            "follow-ups cannot be changed."
                        )
                        % {"period": on.isoformat(), "status": period.get_status_display()},
                    )
                ]
            )
        try:
            instance.full_clean(
                exclude=[
                    "period",
                    "goal",
                    "activity",
                    "assignment",
                    "indicator",
                    "indicator_item",
                    "fulfilment",
                    "updated_by",
                ],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            raise RowProblems(self.validation_problems(number, exc, COLUMNS)) from exc
        return planned

    def goal_scoped_items(self, number, plan, kind, code, scoped):
        """The items a goal-scoped number names ("2:1–2"), the owner first; RowProblems
        naming the cell when the goal or a number is unknown."""
        numbers = parse_numbers(scoped.group(2)) if scoped else None
        if numbers is None:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "Nummer",
                        _(
                            "Write a goal's items as the goal's number, a colon and the items' "
                            "numbers, e.g. 2:1-2 or 2:1, 3 (not “%(number)s”)."
                        )
                        % {"number": code},
                    )
                ]
            )
        goal_order = scoped.group(1)
        prefer = GoalIndicatorItem if kind == "indicator_item" else Assignment
        items = []
        for item_number in numbers:
            found = self.goal_items.get((plan.pk, goal_order, item_number), [])
            found = sorted(found, key=lambda i: not isinstance(i, prefer))
            if not found:
                raise RowProblems(
                    [
                        Problem(
                            number,
                            "Nummer",
                            _(
                                "The goal %(goal)s of the plan %(plan)s has no indicator or "
                                "assignment numbered “%(number)s”."
                            )
                            % {"goal": goal_order, "plan": plan, "number": item_number},
                        )
                    ]
                )
            items.append(found[0])
        if not isinstance(items[0], prefer):
            # The row's kind names the owner: the first item of that kind.
            items.sort(key=lambda i: not isinstance(i, prefer))
        return items

    def write(self, result, user, progress=None):
        """Write the follow-ups, then what joint ones cover; all or nothing."""
        with transaction.atomic():
            super().write(result, user, progress)
            if not result.written:
                return
            try:
                with transaction.atomic():
                    self.write_coverage(result)
            except IntegrityError as exc:
                transaction.set_rollback(True)
                result.written = False
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else exc
                result.problems.append(
                    Problem(
                        None,
                        None,
                        _("Databasen avvisade importen, inget sparades: %(error)s")
                        % {"error": message},
                    )
                )
                result.count_totals()

    def write_coverage(self, result):
        for planned in result.planned:
            wanted = getattr(planned.instance, "_covers", None)
            if wanted is None or planned.instance.pk is None:
                continue
            follow_up = planned.instance
            stored = self.covers.get(follow_up.pk, set())
            if stored == wanted:
                continue
            for field, pk in stored - wanted:
                FollowUpCoverage.objects.filter(follow_up=follow_up, **{f"{field}_id": pk}).delete()
            for field, pk in sorted(wanted - stored):
                FollowUpCoverage.objects.create(follow_up=follow_up, **{f"{field}_id": pk})

    def before_write(self, instance, user, now):
        instance.version = (instance.version or 0) + 1 if instance.pk else 1
        instance.updated_by = user
