"""Activities, development assignments and follow-ups through the admin import and export."""

from datetime import date

import pytest

from activities.models import Activity, Assignment
from followups.models import FollowUp
from goals.choices import PeriodStatus
from tests.imports.conftest import confirm, export, problems, read_xlsx, token, upload, url, xlsx

pytestmark = pytest.mark.django_db

ACTIVITY = "activities_activity"
ASSIGNMENT = "activities_assignment"
FOLLOW_UP = "followups_followup"
OMS = "Omsorgsnämnden"
FU_HEADERS = ["Nämnd", "År", "Period", "Typ", "Nummer", "Uppföljning", "Status"]


def state():
    return (
        sorted(FollowUp.objects.values_list("pk", "text", "status", "fulfilment", "version")),
        sorted(Activity.objects.values_list("pk", "number", "text", "schedule", "goal")),
        FollowUp.history.count() + Activity.history.count(),
    )


@pytest.mark.parametrize(
    "model,fmt",
    [(ACTIVITY, 0), (ACTIVITY, 1), (ASSIGNMENT, 0), (FOLLOW_UP, 0), (FOLLOW_UP, 1), (FOLLOW_UP, 2)],
)
def test_round_trip_reports_no_changes(admin_client, model, fmt):
    """Exporting activities, assignments or follow-ups and importing the file changes nothing."""
    data = export(admin_client, url("export", model), fmt)
    response = upload(admin_client, url("import", model), data, "x.xlsx" if fmt == 0 else "x.csv")
    result = response.context["result"]
    assert problems(response) == []
    assert result.change_count == 0 and result.unchanged_count > 0


def test_activity_changes_and_new_activity(editor_client, editor, plan_2017):
    """Changing an activity's text and schedule and adding activity 7.3 under goal 15 work; both
    appear in the history with the importing editor, and the new one sorts naturally."""
    headers, rows = read_xlsx(export(editor_client, url("export", ACTIVITY)))
    col = {h: i for i, h in enumerate(headers)}
    assert headers == [
        "Nämnd",
        "År",
        "Nummer",
        "Mål nr",
        "Nämndmål",
        "Område",
        "Aktivitet",
        "Tidplan",
    ]
    row = next(r for r in rows if r[col["Nummer"]] == "2.1")
    row[col["Aktivitet"]] = "Ny text för 2.1"
    row[col["Tidplan"]] = "Påbörjas hösten 2017"
    goal_15 = plan_2017.goals.get(order=15)
    rows.append([OMS, 2017, "7.3", 15, None, None, "En ny aktivitet", "Bokslut"])
    preview = upload(editor_client, url("import", ACTIVITY), xlsx(headers, rows))
    result = preview.context["result"]
    assert (len(result.changed_rows), len(result.new_rows)) == (1, 1), problems(preview)
    assert confirm(editor_client, url("import", ACTIVITY), preview).status_code == 302
    changed = Activity.objects.get(plan=plan_2017, number="2.1")
    assert (changed.text, changed.schedule, changed.schedule_text) == (
        "Ny text för 2.1",
        "other",
        "Påbörjas hösten 2017",
    )
    new = Activity.objects.get(plan=plan_2017, number="7.3")
    assert new.goal == goal_15 and new.schedule == "bokslut" and new.sort_key
    assert changed.history.latest().history_user == editor
    assert new.history.get().history_user == editor


def test_new_activity_of_an_area_without_a_goal(editor_client, plan_2017):
    """A new activity may belong to an activity area and no goal; without goal and area, or
    with an area the board does not have, the row is refused with the column named."""
    from goals.models import ActivityArea

    area = ActivityArea.objects.create(board=plan_2017.board, name="Område utan mål", order=99)
    headers = ["Nämnd", "År", "Nummer", "Mål nr", "Område", "Aktivitet", "Tidplan"]
    before = state()
    bad = [
        [OMS, 2017, "9.7", None, None, "Utan mål och område", ""],
        [OMS, 2017, "9.8", None, "Finns inte", "Okänt område", ""],
    ]
    found = problems(upload(editor_client, url("import", ACTIVITY), xlsx(headers, bad)))
    assert any(
        p.startswith("Rad 2, kolumn ”Mål nr”: Ange nämndmålets nummer för en ny aktivitet")
        for p in found
    ), found
    assert any(
        p.startswith("Rad 3, kolumn ”Område”: Nämnden Omsorgsnämnden har inget") for p in found
    ), found
    assert state() == before

    rows = [[OMS, 2017, "9.7", None, "område utan MÅL", "Aktivitet i området", "Bokslut"]]
    preview = upload(editor_client, url("import", ACTIVITY), xlsx(headers, rows))
    assert len(preview.context["result"].new_rows) == 1, problems(preview)
    assert confirm(editor_client, url("import", ACTIVITY), preview).status_code == 302
    new = Activity.objects.get(plan=plan_2017, number="9.7")
    assert (new.goal, new.area, new.text) == (None, area, "Aktivitet i området")
    # Imported again unchanged: nothing to do.
    again = upload(editor_client, url("import", ACTIVITY), xlsx(headers, rows))
    assert again.context["result"].change_count == 0, problems(again)


