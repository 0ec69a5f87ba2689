from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access import policy
from access.admin_mixins import (
    BoardScopedAdminMixin,
    BoardScopedInlineMixin,
    ReferenceDataAdminMixin,
)
from access.choices import Action
from activities.models import Activity, Assignment
from activities.plan_resource import HEADERS as PLAN_HEADERS
from activities.plan_resource import PlanResource, plan_xlsx, template_xlsx
from backoffice.responsibilities import ResponsibilityInline
from core.formats import XLSXFormat
from core.locking import LockedInlineForm, LockedInlineFormSet
from followups.rollover import plan_roll_over
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    GoalDomain,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    MunicipalGoal,
    Municipality,
    Plan,
    PlanSection,
)
from imports.forms import PlanUploadForm
from imports.views import import_page

from .labels import LabelledChoicesMixin, restrict_to_plan


class ParentDerivedInlineForm(LockedInlineForm):
    """A row whose plan comes from its parent (the plan, or the goal and so its plan).

    When the parent is added in the same submission it has no id while the rows are
    validated, so the row cannot name its plan yet; the model's cross-row check (the plan is
    given, the area is the plan board's) is left to the save, which sets the parent first.
    """

    parent_unsaved = False

    def _post_clean(self):
        if not self.parent_unsaved:
            super()._post_clean()
            return
        self.instance.clean = lambda: None
        try:
            super()._post_clean()
        finally:
            del self.instance.clean


class NumberedInlineFormSet(LockedInlineFormSet):
    """Rows numbered within their parent (a goal's indicators, assignments, activities).

    A number given to two rows of the form is refused on the second row's number field,
    before the database would refuse the whole save; the rows take their plan from the
    parent, so the form never asks for board, plan or goal.
    """

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form in self.deleted_forms:
                continue
            number = str(data.get("number") or "").strip()
            if not number:
                continue
            if number in seen:
                form.add_error(
                    "number",
                    ValidationError(
                        _("The number %(number)s is already used on another row."),
                        code="number_taken",
                        params={"number": number},
                    ),
                )
            seen.add(number)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.parent_unsaved = self.instance.pk is None
        return form

    def save_new(self, form, commit=True):
        instance = form.instance
        plan_id = getattr(self.instance, "plan_id", None)
        if plan_id and hasattr(instance, "plan_id") and not instance.plan_id:
            instance.plan_id = plan_id
        return super().save_new(form, commit=commit)


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "logo"]


@admin.register(Board)
class BoardAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "municipality", "valid_from", "valid_to"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["municipality", "predecessors"]


@admin.register(ActivityArea)
class ActivityAreaAdmin(BoardScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "board", "order"]
    list_editable = ["order"]
    list_filter = ["board"]
    list_select_related = ["board"]
    search_fields = ["name", "board__name"]
    autocomplete_fields = ["board"]


@admin.register(GoalDomain)
class GoalDomainAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality", "order"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(MunicipalGoal)
class MunicipalGoalAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ["title", "domain", "valid_from", "valid_to"]
    list_filter = ["municipality", "domain", "valid_from"]
    list_select_related = ["domain"]
    search_fields = ["title"]
    autocomplete_fields = ["municipality", "domain"]


