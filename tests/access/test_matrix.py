"""The permission matrix: every role × action × own/other board, each cell asserted explicitly.

"Own" is Omsorgsnämnden (the user's role is on it), "other" is Social- och omsorgsnämnden.
Each action is performed through a real path (admin, workbench, workflow page, reports, API)
and judged by its effect: a page that renders, a row that changed. The expected table below
is the specification; a cell that differs from it fails on its own.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from access.models import BoardMembership
from access.tokens import token_create
from followups.models import FollowUp
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, Plan
from indicators.models import Indicator, IndicatorValue
from tests.followups.test_workbench import _form_data
from tests.imports.conftest import confirm, read_xlsx, upload, xlsx
from tests.imports.conftest import token as imports_token
from tests.imports.conftest import url as imports_url
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

ROLES = [
    "sysadmin",
    "approver",
    "editor",
    "reader",
    "no_role",
    "anonymous",
    "token_read",  # an API client: a superuser's token scoped read-only to the own board
    "token_write",  # the same, read-write
]
BOARDS = ["own", "other"]

OWN, BOTH, NONE = "own", "both", "none"  # where a role may act
EXPECTED = {
    # action: (sysadmin, approver, editor, reader, no_role, anonymous, token_read, token_write)
    # Tokens work only on the API; elsewhere an API client is as anonymous.
    "view_draft_workbench": (BOTH, OWN, OWN, OWN, NONE, NONE, NONE, NONE),
    "view_draft_admin": (BOTH, OWN, OWN, OWN, NONE, NONE, NONE, NONE),
    "edit_text_workbench": (BOTH, OWN, OWN, NONE, NONE, NONE, NONE, NONE),
    "edit_text_admin": (BOTH, OWN, OWN, NONE, NONE, NONE, NONE, NONE),
    "edit_value_admin": (BOTH, OWN, OWN, NONE, NONE, NONE, NONE, NONE),
    "edit_goal_admin": (BOTH, OWN, OWN, NONE, NONE, NONE, NONE, NONE),
    "view_draft_report": (BOTH, OWN, OWN, OWN, NONE, NONE, NONE, NONE),
    "view_published_report": (BOTH, BOTH, BOTH, BOTH, BOTH, BOTH, BOTH, BOTH),
    "api_read_draft": (BOTH, OWN, OWN, OWN, NONE, NONE, OWN, OWN),
    "api_read_published": (BOTH, BOTH, BOTH, BOTH, BOTH, BOTH, BOTH, BOTH),
    "api_write_value": (BOTH, OWN, OWN, NONE, NONE, NONE, NONE, OWN),
    "import_value": (BOTH, OWN, OWN, NONE, NONE, NONE, NONE, NONE),
    "export_follow_ups": (BOTH, OWN, OWN, OWN, NONE, NONE, NONE, NONE),
    "submit": (BOTH, OWN, NONE, NONE, NONE, NONE, NONE, NONE),
    "approve": (BOTH, OWN, NONE, NONE, NONE, NONE, NONE, NONE),
    "publish": (BOTH, OWN, NONE, NONE, NONE, NONE, NONE, NONE),
    "reopen": (BOTH, OWN, NONE, NONE, NONE, NONE, NONE, NONE),
    # The record of a published period: nobody changes it outside the workflow.
    "change_published_period_admin": (NONE,) * 8,
    "delete_published_period_admin": (NONE,) * 8,
    "api_write_published_value": (NONE,) * 8,
    # A report up to a published period never carries an earlier period's draft.
    "view_draft_via_till": (BOTH, OWN, OWN, OWN, NONE, NONE, NONE, NONE),
}


def _hidden_or_refused(response):
    """403, or a redirect: to a login page, or (another board's row) to the admin index."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        "logga-in" in location or "/admin/login/" in location or location == "/admin/"
    )


#: How a denied cell of these actions must answer (the denial itself, not only "no change").
DENIALS = {
    "change_published_period_admin": _hidden_or_refused,
    "delete_published_period_admin": _hidden_or_refused,
    "api_write_published_value": lambda r: r.status_code in (400, 401, 403),
    "view_draft_via_till": lambda r: r.status_code == 200 and "MATRIS-UTKAST" not in r.text,
}
LAST = {}


