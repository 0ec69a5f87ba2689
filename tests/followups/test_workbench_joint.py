"""Joint follow-ups written in the workbench (issue 13): "Skriv gemensamt med …" on an
indicator or assignment row covers further items of the same goal with the row's text, in the
same save; the service refuses items of another goal, items with their own follow-up and a
closed period (nothing saved); unticking an item gives it its own row again."""

import pytest
from django.urls import reverse

from followups.models import FollowUp, FollowUpCoverage
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, GoalIndicatorItem
from reports import selectors as report_selectors
from reports import services as report_services
from tests.conftest import make_member
from tests.factories import build_plan_document

from .test_workbench import _form_data

pytestmark = pytest.mark.django_db

GOAL_ERROR = "En gemensam uppföljning omfattar bara indikatorer och uppdrag i samma nämndmål."
OWNED_ERROR = "Punkten har en egen uppföljning i perioden; skriv den gemensamma texten där."


def _item(plan, goal_order, number):
    return GoalIndicatorItem.objects.get(goal__plan=plan, goal__order=goal_order, number=number)


def _setup(client, django_user_model, year):
    plan, period, _expected = build_plan_document(year=year)
    client.force_login(make_member(django_user_model, "skrivare", plan.board, "editor"))
    return plan, period, reverse("followups:workbench", args=[period.pk])


def _row_html(html, key):
    start = html.index(f'id="{key}"')
    end = html.find("<tr", start)
    return html[start : end if end >= 0 else None]


def test_joint_follow_up_is_written_and_shown_once(client, django_user_model):
    """Ticking goal 4's indicator 2 on indicator 1's row makes one follow-up "1–2": the
    workbench shows it once (indicator 2 has no row of its own) and so does the plan report."""
    plan, period, url = _setup(client, django_user_model, 2060)
    first, second = _item(plan, 4, "1"), _item(plan, 4, "2")
    page = client.get(url)
    html = page.content.decode()
    assert "Skriv gemensamt med" in _row_html(html, f"indicator_item-{first.pk}")
    assert f'id="indicator_item-{second.pk}"' in html
    data = _form_data(page)
    data[f"indicator_item-{first.pk}-joint"] = [f"indicator_item-{second.pk}"]
    data[f"indicator_item-{first.pk}-text"] = "Gemensam text för indikator 1 och 2"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    follow_up = FollowUp.objects.get(period=period, indicator_item=first)
    assert follow_up.text == "Gemensam text för indikator 1 och 2"
    assert list(follow_up.coverage.values_list("indicator_item", flat=True)) == [second.pk]
    html = client.get(url).content.decode()
    assert f'id="indicator_item-{second.pk}"' not in html
    row = _row_html(html, f"indicator_item-{first.pk}")
    assert "Indikator 1\u20132" in row and "Omfattar även" in row

    FollowUpPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    report = report_selectors.plan_report_get(
        plan=plan, periods=report_selectors.plan_periods_get(plan=plan)
    )
    report_html = report_services.render_html(report)
    assert report_html.count("Gemensam text för indikator 1 och 2") == 1
    goal_4 = report_html[report_html.index("Nämndmål nummer 4 ska nås") :]
    assert '<th scope="row" class="col-nr">1\u20132</th>' in goal_4


