import datetime
from decimal import Decimal

import pytest

from actionplans.models import ActionPlan, FollowUpMonth, MeasureFollowUp
from tests.conftest import make_member


@pytest.fixture
def action_plan(db):
    return ActionPlan.objects.select_related("board").get(year=2020)


@pytest.fixture
def son_approver(action_plan, django_user_model):
    return make_member(django_user_model, "son-godkannare", action_plan.board, "approver")


@pytest.fixture
def son_editor(action_plan, django_user_model):
    return make_member(django_user_model, "son-redaktor", action_plan.board, "editor")


@pytest.fixture
def oms_reader(plan_2017, django_user_model):
    """A reader of Omsorgsnämnden: no role on the action plan's board."""
    return make_member(django_user_model, "oms-lasare", plan_2017.board, "reader")


def add_month(plan, date, *, status="open", realised=Decimal("0.5"), measures=None):
    """A monthly follow-up with a row per measure (all, or the first `measures`)."""
    month = FollowUpMonth.objects.create(plan=plan, date=date, status=status)
    rows = list(plan.groups.model.objects.filter(plan=plan).values_list("measures", flat=True))
    for index, measure_id in enumerate(rows[:measures] if measures else rows):
        MeasureFollowUp.objects.create(
            period=month,
            measure_id=measure_id,
            status="ongoing",
            realised=realised,
            comment=f"Kommentar {index}",
        )
    return month


@pytest.fixture
def published_august(action_plan):
    return add_month(action_plan, datetime.date(2020, 8, 31), status="published")