@pytest.fixture
def world(plan_2017, plan_2019, django_user_model):
    """Both boards with an open period, a follow-up, a goal and an indicator value each."""
    boards = {"own": plan_2017.board, "other": plan_2019.board}
    periods = {
        "own": plan_2017.periods.get(date=datetime.date(2017, 12, 31)),
        "other": plan_2019.periods.get(kind="T3"),
    }
    # An earlier, open period with a draft text on each board (for view_draft_via_till).
    drafts = {"own": plan_2017.periods.get(date=datetime.date(2017, 8, 31))}
    drafts["other"] = FollowUpPeriod.objects.create(
        plan=plan_2019, kind="T2", date=datetime.date(2019, 8, 31)
    )
    FollowUp.objects.create(
        period=drafts["other"],
        assignment=plan_2019.assignments.order_by("pk").first(),
        text="MATRIS-UTKAST other",
    )
    own_draft = FollowUp.objects.filter(period=drafts["own"]).order_by("pk").first()
    own_draft.text = "MATRIS-UTKAST own"
    own_draft.save()
    # Omsorgsnämnden's seed has no measured indicators; give it one value to edit.
    indicator = Indicator.objects.create(board=boards["own"], kind="volume", name="Antal ärenden")
    IndicatorValue.objects.create(indicator=indicator, year=2017, value=10)
    return {"boards": boards, "periods": periods, "drafts": drafts, "users": django_user_model}


def _client(role, world):
    client = Client()
    if role == "anonymous":
        return client
    users = world["users"]
    if role.startswith("token_"):
        admin = users.objects.create_superuser(f"bi-{role}", password="x")
        _scope, secret = token_create(
            user=admin,
            name=role,
            boards=[world["boards"]["own"]],
            can_write=role == "token_write",
        )
        return Client(HTTP_AUTHORIZATION=f"Token {secret}")
    if role == "sysadmin":
        user = users.objects.create_superuser("sys", password="x")
    else:
        user = users.objects.create_user(f"u-{role}", password="x")
        if role != "no_role":
            BoardMembership.objects.create(user=user, board=world["boards"]["own"], role=role)
    client.force_login(user)
    return client


def _follow_up(period):
    return FollowUp.objects.filter(period=period).order_by("pk").first()


def _admin_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _admin_edit(client, obj, field, value):
    """Post the admin change form with one field changed; True if the row changed."""
    url = _admin_url(obj)
    page = client.get(url)
    if page.status_code != 200 or "adminform" not in page.context:
        # No form to fill in: try a blind POST, as an attacker would.
        data = {field: value}
    else:
        data = form_data(page)
        data[field] = value
    client.post(url, data)
    obj.refresh_from_db()
    return str(getattr(obj, field)) == str(value)


def _set_status(period, status):
    period.status = status
    period.save()