def test_activity_errors(editor_client):
    """An unknown goal number, a bad activity number and a year without a plan are each named."""
    before = state()
    headers = ["Nämnd", "År", "Nummer", "Mål nr", "Aktivitet", "Tidplan"]
    rows = [
        [OMS, 2017, "9.1", 99, "Text", ""],
        [OMS, 2017, "ett", 1, "Text", ""],
        [OMS, 2016, "1.1", 1, "Text", ""],
    ]
    found = problems(upload(editor_client, url("import", ACTIVITY), xlsx(headers, rows)))
    assert any(p.startswith("Rad 2, kolumn ”Mål nr”: Planen Verksamhetsplan") for p in found)
    assert any(p.startswith("Rad 3, kolumn ”Nummer”: Numret ska bestå av siffror") for p in found)
    assert any(p.startswith("Rad 4, kolumn ”År”: Nämnden Omsorgsnämnden har ingen") for p in found)
    assert state() == before


def test_follow_up_change_is_recorded(editor_client, editor, plan_2017):
    """A changed follow-up text and status are saved with a new version, the editor as
    updated_by and a history row by the editor."""
    rows = [[OMS, 2017, "2017-08-31", "Aktivitet", "1.3", "Importerad text", "Pågår"]]
    preview = upload(editor_client, url("import", FOLLOW_UP), xlsx(FU_HEADERS, rows))
    assert problems(preview) == [] and len(preview.context["result"].changed_rows) == 1
    follow_up = FollowUp.objects.get(period__date=date(2017, 8, 31), activity__number="1.3")
    version = follow_up.version
    assert confirm(editor_client, url("import", FOLLOW_UP), preview).status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.text, follow_up.status) == ("Importerad text", "in_progress")
    assert follow_up.version == version + 1 and follow_up.updated_by == editor
    assert follow_up.history.latest().history_user == editor


def test_follow_up_errors(editor_client, plan_2017):
    """A date outside the plan's year, an unknown activity, status on a goal and a closed period
    each give their own error; nothing is saved."""
    plan_2017.periods.filter(date=date(2017, 12, 31)).update(status=PeriodStatus.APPROVED)
    before = state()
    rows = [
        [OMS, 2017, "2018-08-31", "Aktivitet", "1.3", "Text", ""],
        [OMS, 2017, "2017-08-31", "Aktivitet", "9.99", "Text", ""],
        [OMS, 2017, "2017-08-31", "Nämndmål", "1", "Text", "Pågår"],
        [OMS, 2017, "2017-12-31", "Aktivitet", "1.3", "Ändrad i stängd period", ""],
        [OMS, 2017, "2017-08-31", "Aktivitet", "1.4", '=HYPERLINK("x")', ""],
    ]
    found = problems(upload(editor_client, url("import", FOLLOW_UP), xlsx(FU_HEADERS, rows)))
    expected = [
        "Rad 2, kolumn ”Period”: Datumet 2018-08-31 ligger utanför planens år (2017).",
        "Rad 3, kolumn ”Nummer”: Planen Verksamhetsplan",
        "Rad 4, kolumn ”Status”: Status kan bara anges för aktiviteter",
        "Rad 5, kolumn ”Period”: Perioden 2017-12-31 är inte öppen",
        "Rad 6, kolumn ”Uppföljning”: Cellen innehåller en formel",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in found), (text, found)
    assert len(found) == len(expected)
    assert state() == before


def test_round_trip_with_closed_period_is_fine(editor_client, plan_2017):
    """Unchanged rows of a closed period are no error: only changes need an open period."""
    plan_2017.periods.update(status=PeriodStatus.PUBLISHED)
    data = export(editor_client, url("export", FOLLOW_UP))
    response = upload(editor_client, url("import", FOLLOW_UP), data)
    assert problems(response) == [] and response.context["result"].change_count == 0
    assert token(response) is not None


def test_assignment_change(admin_client, admin_user, plan_2019):
    """An assignment's partners change through import, recorded with the importing user."""
    headers, rows = read_xlsx(export(admin_client, url("export", ASSIGNMENT)))
    col = {h: i for i, h in enumerate(headers)}
    row = next(
        r for r in rows if r[col["Ursprung"]] == "Kommunövergripande" and r[col["Nummer"]] == "1"
    )
    row[col["Tillsammans med"]] = "Tillsammans med kultur- och fritidsnämnden"
    preview = upload(admin_client, url("import", ASSIGNMENT), xlsx(headers, rows))
    assert len(preview.context["result"].changed_rows) == 1, problems(preview)
    confirm(admin_client, url("import", ASSIGNMENT), preview)
    assignment = Assignment.objects.get(plan=plan_2019, origin="municipal", number="1")
    assert assignment.partners == "Tillsammans med kultur- och fritidsnämnden"
    assert assignment.history.latest().history_user == admin_user
