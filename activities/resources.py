"""Import and export of activities and development assignments (natural keys: board, year,
number; the goal by its number in the plan)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget

from core.cells import is_blank, normalize_text, parse_int
from core.years import LAST_YEAR
from goals.models import FIRST_PLAN_YEAR, ActivityArea, Board, Goal, Plan
from imports.engine import (
    NEW,
    UNCHANGED,
    UPDATE,
    PlannedImportResource,
    PlannedRow,
    Problem,
    RowProblems,
)
from imports.widgets import ChoiceWidget, TextWidget, YearWidget

from .choices import AssignmentOrigin, Schedule
from .models import NUMBER_RE, Activity, Assignment

SCHEDULE_LABELS = {
    Schedule.TERTIAL_1: "Tertial 1",
    Schedule.TERTIAL_2: "Tertial 2",
    Schedule.TERTIAL_3: "Tertial 3",
    Schedule.YEAR_END: "Bokslut",
}
ORIGIN_LABELS = {
    AssignmentOrigin.BOARD: "Nämndens",
    AssignmentOrigin.MUNICIPAL: "Kommunövergripande",
}
ORIGIN_ALIASES = {"nämndens eget": AssignmentOrigin.BOARD, "nämnd": AssignmentOrigin.BOARD}


def parse_schedule(text):
    """'Tertial 2' → (T2, ''), 'Bokslut' → (bokslut, ''), other text → (other, text)."""
    text = " ".join(normalize_text(text).split())
    if not text:
        return "", ""
    match = re.fullmatch(r"(?:tertial\s*|t)([123])", text, flags=re.IGNORECASE)
    if match:
        return f"T{match.group(1)}", ""
    if text.casefold() in ("bokslut", "year-end accounts"):
        return Schedule.YEAR_END, ""
    return Schedule.OTHER, text


def schedule_cell(obj):
    return (
        obj.schedule_text
        if obj.schedule == Schedule.OTHER
        else SCHEDULE_LABELS.get(obj.schedule, "")
    )


def _max(model, name):
    return model._meta.get_field(name).max_length


class PlanContentResource(PlannedImportResource):
    """Shared by activities and assignments: the plan from board + year, goals by number."""

    required_columns = ("Nämnd", "År", "Nummer")
    columns = {}

    def prepare(self, rows):
        self.load_boards()
        self.plans = {(p.board_id, p.year): p for p in Plan.objects.all()}
        self.goals = {
            (g.plan_id, g.order): g for g in Goal.objects.only("pk", "plan", "order", "text")
        }
        self.goal_orders = {g.pk: g.order for g in self.goals.values()}

    def resolve_plan(self, number, values, problems):
        board = self.resolve_board(number, values.get("board"), problems)
        year = values.get("year")
        if board is None or year is None:
            return None
        plan = self.plans.get((board.pk, year))
        if plan is None:
            problems.append(
                Problem(
                    number,
                    "År",
                    _("The board %(board)s has no plan for %(year)s.")
                    % {"board": board.name, "year": year},
                )
            )
        return plan

    def resolve_goal(self, number, plan, raw, problems):
        if is_blank(raw):
            return None
        try:
            order = parse_int(raw)
        except ValueError as exc:
            problems.append(Problem(number, "Mål nr", str(exc)))
            return None
        goal = self.goals.get((plan.pk, order))
        if goal is None:
            problems.append(
                Problem(
                    number,
                    "Mål nr",
                    _("The plan %(plan)s has no board goal no. %(order)s.")
                    % {"plan": plan, "order": order},
                )
            )
        return goal

    def plan_goal_change(self, instance, goal, changes, is_new):
        if goal is not None and (is_new or instance.goal_id != goal.pk):
            before = (
                "" if is_new or not instance.goal_id else self.goal_orders.get(instance.goal_id)
            )
            changes.append(("Mål nr", str(before or ""), str(goal.order)))
            instance.goal = goal

    def check(self, number, instance, exclude):
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise RowProblems(self.validation_problems(number, exc, self.columns)) from exc

    def outcome(self, number, instance, is_new, changes, label, key, plan):
        return PlannedRow(
            row=number,
            action=NEW if is_new else (UPDATE if changes else UNCHANGED),
            label=label,
            instance=instance,
            board_id=plan.board_id,
            changes=changes,
            key=key,
        )


class ActivityResource(PlanContentResource):
    """Activities: board, year and number find the row; goal number, text and schedule change."""

    board = Field(
        attribute="plan__board", column_name="Nämnd", widget=ForeignKeyWidget(Board, field="name")
    )
    year = Field(
        attribute="plan__year", column_name="År", widget=YearWidget(FIRST_PLAN_YEAR, LAST_YEAR)
    )
    number = Field(
        attribute="number", column_name="Nummer", widget=TextWidget(_max(Activity, "number"))
    )
    goal = Field(
        attribute="goal", column_name="Mål nr", widget=ForeignKeyWidget(Goal, field="order")
    )
    goal_text = Field(
        attribute="goal__text", column_name="Nämndmål", readonly=True, widget=TextWidget()
    )
    area = Field(
        attribute="area", column_name="Område", widget=ForeignKeyWidget(ActivityArea, field="name")
    )
    text = Field(attribute="text", column_name="Aktivitet", widget=TextWidget())
    schedule = Field(attribute="schedule", column_name="Tidplan", widget=TextWidget(200))

    export_select_related = ("plan__board", "goal", "area")
    columns = {
        "number": "Nummer",
        "area": "Område",
        "text": "Aktivitet",
        "schedule": "Tidplan",
        "schedule_text": "Tidplan",
        "goal": "Mål nr",
    }

    class Meta:
        model = Activity
        name = "Aktiviteter"
        fields = ("board", "year", "number", "goal", "goal_text", "area", "text", "schedule")
        import_id_fields = ("board", "year", "number")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_schedule(self, obj):
        return schedule_cell(obj)

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .order_by("plan__board__name", "plan__year", "sort_key")
        )

    def prepare(self, rows):
        super().prepare(rows)
        self.existing = {
            (a.plan_id, a.number): a for a in Activity.objects.select_related("area", "goal")
        }
        self.areas = {(a.board_id, a.name.casefold()): a for a in ActivityArea.objects.all()}

    def resolve_area(self, number, plan, raw, problems):
        """The board's activity area named in "Område" (None when blank)."""
        if is_blank(raw):
            return None
        name = " ".join(str(raw).split())
        area = self.areas.get((plan.board_id, name.casefold()))
        if area is None:
            problems.append(
                Problem(
                    number,
                    "Område",
                    _("The board %(board)s has no activity area %(area)s.")
                    % {"board": plan.board.name, "area": name},
                )
            )
        return area

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        plan = self.resolve_plan(number, values, problems)
        code = values.get("number", "")
        if code and not re.match(NUMBER_RE, code):
            problems.append(
                Problem(
                    number,
                    "Nummer",
                    _("The number must be digits separated by full stops, e.g. 1.1 or 6.10."),
                )
            )
        if plan is None or problems:
            raise RowProblems(problems)
        goal = self.resolve_goal(number, plan, cells.get("Mål nr"), problems)
        area = self.resolve_area(number, plan, cells.get("Område"), problems)
        instance = self.existing.get((plan.pk, code))
        is_new = instance is None
        if is_new:
            instance = Activity(plan=plan, number=code)
            if goal is None and area is None and not problems:
                problems.append(
                    Problem(
                        number,
                        "Mål nr",
                        _(
                            "Give the board goal's number for a new activity, or its activity "
                            "area when it belongs to an area without a goal."
                        ),
                    )
                )
        if problems:
            raise RowProblems(problems)
        new_values = {}
        if "text" in values:
            new_values["text"] = values["text"]
        changes = []
        self.plan_goal_change(instance, goal, changes, is_new)
        # An activity of an area without a goal of its own; with a goal, the area is the goal's.
        if (
            goal is None
            and area is not None
            and not instance.goal_id
            and (is_new or instance.area_id != area.pk)
        ):
            before = "" if is_new or instance.area is None else instance.area.name
            changes.append(("Område", before, area.name))
            instance.area = area
        changes += self.compare(instance, new_values, self.columns, is_new)
        if "schedule" in values:
            schedule, schedule_text = parse_schedule(values["schedule"])
            if is_new or (instance.schedule, instance.schedule_text) != (schedule, schedule_text):
                if not (is_new and not schedule):
                    changes.append(
                        ("Tidplan", "" if is_new else schedule_cell(instance), values["schedule"])
                    )
                instance.schedule, instance.schedule_text = schedule, schedule_text
        planned = self.outcome(
            number,
            instance,
            is_new,
            changes,
            f"{plan.year} {code}",
            ("activity", plan.pk, code),
            plan,
        )
        if planned.action != UNCHANGED:
            if not instance.text:
                raise RowProblems([Problem(number, "Aktivitet", _("Aktiviteten saknar text."))])
            self.check(number, instance, exclude=["plan", "goal", "area"])
        return planned


