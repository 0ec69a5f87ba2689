"""The period workflow: open → submitted → approved → published, reopen with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followups import workflow
from goals.choices import PeriodStatus
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

ALLOWED = {
    (PeriodStatus.OPEN, "submit"): PeriodStatus.SUBMITTED,
    (PeriodStatus.SUBMITTED, "approve"): PeriodStatus.APPROVED,
    (PeriodStatus.APPROVED, "publish"): PeriodStatus.PUBLISHED,
    (PeriodStatus.SUBMITTED, "reopen"): PeriodStatus.OPEN,
    (PeriodStatus.APPROVED, "reopen"): PeriodStatus.OPEN,
    (PeriodStatus.PUBLISHED, "reopen"): PeriodStatus.OPEN,
}
CELLS = [(s, t) for s in PeriodStatus.values for t in workflow.TRANSITIONS]


@pytest.fixture
def approver(plan_2017, django_user_model):
    return make_member(django_user_model, "chef", plan_2017.board, "approver")


@pytest.mark.parametrize(("status", "transition"), CELLS, ids=[f"{s}-{t}" for s, t in CELLS])
def test_transition_matrix(approver, period_2017_12, status, transition):
    """Exactly the workflow's steps are possible from each status; all others are refused."""
    period_2017_12.status = status
    period_2017_12.save()
    target = ALLOWED.get((status, transition))
    if target is None:
        with pytest.raises(ValidationError):
            workflow.period_transition(
                period=period_2017_12, transition=transition, user=approver, reason="x"
            )
        period_2017_12.refresh_from_db()
        assert period_2017_12.status == status
        assert not period_2017_12.transitions.exists()
    else:
        record = workflow.period_transition(
            period=period_2017_12, transition=transition, user=approver, reason="Rättelse"
        )
        period_2017_12.refresh_from_db()
        assert period_2017_12.status == target
        assert (record.from_status, record.to_status, record.user) == (status, target, approver)


def test_publishing_records_who_and_when(approver, period_2017_12):
    """After publishing, the period says who published it and when."""
    for step in ("submit", "approve", "publish"):
        workflow.period_transition(period=period_2017_12, transition=step, user=approver)
    published = workflow.period_published(period=period_2017_12)
    assert published.user == approver and published.at is not None


def test_reopen_needs_a_reason_which_is_kept(approver, period_2017_12):
    """Reopening without a reason is refused; with one, the reason is kept."""
    workflow.period_transition(period=period_2017_12, transition="submit", user=approver)
    with pytest.raises(ValidationError) as exc:
        workflow.period_transition(period=period_2017_12, transition="reopen", user=approver)
    assert "Ange varför perioden öppnas igen." in exc.value.messages
    workflow.period_transition(
        period=period_2017_12, transition="reopen", user=approver, reason="Fel siffra i 1.3"
    )
    assert period_2017_12.transitions.last().reason == "Fel siffra i 1.3"


@pytest.mark.parametrize("role", ["editor", "reader"])
def test_only_approvers_move_the_period(plan_2017, period_2017_12, django_user_model, role):
    """Editors and readers cannot submit, approve, publish or reopen."""
    user = make_member(django_user_model, f"u-{role}", plan_2017.board, role)
    with pytest.raises(PermissionDenied):
        workflow.period_transition(period=period_2017_12, transition="submit", user=user)
    assert period_2017_12.status == PeriodStatus.OPEN


def test_approver_of_another_board_cannot(plan_2019, period_2017_12, django_user_model):
    """An approver of another board cannot move this board's period."""
    other = make_member(django_user_model, "annan-chef", plan_2019.board, "approver")
    with pytest.raises(PermissionDenied):
        workflow.period_transition(period=period_2017_12, transition="submit", user=other)


def test_status_page_moves_the_period(client, approver, period_2017_12):
    """The workflow page offers the approver's steps and performs them."""
    client.force_login(approver)
    url = reverse("followups:period_status", args=[period_2017_12.pk])
    page = client.get(url).content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page
    assert client.post(url, {"transition": "submit"}).status_code == 302
    period_2017_12.refresh_from_db()
    assert period_2017_12.status == PeriodStatus.SUBMITTED
    response = client.post(url, {"transition": "reopen", "reason": ""})
    assert response.status_code == 400
    assert "Ange varför perioden öppnas igen." in response.content.decode()
