"""Trust: drafts never reach a reader who may not see them, the record of a closed period
cannot change, and the workbench never reports a false conflict or reverts a colleague.

Each test goes through the HTTP path that failed and asserts the answer and the database.
"""

import datetime
import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from activities.models import Activity
from followups import workflow
from followups.models import FollowUp, PeriodTransition
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, Goal, Plan
from indicators.models import Indicator, IndicatorValue
from reports import services as report_services
from tests.conftest import make_member
from tests.followups.test_workbench import _form_data
from tests.imports.conftest import problems, token, upload, url, xlsx
from tests.imports.test_indicator_values import HEADERS, row
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

T2_TEXT = "UTKAST-AUGUSTI"  # written into activity 1.3 at 2017-08-31 by `marked`
T3_TEXT = "PUBLICERAT-DECEMBER"  # written into activity 1.3 at 2017-12-31 by `marked`


@pytest.fixture
def marked(plan_2017, period_2017_08, period_2017_12):
    """Activity 1.3's texts carry a marker per period (written while both were open)."""
    for period, marker in ((period_2017_08, T2_TEXT), (period_2017_12, T3_TEXT)):
        follow_up = FollowUp.objects.get(period=period, activity__number="1.3")
        follow_up.text = f"{follow_up.text} {marker}"
        follow_up.save()


def _publish(period, user):
    for step in ("submit", "approve", "publish"):
        workflow.period_transition(period=period, transition=step, user=user, reason="")
    period.refresh_from_db()


@pytest.fixture
def approver(plan_2017, plan_2019, django_user_model):
    user = make_member(django_user_model, "chef", plan_2017.board, "approver")
    from access.models import BoardMembership

    BoardMembership.objects.create(user=user, board=plan_2019.board, role="approver")
    return user


def _plan_url(plan, suffix=""):
    return reverse(f"reports:plan{suffix}", args=[plan.board_id, plan.year])


# -- 1. drafts through plan reports ----------------------------------------------------------


@pytest.fixture
def captured_pdf_html(monkeypatch):
    """The HTML a PDF would be laid out from (the layout itself is not needed here)."""
    seen = []

    def render(html):
        seen.append(html)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(report_services, "render_pdf", render)
    return seen


@pytest.mark.parametrize("suffix", ["", "-pdf"])
def test_open_period_stays_out_of_the_report_whatever_till_says(
    client,
    plan_2017,
    period_2017_08,
    period_2017_12,
    marked,
    suffix,
    captured_pdf_html,
    django_user_model,
):
    """The later period (12-31) is published, the earlier (08-31) still open: an anonymous
    reader asking for follow-ups up to 12-31 gets the published texts only (HTML and PDF; the
    PDF is the publication's stored edition)."""
    from followups.models import PeriodTransition
    from reports.editions import editions_create

    FollowUpPeriod.objects.filter(pk=period_2017_12.pk).update(status=PeriodStatus.PUBLISHED)
    if suffix:
        publication = PeriodTransition.objects.create(
            period=period_2017_12,
            transition="publish",
            from_status=PeriodStatus.APPROVED,
            to_status=PeriodStatus.PUBLISHED,
            user=django_user_model.objects.create_user("utgivare", password="x"),
        )
        editions_create(publication_id=publication.pk)  # the plan's edition is laid out first
        plan_edition_html = captured_pdf_html[0]
    response = client.get(_plan_url(plan_2017, suffix), {"till": "2017-12-31"})
    assert response.status_code == 200
    body = plan_edition_html if suffix else response.content.decode()
    assert T3_TEXT in body
    assert T2_TEXT not in body and "Uppföljning 2017-08-31" not in body
    # Naming the open period itself gives no draft either.
    response = client.get(_plan_url(plan_2017, suffix), {"till": "2017-08-31"})
    body = captured_pdf_html[-1] if suffix else response.content.decode()
    assert response.status_code in (200, 302)
    assert T2_TEXT not in body


