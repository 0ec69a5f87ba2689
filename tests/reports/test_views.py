"""Report URLs: staff read HTML and PDF; others are sent to the login page or refused."""

import pytest
from django.urls import reverse

from followups.models import FollowUp
from reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_pdf(monkeypatch):
    """Skip the layout where a test checks only the response around the PDF."""
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7 fake")


def _urls(plan):
    args = [plan.board_id, plan.year]
    return {
        "plan": reverse("reports:plan", args=args),
        "plan-pdf": reverse("reports:plan-pdf", args=args),
        "year-end": reverse("reports:year-end", args=args),
        "year-end-pdf": reverse("reports:year-end-pdf", args=args),
    }


def test_url_layout(plan_2017):
    """The routes live under /rapporter/<board>/<year>/."""
    board = plan_2017.board_id
    assert _urls(plan_2017)["plan-pdf"] == f"/rapporter/{board}/2017/verksamhetsplan.pdf"
    assert _urls(plan_2017)["year-end"] == f"/rapporter/{board}/2017/verksamhetsberattelse/"


def test_html_for_staff(staff_client, plan_2017, plan_2019):
    """Both HTML previews answer 200 with an HTML document and a link to the PDF."""
    response = staff_client.get(_urls(plan_2017)["plan"], {"till": "2017-08-31"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Uppföljning 2017-08-31" in body and "Uppföljning 2017-12-31" not in body
    assert "verksamhetsplan.pdf?till=2017-08-31" in body
    response = staff_client.get(_urls(plan_2019)["year-end"])
    assert response.status_code == 200
    assert "Verksamhetsberättelse 2019" in response.content.decode()


def test_pdf_for_staff(staff_client, plan_2017):
    """The PDF route answers 200 with a real PDF, inline, with a readable file name."""
    response = staff_client.get(_urls(plan_2017)["plan-pdf"], {"till": "2017-08-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.7")
    assert 'filename="verksamhetsplan-2017-omsorgsnamnden.pdf"' in response["Content-Disposition"]


def test_year_end_pdf_for_staff(staff_client, plan_2019, fake_pdf):
    """The year-end PDF route answers 200 with the PDF content type."""
    response = staff_client.get(_urls(plan_2019)["year-end-pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("name", ["plan", "plan-pdf", "year-end", "year-end-pdf"])
def test_anonymous_is_sent_to_login(client, plan_2019, name):
    """Anonymous visitors are redirected to the login page and see nothing of the report."""
    url = _urls(plan_2019)[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("public:login"))


def test_signed_in_non_staff_is_refused(client, django_user_model, plan_2019):
    """A signed-in user who is not staff gets 403."""
    client.force_login(django_user_model.objects.create_user("medborgare", password="x"))
    assert client.get(_urls(plan_2019)["year-end"]).status_code == 403


def test_unknown_plan_bad_date_and_missing_year_end(staff_client, plan_2017):
    """No plan for the year, an unreadable date, or no T3 period: 404."""
    assert (
        staff_client.get(f"/rapporter/{plan_2017.board_id}/1999/verksamhetsplan/").status_code
        == 404
    )
    response = staff_client.get(_urls(plan_2017)["plan"], {"till": "31/8"})
    assert response.status_code == 404
    # An open period without follow-ups can be deleted (one with follow-ups is protected).
    FollowUp.objects.filter(period__plan=plan_2017, period__kind="T3").delete()
    plan_2017.periods.filter(kind="T3").delete()
    assert staff_client.get(_urls(plan_2017)["year-end"]).status_code == 404


def test_render_failure_is_503(staff_client, plan_2017, monkeypatch):
    """A PDF that cannot be made in time answers 503 with the Swedish message."""

    def too_slow(html):
        raise services.ReportRenderTimeout("Rapporten tog för lång tid att skapa.")

    monkeypatch.setattr(services, "render_pdf", too_slow)
    response = staff_client.get(_urls(plan_2017)["plan-pdf"])
    assert response.status_code == 503
    assert "för lång tid" in response.content.decode()


def test_admin_change_pages_link_to_reports(admin_client, plan_2017, period_2017_08):
    """The plan and follow-up period change pages offer the report downloads."""
    urls = _urls(plan_2017)
    page = admin_client.get(
        reverse("admin:goals_plan_change", args=[plan_2017.pk])
    ).content.decode()
    assert urls["plan"] in page and urls["plan-pdf"] in page and urls["year-end-pdf"] in page
    page = admin_client.get(
        reverse("admin:goals_followupperiod_change", args=[period_2017_08.pk])
    ).content.decode()
    assert f"{urls['plan-pdf']}?till=2017-08-31" in page
    assert urls["year-end-pdf"] not in page


def test_anonymous_reads_published_reports_only(client, plan_2017, plan_2019):
    """Once published, a report is public; the plan shows only published follow-ups."""
    year_end = plan_2019.periods.get()
    year_end.status = "published"
    year_end.save()
    assert client.get(_urls(plan_2019)["year-end"]).status_code == 200
    august = plan_2017.periods.get(date="2017-08-31")
    august.status = "published"
    august.save()
    page = client.get(_urls(plan_2017)["plan"]).content.decode()
    assert "2017-08-31" in page
    # The 2017-12-31 period is still open: its texts stay out of the public plan.
    assert "Lejonfastigheter" not in page
    # Asking for follow-ups up to the open period gives the published ones only.
    page = client.get(_urls(plan_2017)["plan"], {"till": "2017-12-31"}).content.decode()
    assert "Uppföljning 2017-08-31" in page and "Lejonfastigheter" not in page
