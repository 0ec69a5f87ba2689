"""No lost updates in the admin: the second save from a stale form is refused, nothing lost."""

import pytest
from django.urls import reverse

from activities.models import Activity
from followups.models import FollowUp
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["activity", "followup"])
def test_second_stale_save_is_refused(client, editor, plan_2017, period_2017_12, model):
    """Both editors load the form; the second save shows both texts and the first survives."""
    client.force_login(editor)
    if model == "activity":
        obj = Activity.objects.get(plan=plan_2017, number="1.4")
        url = reverse("admin:activities_activity_change", args=[obj.pk])
    else:
        obj = FollowUp.objects.get(period=period_2017_12, activity__number="1.4")
        url = reverse("admin:followups_followup_change", args=[obj.pk])
    first = form_data(client.get(url))
    second = dict(first)
    first["text"] = "Text från redaktör A."
    second["text"] = "Text från redaktör B."
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Någon annan har ändrat posten sedan du öppnade den." in content
    assert "Text från redaktör A." in content and "Text från redaktör B." in content
    obj.refresh_from_db()
    assert obj.text == "Text från redaktör A."
    # Saving again from the refused form replaces the text deliberately.
    again = form_data(response)
    assert again["text"] == "Text från redaktör B."
    assert client.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert obj.text == "Text från redaktör B."
