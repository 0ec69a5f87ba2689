"""User text is printed as text; the PDF fetches only the app's own static files; renders stop."""

import multiprocessing
import time

import pytest

from followups.models import FollowUp
from reports import selectors, services

from .conftest import extract

pytestmark = pytest.mark.django_db

IMG = '<img src="file:///etc/passwd">'
LINK = '<link href="http://127.0.0.1:9/x">'


@pytest.fixture
def hostile_report(plan_2017):
    """The plan with a follow-up text that tries to load a local file and a network address."""
    follow_up = FollowUp.objects.get(activity__number="1.3", period__date="2017-08-31")
    follow_up.text = f"Före {IMG} mitt {LINK} efter"
    follow_up.save()
    periods = selectors.plan_periods_get(plan=plan_2017)
    return selectors.plan_report_get(plan=plan_2017, periods=periods)


def test_user_text_is_escaped_in_html(hostile_report):
    """The markup arrives as escaped text; no element is created from it."""
    html = services.render_html(hostile_report)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert IMG not in html and LINK not in html
    assert "file:///etc/passwd" not in html.replace("&quot;file:///etc/passwd&quot;", "")


def test_nothing_is_fetched_for_user_text(hostile_report, monkeypatch):
    """WeasyPrint asks only for the stylesheet; the literal text is in the PDF."""
    asked = []
    real = services.static_fetch

    def spy(url):
        asked.append(url)
        return real(url)

    monkeypatch.setattr(services, "static_fetch", spy)
    pdf = services.write_pdf(services.render_html(hostile_report))
    assert asked == [services.REPORT_BASE_URL + "static/reports/print.css"]
    text = " ".join(" ".join(extract(pdf)).split())
    assert f"Före {IMG} mitt {LINK} efter" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/static/reports/print.css",
        "http://rapport.invalid/static/../../config/settings.py",
        "http://rapport.invalid/static/reports/%2e%2e/%2e%2e/manage.py",
        "http://rapport.invalid/static/reports/print.css?x=1",
        "http://user@rapport.invalid/static/reports/print.css",
        "http://rapport.invalid/etc/passwd",
        "http://rapport.invalid/static/does-not-exist.css",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    """Only /static/… under the report's base URL is served; everything else raises."""
    with pytest.raises(services.FetchRefused):
        services.static_fetch(url)
    with pytest.raises(services.FetchRefused):
        services.StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_the_print_stylesheet():
    """The report's stylesheet is found through the staticfiles finders."""
    content, mime = services.static_fetch("http://rapport.invalid/static/reports/print.css")
    assert b"@page" in content and mime == "text/css"
    response = services.StaticOnlyFetcher().fetch("http://rapport.invalid/static/reports/print.css")
    assert response.read().startswith(b"/* Reports")


def test_render_time_limit_stops_the_worker():
    """A render longer than the limit raises ReportRenderTimeout and its process is gone."""
    rows = "".join(f"<tr><td>{i}</td><td>{'ord ' * 60}</td></tr>" for i in range(4000))
    html = f'<html lang="sv"><body><table>{rows}</table></body></html>'
    started = time.monotonic()
    with pytest.raises(services.ReportRenderTimeout):
        services.render_pdf(html, timeout=0.5)
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []


def test_render_errors_are_reported():
    """A worker failure surfaces as ReportRenderError with a Swedish message."""
    with pytest.raises(services.ReportRenderError, match="Rapporten kunde inte skapas"):
        services.render_pdf(None, timeout=30)
