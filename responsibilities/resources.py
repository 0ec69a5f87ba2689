"""Import and export of responsible persons: one row per subject and person.

Columns: Nämnd, År (the plan), Typ (Mål, Indikator, Aktivitet, Uppdrag), Nummer (the goal's
number, the activity's or assignment's number, or the indicator's name) and Ansvarig
(username or e-mail address; several separated by commas). Importing adds the persons
named; it removes nobody (remove in the admin).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from import_export.fields import Field

from access import policy
from access.choices import Action
from activities.models import Activity, Assignment
from core.cells import normalize_text
from core.years import LAST_YEAR
from goals.models import FIRST_PLAN_YEAR, Goal, Plan
from imports.engine import NEW, UNCHANGED, PlannedImportResource, PlannedRow, Problem, RowProblems
from imports.widgets import TextWidget, YearWidget
from indicators.models import Indicator

from .models import Responsibility
from .selectors import users_by_login

KIND_NAMES = {
    "goal": "Mål",
    "indicator": "Indikator",
    "activity": "Aktivitet",
    "assignment": "Uppdrag",
}
KINDS = {name.casefold(): kind for kind, name in KIND_NAMES.items()} | {
    "nämndmål": "goal",
    "utvecklingsuppdrag": "assignment",
}
BOARD_Q = (
    "goal__plan__board",
    "indicator__board",
    "activity__plan__board",
    "assignment__plan__board",
)


class ResponsibilityResource(PlannedImportResource):
    """Responsible persons by plan (board + year), kind, number and login."""

    required_columns = ("Nämnd", "År", "Typ", "Nummer", "Ansvarig")

    board = Field(attribute="board_name", column_name="Nämnd", widget=TextWidget(200))
    year = Field(attribute="year", column_name="År", widget=YearWidget(FIRST_PLAN_YEAR, LAST_YEAR))
    kind = Field(attribute="kind_name", column_name="Typ", widget=TextWidget(40))
    number = Field(attribute="number", column_name="Nummer", widget=TextWidget(300))
    login = Field(attribute="login", column_name="Ansvarig", widget=TextWidget(2000))

    export_select_related = (
        "user",
        "goal__plan__board",
        "indicator__goal__plan__board",
        "activity__plan__board",
        "assignment__plan__board",
    )

    class Meta:
        model = Responsibility
        name = "Ansvariga"
        fields = ("board", "year", "kind", "number", "login")
        import_id_fields = ()
        clean_model_instances = True
        use_transactions = True

    # -- export ---------------------------------------------------------------------------
    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related(*self.export_select_related)
        if self.user is None:
            return queryset.none()
        ids = policy.board_ids(self.user, Action.EXPORT)
        if ids is not policy.ALL:
            q = Q()
            for path in BOARD_Q:
                q |= Q(**{f"{path}__in": ids})
            queryset = queryset.filter(q)
        return queryset.exclude(indicator__isnull=False, indicator__goal__isnull=True)

    @staticmethod
    def _plan(obj):
        subject = obj.subject
        return subject.goal.plan if obj.subject_kind == "indicator" else subject.plan

    def dehydrate_board(self, obj):
        return self._plan(obj).board.name

    def dehydrate_year(self, obj):
        return self._plan(obj).year

    def dehydrate_kind(self, obj):
        return KIND_NAMES[obj.subject_kind]

    def dehydrate_number(self, obj):
        subject, kind = obj.subject, obj.subject_kind
        if kind == "goal":
            return str(subject.order)
        return subject.name if kind == "indicator" else subject.number

    def dehydrate_login(self, obj):
        return obj.user.email or obj.user.username

    # -- import ---------------------------------------------------------------------------
    def prepare(self, rows):
        self.load_boards()
        self.plans = {(p.board_id, p.year): p for p in Plan.objects.all()}
        logins = []
        for _number, cells in rows:
            logins += str(cells.get("Ansvarig") or "").split(",")
        self.users = users_by_login(logins)
        plan_ids = [p.pk for p in self.plans.values()]
        self.subjects = {}
        for goal in Goal.objects.filter(plan__in=plan_ids).only("pk", "plan", "order"):
            self.subjects[(goal.plan_id, "goal", str(goal.order))] = goal
        for indicator in Indicator.objects.filter(goal__plan__in=plan_ids).select_related("goal"):
            self.subjects[(indicator.goal.plan_id, "indicator", indicator.name.casefold())] = (
                indicator
            )
        for activity in Activity.objects.filter(plan__in=plan_ids).only("pk", "plan", "number"):
            self.subjects[(activity.plan_id, "activity", activity.number.casefold())] = activity
        for assignment in Assignment.objects.filter(plan__in=plan_ids).only("pk", "plan", "number"):
            self.subjects.setdefault(
                (assignment.plan_id, "assignment", assignment.number.casefold()), assignment
            )
        self.existing = set(
            Responsibility.objects.filter(
                Q(goal__plan__in=plan_ids)
                | Q(indicator__goal__plan__in=plan_ids)
                | Q(activity__plan__in=plan_ids)
                | Q(assignment__plan__in=plan_ids)
            ).values_list("user_id", "goal_id", "indicator_id", "activity_id", "assignment_id")
        )

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        board = self.resolve_board(number, values.get("board"), problems)
        plan = None
        if board is not None and values.get("year") is not None:
            plan = self.plans.get((board.pk, values["year"]))
            if plan is None:
                problems.append(
                    Problem(
                        number,
                        "År",
                        _("The board %(board)s has no plan for %(year)s.")
                        % {"board": board.name, "year": values["year"]},
                    )
                )
        kind = KINDS.get(normalize_text(values.get("kind") or "").casefold())
        if kind is None:
            problems.append(
                Problem(
                    number,
                    "Typ",
                    _("Write the kind as one of: %(kinds)s.")
                    % {"kinds": ", ".join(KIND_NAMES.values())},
                )
            )
        subject = None
        key = normalize_text(values.get("number") or "")
        if plan is not None and kind is not None:
            if kind == "goal":
                key = key.removesuffix(".")
            subject = self.subjects.get((plan.pk, kind, key.casefold()))
            if subject is None:
                problems.append(
                    Problem(
                        number,
                        "Nummer",
                        _("The plan %(plan)s has no %(kind)s “%(number)s”.")
                        % {"plan": plan, "kind": KIND_NAMES[kind].lower(), "number": key[:60]},
                    )
                )
        users = []
        logins = [x.strip() for x in str(values.get("login") or "").split(",") if x.strip()]
        if not logins:
            problems.append(Problem(number, "Ansvarig", _("The responsible person is missing.")))
        for login in logins:
            user = self.users.get(login.casefold())
            if user is None:
                problems.append(
                    Problem(
                        number,
                        "Ansvarig",
                        _("No active user has the username or e-mail address “%(login)s”.")
                        % {"login": login[:80]},
                    )
                )
            else:
                users.append(user)
        if problems:
            raise RowProblems(problems)
        planned = []
        for user in users:
            ids = {f"{k}_id": None for k in KIND_NAMES}
            ids[f"{kind}_id"] = subject.pk
            exists = (
                user.pk,
                ids["goal_id"],
                ids["indicator_id"],
                ids["activity_id"],
                ids["assignment_id"],
            ) in self.existing
            instance = Responsibility(user=user, **ids)
            planned.append(
                PlannedRow(
                    row=number,
                    action=UNCHANGED if exists else NEW,
                    label=f"{KIND_NAMES[kind]} {key}: {user.username}",
                    instance=instance,
                    board_id=plan.board_id,
                    changes=[] if exists else [("Ansvarig", "", user.username)],
                    key=(kind, subject.pk, user.pk),
                )
            )
        return planned

    def update_fields(self):
        return []
