"""Joint follow-ups in the follow-up import and export (issue 13): a goal's items are named
"<goal>:<numbers>", a joint row once with its coverage ("1:1–2")."""

import pytest

from followups.models import FollowUp, FollowUpCoverage
from tests.factories import build_plan_document
from tests.imports.conftest import confirm, export, problems, read_xlsx, upload, url, xlsx

pytestmark = pytest.mark.django_db

FOLLOW_UP = "followups_followup"


@pytest.fixture
def document_plan(db):
    return build_plan_document(year=2045)


def _rows(admin_client, plan):
    headers, rows = read_xlsx(export(admin_client, url("export", FOLLOW_UP)))
    col = {h: i for i, h in enumerate(headers)}
    mine = [r for r in rows if r[col["Nämnd"]] == plan.board.name]
    return headers, col, mine


def test_export_names_joint_rows_once(admin_client, document_plan):
    """The 13 follow-ups export as 13 rows; the joint ones with their coverage."""
    plan, _period, expected = document_plan
    _headers, col, rows = _rows(admin_client, plan)
    assert len(rows) == 13
    numbers = [r[col["Nummer"]] for r in rows]
    assert "1:1\u20132" in numbers and "1:4\u20135" in numbers and "2:2\u20133" in numbers
    assert sum(1 for r in rows if r[col["Uppföljning"]] == "Rad 02 text") == 1


def test_round_trip_and_new_joint_row(admin_client, document_plan):
    """Importing the export changes nothing; a row "4:1-2" makes goal 4's follow-up of
    indicator 1 cover indicator 2 as well; an unknown number is refused on its cell."""
    plan, period, _expected = document_plan
    headers, col, rows = _rows(admin_client, plan)
    response = upload(admin_client, url("import", FOLLOW_UP), xlsx(headers, rows))
    assert problems(response) == []
    assert response.context["result"].change_count == 0

    row = next(r for r in rows if r[col["Uppföljning"]] == "Rad 13 text")
    assert row[col["Nummer"]] == "4:1"
    row[col["Nummer"]] = "4:1-2"
    row[col["Uppföljning"]] = "Rad 13 text, gemensam"
    preview = upload(admin_client, url("import", FOLLOW_UP), xlsx(headers, [row]))
    assert problems(preview) == []
    assert confirm(admin_client, url("import", FOLLOW_UP), preview).status_code == 302
    joint = FollowUp.objects.get(period=period, text="Rad 13 text, gemensam")
    assert [c.indicator_item.number for c in joint.coverage.all()] == ["2"]

    row[col["Nummer"]] = "4:7"
    preview = upload(admin_client, url("import", FOLLOW_UP), xlsx(headers, [row]))
    assert any("7" in str(p) and "Nummer" in str(p) for p in problems(preview)), problems(preview)
    assert FollowUpCoverage.objects.filter(follow_up=joint).count() == 1
