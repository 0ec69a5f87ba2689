"""The plan report prints the whole plan document once, in order (issue 13): goal and
indicator follow-ups, joint rows, forecasts, introductions with headings, the cover's decision,
the bare plan; the reader's goal pages show the same."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from followups.seed import SEED_DIR
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, Plan
from reports import selectors
from tests.factories import build_plan_document

from .conftest import normalise, render

pytestmark = pytest.mark.django_db


def _squash(text):
    """Letters and digits only: the PDF's line breaks and hyphenation do not count."""
    return re.sub(r"[\W_]+", "", text).lower()


def test_seed_2019_plan_prints_all_17_goal_assessments(rendered_report):
    """The 2019 plan with follow-ups to 2019-12-31 contains every goal's assessment, in the
    PDF text and in the HTML."""
    data = json.loads((SEED_DIR / "verksamhetsberattelse-2019.json").read_text("utf-8"))
    assessments = [goal["assessment"] for goal in data["goals"]]
    assert len(assessments) == 17
    rendered = rendered_report("plan", 2019, date(2019, 12, 31))
    pdf_text = _squash(rendered.text)
    at = 0
    for assessment in assessments:
        first_sentence = assessment.split(". ")[0][:120]
        found = pdf_text.find(_squash(first_sentence), at)
        assert found >= 0, first_sentence
        at = found
        assert first_sentence.split(" ")[-1] in rendered.html


def test_seed_2017_activity_5_1_under_its_area(rendered_report):
    """Activity 5.1 prints under "Personlig assistans SFB", after the previous goal's 4.2."""
    text = rendered_report("plan", 2017).text
    area = text.index("Personlig assistans SFB Personlig assistans enligt")
    assert text.index("Uppföljning av sjuklönekostnader") > area
    assert text.rindex("4.2", 0, area) < area


@pytest.fixture(scope="module")
def document_plan(django_db_setup, django_db_blocker):
    """The issue's plan shape, built once for the module, with its interim period published."""
    with django_db_blocker.unblock():
        from tombstones.models import Tombstone

        tombstones_before = Tombstone.objects.order_by("-pk").values_list("pk", flat=True).first()
        plan, period, expected = build_plan_document(year=2040)
        FollowUpPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
        Plan.objects.filter(pk=plan.pk).update(
            adopted_on=date(2039, 11, 20), decision_paragraph="112", diary_number="PN 2039/7"
        )
        plan = Plan.objects.select_related("board__municipality").get(pk=plan.pk)
        report = selectors.plan_report_get(plan=plan, periods=selectors.plan_periods_get(plan=plan))
        rendered = render(report)
    yield plan, expected, rendered
    with django_db_blocker.unblock():
        from followups.models import FollowUp
        from goals.models import ActivityArea, MunicipalGoal

        # Everything the module made goes again, so that no later test (whatever the
        # order) counts its board, areas, municipal goals or their tombstones.
        board, municipality = plan.board, plan.board.municipality
        FollowUpPeriod.objects.filter(plan=plan).update(status=PeriodStatus.OPEN)
        FollowUp.objects.filter(period__plan=plan).delete()
        plan.delete()
        ActivityArea.objects.filter(board=board).delete()
        board.delete()
        MunicipalGoal.objects.filter(municipality=municipality).delete()
        if not municipality.boards.exists():
            municipality.delete()
        Tombstone.objects.filter(pk__gt=tombstones_before or 0).delete()


def test_every_row_and_forecast_once_and_in_order(document_plan):
    """Each of the 13 follow-up texts and forecasts appears exactly once in the PDF text, in
    document order, each joint row with its coverage label."""
    _plan, expected, rendered = document_plan
    text = rendered.text
    at = 0
    for label, follow_up, forecast in expected:
        assert text.count(follow_up) == 1, follow_up
        assert text.count(forecast) == 1, forecast
        found = text.index(follow_up)
        assert found > at, follow_up
        assert text.index(forecast) > found
        at = found
        assert text.rfind(label, 0, found) >= 0
    for label in ("1\u20132", "4\u20135", "2\u20133"):
        assert f'<th scope="row" class="col-nr">{label}</th>' in rendered.html


