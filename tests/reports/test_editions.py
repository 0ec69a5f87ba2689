"""Published editions: publishing freezes each report it completes as data, HTML and PDF;
the reader's URLs serve those bytes (never a render for anonymous readers), corrections
after a reopening are new editions beside the old ones, and nothing changes an edition."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from followups import workflow
from goals.models import Goal
from reports import services, views
from reports.models import Edition
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(plan_2017, django_user_model):
    return make_member(django_user_model, "chef", plan_2017.board, "approver")


def publish(period, user, capture):
    """Submit, approve and publish `period`, running the jobs enqueued after commit."""
    with capture(execute=True):
        for step in ("submit", "approve", "publish"):
            workflow.period_transition(period=period, transition=step, user=user)


def _read(field):
    with default_storage.open(field.name, "rb") as stored:
        return stored.read()


def _plan_pdf_url(plan, till):
    return reverse("reports:plan-pdf", args=[plan.board_id, plan.year]) + f"?till={till}"


def test_publishing_creates_the_plan_edition(
    client, approver, period_2017_08, django_capture_on_commit_callbacks
):
    """A published tertial has one edition of the plan with follow-ups to its date: content
    (JSON from the selectors), HTML and PDF stored, with hashes, publisher and time."""
    publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    edition = Edition.objects.get()
    assert (edition.kind, edition.period, edition.published_by) == (
        "plan",
        period_2017_08,
        approver,
    )
    assert not edition.is_correction
    content = _read(edition.content)
    pdf = _read(edition.pdf)
    assert edition.content_hash == hashlib.sha256(content).hexdigest()
    assert edition.pdf_hash == hashlib.sha256(pdf).hexdigest()
    assert edition.pdf_size == len(pdf) and pdf.startswith(b"%PDF")
    data = json.loads(content)
    assert [p["date"] for p in data["periods"]] == ["2017-08-31"]
    assert data["plan"]["year"] == 2017
    html = _read(edition.html).decode()
    assert "Utgåva, publicerad" in html and "Rättad utgåva" not in html


def test_published_download_is_the_stored_edition_byte_for_byte(
    client, approver, plan_2017, period_2017_08, django_capture_on_commit_callbacks, monkeypatch
):
    """After publication a value shown in the report changes in the database: the reader's
    download is still the published bytes, served without laying anything out."""
    publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    edition = Edition.objects.get()
    published = _read(edition.pdf)
    goal = Goal.objects.filter(plan=plan_2017).order_by("pk").first()
    assert goal.text[:40] in _read(edition.html).decode()
    Goal.objects.filter(pk=goal.pk).update(text="Ett helt annat mål efter publiceringen")
    # A fresh render would now differ; the published download must not.
    report, _denied = None, None

    def no_render(*args, **kwargs):
        raise AssertionError("an anonymous download laid out a PDF")

    monkeypatch.setattr(services, "render_pdf", no_render)
    monkeypatch.setattr(services, "write_pdf", no_render)
    response = client.get(_plan_pdf_url(plan_2017, "2017-08-31"))
    assert response.status_code == 200
    assert response.getvalue() == published
    assert response["ETag"] == f'"{edition.pdf_hash}"'
    assert int(response["Content-Length"]) == len(published)
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    page = client.get(reverse("reports:plan", args=[plan_2017.board_id, 2017]) + "?till=2017-08-31")
    assert "Ett helt annat mål" not in page.content.decode()
    assert report is None
    again = client.get(_plan_pdf_url(plan_2017, "2017-08-31"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    own = client.get(reverse("reports:edition-file", args=[edition.uid, "pdf"]))
    assert own.getvalue() == published and "immutable" in own["Cache-Control"]
    data = client.get(reverse("reports:edition-file", args=[edition.uid, "json"]))
    assert json.loads(data.content)["plan"]["id"] == plan_2017.pk


def test_anonymous_reader_waits_for_the_edition_instead_of_rendering(
    client, approver, plan_2017, period_2017_08, monkeypatch
):
    """Until the publication's job has stored the edition, anonymous readers get 503 with
    Retry-After; no PDF is laid out in their request."""
    for step in ("submit", "approve", "publish"):  # on_commit never runs: no job yet
        workflow.period_transition(period=period_2017_08, transition=step, user=approver)

    def no_render(*args, **kwargs):
        raise AssertionError("an anonymous download laid out a PDF")

    monkeypatch.setattr(services, "render_pdf", no_render)
    response = client.get(_plan_pdf_url(plan_2017, "2017-08-31"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    call_command("create_editions")  # the backfill makes it (immediate job backend in tests)
    assert Edition.objects.count() == 0  # render_pdf refused above: nothing half-stored
    monkeypatch.undo()
    call_command("create_editions")
    assert Edition.objects.count() == 1
    assert client.get(_plan_pdf_url(plan_2017, "2017-08-31")).status_code == 200


def test_year_end_publication_makes_both_reports(
    approver, plan_2017, period_2017_12, django_capture_on_commit_callbacks, monkeypatch
):
    """Publishing a T3 period makes the plan edition and the year-end report edition."""
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7 " + html[:20].encode())
    publish(period_2017_12, approver, django_capture_on_commit_callbacks)
    assert sorted(Edition.objects.values_list("kind", flat=True)) == ["plan", "year-end"]


def test_corrected_edition_after_reopening(
    client, approver, plan_2017, period_2017_08, django_capture_on_commit_callbacks, monkeypatch
):
    """Reopen and publish again: a new edition marked "Rättad utgåva" with the reason; the
    first stays listed and downloadable, the reader's URL serves the new one."""
    monkeypatch.setattr(services, "render_pdf", lambda html: hashlib.sha256(html.encode()).digest())
    publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    first = Edition.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.period_transition(
            period=period_2017_08, transition="reopen", user=approver, reason="Fel siffra i mål 2"
        )
    publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    second = Edition.objects.exclude(pk=first.pk).get()
    assert second.is_correction and second.correction_reason == "Fel siffra i mål 2"
    assert "Rättad utgåva" in _read(second.html).decode()
    assert client.get(_plan_pdf_url(plan_2017, "2017-08-31")).getvalue() == _read(second.pdf)
    old = client.get(reverse("reports:edition-file", args=[first.uid, "pdf"]))
    assert old.status_code == 200 and old.getvalue() == _read(first.pdf)
    page = client.get(reverse("public:plan", args=[plan_2017.board_id, 2017])).content.decode()
    assert str(first.uid) in page and str(second.uid) in page
    assert "Rättad utgåva" in page and "Fel siffra i mål 2" in page


