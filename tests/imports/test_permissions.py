"""Who may import and export: the policy decides (Action.IMPORT / Action.EXPORT per board)."""

import pytest
from django.test import Client

from indicators.models import IndicatorValue
from tests.conftest import make_member
from tests.imports.conftest import export, problems, read_xlsx, upload, url, xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["Nämnd", "Indikator", "Slag", "År", "Kön", "Värde"]
ROW = ["Social- och omsorgsnämnden", "Övertid", "Personal", 2016, "T", 0.3]


def test_editor_of_another_board_gets_a_row_error(editor_client):
    """The Omsorgsnämnden editor importing a row of Social- och omsorgsnämnden gets an error on
    that row's Nämnd cell, and nothing is saved."""
    ROW_OTHER = ["Social- och omsorgsnämnden", "Övertid", "Nämndindikator", 2016, "T", 0.3]
    before = IndicatorValue.objects.count()
    found = problems(upload(editor_client, url("import"), xlsx(HEADERS, [ROW_OTHER])))
    assert found == [
        "Rad 2, kolumn ”Nämnd”: Du har inte behörighet att importera till nämnden "
        "Social- och omsorgsnämnden."
    ]
    assert IndicatorValue.objects.count() == before


@pytest.mark.parametrize("page", ["import", "import_wide", "import_kolada"])
def test_reader_cannot_import(client, plan_2019, django_user_model, page):
    """A reader (politician) gets 403 on every import page, for GET and POST."""
    client.force_login(make_member(django_user_model, "lasare", plan_2019.board, "reader"))
    assert client.get(url(page)).status_code == 403
    assert upload(client, url(page), xlsx(HEADERS, [ROW])).status_code == 403


def test_reader_exports_only_own_boards(client, plan_2017, plan_2019, django_user_model):
    """A reader may export, and the file holds only the rows of the reader's boards."""
    client.force_login(make_member(django_user_model, "lasare", plan_2019.board, "reader"))
    headers, rows = read_xlsx(export(client, url("export", "followups_followup")))
    assert rows and {r[0] for r in rows} == {"Social- och omsorgsnämnden"}
    _headers, values = read_xlsx(export(client, url("export")))
    assert len(values) == 156
    other = Client()
    other.force_login(make_member(django_user_model, "lasare2", plan_2017.board, "reader"))
    _headers, values = read_xlsx(export(other, url("export")))
    assert values == []
    wide = other.post(url("export_wide"), {"board": plan_2019.board.pk, "year": 2019, "format": 0})
    assert wide["Content-Type"].startswith("text/html"), "no file for another board"
    assert "board" in wide.context["form"].errors


@pytest.mark.parametrize("page", ["import", "export", "import_wide", "export_wide"])
def test_anonymous_and_roleless_get_nothing(client, django_user_model, page):
    """Anonymous visitors and users without a role are sent to the login page."""
    assert client.get(url(page)).status_code == 302
    client.force_login(django_user_model.objects.create_user("ingen", password="x"))
    response = client.get(url(page))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(url("export"), {"format": "0"}).status_code == 302


def test_editor_sees_the_buttons_and_pages(son_client):
    """An editor's change list links to every import and export page, and each page renders."""
    page = son_client.get(url("changelist")).content.decode()
    for name in ("import", "export", "import_wide", "export_wide", "import_kolada"):
        assert url(name) in page
        assert son_client.get(url(name)).status_code == 200


def test_reader_sees_only_export(client, plan_2019, django_user_model):
    """A reader's change list offers export, not import."""
    client.force_login(make_member(django_user_model, "lasare", plan_2019.board, "reader"))
    page = client.get(url("changelist")).content.decode()
    assert url("export") in page and url("export_wide") in page
    assert url("import") + '"' not in page and url("import_wide") not in page


def test_other_board_rows_reveal_nothing(editor_client):
    """Rows for another board get the permission error even when their indicator or activity
    does not exist there: the messages say nothing about the other board's content."""
    rows = [["Social- och omsorgsnämnden", "Finns inte", "Nämndindikator", 2016, "T", 0.3]]
    found = problems(upload(editor_client, url("import"), xlsx(HEADERS, rows)))
    assert found == [
        "Rad 2, kolumn ”Nämnd”: Du har inte behörighet att importera till nämnden "
        "Social- och omsorgsnämnden."
    ]