def test_editor_of_another_board_sees_no_draft(
    client, plan_2017, plan_2019, period_2017_12, marked, django_user_model
):
    """A role on another board gives no right to this board's drafts in a report."""
    FollowUpPeriod.objects.filter(pk=period_2017_12.pk).update(status=PeriodStatus.PUBLISHED)
    client.force_login(make_member(django_user_model, "annan", plan_2019.board, "editor"))
    body = client.get(_plan_url(plan_2017), {"till": "2017-12-31"}).content.decode()
    assert T3_TEXT in body and T2_TEXT not in body


def test_editor_of_the_board_sees_the_draft(editor_client, plan_2017, period_2017_12, marked):
    """Role holders of the board read its drafts, as before."""
    FollowUpPeriod.objects.filter(pk=period_2017_12.pk).update(status=PeriodStatus.PUBLISHED)
    body = editor_client.get(_plan_url(plan_2017), {"till": "2017-12-31"}).content.decode()
    assert T3_TEXT in body and T2_TEXT in body


# -- 2. a published period is kept --------------------------------------------------------


@pytest.fixture
def published_08(period_2017_08, approver):
    _publish(period_2017_08, approver)
    return period_2017_08


def _record(period):
    return (
        FollowUpPeriod.objects.filter(pk=period.pk).values_list("date", "kind", "status").first(),
        sorted(FollowUp.objects.filter(period=period).values_list("pk", "text")),
        PeriodTransition.objects.filter(period=period).count(),
    )


def test_editor_cannot_change_or_delete_a_published_period_in_the_admin(
    editor_client, published_08
):
    """Change and delete of a published period are refused (403); nothing changes."""
    before = _record(published_08)
    change = reverse("admin:goals_followupperiod_change", args=[published_08.pk])
    page = editor_client.get(change)
    assert page.status_code == 200 and "adminform" in page.context  # read-only view
    data = form_data(page)
    data["date"] = "2017-09-15"
    assert editor_client.post(change, data).status_code == 403
    delete = reverse("admin:goals_followupperiod_delete", args=[published_08.pk])
    assert editor_client.get(delete).status_code == 403
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert _record(published_08) == before
    assert before[2] == 3  # submit, approve, publish are on record


