"""A whole plan as one sheet: export, template and import (preview → confirm, all or nothing).

One row per part of the plan, in document order; the column Typ says which part:

- Plan: Text is the plan's title;
- Mål: Mål nr (the goal's position), Text, Inledning, Område, Målområde;
- Indikator: Mål nr, Nummer, Ordning, Text — a numbered indicator of the goal;
- Koppling: Mål nr, Ordning, Text — the municipal goal's title;
- Uppdrag: Mål nr (empty: the plan's own), Nummer, Text, Ursprung, Tillsammans med;
- Aktivitet: Mål nr (empty: an area without a goal, then Område), Nummer, Text, Tidplan;
- Avsnitt: a narrative section of the plan — Text is its title, Inledning its text, Ordning
  and Nyckel (made from the title when empty) its place and name, Område the area whose
  narrative it belongs to, Mål nr the goal it is printed right before (empty: not before a
  goal).

The import makes a new plan (the board may not yet have one for the year); "Som år" on the
upload form imports the file as another year's plan, so last year's export becomes next
year's draft.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.fields import Field

from core.cells import is_blank, normalize_text, parse_int
from core.formats import XLSXFormat
from core.years import LAST_YEAR
from goals.models import (
    FIRST_PLAN_YEAR,
    ActivityArea,
    Goal,
    GoalDomain,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    MunicipalGoal,
    Plan,
    PlanSection,
)
from imports.engine import NEW, PlannedImportResource, PlannedRow, Problem, RowProblems
from imports.widgets import TextWidget

from .models import NUMBER_RE, Activity, Assignment
from .resources import ORIGIN_ALIASES, ORIGIN_LABELS, parse_schedule, schedule_cell

PLAN, GOAL, INDICATOR, LINK, ASSIGNMENT, ACTIVITY, SECTION = (
    "Plan",
    "Mål",
    "Indikator",
    "Koppling",
    "Uppdrag",
    "Aktivitet",
    "Avsnitt",
)
KINDS = (PLAN, GOAL, INDICATOR, LINK, ASSIGNMENT, ACTIVITY, SECTION)

COLUMNS = (
    ("board", "Nämnd"),
    ("year", "År"),
    ("kind", "Typ"),
    ("goal", "Mål nr"),
    ("number", "Nummer"),
    ("order", "Ordning"),
    ("text", "Text"),
    ("intro", "Inledning"),
    ("area", "Område"),
    ("domain", "Målområde"),
    ("schedule", "Tidplan"),
    ("origin", "Ursprung"),
    ("partners", "Tillsammans med"),
    ("key", "Nyckel"),
)
HEADERS = [column for _name, column in COLUMNS]


def plan_rows(plan: Plan) -> list[list]:
    """The plan as the sheet's rows (export), in document order. A few queries."""
    board, year = plan.board.name, plan.year

    def row(kind, **values):
        return [board, year, kind, *(values.get(name, "") for name, _c in COLUMNS[3:])]

    rows = [row(PLAN, text=plan.title)]
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("area", "domain")
        .prefetch_related("indicator_items", "municipal_goal_links__municipal_goal")
        .order_by("order", "pk")
    )
    orders = {goal.pk: goal.order for goal in goals}
    for goal in goals:
        rows.append(
            row(
                GOAL,
                goal=goal.order,
                text=goal.text,
                intro=goal.intro,
                area=goal.area.name if goal.area else "",
                domain=goal.domain.name if goal.domain else "",
            )
        )
        for item in goal.indicator_items.all():
            rows.append(
                row(
                    INDICATOR, goal=goal.order, number=item.number, order=item.order, text=item.text
                )
            )
        for link in goal.municipal_goal_links.all():
            rows.append(
                row(LINK, goal=goal.order, order=link.order, text=link.municipal_goal.title)
            )
    for assignment in Assignment.objects.filter(plan=plan).order_by("goal__order", "sort_key"):
        rows.append(
            row(
                ASSIGNMENT,
                goal=orders.get(assignment.goal_id, ""),
                number=assignment.number,
                text=assignment.text,
                origin=ORIGIN_LABELS.get(assignment.origin, assignment.origin),
                partners=assignment.partners,
            )
        )
    for activity in Activity.objects.filter(plan=plan).select_related("area").order_by("sort_key"):
        rows.append(
            row(
                ACTIVITY,
                goal=orders.get(activity.goal_id, ""),
                number=activity.number,
                text=activity.text,
                area="" if activity.goal_id else (activity.area.name if activity.area else ""),
                schedule=schedule_cell(activity),
            )
        )
    # The plan's own narrative (a follow-up report's sections stay with its period).
    for section in (
        PlanSection.objects.filter(plan=plan, period__isnull=True)
        .select_related("area")
        .order_by("order", "key")
    ):
        rows.append(
            row(
                SECTION,
                goal=orders.get(section.before_goal_id, ""),
                order=section.order,
                text=section.title,
                intro=section.body,
                area=section.area.name if section.area else "",
                key=section.key,
            )
        )
    return rows


