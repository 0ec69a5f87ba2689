"""Every change to follow-ups, values, goals, activities and assignments is in the history."""

import pytest
from django.urls import reverse

from activities.models import Activity
from followups.models import FollowUp
from indicators.models import IndicatorValue
from tests.conftest import make_member
from tests.followups.test_workbench import _form_data, _key, _url
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


def _change_url(obj, view="change", *extra):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk, *extra])


def test_admin_form_change_is_recorded_with_user_and_diff(client, editor, plan_2017):
    """Saving an activity in the admin records the editor, and the diff shows before/after."""
    client.force_login(editor)
    activity = Activity.objects.get(plan=plan_2017, number="2.1")
    old_text = activity.text
    data = form_data(client.get(_change_url(activity)))
    data["text"] = "Ny formulering av aktiviteten."
    assert client.post(_change_url(activity), data).status_code == 302
    latest, previous = activity.history.all()[:2]
    assert latest.history_user == editor and latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("text", old_text, "Ny formulering av aktiviteten.")
    ]
    page = client.get(_change_url(activity, "history")).content.decode()
    assert "Ny formulering av aktiviteten." in page and old_text[:30] in page


def test_workbench_bulk_save_is_recorded(editor_client, editor, plan_2017, period_2017_12):
    """The workbench's bulk writes leave one history row per changed follow-up, by the editor."""
    data = _form_data(editor_client.get(_url(period_2017_12)))
    data[f"{_key('1.3', plan_2017)}-text"] = "Ändrad i arbetsytan."
    data[f"{_key('1.1', plan_2017)}-text"] = "Också ändrad."
    assert editor_client.post(_url(period_2017_12), data).status_code == 302
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    record = follow_up.history.latest()
    assert record.history_user == editor and record.text == "Ändrad i arbetsytan."
    assert record.prev_record is None or record.prev_record.text != record.text
    records = FollowUp.history.filter(history_user=editor)
    assert records.count() == 2


def test_restore_an_earlier_version(admin_client, plan_2017, period_2017_12):
    """Reverting from the history page brings back the earlier text as a new change."""
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    original = follow_up.text
    data = form_data(admin_client.get(_change_url(follow_up)))
    data["text"] = "Felaktig ändring."
    assert admin_client.post(_change_url(follow_up), data).status_code == 302
    first = follow_up.history.earliest()
    assert first.text == original
    revert_url = _change_url(follow_up, "simple_history", first.history_id)
    page = admin_client.get(revert_url)
    assert page.status_code == 200
    assert admin_client.post(revert_url, form_data(page)).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.text == original
    assert follow_up.history.count() == 3


def test_value_change_recorded(client, plan_2019, django_user_model):
    """An indicator value changed in the admin is recorded with its old and new number."""
    editor = make_member(django_user_model, "red19", plan_2019.board, "editor")
    client.force_login(editor)
    value = IndicatorValue.objects.filter(indicator__board=plan_2019.board, value__isnull=False)[0]
    old = value.value
    data = form_data(client.get(_change_url(value)))
    data["value"] = "42,5"
    response = client.post(_change_url(value), data)
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors
    record = value.history.latest()
    assert record.history_user == editor
    assert record.prev_record.value == old and str(record.value) == "42.5000"


def test_other_board_history_is_hidden(client, plan_2019, django_user_model):
    """A reader of another board cannot open this board's history page."""
    reader = make_member(django_user_model, "las19", plan_2019.board, "reader")
    client.force_login(reader)
    activity = Activity.objects.get(plan__year=2017, number="1.1")
    assert client.get(_change_url(activity, "history")).status_code in (302, 403, 404)
