"""The plan document (followups.document): document order, numbering, joint follow-ups once,
a constant number of queries; joint follow-ups obey the follow-up rules (locking, same goal)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import Activity, Assignment
from followups.document import plan_document_get
from followups.models import FollowUp, FollowUpCoverage, coverage_label
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, GoalIndicatorItem
from tests.factories import build_plan_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("numbers", "label"),
    [
        (["1", "2"], "1\u20132"),
        (["1", "3"], "1, 3"),
        (["1", "2", "3", "5"], "1\u20133, 5"),
        (["4"], "4"),
        (["1.", "2."], "1\u20132"),
        (["3a", "4"], "3a, 4"),
    ],
)
def test_coverage_label(numbers, label):
    """Consecutive numbers collapse into a range with an en dash, others are listed."""
    assert coverage_label(numbers) == label


def test_document_order_and_joint_rows_once():
    """Goal by goal: the goal's assessment first, then indicators and assignments by number,
    a joint follow-up once at its first item, labelled by its coverage; forecasts kept."""
    plan, period, expected = build_plan_document()
    document = plan_document_get(plan=plan, periods=[period])
    rows = [
        ("Mål" if row.kind == "goal" else row.label, row.text, row.forecast)
        for goal in document.goals
        for row in goal.rows
    ]
    assert rows == expected
    assert len(rows) == 13
    assert sum(1 for goal in document.goals for row in goal.rows if row.is_joint) == 3
    goals = document.goals
    assert [len(g.indicators) for g in goals] == [3, 3, 4, 2]
    assert [[a.number for a in g.assignments] for g in goals] == [
        ["4", "5"],
        ["4", "5"],
        ["5", "6", "7"],
        [],
    ]
    assert [m.title for m in goals[0].municipal_goals][0].startswith("Kommunmål C")
    # The area without a goal lists its activity, after the areas with goals.
    assert [a.title for a in document.areas][-1].startswith("Område 3")
    assert [e.activity.number for e in document.areas[-1].activities] == ["9.1"]
    assert document.areas[-1].goals == []


def test_query_count_is_constant(django_assert_num_queries):
    """The document costs the same nine queries at one and at three times the size."""
    small, small_period, _ = build_plan_document(year=2032, scale=1)
    large, large_period, expected = build_plan_document(year=2033, scale=3)
    assert len(expected) == 39
    with django_assert_num_queries(9):
        plan_document_get(plan=small, periods=[small_period])
    with django_assert_num_queries(9):
        document = plan_document_get(plan=large, periods=[large_period])
    assert sum(len(g.rows) for g in document.goals) == 39


def test_seed_2017_activity_of_area_without_goal():
    """In the 2017 plan, 5.1 belongs to the area "Personlig assistans SFB", not to a goal."""
    activity = Activity.objects.get(plan__year=2017, number="5.1")
    assert activity.goal_id is None
    assert activity.area.name == "Personlig assistans SFB"
    from goals.models import Plan

    plan = Plan.objects.get(year=2017)
    document = plan_document_get(plan=plan, periods=list(plan.periods.all()))
    area = next(a for a in document.areas if a.title == "Personlig assistans SFB")
    assert [e.activity.number for e in area.activities] == ["5.1"]
    assert area.activities[0].follow_ups
    assert all("5.1" not in [e.activity.number for e in g.activities] for g in document.goals)


def _joint(plan, period):
    return FollowUp.objects.get(period=period, text="Rad 02 text")


def test_joint_follow_up_is_locked_with_its_period():
    """A published period's joint follow-up keeps what it covers: the trigger refuses adding
    and removing coverage rows, and the model says it is locked."""
    plan, period, _ = build_plan_document(year=2034)
    joint = _joint(plan, period)
    coverage = joint.coverage.get()
    third = GoalIndicatorItem.objects.get(goal=joint.indicator_item.goal, number="3")
    FollowUp.objects.filter(period=period, indicator_item=third).delete()
    FollowUpPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    assert coverage.is_locked
    assert list(FollowUpCoverage.locked_among([coverage.pk])) == [coverage]
    with pytest.raises(IntegrityError, match="inte är öppen"), transaction.atomic():
        coverage.delete()
    with pytest.raises(IntegrityError, match="inte är öppen"), transaction.atomic():
        FollowUpCoverage.objects.create(follow_up=joint, indicator_item=third)
    new = FollowUpCoverage(follow_up=FollowUp.objects.get(pk=joint.pk), indicator_item=third)
    with pytest.raises(ValidationError):
        new.full_clean()


def test_joint_follow_up_covers_only_its_own_goal():
    """Covering an item of another goal, or one that has its own follow-up in the period, is
    refused by clean() on the field and by the database."""
    plan, period, _ = build_plan_document(year=2035)
    joint = _joint(plan, period)
    other_goal_item = GoalIndicatorItem.objects.filter(goal__plan=plan).exclude(
        goal=joint.indicator_item.goal
    )[0]
    row = FollowUpCoverage(follow_up=joint, indicator_item=other_goal_item)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "indicator_item" in error.value.message_dict
    with pytest.raises(IntegrityError, match="samma nämndmål"), transaction.atomic():
        FollowUpCoverage.objects.create(follow_up=joint, indicator_item=other_goal_item)
    owned = GoalIndicatorItem.objects.get(goal=joint.indicator_item.goal, number="3")
    with pytest.raises(IntegrityError, match="egen uppföljning"), transaction.atomic():
        FollowUpCoverage.objects.create(follow_up=joint, indicator_item=owned)
    # And the other way round: an item already covered cannot get its own follow-up.
    covered = joint.coverage.get().indicator_item
    own = FollowUp(period=period, indicator_item=covered, text="x")
    with pytest.raises(ValidationError) as error:
        own.full_clean()
    assert "indicator_item" in error.value.message_dict


def test_assignment_number_unique_within_goal_on_the_field():
    """Assignments are numbered within their goal: the same number in another goal is fine,
    a second one in the same goal is refused on the number field."""
    plan, _period, _ = build_plan_document(year=2036)
    first = Assignment.objects.filter(plan=plan, number="4").order_by("pk")[0]
    Assignment(plan=plan, goal=first.goal, number="9", text="Nytt").full_clean()
    with pytest.raises(ValidationError) as error:
        Assignment(plan=plan, goal=first.goal, number="4", text="Dubblett").full_clean()
    assert list(error.value.message_dict) == ["number"]
    # The goal gives the plan: the form need not ask for it.
    Assignment(goal=first.goal, number="10", text="Utan plan").full_clean()


def test_sections_placed_before_a_goal(django_assert_num_queries):
    """A section placed before a goal is read with that goal (not with the area's narrative
    nor the plan's introduction), in the same nine queries; a goal alone is read with its own
    sections in eight."""
    from goals.models import Goal, Plan, PlanSection

    plan = Plan.objects.get(year=2017)
    periods = list(plan.periods.all())
    with django_assert_num_queries(9):
        document = plan_document_get(plan=plan, periods=periods)
    placed = {s.title: goal.goal.text[:30] for goal in document.goals for s in goal.sections_before}
    assert placed == {
        "FoU-centrum": "FoU-centrum för vård och omsor",
        "E-hälsa": "Den enskildes upplevelse av de",
    }
    narrative = [s.title for area in document.areas for s in area.sections]
    narrative += [s.title for s in document.intro_sections]
    assert "E-hälsa" not in narrative and "FoU-centrum" not in narrative
    goal = Goal.objects.select_related("area", "domain").get(
        plan=plan, text__startswith="Den enskildes upplevelse"
    )
    with django_assert_num_queries(8):
        alone = plan_document_get(plan=plan, periods=periods, goal=goal)
    (entry,) = alone.goals
    assert [s.title for s in entry.sections_before] == ["E-hälsa"]
    assert entry.sections_before[0].body.startswith("Linköping har som ambition")
    assert goal.intro == ""
    assert PlanSection.objects.get(title="E-hälsa").area == goal.area


def test_section_before_a_goal_of_its_own_plan_only():
    """The section's goal must be one of its plan's; a follow-up report's section is never
    placed before a goal (model and database)."""
    from goals.models import Goal, Plan, PlanSection

    plan = Plan.objects.get(year=2017)
    other_goal = Goal.objects.filter(plan__year=2019).first()
    section = PlanSection(plan=plan, key="x", title="Före", before_goal=other_goal)
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "before_goal" in error.value.message_dict
    goal = Goal.objects.filter(plan=plan).exclude(area=None).first()
    other_area = plan.board.activity_areas.exclude(pk=goal.area_id).first()
    section = PlanSection(plan=plan, key="y", title="Före", before_goal=goal, area=other_area)
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "area" in error.value.message_dict
    PlanSection(plan=plan, key="z", title="Före", before_goal=goal, area=goal.area).full_clean()
    period = plan.periods.first()
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanSection.objects.create(
            plan=plan, key="w", title="Rapport", period=period, before_goal=goal
        )