def test_unticking_removes_the_item_from_the_joint_follow_up(client, django_user_model):
    """Goal 1's indicator 1 covers indicator 2; unticking it gives indicator 2 its own row."""
    plan, period, url = _setup(client, django_user_model, 2061)
    first, second = _item(plan, 1, "1"), _item(plan, 1, "2")
    data = _form_data(client.get(url))
    assert data[f"indicator_item-{first.pk}-joint"] == f"indicator_item-{second.pk}"
    del data[f"indicator_item-{first.pk}-joint"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not FollowUpCoverage.objects.filter(indicator_item=second).exists()
    html = client.get(url).content.decode()
    assert f'id="indicator_item-{second.pk}"' in html
    assert "Indikator 1\u20132" not in _row_html(html, f"indicator_item-{first.pk}")


def _refused(client, url, data, period, error):
    before = (
        list(FollowUp.objects.filter(period=period).values_list("pk", "text", "version")),
        list(FollowUpCoverage.objects.filter(period=period).values_list("pk", flat=True)),
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    after = (
        list(FollowUp.objects.filter(period=period).values_list("pk", "text", "version")),
        list(FollowUpCoverage.objects.filter(period=period).values_list("pk", flat=True)),
    )
    assert after == before
    return response


def test_item_of_another_goal_is_refused(client, django_user_model):
    """An item of another goal is refused on the row, and the row's new text is not saved."""
    plan, period, url = _setup(client, django_user_model, 2062)
    first, other = _item(plan, 4, "1"), _item(plan, 3, "4")
    data = _form_data(client.get(url))
    data[f"indicator_item-{first.pk}-joint"] = [f"indicator_item-{other.pk}"]
    data[f"indicator_item-{first.pk}-text"] = "Ändrad text"
    response = _refused(client, url, data, period, GOAL_ERROR)
    assert GOAL_ERROR in _row_html(response.content.decode(), f"indicator_item-{first.pk}")


def test_item_with_its_own_follow_up_is_refused(client, django_user_model):
    """Goal 3's indicator 1 has its own follow-up: indicator 4's row may not cover it, and
    indicator 4's text is not saved either; nor may an item written in the same save."""
    plan, period, url = _setup(client, django_user_model, 2063)
    fourth, owned = _item(plan, 3, "4"), _item(plan, 3, "1")
    data = _form_data(client.get(url))
    data[f"indicator_item-{fourth.pk}-joint"] = [f"indicator_item-{owned.pk}"]
    data[f"indicator_item-{fourth.pk}-text"] = "Ny text för indikator 4"
    _refused(client, url, data, period, OWNED_ERROR)

    first, second = _item(plan, 4, "1"), _item(plan, 4, "2")
    data = _form_data(client.get(url))
    data[f"indicator_item-{first.pk}-joint"] = [f"indicator_item-{second.pk}"]
    data[f"indicator_item-{second.pk}-text"] = "Egen text för indikator 2"
    _refused(client, url, data, period, OWNED_ERROR)


def test_closed_period_is_refused(client, django_user_model):
    """A page loaded while the period was open saves nothing once it has been submitted."""
    plan, period, url = _setup(client, django_user_model, 2064)
    first, second = _item(plan, 4, "1"), _item(plan, 4, "2")
    data = _form_data(client.get(url))
    data[f"indicator_item-{first.pk}-joint"] = [f"indicator_item-{second.pk}"]
    FollowUpPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.SUBMITTED)
    _refused(client, url, data, period, "Perioden är stängd")


def test_coverage_changed_by_someone_else_is_a_conflict(client, django_user_model):
    """Coverage follows the workbench's merge rule: ticking an item on a page whose coverage
    someone else has changed since is a conflict (409), and nothing is saved."""
    plan, period, url = _setup(client, django_user_model, 2065)
    fourth = _item(plan, 3, "4")
    sixth, seventh = (
        fourth.goal.assignments.get(number="6"),
        fourth.goal.assignments.get(number="7"),
    )
    data = _form_data(client.get(url))
    theirs = FollowUp.objects.create(period=period, indicator_item=fourth, text="Deras text")
    FollowUpCoverage.objects.create(follow_up=theirs, assignment=sixth)
    data[f"indicator_item-{fourth.pk}-joint"] = [f"assignment-{seventh.pk}"]
    response = client.post(url, data)
    assert response.status_code == 409
    assert "Deras text" in response.content.decode()
    assert list(theirs.coverage.values_list("assignment", flat=True)) == [sixth.pk]


@pytest.mark.parametrize("key", ["indicator_item-999999999", "goal-1", "x" * 300, "assignment-"])
def test_hostile_joint_keys_are_refused_without_a_500(client, django_user_model, key):
    """A posted key that is no item of the plan is refused on the row; nothing is saved."""
    plan, period, url = _setup(client, django_user_model, 2066)
    first = _item(plan, 4, "1")
    data = _form_data(client.get(url))
    data[f"indicator_item-{first.pk}-joint"] = [key]
    before = list(FollowUpCoverage.objects.filter(period=period).values_list("pk", flat=True))
    response = client.post(url, data)
    assert response.status_code == 400
    assert list(FollowUpCoverage.objects.filter(period=period).values_list("pk", flat=True)) == (
        before
    )


def test_each_rows_boxes_are_named_by_their_row(client, django_user_model):
    """A screen reader (or a search by label) tells the rows apart: the follow-up, forecast
    and "Skriv gemensamt med …" boxes of indicator 1 say "Indikator 1"; the box's help text
    describes the group."""
    plan, _period, url = _setup(client, django_user_model, 2061)
    first = _item(plan, 4, "1")
    row = _row_html(client.get(url).content.decode(), f"indicator_item-{first.pk}")
    key = f"indicator_item-{first.pk}"
    assert (
        f'<label for="id_{key}-text" class="visually-hidden">Uppföljning, Indikator 1</label>'
        in row
    )
    assert '<span class="visually-hidden">, Indikator 1</span></label>' in row
    assert 'Skriv gemensamt med …<span class="visually-hidden"> (Indikator 1)</span>' in row
    assert f'aria-describedby="{key}-joint-help"' in row and f'id="{key}-joint-help"' in row
