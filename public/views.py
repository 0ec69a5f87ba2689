"""The public reader's pages: thin views over `public.selectors`, rendered in Swedish.

Every page is open to anyone; what it shows depends on the reader (see the selectors).
An object the reader may not see answers 404, exactly like one that does not exist.
"""

from functools import wraps

from django.contrib.auth import views as auth_views
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from reports import diff as report_diff
from reports.editions import editions_of_plan
from reports.models import Edition

from . import selectors


def reader_page(view):
    """A GET/HEAD-only view in the reader's language (Swedish unless English was chosen, see
    core.middleware); hidden or missing objects answer 404."""

    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404(gettext("The page does not exist or is not published.")) from None

    return wrapped


def _pdf_links(plan, periods, year_end):
    """Download links for the plan (with the follow-ups the reader sees) and the year-end."""
    args = [plan.board_id, plan.year]
    links = []
    plan_pdf = reverse("reports:plan-pdf", args=args)
    if periods:
        plan_pdf += f"?till={periods[-1].date:%Y-%m-%d}"
    title = gettext("Plan %(year)s with follow-up (PDF)") % {"year": plan.year}
    links.append({"url": plan_pdf, "title": title})
    if year_end is not None:
        links.append(
            {
                "url": reverse("reports:year-end-pdf", args=args),
                "title": gettext("Year-end report %(year)s (PDF)") % {"year": plan.year},
            }
        )
    return links


@reader_page
def start(request):
    """Boards and the years of their plans."""
    boards = selectors.start_get(user=request.user)
    return render(request, "public/start.html", {"boards": boards})


@reader_page
def board(request, board_id):
    """One board and its plans."""
    page = selectors.board_page_get(user=request.user, board_id=board_id)
    return render(request, "public/board.html", {"page": page, "board": page.board})


@reader_page
def plan(request, board_id, year):
    """A plan: goals grouped by area or goal domain, with fulfilment and activity statuses."""
    page = selectors.plan_page_get(user=request.user, board_id=board_id, year=year)
    return render(
        request,
        "public/plan.html",
        {
            "page": page,
            "plan": page.plan,
            "pdf_links": _pdf_links(page.plan, page.periods, page.year_end),
            "editions": editions_of_plan(plan=page.plan),
        },
    )


@reader_page
def goal(request, goal_id):
    """A goal: fulfilment over the periods, indicators with charts, activities' follow-ups."""
    page = selectors.goal_page_get(user=request.user, goal_id=goal_id)
    return render(
        request,
        "public/goal.html",
        {
            "page": page,
            "plan": page.plan,
            "pdf_links": _pdf_links(page.plan, page.periods, page.year_end),
        },
    )


@reader_page
def activity(request, activity_id):
    """An activity and its follow-up texts across the periods."""
    page = selectors.activity_page_get(user=request.user, activity_id=activity_id)
    return render(request, "public/activity.html", {"page": page, "plan": page.plan})


@reader_page
def indicator(request, indicator_id):
    """An indicator: every readable value, chart with target line, trend and follow-ups."""
    try:
        row_page = int(request.GET.get("rader", "1"))
    except ValueError:
        row_page = 1
    page = selectors.indicator_page_get(
        user=request.user, indicator_id=indicator_id, row_page=min(max(row_page, 1), 10**6)
    )
    return render(
        request,
        "public/indicator.html",
        {"page": page, "plan": page.plan},
    )


@reader_page
def assignments(request, board_id, year):
    """The plan's development assignments with status and comment per period."""
    page = selectors.assignments_page_get(user=request.user, board_id=board_id, year=year)
    return render(request, "public/assignments.html", {"page": page, "plan": page.plan})


@reader_page
def year_end(request, board_id, year):
    """The year-end follow-up: goal fulfilment overview, assessments and narrative."""
    page = selectors.year_end_page_get(user=request.user, board_id=board_id, year=year)
    return render(
        request,
        "public/year_end.html",
        {
            "page": page,
            "plan": page.plan,
            "pdf_links": _pdf_links(page.plan, [], page.period)[1:],
        },
    )


def _compare_side(request, plan, periods, token):
    """A side of the comparison named in the query: an edition (its UUID) of this plan, or a
    follow-up date of one of the periods the reader may read; None when it names neither."""
    token = (token or "").strip()[:40]
    if len(token) == 36:
        try:
            edition = Edition.objects.select_related("period").get(plan=plan, uid=token)
        except (Edition.DoesNotExist, ValidationError, ValueError):
            return None
        return edition
    for period in periods:
        if f"{period.date:%Y-%m-%d}" == token:
            return period
    return None


def _side(request, choice):
    if isinstance(choice, Edition):
        return report_diff.edition_side(choice)
    return report_diff.period_side(user=request.user, period=choice)


@reader_page
def compare(request, board_id, year):
    """What changed between two editions of the plan's reports, or two follow-up dates (by
    default the last two the reader may read: e.g. the tertial and the year-end)."""
    plan, periods = selectors.plan_get(user=request.user, board_id=board_id, year=year)
    editions = editions_of_plan(plan=plan)
    names = [request.GET.get("fran"), request.GET.get("till")]
    if not any(names) and len(periods) >= 2:
        names = [f"{periods[-2].date:%Y-%m-%d}", f"{periods[-1].date:%Y-%m-%d}"]
    chosen = [_compare_side(request, plan, periods, name) for name in names]
    result = error = None
    if any(names) and None in chosen:
        error = gettext("Choose two published editions or follow-up dates of the plan to compare.")
    elif all(chosen):
        result = report_diff.report_diff(
            _side(request, chosen[0]),
            _side(request, chosen[1]),
            levels=report_diff.fulfilment_levels(),
        )
    response = render(
        request,
        "public/compare.html",
        {
            "plan": plan,
            "periods": periods,
            "editions": editions,
            "names": names,
            "result": result,
            "error": error,
        },
        status=400 if error else 200,
    )
    return response


@reader_page
def search(request):
    """Full-text search over goals, activities, follow-ups and indicators."""
    query = request.GET.get("q", "")
    result = selectors.search_get(user=request.user, query=query)
    return render(request, "public/search.html", {"result": result, "query": result.query})


class LoginView(auth_views.LoginView):
    """Sign-in for board members (readers, editors), who then also see their boards' drafts."""

    template_name = "public/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("public:start")


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST), back to the start page."""

    next_page = reverse_lazy("public:start")
