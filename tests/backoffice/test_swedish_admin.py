"""The admin speaks Swedish everywhere, third-party apps' pages included."""

import re

import pytest
from django.urls import reverse

from goals.models import Goal

pytestmark = pytest.mark.django_db

#: English that third-party apps showed before they got Swedish labels (whole words, any case).
ENGLISH = [
    "AXES",
    "Knox",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Auth tokens",
    "Task Results",
    "Tasks Database Backend",
    "This exporter will export",
    "This importer will import",
    "Lämna in",
    "Attempt Time",
    "Locked Out",
    "queue name",
    "Successful",
    "Running",
    "Import",
    "Export",
    "Select all",
    "Change history",
    "Changed by",
    "Revert",
    "historical",
    "digest",
    "expiry",
    "Submit",
]


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def english_in(text: str) -> list:
    return [word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I)]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/activities/activity/",
        "/admin/activities/activity/export/",
        "/admin/activities/activity/import/",
        "/admin/followups/followup/export/",
        "/admin/axes/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/knox/authtoken/",
        "/admin/django_tasks_database/dbtaskresult/",
    ],
)
def test_admin_page_has_no_english_leftovers(admin_client, url):
    """Index, lists, the export page and the import page of the admin show no English words
    of the third-party apps (axes, knox, django-tasks, import-export); the export button
    says "Exportera"."""
    response = admin_client.get(url)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert english_in(text) == []
    if url.endswith("/export/"):
        assert 'value="Exportera"' in response.content.decode()


def test_history_pages_are_swedish(admin_client):
    """The change history (django-simple-history) and one version's page are Swedish."""
    goal = Goal.objects.first()
    goal.text += " "
    goal._history_user = None
    goal.save()
    response = admin_client.get(reverse("admin:goals_goal_history", args=[goal.pk]))
    assert response.status_code == 200
    assert english_in(visible_text(response.content.decode())) == []
    version = goal.history.first()
    response = admin_client.get(
        reverse("admin:goals_goal_simple_history", args=[goal.pk, version.history_id])
    )
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert english_in(text) == []
    assert "Återställ" in text