class AssignmentResource(PlanContentResource):
    """Development assignments: board, year, origin and number find the row."""

    board = Field(
        attribute="plan__board", column_name="Nämnd", widget=ForeignKeyWidget(Board, field="name")
    )
    year = Field(
        attribute="plan__year", column_name="År", widget=YearWidget(FIRST_PLAN_YEAR, LAST_YEAR)
    )
    origin = Field(
        attribute="origin",
        column_name="Ursprung",
        widget=ChoiceWidget(ORIGIN_LABELS, aliases=ORIGIN_ALIASES),
    )
    number = Field(
        attribute="number", column_name="Nummer", widget=TextWidget(_max(Assignment, "number"))
    )
    goal = Field(
        attribute="goal", column_name="Mål nr", widget=ForeignKeyWidget(Goal, field="order")
    )
    text = Field(attribute="text", column_name="Uppdrag", widget=TextWidget())
    partners = Field(
        attribute="partners",
        column_name="Tillsammans med",
        widget=TextWidget(_max(Assignment, "partners")),
    )

    export_select_related = ("plan__board", "goal")
    columns = {
        "origin": "Ursprung",
        "number": "Nummer",
        "text": "Uppdrag",
        "partners": "Tillsammans med",
        "goal": "Mål nr",
    }

    class Meta:
        model = Assignment
        name = "Utvecklingsuppdrag"
        fields = ("board", "year", "origin", "number", "goal", "text", "partners")
        import_id_fields = ("board", "year", "origin", "number")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .order_by("plan__board__name", "plan__year", "origin", "sort_key")
        )

    def prepare(self, rows):
        super().prepare(rows)
        self.existing = {(a.plan_id, a.origin, a.number): a for a in Assignment.objects.all()}

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        plan = self.resolve_plan(number, values, problems)
        if plan is None or problems:
            raise RowProblems(problems)
        code = values.get("number", "")
        if not code:
            raise RowProblems([Problem(number, "Nummer", _("The number is missing."))])
        origin = values.get("origin", AssignmentOrigin.BOARD)
        goal = self.resolve_goal(number, plan, cells.get("Mål nr"), problems)
        if problems:
            raise RowProblems(problems)
        instance = self.existing.get((plan.pk, origin, code))
        is_new = instance is None
        if is_new:
            instance = Assignment(plan=plan, origin=origin, number=code)
        changes = []
        self.plan_goal_change(instance, goal, changes, is_new)
        new_values = {a: values[a] for a in ("text", "partners") if a in values}
        changes += self.compare(instance, new_values, self.columns, is_new)
        planned = self.outcome(
            number,
            instance,
            is_new,
            changes,
            f"{plan.year} {ORIGIN_LABELS[origin]} {code}",
            ("assignment", plan.pk, origin, code),
            plan,
        )
        if planned.action != UNCHANGED:
            if not instance.text:
                raise RowProblems([Problem(number, "Uppdrag", _("Uppdraget saknar text."))])
            self.check(number, instance, exclude=["plan", "goal"])
        return planned
