"""Who sees an action plan where: report, PDF, reader page and API follow the role policy."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actionplans.models import ActionPlan
from tests.actionplans.conftest import add_month

pytestmark = pytest.mark.django_db


def urls(plan):
    args = [plan.board_id, plan.year]
    return {
        "report": reverse("actionplans:report", args=args),
        "pdf": reverse("actionplans:report-pdf", args=args),
        "reader": reverse("actionplans:reader", args=args),
        "api": reverse("api:action-plan-detail", args=[plan.pk]),
    }


@pytest.fixture
def draft_plan(action_plan):
    ActionPlan.objects.filter(pk=action_plan.pk).update(published_at=None)
    action_plan.refresh_from_db()
    return action_plan


def test_anonymous_reader_sees_the_published_plan(client, action_plan):
    """The seed plan is published: report, reader page and API answer 200 to anyone."""
    pages = urls(action_plan)
    for name in ("report", "reader", "api"):
        assert client.get(pages[name]).status_code == 200, name
    assert client.get(reverse("api:action-plan-list")).json()["count"] == 1


@pytest.mark.parametrize(
    "who,report,reader,api,listed",
    [
        ("anonymous", "login", 404, 404, 0),
        ("other-board", 403, 404, 404, 0),
        ("editor", 200, 200, 200, 1),
    ],
)
def test_draft_plan_is_hidden_from_the_public(
    client, draft_plan, son_editor, oms_reader, who, report, reader, api, listed
):
    """An unpublished plan: anonymous visitors are sent to log in (report) or get 404 (reader,
    API); a role holder of another board gets 403/404; the board's editor reads it."""
    if who == "editor":
        client.force_login(son_editor)
    elif who == "other-board":
        client.force_login(oms_reader)
    pages = urls(draft_plan)
    response = client.get(pages["report"])
    if report == "login":
        assert (
            response.status_code == 302
            and "/logga-in/" in response["Location"]
            or (response.status_code == 302 and "login" in response["Location"])
        )
    else:
        assert response.status_code == report
    assert client.get(pages["reader"]).status_code == reader
    assert client.get(pages["api"]).status_code == api
    assert client.get(reverse("api:action-plan-list")).json()["count"] == listed


def test_unpublished_month_is_hidden_from_the_public(client, action_plan, son_editor):
    """A month still open is not in the public report or API; the board's editor sees it."""
    add_month(action_plan, datetime.date(2020, 8, 31), status="open")
    follow_ups = reverse("api:action-plan-follow-up-list")
    assert client.get(follow_ups).json()["count"] == 0
    assert "Uppföljning per 2020-08-31" not in client.get(urls(action_plan)["report"]).text
    client.force_login(son_editor)
    assert client.get(follow_ups).json()["count"] == 24
    assert "Uppföljning per 2020-08-31" in client.get(urls(action_plan)["report"]).text


def test_report_pdf_has_sums_effects_and_follow_up(client, action_plan, published_august):
    """The PDF reads back the computed sums, the per-year table, realised vs expected and the
    page numbers as "5 (N)"; it is tagged (PDF/UA) and holds the chart."""
    response = client.get(urls(action_plan)["pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    text = " ".join(pages)
    total = len(pages)
    assert f"5 ({total})" in pages[4]
    for expected in (
        "Organisatoriska/metodrelaterade åtgärder 23,5",
        "Total summa av kostnadsreducerande åtgärder 62,9",
        "Prognostiserat underskott 57,0",
        "2020 8,0",
        "2021 59,2",
        "2022 60,7",
        "2023 62,9",
        "2024 62,9",
        "Summa 9,75",
        "Uppföljning per 2020-08-31",
        "Realiserad kostnadsreducering per 2020-08-31 12,0",
    ):
        assert expected in text, expected
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert b"<svg" not in response.content  # the chart is drawn as PDF, not left as markup
    assert "Förväntad och realiserad" in client.get(urls(action_plan)["report"]).text


def test_reader_page_lists_groups_and_per_year(client, action_plan):
    """The reader's page shows each group's computed sum and the reduction per year."""
    html = client.get(urls(action_plan)["reader"]).text
    assert "Insatser för barn och unga" in html and "9,75" in html
    assert "2021: 59,2 mnkr" in html


def test_api_plan_has_computed_sums(client, action_plan):
    """The API's action plan carries the computed group sums, total and effect per year."""
    data = client.get(urls(action_plan)["api"]).json()
    assert data["total"] == 62.9 and data["forecast_deficit"] == 57.0
    assert [g["total"] for g in data["groups"]] == [23.5, 4.0, 7.3, 9.75, 17.6, 0.75]
    assert data["effect_per_year"][1] == {"year": 2021, "reduction": 59.2}
    measures = client.get(reverse("api:action-plan-measure-list"), {"plan": action_plan.pk})
    assert measures.json()["count"] == 24