def plan_xlsx(plan: Plan) -> bytes:
    return XLSXFormat().write(HEADERS, plan_rows(plan))


def template_xlsx() -> bytes:
    """An example plan to fill in (the import's columns, one row of each kind)."""
    board, year = "Nämndens namn", LAST_YEAR - 74

    def row(kind, **values):
        return [board, year, kind, *(values.get(name, "") for name, _c in COLUMNS[3:])]

    rows = [
        row(PLAN, text="Verksamhetsplan"),
        row(
            GOAL,
            goal=1,
            text="Nämndmålets text",
            intro="Första stycket.\n\n## Underrubrik\n\nAndra stycket.",
            area="Verksamhetsområdets namn",
            domain="Målområdets namn",
        ),
        row(INDICATOR, goal=1, number="1", order=1, text="Första indikatorn"),
        row(INDICATOR, goal=1, number="2", order=2, text="Andra indikatorn"),
        row(LINK, goal=1, order=1, text="Det kommunövergripande målets titel"),
        row(ASSIGNMENT, goal=1, number="3", text="Utvecklingsuppdraget", origin="Nämndens"),
        row(ACTIVITY, goal=1, number="1.1", text="Aktiviteten", schedule="Tertial 2"),
        row(ACTIVITY, number="9.1", text="Aktivitet i ett område utan mål", area="Område"),
        row(
            SECTION,
            order=1,
            text="Verksamhetsområdets namn",
            intro="Områdets text.\n\n## Underrubrik\n\nMer text.",
            area="Verksamhetsområdets namn",
        ),
        row(
            SECTION,
            goal=1,
            order=2,
            text="Rubrik före mål 1",
            intro="Text som leder in i målet.",
            area="Verksamhetsområdets namn",
        ),
    ]
    return XLSXFormat().write(HEADERS, rows)


def _text_field(column, max_length=None):
    return Field(column_name=column, widget=TextWidget(max_length))


