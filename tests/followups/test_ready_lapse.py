"""A follow-up marked "klar" that someone changes later is no longer ready: whatever the path
(workbench, admin, API, import), a change of its content takes the mark back, recorded in the
history; saving it unchanged keeps the mark."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from access.tokens import token_create
from followups import services
from followups.models import FollowUp
from tests.conftest import make_member
from tests.factories import build_plan_document
from tests.imports.conftest import confirm, export, problems, read_xlsx, upload, url, xlsx
from tests.test_admin import form_data

from .test_workbench import _form_data, _url

pytestmark = pytest.mark.django_db

HINT = "Ändrad efter att den markerades klar"


def _ready(follow_up, user):
    """Mark `follow_up` ready as `user` (the writer's "Klar"); the row as stored then."""
    kind = follow_up.subject_kind
    services.follow_up_mark_ready(
        period=follow_up.period, kind=kind, subject_id=getattr(follow_up, f"{kind}_id"), user=user
    )
    follow_up.refresh_from_db()
    assert follow_up.is_ready
    return follow_up


def _assert_lapsed(follow_up, by):
    """Not ready any more, the lapse dated, and the history's newest row says so, by `by`."""
    follow_up.refresh_from_db()
    assert follow_up.ready_at is None and follow_up.ready_by is None
    assert follow_up.ready_lapsed_at is not None
    latest = follow_up.history.latest()
    assert latest.ready_at is None and latest.history_user == by
    assert follow_up.history.filter(ready_at__isnull=False).exists()  # the mark, on record


@pytest.fixture
def written(period_2017_12):
    """Activity 1.3's follow-up at 2017-12-31 (written in the seed)."""
    return FollowUp.objects.select_related("period").get(
        period=period_2017_12, activity__number="1.3"
    )


def test_workbench_change_takes_back_the_mark_and_shows_why(
    editor_client, editor, period_2017_12, written
):
    """Posting the page unchanged keeps the mark; changing the text takes it back, only on
    that row, and the row then says why it is not ready."""
    _ready(written, editor)
    other = _ready(FollowUp.objects.get(period=period_2017_12, activity__number="1.4"), editor)
    data = _form_data(editor_client.get(_url(period_2017_12)))
    editor_client.post(_url(period_2017_12), data)
    written.refresh_from_db()
    assert written.is_ready and written.version == 1

    data = _form_data(editor_client.get(_url(period_2017_12)))
    data[f"activity-{written.activity_id}-text"] = written.text + " Och en mening till."
    assert editor_client.post(_url(period_2017_12), data).status_code == 302
    _assert_lapsed(written, editor)
    assert written.version == 2
    other.refresh_from_db()
    assert other.is_ready

    response = editor_client.get(_url(period_2017_12))
    rows = {row.key: row for row in response.context["bench"].rows}
    assert rows[f"activity-{written.activity_id}"].state == "written"
    assert response.content.decode().count(HINT) == 1
    # Marking it ready again confirms the new content: the hint goes.
    _ready(written, editor)
    assert written.ready_lapsed_at is None
    assert HINT not in editor_client.get(_url(period_2017_12)).content.decode()


@pytest.mark.parametrize(
    ("subject", "values"),
    [
        ("activity", {"forecast": "Ny bedömning för helåret."}),
        ("activity", {"status": "done"}),
        ("goal", {"fulfilment": True}),
    ],
)
def test_service_takes_back_the_mark_for_each_field(editor, period_2017_12, subject, values):
    """Forecast, status and fulfilment are content as much as the text is."""
    if subject == "goal":
        goal = period_2017_12.plan.goals.order_by("order").first()
        entry = services.FollowUpEntry(kind="goal", subject=goal, values={"text": "Målet nås."})
        [follow_up] = services.follow_ups_save(period=period_2017_12, entries=[entry], user=editor)
    else:
        follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    _ready(follow_up, editor)
    if "fulfilment" in values:
        levels = period_2017_12.plan.board.municipality.fulfilment_levels.exclude(
            pk=follow_up.fulfilment_id
        )
        values = {"fulfilment_id": levels.first().pk}
    if values.get("status") == follow_up.status:
        values = {"status": "in_progress"}
    entry = services.FollowUpEntry(kind=subject, subject=getattr(follow_up, subject), values=values)
    services.follow_ups_save(period=period_2017_12, entries=[entry], user=editor)
    _assert_lapsed(follow_up, editor)


def test_service_coverage_change_takes_back_the_mark(django_user_model):
    """A joint follow-up that stops covering an item says something else: not ready."""
    plan, period, _expected = build_plan_document(year=2046)
    editor = make_member(django_user_model, "samskrivare", plan.board, "editor")
    joint = FollowUp.objects.filter(period=period, coverage__isnull=False).distinct().first()
    _ready(joint, editor)
    entry = services.FollowUpEntry(
        kind=joint.subject_kind,
        subject=joint.subject,
        values={"text": joint.text},
        coverage=[],
    )
    services.follow_ups_save(period=period, entries=[entry], user=editor)
    assert not joint.coverage.exists()
    _assert_lapsed(joint, editor)


def test_admin_change_takes_back_the_mark_unchanged_save_keeps_it(editor_client, editor, written):
    _ready(written, editor)
    change = reverse("admin:followups_followup_change", args=[written.pk])
    assert editor_client.post(change, form_data(editor_client.get(change))).status_code == 302
    written.refresh_from_db()
    assert written.is_ready

    data = form_data(editor_client.get(change))
    data["forecast"] = "Bedömningen ändrad i administrationen."
    assert editor_client.post(change, data).status_code == 302
    _assert_lapsed(written, editor)


def test_admin_inline_coverage_change_takes_back_the_mark(client, django_user_model):
    """Removing an item a joint follow-up covers (the admin inline) takes the mark back."""
    plan, period, _expected = build_plan_document(year=2047)
    editor = make_member(django_user_model, "inlineskrivare", plan.board, "editor")
    joint = FollowUp.objects.filter(period=period, coverage__isnull=False).distinct().first()
    _ready(joint, editor)
    client.force_login(editor)
    change = reverse("admin:followups_followup_change", args=[joint.pk])
    data = form_data(client.get(change))
    data["coverage-0-DELETE"] = "on"
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not joint.coverage.exists()
    _assert_lapsed(joint, editor)


def test_api_write_takes_back_the_mark_unchanged_keeps_it(editor, plan_2017, written):
    _ready(written, editor)
    _scope, secret = token_create(user=editor, name="BI", boards=[plan_2017.board], can_write=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    text_url = f"/api/v1/follow-ups/{written.pk}/text/"
    etag = api.get(text_url)["ETag"]
    same = api.put(text_url, {"text": written.text}, format="json", HTTP_IF_MATCH=etag)
    assert same.status_code == 200 and same["ETag"] == etag
    written.refresh_from_db()
    assert written.is_ready

    changed = api.put(text_url, {"text": "Ny text via API."}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    _assert_lapsed(written, editor)


FOLLOW_UP = "followups_followup"


def test_import_takes_back_the_mark_round_trip_keeps_it(
    admin_client, admin_user, django_user_model
):
    """Importing the export unchanged keeps the marks; a changed text, or a joint row's
    changed coverage with the same text, takes them back."""
    plan, period, _expected = build_plan_document(year=2048)
    editor = make_member(django_user_model, "importskrivare", plan.board, "editor")
    for follow_up in FollowUp.objects.filter(period=period):
        _ready(follow_up, editor)
    headers, rows = read_xlsx(export(admin_client, url("export", FOLLOW_UP)))
    col = {h: i for i, h in enumerate(headers)}
    rows = [r for r in rows if r[col["Nämnd"]] == plan.board.name]
    preview = upload(admin_client, url("import", FOLLOW_UP), xlsx(headers, rows))
    assert problems(preview) == [] and preview.context["result"].change_count == 0
    assert not FollowUp.objects.filter(period=period, ready_at__isnull=True).exists()

    text_row = next(r for r in rows if r[col["Uppföljning"]] == "Rad 02 text")
    text_row[col["Uppföljning"]] = "Rad 02 text, ändrad"
    joint_row = next(r for r in rows if r[col["Uppföljning"]] == "Rad 13 text")
    assert joint_row[col["Nummer"]] == "4:1"
    joint_row[col["Nummer"]] = "4:1-2"
    preview = upload(admin_client, url("import", FOLLOW_UP), xlsx(headers, [text_row, joint_row]))
    assert problems(preview) == []
    assert confirm(admin_client, url("import", FOLLOW_UP), preview).status_code == 302
    changed = FollowUp.objects.get(period=period, text="Rad 02 text, ändrad")
    joint = FollowUp.objects.get(period=period, text="Rad 13 text")
    assert joint.coverage.count() == 1
    _assert_lapsed(changed, admin_user)
    _assert_lapsed(joint, admin_user)
    assert FollowUp.objects.filter(period=period, ready_at__isnull=True).count() == 2