@admin.register(FulfilmentLevel)
class FulfilmentLevelAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ["label", "swatch", "symbol", "code", "municipality", "order"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["label", "code"]
    autocomplete_fields = ["municipality"]

    @admin.display(description=_("colour"))
    def swatch(self, obj):
        return format_html(
            '<span style="display:inline-block;width:1.2em;height:1.2em;border:1px solid #444;'
            'background:{}"></span> {}',
            obj.colour,
            obj.colour,
        )


class FollowUpPeriodInline(BoardScopedInlineMixin, admin.TabularInline):
    model = FollowUpPeriod
    extra = 0
    fields = [
        "kind",
        "date",
        "deadline",
        "values_deadline",
        "reminder_days",
        "status",
        "report_adopted_on",
        "report_adopted_by",
        "report_decision_paragraph",
        "report_diary_number",
        "workbench_link",
        "workflow_link",
        "compare_link",
    ]
    # The status moves only through the workflow (submit, approve, publish, reopen).
    readonly_fields = ["status", "workbench_link", "workflow_link", "compare_link"]

    def get_queryset(self, request):
        earlier = FollowUpPeriod.objects.filter(
            plan=OuterRef("plan"), date__lt=OuterRef("date")
        ).order_by("-date")
        return (
            super()
            .get_queryset(request)
            .select_related("plan")
            .annotate(previous_date=Subquery(earlier.values("date")[:1]))
        )

    @admin.display(description=_("What changed"))
    def compare_link(self, obj):
        """The diff of this follow-up against the one before it (e.g. year-end vs tertial)."""
        if not getattr(obj, "previous_date", None):
            return "–"
        url = reverse("public:compare", args=[obj.plan.board_id, obj.plan.year])
        return format_html(
            '<a href="{}?fran={}&amp;till={}">{}</a>',
            url,
            obj.previous_date.isoformat(),
            obj.date.isoformat(),
            _("Compare with the previous follow-up"),
        )

    @admin.display(description=_("workbench"))
    def workbench_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open workbench"))

    @admin.display(description=_("Workflow"))
    def workflow_link(self, obj):
        return _workflow_link(obj)


def _workflow_link(period):
    """The period's workflow page (submit, approve, publish, reopen), linked by name."""
    if not period.pk:
        return "–"
    return format_html(
        '<a class="workflow-link" href="{}">{}</a>',
        reverse("followups:period_status", args=[period.pk]),
        _("Workflow"),
    )


class PlanSectionInline(LabelledChoicesMixin, BoardScopedInlineMixin, admin.StackedInline):
    model = PlanSection
    extra = 0
    fields = [("key", "order"), "title", "area", "before_goal", "period", "body"]
    autocomplete_fields = ["area"]
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "period", "before_goal")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A section belongs to a period of its own plan and is placed before one of its own
        # goals (neither exists yet on a new plan).
        return _scoped_formset(formset, obj.pk if obj else None, ["period", "before_goal"])


def _scoped_formset(formset, plan_id, fields):
    restrict_to_plan(formset.form, plan_id, fields)
    return formset


class GoalInline(BoardScopedInlineMixin, admin.StackedInline):
    """The plan's board goals: a new plan gets its goals in the plan's own form; each goal's
    indicators, links, assignments and activities are on the goal's page (link)."""

    model = Goal
    extra = 0
    fields = [("order", "area", "domain"), "text"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "domain")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        _areas_of_board(formset.form, obj)
        return formset


class AreaActivityInline(BoardScopedInlineMixin, admin.TabularInline):
    """Activities of an area that has no goal of its own (the goal's activities are on the
    goal's page)."""

    model = Activity
    form = ParentDerivedInlineForm
    formset = NumberedInlineFormSet
    fk_name = "plan"
    extra = 0
    fields = ["area", "number", "text", "schedule", "schedule_text"]
    ordering = ["sort_key"]
    verbose_name = _("activity of an area without a goal")
    verbose_name_plural = _("activities of areas without a goal")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(goal__isnull=True).select_related("area")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        _areas_of_board(formset.form, obj)
        return formset


def _areas_of_board(form_class, plan):
    """On an existing plan, the area pickers offer the plan's board's areas only."""
    field = form_class.base_fields.get("area")
    if field is not None and plan is not None:
        field.queryset = field.queryset.filter(board_id=plan.board_id)