def test_goal_content_in_order(document_plan):
    """Per goal: heading, introduction with its subheading as a heading, numbered indicators,
    the links in the goal's own order, the assignments under the goal, then the follow-ups."""
    _plan, _expected, rendered = document_plan
    text = rendered.text
    at = text.index("Nämndmål nummer 1 ska nås", text.index("Område 1"))
    for needle in (
        "Inledning till mål 1.",
        "Rubrik mål 1",
        "1. Indikator 1 av mål 1 gäller",
        "3. Indikator 3 av mål 1 gäller",
        "Kommunmål C",
        "Kommunmål A",
        "4. Uppdrag 4 av mål 1 gäller",
        "Uppföljning 2040-08-31 Bedömning helår 2040",
        "Rad 01 text",
        "Nämndmål nummer 2 ska nås",
    ):
        found = text.find(needle, at)
        assert found > at, needle
        at = found
    assert '<h3 class="subheading">Rubrik mål 1</h3>' in rendered.html
    # The goal without assignments prints none; the area without a goal prints its activity.
    goal_4 = text.index("Nämndmål nummer 4 ska nås")
    assert "Uppdrag" not in text[goal_4 : text.index("Område 3")]
    assert text.index("Aktivitet utan mål 0") > text.index("Område 3")


def test_cover_cites_the_decision(document_plan):
    """An adopted plan's cover names the decision, never a workflow word."""
    _plan, _expected, rendered = document_plan
    first_page = normalise(rendered.pages[0])
    assert "Fastställd av Provnämnden 2040 x1 2039-11-20, § 112, Dnr PN 2039/7" in first_page
    assert "publicerad" not in first_page.lower()


def test_cover_of_a_proposal(document_plan, client, admin_client):
    """A plan not yet adopted says "Förslag" on its cover; the bare plan (?utan_uppfoljning=1)
    prints no follow-up."""
    plan, expected, _rendered = document_plan
    Plan.objects.filter(pk=plan.pk).update(adopted_on=None)
    url = reverse("reports:plan", args=[plan.board_id, plan.year])
    html = admin_client.get(url + "?utan_uppfoljning=1").content.decode()
    assert "Förslag" in html and "Ej antagen" not in html
    assert "Indikator 1 av mål 1 gäller" in html
    assert all(text not in html for _label, text, _forecast in expected)
    with_follow_ups = admin_client.get(url).content.decode()
    assert all(text in with_follow_ups for _label, text, _forecast in expected)


def test_reader_goal_pages_show_every_row_once(document_plan, client):
    """On the reader's goal pages every follow-up text and forecast of the published period
    appears exactly once, in order, with the goal's introduction, indicators and assignments."""
    plan, expected, _rendered = document_plan
    pages = ""
    for goal in plan.goals.order_by("area__order", "order"):
        response = client.get(reverse("public:goal", args=[goal.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Inledning till mål" in html and "Indikator 1 av mål" in html
        pages += html.split("<main", 1)[1].split("</main>", 1)[0]
    at = 0
    for _label, text, forecast in expected:
        assert pages.count(text) == 1, text
        assert pages.count(forecast) == 1, forecast
        assert pages.index(text) > at
        at = pages.index(text)
    assert "Indikator 1\u20132" in pages and "Uppdrag 4\u20135" in pages


def test_reader_goal_page_hides_drafts(document_plan, client):
    """While the period is open (a draft), the public sees no follow-up of it."""
    plan, expected, _rendered = document_plan
    goal = plan.goals.order_by("order").first()
    FollowUpPeriod.objects.filter(plan=plan).update(status=PeriodStatus.OPEN)
    try:
        response = client.get(reverse("public:goal", args=[goal.pk]))
        html = response.content.decode()
        assert all(text not in html for _label, text, _forecast in expected)
    finally:
        FollowUpPeriod.objects.filter(plan=plan).update(status=PeriodStatus.PUBLISHED)
