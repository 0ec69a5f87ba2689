"""What each reader of the REST API may see. Every API viewset filters through these.

The answers come from the role policy (access/policy.py): a system administrator sees
everything; a reader, editor or approver of a board (in person or through an API token
scoped to the board) sees that board's unpublished content too; everyone else sees
published content:

- follow-ups and follow-up periods only of periods whose status is "published";
- indicator values only of years covered by a published year-end (T3) period of the
  indicator's board: a value of year Y is public once the board has published a year-end
  report for Y or later (the 2019 report shows the 2017 and 2018 values beside 2019's;
  the rule lives in indicators/visibility.py, which the quality reports ask too);
- plans, and their goals (with the goals' numbered indicators and municipal-goal links),
  activities and assignments, once the board has adopted the plan or published one of its
  follow-up periods (policy.visible_plans_q, the rule the reader and the reports ask too);
- action plans and quality reports once published, monthly follow-ups once both the month
  and its plan are published (the rules live in the apps' selectors);
- indicators, boards, areas and municipal goals are public; deletions and withdrawals (ids
  only) of rows that were public.

`audience()` differs for every pair of readers who may see different rows, since it is
part of every ETag.
"""

from django.db.models import Q

from access import policy
from access.choices import Action
from actionplans import selectors as actionplan_selectors
from actionplans.models import ActionPlan
from indicators.visibility import values_visible
from qualityreports import selectors as qualityreport_selectors
from qualityreports.models import QualityReport


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


def visible_goal_parts(request, queryset):
    """A goal's numbered indicators and municipal-goal links: visible with their goal."""
    return queryset.filter(policy.visible_plans_q(_user(request), "goal__plan__"))


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


def visible_values(request, queryset):
    """Indicator values; the public sees years up to the board's last published year-end
    (the rule is indicators.visibility's, which the quality reports ask too)."""
    return values_visible(queryset, _user(request))


def visible_action_plans(request, queryset):
    """Action plans; the public sees published ones, role holders their boards' too."""
    return queryset.filter(actionplan_selectors.visible_plans_q(request.user))


def visible_measures(request, queryset):
    """Measures of the action plans the reader sees."""
    plans = ActionPlan.objects.filter(actionplan_selectors.visible_plans_q(request.user))
    return queryset.filter(group__plan__in=plans)


def visible_measure_follow_ups(request, queryset):
    """Measures at monthly follow-ups; the public sees published months of published plans."""
    return queryset.filter(actionplan_selectors.visible_months_q(request.user, prefix="period__"))


def visible_quality_reports(request, queryset):
    """Quality reports; the public sees published ones, role holders their boards' too."""
    return queryset.filter(qualityreport_selectors.visible_reports_q(request.user))


def visible_quality_report_sections(request, queryset):
    """Sections of the quality reports the reader sees."""
    reports = QualityReport.objects.filter(qualityreport_selectors.visible_reports_q(request.user))
    return queryset.filter(report__in=reports)


def visible_deletions(request, queryset):
    """Deletions and withdrawals; the public sees those of rows it could see (a draft's
    deletion leaves no trace for it), role holders also their boards' others."""
    boards = _draft_boards(request)
    if boards is policy.ALL:
        return queryset
    if not boards:
        return queryset.filter(was_public=True)
    return queryset.filter(Q(was_public=True) | Q(board_id__in=boards))