@admin.register(Plan)
class PlanAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "board", "year", "adopted_on", "goal_count", "activity_count"]
    list_filter = ["board", "year"]
    list_select_related = ["board"]
    search_fields = ["title", "board__name"]
    # Explicit, as for goals: the counts group the rows (see GoalAdmin.ordering).
    ordering = ["board", "-year"]
    autocomplete_fields = ["board"]
    fieldsets = [
        # base_token: the version the form was rendered from (LockedModelForm).
        (None, {"fields": ["board", "year", "title", "base_token"]}),
        (
            _("Decision"),
            {"fields": ["adopted_on", "adopted_by", "decision_paragraph", "diary_number"]},
        ),
    ]
    inlines = [GoalInline, AreaActivityInline, FollowUpPeriodInline, PlanSectionInline]
    actions = ["roll_over"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                goal_total=Count("goals", distinct=True),
                activity_total=Count("activities", distinct=True),
            )
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/ny-fran-foregaende-ar/",
                wrap(self.roll_over_view),
                name="goals_plan_roll_over",
            ),
            path("<int:pk>/export.xlsx", wrap(self.export_view), name="goals_plan_export"),
            path("import/", wrap(self.import_view), name="goals_plan_import"),
            path("mall.xlsx", wrap(self.template_view), name="goals_plan_template"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        return bool(policy.board_ids(request.user, Action.IMPORT))

    def import_view(self, request):
        """A whole plan from the sheet: preview → confirm, all or nothing (imports.views)."""
        return import_page(
            request,
            model_admin=self,
            page="goals.plan:PlanResource",
            title=_("Import a plan"),
            form_class=PlanUploadForm,
            make_resource=lambda user, **options: PlanResource(user=user, **options),
            done_url=reverse("admin:goals_plan_changelist"),
            intro=_(
                "One row per part of the plan; the column Typ says which: Plan, Mål, "
                "Indikator, Koppling, Uppdrag or Aktivitet. The template shows one of each. "
                "Columns: %(columns)s."
            )
            % {"columns": ", ".join(PLAN_HEADERS)},
        )

    def template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return _xlsx_response(template_xlsx(), "verksamhetsplan-mall.xlsx")

    def export_view(self, request, pk):
        plan = self.get_object(request, str(pk))
        if plan is None:
            raise Http404
        if not policy.can(request.user, Action.EXPORT, plan.board_id):
            raise PermissionDenied
        return _xlsx_response(plan_xlsx(plan), f"verksamhetsplan-{plan.year}-{plan.pk}.xlsx")

    @admin.action(description=_("New plan from the previous year"))
    def roll_over(self, request, queryset):
        for plan in queryset.select_related("board"):
            self._roll_over(request, plan)

    def roll_over_view(self, request, pk):
        """The button on a plan's page (POST): next year's plan from this one."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        plan = self.get_object(request, str(pk))
        if plan is None:
            raise Http404
        new_plan = self._roll_over(request, plan)
        target = new_plan or plan
        return HttpResponseRedirect(reverse("admin:goals_plan_change", args=[target.pk]))

    def _roll_over(self, request, plan):
        if not policy.can(request.user, Action.EDIT, plan.board_id):
            raise PermissionDenied
        try:
            new_plan = plan_roll_over(plan=plan, user=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            format_html(
                _(
                    "{new} was created from {old}: goals, introductions, numbered indicators, "
                    "links, running assignments and activities and the sections. It is a draft "
                    "until it is adopted; check it and add its follow-up periods."
                ),
                new=format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:goals_plan_change", args=[new_plan.pk]),
                    new_plan,
                ),
                old=plan,
            ),
            messages.SUCCESS,
        )
        return new_plan

    @admin.display(description=_("board goals"), ordering="goal_total")
    def goal_count(self, obj):
        return obj.goal_total

    @admin.display(description=_("activities"), ordering="activity_total")
    def activity_count(self, obj):
        return obj.activity_total


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSXFormat.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(PlanSection)
class PlanSectionAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "key", "plan", "area", "before_goal", "period", "order"]
    list_filter = ["plan__board", "plan__year"]
    list_select_related = ["plan", "area", "period", "before_goal"]
    search_fields = ["title", "body", "key", "plan__board__name"]
    autocomplete_fields = ["plan", "area", "before_goal"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return restrict_to_plan(form, obj.plan_id, ["period", "before_goal"]) if obj else form


class ActivityInline(BoardScopedInlineMixin, admin.TabularInline):
    model = Activity
    form = ParentDerivedInlineForm
    formset = NumberedInlineFormSet
    fk_name = "goal"
    extra = 0
    fields = ["number", "text", "schedule", "schedule_text"]
    ordering = ["sort_key"]


class AssignmentInline(BoardScopedInlineMixin, admin.TabularInline):
    """The goal's development assignments, numbered within the goal."""

    model = Assignment
    form = ParentDerivedInlineForm
    formset = NumberedInlineFormSet
    fk_name = "goal"
    extra = 0
    fields = ["number", "text", "origin", "partners"]
    ordering = ["sort_key"]


class IndicatorItemInline(BoardScopedInlineMixin, admin.TabularInline):
    model = GoalIndicatorItem
    form = ParentDerivedInlineForm
    formset = NumberedInlineFormSet
    extra = 0
    fields = ["order", "number", "text"]


class MunicipalGoalLinkInline(BoardScopedInlineMixin, admin.TabularInline):
    model = GoalMunicipalGoal
    extra = 0
    fields = ["order", "municipal_goal"]
    autocomplete_fields = ["municipal_goal"]


@admin.register(Goal)
class GoalAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["short_text", "plan", "board", "area", "domain", "order", "activity_count"]
    list_filter = ["plan__board", "plan__year", "area", "domain"]
    list_select_related = ["plan__board", "area", "domain"]
    search_fields = ["text", "intro", "indicator_items__text", "summary", "plan__board__name"]
    # Explicit: the activity count groups the rows, and a grouped query drops Meta.ordering
    # (the autocomplete pages through it).
    ordering = ["plan", "order", "pk"]
    autocomplete_fields = ["plan", "area", "domain"]
    # base_token: the version the form was rendered from (LockedModelForm).
    fields = ["plan", ("order", "area", "domain"), "text", "intro", "summary", "base_token"]
    inlines = [
        ResponsibilityInline,
        IndicatorItemInline,
        MunicipalGoalLinkInline,
        AssignmentInline,
        ActivityInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_total=Count("activities"))

    @admin.display(description=_("board goal"), ordering="text")
    def short_text(self, obj):
        return str(obj)

    @admin.display(description=_("board"), ordering="plan__board__name")
    def board(self, obj):
        return obj.plan.board

    @admin.display(description=_("activities"), ordering="activity_total")
    def activity_count(self, obj):
        return obj.activity_total


@admin.register(FollowUpPeriod)
class FollowUpPeriodAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "plan",
        "board",
        "date",
        "deadline",
        "status",
        "workbench_link",
        "workflow_link",
        "progress_link",
        "compare_link",
    ]
    list_filter = ["plan__board", "plan__year", "kind", "status"]
    list_select_related = ["plan__board"]
    search_fields = ["plan__title", "plan__board__name"]
    autocomplete_fields = ["plan"]
    readonly_fields = ["status"]
    date_hierarchy = "date"

    @admin.display(description=_("board"), ordering="plan__board__name")
    def board(self, obj):
        return obj.plan.board

    def get_queryset(self, request):
        earlier = FollowUpPeriod.objects.filter(
            plan=OuterRef("plan"), date__lt=OuterRef("date")
        ).order_by("-date")
        return (
            super()
            .get_queryset(request)
            .annotate(previous_date=Subquery(earlier.values("date")[:1]))
        )

    @admin.display(description=_("What changed"))
    def compare_link(self, obj):
        """The diff of this follow-up against the one before it (e.g. year-end vs tertial)."""
        if not getattr(obj, "previous_date", None):
            return "–"
        url = reverse("public:compare", args=[obj.plan.board_id, obj.plan.year])
        return format_html(
            '<a href="{}?fran={}&amp;till={}">{}</a>',
            url,
            obj.previous_date.isoformat(),
            obj.date.isoformat(),
            _("Compare with the previous follow-up"),
        )

    @admin.display(description=_("workbench"))
    def workbench_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("followups:workbench", args=[obj.pk]),
            _("Open workbench"),
        )

    @admin.display(description=_("progress"))
    def progress_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("deadlines:progress", args=[obj.pk]), _("Progress")
        )

    @admin.display(description=_("Workflow"))
    def workflow_link(self, obj):
        return _workflow_link(obj)
