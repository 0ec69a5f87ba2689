"""Entering an action plan in the admin, and measures by xlsx import (preview, confirm)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actionplans.models import FollowUpMonth, Measure, MeasureFollowUp
from tests.actionplans.conftest import add_month
from tests.imports.conftest import confirm, problems, token, upload, xlsx

pytestmark = pytest.mark.django_db

SON = "Social- och omsorgsnämnden"
HEADERS = ["Nämnd", "År", "Grupp", "Åtgärd", "Kostnadsreducering (mnkr)", "Tidsaspekt", "Kommentar"]
IMPORT = reverse("admin:actionplans_measure_import")


def test_editor_enters_a_plan_with_inlines(client, son_editor, action_plan):
    """The admin's add page takes a plan with a decision point, a background figure and a
    group in one save; the change page lists the computed total."""
    client.force_login(son_editor)
    url = reverse("admin:actionplans_actionplan_add")
    assert client.get(url).status_code == 200
    data = {
        "board": action_plan.board_id,
        "year": 2021,
        "title": "Åtgärdsplan 2021",
        "forecast_deficit": "12,5",
        "effect_until": 2023,
        "follow_up_from": "2021-03-01",
        "base_token": "",
    }
    for prefix, rows in (
        ("decision_points", [{"number": "1", "text": "Nämnden godkänner planen."}]),
        (
            "background_figures",
            [
                {
                    "label": "Underskott",
                    "year": "2020",
                    "amount": "3,5",
                    "qualifier": "",
                    "order": "0",
                }
            ],
        ),
        ("sections", []),
        ("groups", [{"order": "0", "kind": "cost_reducing", "title": "Föreningsbidrag"}]),
    ):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0})
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{k}": v for k, v in row.items()})
            data[f"{prefix}-{index}-base_token"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    plan = action_plan.board.action_plans.get(year=2021)
    assert plan.forecast_deficit == Decimal("12.5")
    assert plan.decision_points.get().text == "Nämnden godkänner planen."
    assert plan.groups.get().title == "Föreningsbidrag"
    assert plan.history.latest().history_user == son_editor
    listing = client.get(reverse("admin:actionplans_actionplan_changelist"))
    assert "62,9" in listing.text or "62.900" in listing.text


def test_closed_month_is_read_only_in_the_admin(client, son_editor, action_plan):
    """A submitted month cannot be changed or deleted from the admin, nor its measure rows."""
    month = add_month(action_plan, datetime.date(2020, 8, 31), status="submitted", measures=2)
    client.force_login(son_editor)
    page = client.get(reverse("admin:actionplans_followupmonth_change", args=[month.pk]))
    assert page.status_code == 200
    assert 'name="follow_ups-0-realised"' not in page.text
    assert 'name="date"' not in page.text
    delete = reverse("admin:actionplans_followupmonth_delete", args=[month.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert FollowUpMonth.objects.filter(pk=month.pk).exists()


def test_import_changes_and_adds_measures_after_preview(client, son_editor, action_plan):
    """A changed reduction and a new measure are previewed, then written on confirm, with the
    timing parsed ('Från Q 4 2020') and history kept."""
    client.force_login(son_editor)
    rows = [
        [SON, 2020, "Föreningsbidrag", "Reducering av föreningsbidrag", "0,5", "2020", ""],
        [SON, 2020, "Föreningsbidrag", "Nytt bidragssystem", 1.25, "Från Q 4 2020", "Utredning"],
    ]
    preview = upload(client, IMPORT, xlsx(HEADERS, rows))
    result = preview.context["result"]
    assert problems(preview) == []
    assert (len(result.changed_rows), len(result.new_rows)) == (1, 1)
    assert not Measure.objects.filter(title="Nytt bidragssystem").exists()
    assert confirm(client, IMPORT, preview).status_code == 302
    new = Measure.objects.get(title="Nytt bidragssystem")
    assert (new.reduction, new.timing_quarter, new.timing_year, new.timing_from) == (
        Decimal("1.25"),
        4,
        2020,
        True,
    )
    assert Measure.objects.get(title="Reducering av föreningsbidrag").reduction == Decimal("0.5")
    assert new.history.get().history_user == son_editor


def test_import_with_errors_writes_nothing(client, son_editor, action_plan):
    """Any bad row stops the whole import; each problem is named in Swedish by row and column."""
    client.force_login(son_editor)
    before = sorted(Measure.objects.values_list("pk", "title", "reduction"))
    rows = [
        [SON, 2020, "Föreningsbidrag", "Reducering av föreningsbidrag", "0,5", "2020", ""],
        [SON, 2020, "Ingen sådan grupp", "X", "1", "2021", ""],
        [SON, 2020, "Föreningsbidrag", "Negativ", "-1", "2021", ""],
        [SON, 2020, "Föreningsbidrag", "Nytt", "ett", "2021", ""],
        [SON, 2019, "Föreningsbidrag", "Fel år", "1", "2021", ""],
    ]
    preview = upload(client, IMPORT, xlsx(HEADERS, rows))
    found = problems(preview)
    assert any(
        p.startswith("Rad 3, kolumn ”Grupp”: Åtgärdsplanen har ingen grupp") for p in found
    ), found
    assert any(
        "Rad 4" in p and "Kostnadsreduceringen kan inte vara negativ." in p for p in found
    ), found
    assert any(p.startswith("Rad 5, kolumn ”Kostnadsreducering (mnkr)”") for p in found), found
    assert any(p.startswith("Rad 6, kolumn ”År”: Nämnden") for p in found), found
    assert token(preview) is None  # no confirm button while any row has a problem
    assert sorted(Measure.objects.values_list("pk", "title", "reduction")) == before


def test_import_to_another_board_is_refused(client, oms_reader, plan_2017, django_user_model):
    """An editor of another board cannot import into this plan."""
    from tests.conftest import make_member

    editor = make_member(django_user_model, "oms-red", plan_2017.board, "editor")
    client.force_login(editor)
    rows = [[SON, 2020, "Föreningsbidrag", "Reducering av föreningsbidrag", "0,5", "2020", ""]]
    found = problems(upload(client, IMPORT, xlsx(HEADERS, rows)))
    assert any("behörighet" in p for p in found), found
    assert not MeasureFollowUp.objects.exists() and not FollowUpMonth.objects.exists()