class PlanResource(PlannedImportResource):
    """A whole new plan from the sheet (see the module's docstring)."""

    board = _text_field("Nämnd")
    year = _text_field("År")
    kind = _text_field("Typ")
    goal = _text_field("Mål nr")
    number = _text_field("Nummer", 20)
    order = _text_field("Ordning")
    text = _text_field("Text")
    intro = _text_field("Inledning")
    area = _text_field("Område", 200)
    domain = _text_field("Målområde", 100)
    schedule = _text_field("Tidplan", 200)
    origin = _text_field("Ursprung")
    partners = _text_field("Tillsammans med", 300)
    key = _text_field("Nyckel", 80)

    required_columns = ("Nämnd", "År", "Typ", "Text")

    class Meta:
        model = Plan
        name = "Verksamhetsplan"
        fields = tuple(name for name, _c in COLUMNS)
        clean_model_instances = True
        use_transactions = True

    def __init__(self, user=None, year=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.as_year = year

    # -- planning ---------------------------------------------------------------------------
    def plan(self, rows, result):
        # Plans and goals first, so that every other row finds its goal, wherever it stands.
        rank = {PLAN: 0, GOAL: 1}
        rows = sorted(rows, key=lambda r: rank.get(normalize_text(r[1].get("Typ")).capitalize(), 2))
        super().plan(rows, result)

    def prepare(self, rows):
        self.load_boards()
        self.existing_plans = set(Plan.objects.values_list("board_id", "year"))
        self.plans = {}  # (board id, year) → new Plan
        self.planned_plans = set()  # (board id, year) of the plans already in the preview
        self.goals = {}  # (board id, year, order) → new Goal
        self.areas = {(a.board_id, a.name.casefold()): a for a in ActivityArea.objects.all()}
        self.domains = {(d.municipality_id, d.name.casefold()): d for d in GoalDomain.objects.all()}
        self.municipal_goals = {}
        for goal in MunicipalGoal.objects.order_by("-valid_from"):
            self.municipal_goals.setdefault(
                (goal.municipality_id, goal.title.casefold()), []
            ).append(goal)

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        kind = values.get("kind", "").capitalize()
        if kind not in KINDS:
            problems.append(
                Problem(
                    number,
                    "Typ",
                    _("Write one of %(kinds)s.") % {"kinds": ", ".join(KINDS)},
                )
            )
            raise RowProblems(problems)
        board = self.resolve_board(number, values.get("board"), problems)
        year = self._year(number, values.get("year"), problems)
        if problems:
            raise RowProblems(problems)
        key = (board.pk, year)
        if key in self.existing_plans:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "År",
                        _(
                            "%(board)s already has a plan for %(year)s: import the file as "
                            "another year's plan (Som år) or remove that plan first."
                        )
                        % {"board": board.name, "year": year},
                    )
                ]
            )
        plan = self._plan(board, year)
        handler = getattr(self, f"_plan_{KINDS.index(kind)}")
        return handler(number, values, board, plan, problems)

    def _year(self, number, raw, problems):
        if self.as_year:
            return int(self.as_year)
        try:
            year = parse_int(raw)
        except ValueError as exc:
            problems.append(Problem(number, "År", str(exc)))
            return None
        if year is None or not FIRST_PLAN_YEAR <= year <= LAST_YEAR:
            problems.append(
                Problem(
                    number,
                    "År",
                    _("Write a year between %(first)s and %(last)s.")
                    % {"first": FIRST_PLAN_YEAR, "last": LAST_YEAR},
                )
            )
            return None
        return year

    def _plan(self, board, year):
        key = (board.pk, year)
        if key not in self.plans:
            self.plans[key] = Plan(
                board=board, year=year, title=_("Verksamhetsplan %(year)s") % {"year": year}
            )
        return self.plans[key]

    def _int(self, number, values, name, column, problems, required=False):
        raw = values.get(name, "")
        if is_blank(raw):
            if required:
                problems.append(Problem(number, column, _("The cell is empty.")))
            return None
        try:
            return parse_int(raw)
        except ValueError as exc:
            problems.append(Problem(number, column, str(exc)))
            return None

    def _goal(self, number, values, plan, problems, required=True):
        order = self._int(number, values, "goal", "Mål nr", problems, required=required)
        if order is None:
            return None
        goal = self.goals.get((plan.board_id, plan.year, order))
        if goal is None:
            problems.append(
                Problem(
                    number,
                    "Mål nr",
                    _("The file has no goal (Typ Mål) no. %(order)s.") % {"order": order},
                )
            )
        return goal

    def _required_text(self, number, values, problems):
        text = values.get("text", "")
        if not text:
            problems.append(Problem(number, "Text", _("The cell is empty.")))
        return text

    def _area(self, number, values, board, problems):
        name = values.get("area", "")
        if not name:
            return None
        area = self.areas.get((board.pk, name.casefold()))
        if area is None:
            problems.append(
                Problem(
                    number,
                    "Område",
                    _("%(board)s has no activity area called “%(name)s”.")
                    % {"board": board.name, "name": name},
                )
            )
        return area

    def _check(self, number, instance, exclude, columns):
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            # The plan and goal rows are written first; what needs their ids is not a problem.
            errors = {k: v for k, v in exc.message_dict.items() if k not in exclude}
            if errors:
                raise RowProblems(
                    self.validation_problems(number, ValidationError(errors), columns)
                ) from exc

    def _outcome(self, number, instance, board, plan, label, key, changes):
        rows = []
        if (board.pk, plan.year) not in self.planned_plans:
            # The plan itself is the first row written (every other row refers to it).
            self.planned_plans.add((board.pk, plan.year))
            rows.append(
                PlannedRow(
                    row=number,
                    action=NEW,
                    label=_("Plan %(title)s") % {"title": plan.title},
                    instance=plan,
                    board_id=board.pk,
                    changes=[("Text", "", plan.title)],
                    key=("plan", board.pk, plan.year),
                )
            )
        if not isinstance(instance, Plan):
            rows.append(
                PlannedRow(
                    row=number,
                    action=NEW,
                    label=label,
                    instance=instance,
                    board_id=board.pk,
                    changes=changes,
                    key=key,
                )
            )
        return rows

    # One method per kind (KINDS order).
    def _plan_0(self, number, values, board, plan, problems):
        plan.title = self._required_text(number, values, problems)
        if problems:
            raise RowProblems(problems)
        self._check(number, plan, ["board"], {"title": "Text"})
        if (board.pk, plan.year) in self.planned_plans:
            return []
        return self._outcome(number, plan, board, plan, "", (), [])

    def _plan_1(self, number, values, board, plan, problems):
        order = self._int(number, values, "goal", "Mål nr", problems, required=True)
        text = self._required_text(number, values, problems)
        area = self._area(number, values, board, problems)
        domain = None
        if values.get("domain"):
            domain = self.domains.get((board.municipality_id, values["domain"].casefold()))
            if domain is None:
                problems.append(
                    Problem(
                        number,
                        "Målområde",
                        _("There is no goal domain called “%(name)s”.")
                        % {"name": values["domain"]},
                    )
                )
        if problems:
            raise RowProblems(problems)
        goal = Goal(
            plan=plan,
            order=order,
            text=text,
            intro=values.get("intro", ""),
            area=area,
            domain=domain,
        )
        self._check(
            number, goal, ["plan", "area", "domain"], {"text": "Text", "intro": "Inledning"}
        )
        key = (board.pk, plan.year, order)
        if key not in self.goals:
            self.goals[key] = goal
        changes = [("Mål nr", "", str(order)), ("Text", "", text)]
        if goal.intro:
            changes.append(("Inledning", "", goal.intro))
        return self._outcome(
            number,
            goal,
            board,
            plan,
            _("Goal %(order)s") % {"order": order},
            ("goal", *key),
            changes,
        )

    def _plan_2(self, number, values, board, plan, problems):
        goal = self._goal(number, values, plan, problems)
        text = self._required_text(number, values, problems)
        order = self._int(number, values, "order", "Ordning", problems) or 0
        if problems:
            raise RowProblems(problems)
        item = GoalIndicatorItem(goal=goal, number=values.get("number", ""), text=text, order=order)
        self._check(number, item, ["goal"], {"number": "Nummer", "text": "Text"})
        key = ("indicator", id(goal), item.number or number)
        label = _("Indicator %(number)s of goal %(goal)s") % {
            "number": item.number,
            "goal": goal.order,
        }
        return self._outcome(
            number, item, board, plan, label, key, [("Nummer", "", item.number), ("Text", "", text)]
        )

    def _plan_3(self, number, values, board, plan, problems):
        goal = self._goal(number, values, plan, problems)
        title = self._required_text(number, values, problems)
        order = self._int(number, values, "order", "Ordning", problems) or 0
        candidates = self.municipal_goals.get((board.municipality_id, title.casefold()), [])
        year = plan.year
        valid = [
            g
            for g in candidates
            if g.valid_from <= year and (g.valid_to is None or g.valid_to >= year)
        ]
        municipal_goal = (valid or candidates or [None])[0]
        if title and municipal_goal is None:
            problems.append(
                Problem(
                    number,
                    "Text",
                    _("There is no municipal goal called “%(title)s”.") % {"title": title},
                )
            )
        if problems:
            raise RowProblems(problems)
        link = GoalMunicipalGoal(goal=goal, municipal_goal=municipal_goal, order=order)
        key = ("link", id(goal), municipal_goal.pk)
        return self._outcome(
            number,
            link,
            board,
            plan,
            _("Link of goal %(goal)s") % {"goal": goal.order},
            key,
            [("Text", "", title)],
        )

    def _plan_4(self, number, values, board, plan, problems):
        goal = self._goal(number, values, plan, problems, required=False)
        text = self._required_text(number, values, problems)
        raw_origin = values.get("origin", "").casefold()
        origins = {str(label).casefold(): code for code, label in ORIGIN_LABELS.items()}
        origins.update(ORIGIN_ALIASES)
        origin = origins.get(raw_origin, "board" if not raw_origin else None)
        if origin is None:
            problems.append(
                Problem(
                    number,
                    "Ursprung",
                    _("Write one of %(kinds)s.")
                    % {"kinds": ", ".join(str(v) for v in ORIGIN_LABELS.values())},
                )
            )
        if not values.get("number"):
            problems.append(Problem(number, "Nummer", _("The cell is empty.")))
        if problems:
            raise RowProblems(problems)
        assignment = Assignment(
            plan=plan,
            goal=goal,
            origin=origin,
            number=values["number"],
            text=text,
            partners=values.get("partners", ""),
        )
        self._check(number, assignment, ["plan", "goal"], {"number": "Nummer", "text": "Text"})
        scope = id(goal) if goal is not None else ("plan", origin)
        key = ("assignment", scope, assignment.number)
        return self._outcome(
            number,
            assignment,
            board,
            plan,
            _("Assignment %(number)s") % {"number": assignment.number},
            key,
            [("Nummer", "", assignment.number), ("Text", "", text)],
        )

    def _plan_5(self, number, values, board, plan, problems):
        goal = self._goal(number, values, plan, problems, required=False)
        text = self._required_text(number, values, problems)
        area = self._area(number, values, board, problems)
        activity_number = values.get("number", "")
        if not re.match(NUMBER_RE, activity_number):
            problems.append(
                Problem(
                    number,
                    "Nummer",
                    _("The number must be digits separated by full stops, e.g. 1.1 or 6.10."),
                )
            )
        if goal is None and area is None and not problems:
            problems.append(
                Problem(
                    number,
                    "Område",
                    _("An activity without a goal needs its activity area."),
                )
            )
        if problems:
            raise RowProblems(problems)
        schedule, schedule_text = parse_schedule(values.get("schedule", ""))
        activity = Activity(
            plan=plan,
            goal=goal,
            area=area if goal is None else (goal.area or area),
            number=activity_number,
            text=text,
            schedule=schedule,
            schedule_text=schedule_text,
        )
        self._check(
            number,
            activity,
            ["plan", "goal", "area"],
            {"number": "Nummer", "text": "Text", "schedule": "Tidplan", "schedule_text": "Tidplan"},
        )
        key = ("activity", board.pk, plan.year, activity_number)
        return self._outcome(
            number,
            activity,
            board,
            plan,
            _("Activity %(number)s") % {"number": activity_number},
            key,
            [("Nummer", "", activity_number), ("Text", "", text)],
        )

    def _plan_6(self, number, values, board, plan, problems):
        before_goal = self._goal(number, values, plan, problems, required=False)
        title = self._required_text(number, values, problems)
        order = self._int(number, values, "order", "Ordning", problems) or 0
        area = self._area(number, values, board, problems)
        key = (
            values.get("key", "")
            or slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:80]
        )
        if problems:
            raise RowProblems(problems)
        section = PlanSection(
            plan=plan,
            area=area,
            before_goal=before_goal,
            key=key,
            title=title,
            body=values.get("intro", ""),
            order=order,
        )
        self._check(
            number,
            section,
            ["plan", "area", "before_goal", "period"],
            {"key": "Nyckel", "title": "Text", "body": "Inledning"},
        )
        if before_goal is not None and area is not None and before_goal.area not in (None, area):
            raise RowProblems(
                [
                    Problem(
                        number,
                        "Område",
                        _(
                            "The section is placed before a goal of the area %(area)s: write "
                            "that area or none."
                        )
                        % {"area": before_goal.area},
                    )
                ]
            )
        changes = [("Text", "", title)]
        if before_goal is not None:
            changes.append(("Mål nr", "", str(before_goal.order)))
        return self._outcome(
            number,
            section,
            board,
            plan,
            _("Section %(title)s") % {"title": title[:60]},
            ("section", board.pk, plan.year, key),
            changes,
        )