def act(action, client, world, board):
    period = world["periods"][board]
    workbench = reverse("followups:workbench", args=[period.pk])
    status_page = reverse("followups:period_status", args=[period.pk])
    if action in ("change_published_period_admin", "delete_published_period_admin"):
        _set_status(period, PeriodStatus.PUBLISHED)
        before = FollowUpPeriod.objects.filter(pk=period.pk).values_list("date").first()
        if action == "change_published_period_admin":
            page = client.get(_admin_url(period))
            data = (
                form_data(page) if page.status_code == 200 and "adminform" in page.context else {}
            )
            data["date"] = period.date.replace(day=30).isoformat()
            LAST["response"] = client.post(_admin_url(period), data)
        else:
            url = reverse("admin:goals_followupperiod_delete", args=[period.pk])
            LAST["response"] = client.post(url, {"post": "yes"})
        after = FollowUpPeriod.objects.filter(pk=period.pk).values_list("date").first()
        return after != before
    if action == "api_write_published_value":
        _set_status(period, PeriodStatus.PUBLISHED)
        value = IndicatorValue.objects.filter(
            indicator__board=world["boards"][board], year=period.plan.year
        ).first()
        row = {"indicator": value.indicator_id, "year": value.year, "gender": value.gender}
        row.update(category=value.category, value="123", note="API")
        LAST["response"] = client.post(
            "/api/v1/indicator-values/bulk/", {"values": [row]}, content_type="application/json"
        )
        value.refresh_from_db()
        return value.note == "API"
    if action == "view_draft_via_till":
        _set_status(period, PeriodStatus.PUBLISHED)
        url = reverse("reports:plan", args=[period.plan.board_id, period.plan.year])
        LAST["response"] = client.get(url, {"till": period.date.isoformat()})
        return LAST["response"].status_code == 200 and "MATRIS-UTKAST" in LAST["response"].text
    if action == "view_draft_workbench":
        return client.get(workbench).status_code == 200
    if action in ("view_draft_report", "view_published_report"):
        if action == "view_published_report":
            _set_status(period, PeriodStatus.PUBLISHED)
        url = reverse("reports:plan", args=[period.plan.board_id, period.plan.year])
        response = client.get(url, {"till": period.date.isoformat()})
        return response.status_code == 200 and period.date.isoformat() in response.content.decode()
    if action in ("api_read_draft", "api_read_published"):
        if action == "api_read_published":
            _set_status(period, PeriodStatus.PUBLISHED)
        follow_up = _follow_up(period)
        return client.get(f"/api/v1/follow-ups/{follow_up.pk}/").status_code == 200
    if action == "api_write_value":
        value = IndicatorValue.objects.filter(indicator__board=world["boards"][board]).first()
        row = {"indicator": value.indicator_id, "year": value.year, "gender": value.gender}
        row.update(category=value.category, value="123", note="API")
        client.post(
            "/api/v1/indicator-values/bulk/", {"values": [row]}, content_type="application/json"
        )
        value.refresh_from_db()
        return value.note == "API"
    if action == "import_value":
        board_obj = world["boards"][board]
        value = IndicatorValue.objects.filter(indicator__board=board_obj, year__lt=2019).first()
        headers = ["Nämnd", "Indikator", "År", "Kön", "Kategori", "Värde"]
        row = [board_obj.name, value.indicator.name, value.year, value.gender, value.category, 77]
        target = imports_url("import")
        preview = upload(client, target, xlsx(headers, [row]))
        if preview.status_code == 200 and imports_token(preview):
            confirm(client, target, preview)
        value.refresh_from_db()
        return value.value == 77
    if action == "export_follow_ups":
        response = client.post(
            imports_url("export", "followups_followup"), {"format": "0", "resource": "0"}
        )
        if response.status_code != 200 or not response["Content-Type"].startswith("application/"):
            return False
        _headers, rows = read_xlsx(response.content)
        return world["boards"][board].name in {r[0] for r in rows}
    if action == "view_draft_admin":
        return client.get(_admin_url(_follow_up(period))).status_code == 200
    if action == "edit_text_workbench":
        page = client.get(workbench)
        follow_up = _follow_up(period)
        key = f"{follow_up.subject_key}-text"
        data = _form_data(page) if page.status_code == 200 else {}
        data[key] = "Matrisens text."
        client.post(workbench, data)
        follow_up.refresh_from_db()
        return follow_up.text == "Matrisens text."
    if action == "edit_text_admin":
        return _admin_edit(client, _follow_up(period), "text", "Matrisens text i admin.")
    if action == "edit_value_admin":
        value = IndicatorValue.objects.filter(indicator__board=world["boards"][board]).first()
        return _admin_edit(client, value, "note", "Ändrad i matrisen")
    if action == "edit_goal_admin":
        goal = Plan.objects.filter(board=world["boards"][board]).first().goals.first()
        return _admin_edit(client, goal, "summary", "Ändrad sammanfattning")
    transitions = {
        "api_read_draft": (BOTH, OWN, OWN, OWN, NONE, NONE, OWN, OWN),
        "api_read_published": (BOTH, BOTH, BOTH, BOTH, BOTH, BOTH, BOTH, BOTH),
        "api_write_value": (BOTH, OWN, OWN, NONE, NONE, NONE, NONE, OWN),
        "submit": (PeriodStatus.OPEN, PeriodStatus.SUBMITTED),
        "approve": (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED),
        "publish": (PeriodStatus.APPROVED, PeriodStatus.PUBLISHED),
        "reopen": (PeriodStatus.SUBMITTED, PeriodStatus.OPEN),
    }
    before, after = transitions[action]
    _set_status(period, before)
    client.post(status_page, {"transition": action, "reason": "Matristest"})
    period.refresh_from_db()
    return period.status == after


CELLS = [(a, r, b) for a in EXPECTED for r in ROLES for b in BOARDS]


@pytest.mark.parametrize(("action", "role", "board"), CELLS, ids=["-".join(c) for c in CELLS])
def test_permission_cell(world, action, role, board):
    """The cell's outcome equals the specification: allowed where the table says so, else denied."""
    where = dict(zip(ROLES, EXPECTED[action], strict=True))[role]
    expected = where == BOTH or (where == OWN and board == "own")
    client = _client(role, world)
    LAST.clear()
    assert act(action, client, world, board) is expected
    if not expected and action in DENIALS:
        assert DENIALS[action](LAST["response"]), LAST["response"].status_code