def test_bulk_delete_action_refuses_a_published_period(admin_client, published_08):
    """Even a system administrator's "delete selected" lists it as protected and keeps it."""
    before = _record(published_08)
    response = admin_client.post(
        reverse("admin:goals_followupperiod_changelist"),
        {"action": "delete_selected", "_selected_action": [published_08.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "Kan inte ta bort" in response.content.decode()
    assert _record(published_08) == before


def test_plan_inline_refuses_changing_and_deleting_a_published_period(
    editor_client, plan_2017, published_08
):
    """On the plan page, the published period's row can be neither edited nor deleted."""
    before = _record(published_08)
    change = reverse("admin:goals_plan_change", args=[plan_2017.pk])
    data = form_data(editor_client.get(change))
    prefix = next(
        k.removesuffix("-id")
        for k, v in data.items()
        if k.startswith("periods-") and k.endswith("-id") and str(v) == str(published_08.pk)
    )
    edited = dict(data, **{f"{prefix}-date": "2017-09-15"})
    response = editor_client.post(change, edited)
    assert response.status_code == 200
    assert "kan inte ändras" in response.content.decode() or "cannot" in (response.content.decode())
    deleted = dict(data, **{f"{prefix}-DELETE": "on"})
    response = editor_client.post(change, deleted)
    assert response.status_code == 200
    assert _record(published_08) == before


def test_deleting_an_activity_with_published_follow_ups_is_refused(editor_client, published_08):
    """The cascade would destroy published texts: the admin lists them as protected."""
    activity = Activity.objects.get(plan=published_08.plan, number="1.3")
    before = _record(published_08)
    delete = reverse("admin:activities_activity_delete", args=[activity.pk])
    response = editor_client.post(delete, {"post": "yes"})
    assert response.status_code == 200
    assert T2_TEXT[:20] in response.content.decode() or "1.3" in response.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert _record(published_08) == before


def test_database_refuses_destroying_the_record(published_08):
    """Below the application: PROTECT and triggers refuse deleting a published period, its
    follow-ups and its log, and changing its date or a follow-up's text."""
    with pytest.raises(ProtectedError), transaction.atomic():
        FollowUpPeriod.objects.filter(pk=published_08.pk).delete()
    follow_up = FollowUp.objects.filter(period=published_08).first()
    statements = [
        ("DELETE FROM followups_followup WHERE id = %s", [follow_up.pk]),
        ("UPDATE followups_followup SET text = 'x' WHERE id = %s", [follow_up.pk]),
        ("UPDATE goals_followupperiod SET date = '2017-09-01' WHERE id = %s", [published_08.pk]),
        ("DELETE FROM goals_followupperiod WHERE id = %s", [published_08.pk]),
    ]
    for sql, params in statements:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    # Reopened by the workflow, the period is editable again.
    FollowUpPeriod.objects.filter(pk=published_08.pk).update(status=PeriodStatus.OPEN)
    FollowUp.objects.filter(pk=follow_up.pk).update(text="Rättad text")
    assert FollowUp.objects.get(pk=follow_up.pk).text == "Rättad text"


# -- 3. values shown in a published report are locked ---------------------------------------


@pytest.fixture
def published_2019(plan_2019, approver):
    period = plan_2019.periods.get(kind="T3")
    _publish(period, approver)
    return period


@pytest.fixture
def son_editor_client(client, plan_2019, django_user_model):
    client.force_login(make_member(django_user_model, "son-red", plan_2019.board, "editor"))
    return client


def _value_2018(plan_2019):
    return (
        IndicatorValue.objects.filter(
            indicator__goal__plan=plan_2019, year=2018, tertial="", value__isnull=False
        )
        .select_related("indicator")
        .order_by("pk")
        .first()
    )


def _values():
    return sorted(IndicatorValue.objects.values_list("pk", "year", "value", "note"))


def test_api_bulk_write_refuses_a_value_shown_in_a_published_report(
    son_editor_client, plan_2019, published_2019
):
    """2018 is printed in the published 2019 year-end report: the API refuses it (400)."""
    value = _value_2018(plan_2019)
    before = _values()
    response = son_editor_client.post(
        "/api/v1/indicator-values/bulk/",
        {
            "values": [
                {
                    "indicator": value.indicator_id,
                    "year": 2018,
                    "gender": value.gender,
                    "category": value.category,
                    "value": "1",
                }
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "2018" in response.content.decode() and "låsta" in response.content.decode()
    assert _values() == before


def test_admin_inline_refuses_a_value_shown_in_a_published_report(
    son_editor_client, plan_2019, published_2019
):
    """The indicator page refuses changing the 2018 value (and deleting it); nothing changes."""
    value = _value_2018(plan_2019)
    before = _values()
    change = reverse("admin:indicators_indicator_change", args=[value.indicator_id])
    data = form_data(son_editor_client.get(change))
    prefix = next(
        k.removesuffix("-id")
        for k, v in data.items()
        if k.endswith("-id") and str(v) == str(value.pk)
    )
    response = son_editor_client.post(change, dict(data, **{f"{prefix}-value": "1"}))
    assert response.status_code == 200 and "låsta" in response.content.decode()
    response = son_editor_client.post(change, dict(data, **{f"{prefix}-DELETE": "on"}))
    assert response.status_code == 200
    assert _values() == before


def test_import_refuses_a_value_shown_in_a_published_report(
    son_editor_client, plan_2019, published_2019
):
    """An import of the 2018 value is refused in the preview, naming the year."""
    value = _value_2018(plan_2019)
    before = _values()
    data = row(year=2018, value=1, gender=value.gender, indicator=value.indicator.name)
    response = upload(son_editor_client, url("import"), xlsx(HEADERS, [data]))
    assert response.status_code == 200
    assert token(response) is None
    assert any("2018" in p and "låsta" in p for p in problems(response)), problems(response)
    assert _values() == before


def test_values_no_published_report_shows_stay_open(son_editor_client, plan_2019, published_2019):
    """An indicator of next year's plan is not in the 2019 report: its 2018 value may be
    entered (no false lock)."""
    plan_2020 = Plan.objects.create(board=plan_2019.board, year=2020, title="Verksamhetsplan 2020")
    goal = Goal.objects.create(plan=plan_2020, text="Ett nytt mål", order=1)
    indicator = Indicator.objects.create(board=plan_2019.board, goal=goal, name="Ny indikator")
    response = son_editor_client.post(
        "/api/v1/indicator-values/bulk/",
        {"values": [{"indicator": indicator.pk, "year": 2018, "value": "5"}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert IndicatorValue.objects.get(indicator=indicator, year=2018).value == 5


def test_reopening_unlocks_the_values(son_editor_client, plan_2019, published_2019, approver):
    """After an approver reopens the period (with a reason), the 2018 value may change."""
    workflow.period_transition(
        period=published_2019, transition="reopen", user=approver, reason="Felaktig siffra"
    )
    value = _value_2018(plan_2019)
    response = son_editor_client.post(
        "/api/v1/indicator-values/bulk/",
        {
            "values": [
                {
                    "indicator": value.indicator_id,
                    "year": 2018,
                    "gender": value.gender,
                    "category": value.category,
                    "value": "1",
                }
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    value.refresh_from_db()
    assert value.value == 1


# -- 4. the workbench: no false conflicts, no reverts -----------------------------------------


def _workbench(period):
    return reverse("followups:workbench", args=[period.pk])


def _key(plan, number):
    return f"activity-{Activity.objects.get(plan=plan, number=number).pk}"


def _two_editors(editor, period):
    a, b = Client(), Client()
    a.force_login(editor)
    b.force_login(editor)
    return a, b, _form_data(a.get(_workbench(period))), _form_data(b.get(_workbench(period)))


def test_no_false_conflict_when_others_saved_other_rows(editor, plan_2017, period_2017_12):
    """A saves row X; B, on the older page, changes only row Y: B's save goes through and
    X keeps A's text."""
    a, b, page_a, page_b = _two_editors(editor, period_2017_12)
    x, y = _key(plan_2017, "1.3"), _key(plan_2017, "1.4")
    page_a[f"{x}-text"] = "A:s nya text om 1.3."
    assert a.post(_workbench(period_2017_12), page_a).status_code == 302
    page_b[f"{y}-text"] = "B:s nya text om 1.4."
    assert b.post(_workbench(period_2017_12), page_b).status_code == 302
    texts = dict(
        FollowUp.objects.filter(
            period=period_2017_12, activity__number__in=["1.3", "1.4"]
        ).values_list("activity__number", "text")
    )
    assert texts == {"1.3": "A:s nya text om 1.3.", "1.4": "B:s nya text om 1.4."}


def test_no_conflict_when_others_changed_another_box_of_the_row(editor, plan_2017, period_2017_12):
    """A changes X's status; B changes X's text: both survive."""
    a, b, page_a, page_b = _two_editors(editor, period_2017_12)
    x = _key(plan_2017, "1.3")
    page_a[f"{x}-status"] = "done"
    assert a.post(_workbench(period_2017_12), page_a).status_code == 302
    page_b[f"{x}-text"] = "B:s text."
    assert b.post(_workbench(period_2017_12), page_b).status_code == 302
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    assert (follow_up.status, follow_up.text) == ("done", "B:s text.")


def test_real_conflict_shows_both_and_saving_again_keeps_the_choice(
    editor, plan_2017, period_2017_12
):
    """A and B both change X's text (A also its forecast): B is refused with both texts; the
    box holds B's text and the forecast shows A's; saving again keeps B's text and A's
    forecast, never the stale values."""
    a, b, page_a, page_b = _two_editors(editor, period_2017_12)
    x = _key(plan_2017, "1.3")
    page_a[f"{x}-text"] = "A:s text."
    page_a[f"{x}-forecast"] = "A:s bedömning."
    assert a.post(_workbench(period_2017_12), page_a).status_code == 302
    page_b[f"{x}-text"] = "B:s text."
    response = b.post(_workbench(period_2017_12), page_b)
    assert response.status_code == 409
    content = response.content.decode()
    assert "A:s text." in content and "B:s text." in content
    again = _form_data(response)
    assert again[f"{x}-text"] == "B:s text." and again[f"{x}-forecast"] == "A:s bedömning."
    assert b.post(_workbench(period_2017_12), again).status_code == 302
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    assert (follow_up.text, follow_up.forecast) == ("B:s text.", "A:s bedömning.")


def test_conflict_resolved_by_keeping_the_saved_text(editor, plan_2017, period_2017_12):
    """Choosing "keep the saved version" leaves A's text in place."""
    a, b, page_a, page_b = _two_editors(editor, period_2017_12)
    x = _key(plan_2017, "1.3")
    page_a[f"{x}-text"] = "A:s text."
    assert a.post(_workbench(period_2017_12), page_a).status_code == 302
    page_b[f"{x}-text"] = "B:s text."
    response = b.post(_workbench(period_2017_12), page_b)
    assert response.status_code == 409
    again = dict(_form_data(response), **{f"{x}-keep_saved": "on"})
    assert b.post(_workbench(period_2017_12), again).status_code == 302
    assert FollowUp.objects.get(period=period_2017_12, activity__number="1.3").text == "A:s text."


# -- 5. every role holder can sign in where the app sends them --------------------------------


def test_reader_without_staff_flag_signs_in_from_a_redirect(
    client, plan_2017, period_2017_12, django_user_model
):
    """A reader (no staff flag) sent from the workbench to the login page signs in there and
    lands on the workbench."""
    user = make_member(django_user_model, "politiker", plan_2017.board, "reader")
    user.set_password("ett-långt-lösenord-1")
    user.save()
    redirect = client.get(_workbench(period_2017_12))
    assert redirect.status_code == 302
    login_url = redirect["Location"]
    assert client.get(login_url).status_code == 200
    response = client.post(
        login_url,
        {
            "username": "politiker",
            "password": "ett-långt-lösenord-1",
            "next": _workbench(period_2017_12),
        },
    )
    assert response.status_code == 302 and response["Location"] == _workbench(period_2017_12)
    assert client.get(_workbench(period_2017_12)).status_code == 200


def test_admin_login_accepts_role_holders_only(client, plan_2017, django_user_model):
    """The admin's own sign-in lets an editor without the staff flag in; a person with no
    role is refused with the form's error."""
    editor = make_member(django_user_model, "red2", plan_2017.board, "editor")
    editor.set_password("ett-långt-lösenord-2")
    editor.save()
    response = client.post(
        reverse("admin:login"), {"username": "red2", "password": "ett-långt-lösenord-2"}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    nobody = django_user_model.objects.create_user("ingen", password="ett-långt-lösenord-3")
    other = Client()
    response = other.post(
        reverse("admin:login"), {"username": nobody.username, "password": "ett-långt-lösenord-3"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert re.search(r"errornote", response.content.decode())
    assert other.get(reverse("admin:index")).status_code == 302


def test_period_in_plan_year_trigger_still_holds(period_2017_12):
    """The older trigger is kept next to the new ones (TriggerSet)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpPeriod.objects.filter(pk=period_2017_12.pk).update(date=datetime.date(2018, 1, 1))


# -- siblings: the year-end report's economy tables -------------------------------------------


def test_economy_rows_follow_the_board_policy_and_the_record(
    client, plan_2017, plan_2019, approver, django_user_model
):
    """An editor of another board does not see the economy rows; the board's own editor may
    change them until the year-end report is closed, then the row is read-only (403)."""
    from reports.models import OperatingSummaryRow

    row_obj = OperatingSummaryRow.objects.filter(plan=plan_2019).order_by("pk").first()
    change = reverse("admin:reports_operatingsummaryrow_change", args=[row_obj.pk])
    client.force_login(make_member(django_user_model, "annan-red", plan_2017.board, "editor"))
    assert client.get(change).status_code == 302  # not among the rows this editor may see
    own = Client()
    own.force_login(make_member(django_user_model, "son-red2", plan_2019.board, "editor"))
    data = form_data(own.get(change))
    data["label"] = "Nytt namn"
    assert own.post(change, data).status_code == 302
    row_obj.refresh_from_db()
    assert row_obj.label == "Nytt namn"
    _publish(plan_2019.periods.get(kind="T3"), approver)
    data = form_data(own.get(change))
    data["label"] = "Ändrat efter publicering"
    assert own.post(change, data).status_code == 403
    row_obj.refresh_from_db()
    assert row_obj.label == "Nytt namn"