def test_editions_never_change(
    approver, period_2017_08, django_capture_on_commit_callbacks, monkeypatch, admin_client
):
    """No path changes or deletes an edition: the model, bulk updates and the admin refuse."""
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7")
    publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    edition = Edition.objects.get()
    edition.correction_reason = "ändrad"
    with pytest.raises(ValidationError):
        edition.save()
    with pytest.raises(ValidationError):
        edition.delete()
    with pytest.raises(ValidationError):
        Edition.objects.update(correction_reason="x")
    with pytest.raises(ValidationError):
        Edition.objects.all().delete()
    change = admin_client.get(reverse("admin:reports_edition_change", args=[edition.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    delete = admin_client.post(reverse("admin:reports_edition_delete", args=[edition.pk]))
    assert delete.status_code == 403
    assert Edition.objects.get().correction_reason == ""


def test_database_refuses_to_change_or_delete_an_edition(
    approver, period_2017_08, django_capture_on_commit_callbacks, monkeypatch
):
    """SQL that bypasses the model (a script, a migration, a console) cannot change or delete
    an edition row either: the database's trigger refuses UPDATE and DELETE, with a Swedish
    message, on PostgreSQL and on the embedded SQLite."""
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7")
    publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    edition = Edition.objects.get()
    table = Edition._meta.db_table
    for sql in (
        f"UPDATE {table} SET correction_reason = 'ändrad' WHERE id = %s",
        f"UPDATE {table} SET pdf_hash = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [edition.pk])
        assert "publicerad utgåva" in str(exc.value)
    stored = Edition.objects.get()
    assert (stored.correction_reason, stored.pdf_hash) == ("", edition.pdf_hash)


def test_draft_pdf_is_made_by_a_queued_job(staff_client, plan_2017, settings, monkeypatch):
    """With the database job queue a draft PDF request answers a progress page at once; after
    `process_jobs` has run the queue, the same page hands over the PDF."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker checks connections between jobs like a request does; inside the test's
    # transaction that would close it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7 draft")
    response = staff_client.get(reverse("reports:plan-pdf", args=[plan_2017.board_id, 2017]))
    assert response.status_code == 202
    assert response["Refresh"] == "2"
    body = response.content.decode()
    assert "Rapporten väntar på sin tur" in body
    progress = body.split('href="/rapporter/pdf/')[1].split('"')[0]
    call_command("process_jobs", verbosity=0)
    done = staff_client.get(f"/rapporter/pdf/{progress}")
    assert done.status_code == 200 and done.content == b"%PDF-1.7 draft"
    assert done["Content-Type"] == "application/pdf"


def test_published_download_is_one_query_and_a_streamed_file(
    client,
    approver,
    plan_2017,
    period_2017_08,
    period_2017_12,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    monkeypatch,
    settings,
):
    """An anonymous download of a published report costs one query (the edition lookup), and
    none once the lookup is in the shared cache; it streams the stored file, whichever period
    and report; behind nginx (REPORTS_ACCEL_REDIRECT with the filesystem storage) the app
    only names the file for nginx to send. Reopening makes the cached lookup stale at once."""
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7 " + html[-40:].encode())
    publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):
        tertial = client.get(_plan_pdf_url(plan_2017, "2017-08-31"))
    assert tertial.streaming and tertial.getvalue() == _read(Edition.objects.get().pdf)
    publish(period_2017_12, approver, django_capture_on_commit_callbacks)
    year_end = Edition.objects.get(kind="year-end")
    url = reverse("reports:year-end-pdf", args=[plan_2017.board_id, 2017])
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.getvalue() == _read(year_end.pdf)
    with django_assert_num_queries(0):
        assert client.get(url).getvalue() == _read(year_end.pdf)
    assert int(response["Content-Length"]) == year_end.pdf_size
    assert (
        response["Content-Disposition"]
        == 'inline; filename="verksamhetsberattelse-2017-omsorgsnamnden.pdf"'
    )
    # Both periods are published now: the plan without `till` is the year-end's plan edition.
    latest = Edition.objects.get(kind="plan", period=period_2017_12)
    with django_assert_num_queries(1):
        plan = client.get(reverse("reports:plan-pdf", args=[plan_2017.board_id, 2017]))
    assert plan.getvalue() == _read(latest.pdf)
    with django_assert_num_queries(0):  # the same cached lookup serves the HTML
        html = client.get(reverse("reports:year-end", args=[plan_2017.board_id, 2017]))
    assert html.content == _read(year_end.html)

    settings.REPORTS_ACCEL_REDIRECT = "/_editions/"
    monkeypatch.setattr(views, "_on_disk", lambda: True)
    accel = client.get(url)
    assert accel["X-Accel-Redirect"] == f"/_editions/{year_end.pdf.name}"
    assert accel.content == b"" and accel["ETag"] == f'"{year_end.pdf_hash}"'
    settings.REPORTS_ACCEL_REDIRECT = ""
    # A reopening withdraws the edition from the report URL as soon as it commits.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.period_transition(
            period=period_2017_12, transition="reopen", user=approver, reason="Fel"
        )
    assert client.get(url).status_code == 302  # the period is a draft again: sign in
