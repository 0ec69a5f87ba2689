"""Responsible persons by import (xlsx): Nämnd, År, Typ, Nummer, Ansvarig."""

import pytest

from responsibilities.models import Responsibility
from tests.conftest import make_member
from tests.imports.conftest import confirm, export, problems, read_xlsx, upload, url, xlsx

pytestmark = pytest.mark.django_db

MODEL = "responsibilities_responsibility"
HEADERS = ["Nämnd", "År", "Typ", "Nummer", "Ansvarig"]
OMS = "Omsorgsnämnden"


def test_import_adds_responsible_persons_and_exports_them(
    editor_client, plan_2017, django_user_model
):
    """Usernames or e-mail addresses, several per row; a second import changes nothing; the
    export gives the same columns back."""
    make_member(django_user_model, "lisa", plan_2017.board, "editor")
    django_user_model.objects.filter(username="lisa").update(email="lisa@example.se")
    rows = [
        [OMS, 2017, "Mål", "1", "redaktor, LISA@example.se"],
        [OMS, 2017, "Aktivitet", "1.1", "lisa"],
    ]
    preview = upload(editor_client, url("import", MODEL), xlsx(HEADERS, rows))
    assert len(preview.context["result"].new_rows) == 3, problems(preview)
    assert confirm(editor_client, url("import", MODEL), preview).status_code == 302
    goal = plan_2017.goals.get(order=1)
    assert sorted(goal.responsibilities.values_list("user__username", flat=True)) == [
        "lisa",
        "redaktor",
    ]
    again = upload(editor_client, url("import", MODEL), xlsx(HEADERS, rows))
    assert len(again.context["result"].new_rows) == 0, problems(again)
    headers, exported = read_xlsx(export(editor_client, url("export", MODEL)))
    assert headers == HEADERS
    assert [OMS, 2017, "Aktivitet", "1.1", "lisa@example.se"] in [list(r) for r in exported]


def test_import_names_every_problem_in_swedish(editor_client, plan_2017, plan_2019):
    before = Responsibility.objects.count()
    rows = [
        [OMS, 2017, "Mål", "99", "redaktor"],
        [OMS, 2017, "Sak", "1", "redaktor"],
        [OMS, 2017, "Aktivitet", "1.1", "okand@example.se"],
        [plan_2019.board.name, 2019, "Mål", "1", "redaktor"],
    ]
    found = problems(upload(editor_client, url("import", MODEL), xlsx(HEADERS, rows)))
    text = "\n".join(found)
    assert "Rad 2" in text and "har inget mål" in text
    assert "Ange typen som något av: Mål, Indikator, Aktivitet, Uppdrag." in text
    assert "Ingen aktiv användare har användarnamnet eller e-postadressen" in text
    assert "Rad 5" in text  # another board: not the editor's
    assert Responsibility.objects.count() == before
