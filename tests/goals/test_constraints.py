"""Each invariant is kept twice: model validation gives a Swedish message, the database refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import Activity, Assignment
from followups.models import FollowUp
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    GoalDomain,
    MunicipalGoal,
    Plan,
    PlanSection,
)
from indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def _seed():
    plan = Plan.objects.select_related("board__municipality").get(year=2017)
    plan19 = Plan.objects.select_related("board__municipality").get(year=2019)
    return {
        "plan": plan,
        "plan19": plan19,
        "board": plan.board,
        "municipality": plan.board.municipality,
        "goal": plan.goals.get(order=1),
        "goal19": plan19.goals.get(order=1),
        "activity": Activity.objects.get(plan=plan, number="1.1"),
        "period": plan.periods.get(date="2017-12-31"),
        "period19": plan19.periods.get(),
        "indicator": Indicator.objects.filter(board=plan19.board, kind="goal").first(),
        "assignment": Assignment.objects.filter(plan=plan19).first(),
        "level": FulfilmentLevel.objects.get(code="fulfilled"),
    }


# (rule, builder of an invalid unsaved instance, Swedish message from the model)
CASES = [
    (
        "board_unique_name",
        lambda s: Board(municipality=s["municipality"], name="Omsorgsnämnden", valid_from=2017),
        "Det finns redan en nämnd med detta namn och startår i kommunen.",
    ),
    (
        "board_valid_range",
        lambda s: Board(municipality=s["municipality"], name="X", valid_from=2020, valid_to=2019),
        "Slutåret kan inte ligga före startåret.",
    ),
    (
        "area_unique_name",
        lambda s: ActivityArea(board=s["board"], name="Socialpsykiatri"),
        "Nämnden har redan ett verksamhetsområde med detta namn.",
    ),
    (
        "domain_unique_name",
        lambda s: GoalDomain(municipality=s["municipality"], name="Samhälle"),
        "Målområdet finns redan i kommunen.",
    ),
    (
        "municipal_goal_valid_range",
        lambda s: MunicipalGoal(
            municipality=s["municipality"], title="Nytt", valid_from=2019, valid_to=2018
        ),
        "Slutåret kan inte ligga före startåret.",
    ),
    (
        "level_colour_hex",
        lambda s: FulfilmentLevel(
            municipality=s["municipality"], code="blue", label="Blå", colour="blue"
        ),
        "Färgen ska anges som # följt av sex hexadecimala tecken",
    ),
    (
        "level_unique_code",
        lambda s: FulfilmentLevel(
            municipality=s["municipality"], code="fulfilled", label="Grönt", colour="#00ff00"
        ),
        "Nivån finns redan i kommunens skala.",
    ),
    (
        "plan_unique_board_year",
        lambda s: Plan(board=s["board"], year=2017, title="Dubblett"),
        "Nämnden har redan en verksamhetsplan för året.",
    ),
    (
        "plan_year_range",
        lambda s: Plan(board=s["board"], year=1899, title="Gammal"),
        "Året ska ligga mellan 2000 och 2100.",
    ),
    (
        "section_unique_key",
        lambda s: PlanSection(plan=s["plan"], key="inledning", title="Inledning igen"),
        "Planen har redan ett avsnitt med denna nyckel.",
    ),
    (
        "goal_unique_order",
        lambda s: Goal(plan=s["plan"], order=1, text="Ett mål till"),
        "Planen har redan ett nämndmål med denna ordning.",
    ),
    (
        "period_unique_kind",
        lambda s: FollowUpPeriod(plan=s["plan"], kind="T3", date=datetime.date(2017, 12, 30)),
        "Planen har redan en uppföljning av detta slag.",
    ),
    (
        "period_unique_date",
        lambda s: FollowUpPeriod(plan=s["plan"], kind="T1", date=datetime.date(2017, 8, 31)),
        "Planen har redan en uppföljning detta datum.",
    ),
    (
        "period_deadline_after_date",
        lambda s: FollowUpPeriod(
            plan=s["plan"],
            kind="T1",
            date=datetime.date(2017, 4, 30),
            deadline=datetime.date(2017, 4, 1),
        ),
        "Sista dag för inrapportering kan inte ligga före uppföljningsdatumet.",
    ),
    (
        "period_in_plan_year",
        lambda s: FollowUpPeriod(plan=s["plan"], kind="T1", date=datetime.date(2018, 4, 30)),
        "Uppföljningsdatumet måste ligga inom planens år",
    ),
    (
        "activity_unique_number",
        lambda s: Activity(goal=s["goal"], number="1.1", text="Dubblett", schedule="T1"),
        "Aktivitetsnumret används redan i planen.",
    ),
    (
        "activity_number_format",
        lambda s: Activity(goal=s["goal"], number="ett", text="Fel nummer", schedule="T1"),
        "Numret ska bestå av siffror åtskilda av punkter",
    ),
    (
        "activity_schedule_text",
        lambda s: Activity(goal=s["goal"], number="1.99", text="Utan tidplan", schedule="other"),
        "Skriv tidplanen i fritext när tidplanen är 'Annan'.",
    ),
    (
        "assignment_unique_number",
        lambda s: Assignment(
            plan=s["plan19"], origin=s["assignment"].origin, number=s["assignment"].number, text="x"
        ),
        "Uppdragsnumret används redan i planen.",
    ),
    (
        "indicator_comparator_needs_value",
        lambda s: Indicator(
            board=s["board"], kind="volume", name="Antal X", target_comparator=">="
        ),
        "Ett jämförelsetecken kräver ett målvärde.",
    ),
    (
        "indicator_goal_kind_needs_goal",
        lambda s: Indicator(board=s["board"], kind="goal", name="Utan mål"),
        "En nämndindikator måste höra till ett nämndmål.",
    ),
    (
        "indicator_unique_name",
        lambda s: Indicator(
            board=s["indicator"].board, kind="goal", goal=s["goal19"], name=s["indicator"].name
        ),
        "Nämnden har redan en indikator med detta namn.",
    ),
    (
        "value_unique_cell",
        lambda s: IndicatorValue(
            indicator=(v := IndicatorValue.objects.first()).indicator,
            year=v.year,
            tertial=v.tertial,
            gender=v.gender,
            category=v.category,
            value=1,
        ),
        "Indikatorn har redan ett värde för detta år, tertial och uppdelning.",
    ),
    (
        "value_or_text",
        lambda s: IndicatorValue(indicator=s["indicator"], year=2020),
        "Ange ett värde eller en text",
    ),
    (
        "value_year_range",
        lambda s: IndicatorValue(indicator=s["indicator"], year=1850, value=3),
        "Året ska ligga mellan 1990 och 2100.",
    ),
    (
        "follow_up_exactly_one_subject",
        lambda s: FollowUp(period=s["period"], goal=s["goal"], activity=s["activity"], text="x"),
        "En uppföljning ska gälla exakt ett av",
    ),
    (
        "follow_up_no_subject",
        lambda s: FollowUp(period=s["period"], text="x"),
        "En uppföljning ska gälla exakt ett av",
    ),
    (
        "follow_up_unique_subject",
        lambda s: FollowUp(period=s["period"], activity=s["activity"], text="En till"),
        "Det finns redan en uppföljning av detta under perioden.",
    ),
    (
        "follow_up_fulfilment_only_for_goals",
        lambda s: FollowUp(period=s["period"], activity=s["activity"], fulfilment=s["level"]),
        "Måluppfyllelse kan bara anges för nämndmål.",
    ),
    (
        "follow_up_status_only_for_work",
        lambda s: FollowUp(period=s["period19"], indicator=s["indicator"], status="done"),
        "Status kan bara anges för aktiviteter och utvecklingsuppdrag.",
    ),
]


@pytest.mark.parametrize(("rule", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_validation_gives_swedish_message(rule, build, message):
    """full_clean() refuses the row and names the rule in Swedish."""
    obj = build(_seed())
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    assert any(message in m for m in exc.value.messages), exc.value.messages


@pytest.mark.parametrize(("rule", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_database_refuses_row(rule, build, message):
    """Saving past validation still fails: the database itself keeps the invariant."""
    obj = build(_seed())
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_plan_year_change_that_strands_periods_is_refused(plan_2017):
    """Moving a plan to another year while its periods stay in the old year is refused."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan_2017.pk).update(year=2018)


def test_activity_numbers_sort_naturally(plan_2017):
    """Activity 1.10 sorts after 1.9, as people read the numbers."""
    numbers = list(Activity.objects.filter(plan=plan_2017).values_list("number", flat=True))
    assert numbers.index("1.10") == numbers.index("1.9") + 1
    assert numbers[0] == "1.1" and numbers[-1] == "7.2"


def test_activity_takes_its_plan_from_the_goal(plan_2017):
    """An activity's plan follows its goal, so numbers are unique per plan."""
    goal = plan_2017.goals.get(order=2)
    activity = Activity(goal=goal, number="1.99", text="Ny", schedule="T2")
    activity.full_clean()
    activity.save()
    assert activity.plan_id == plan_2017.pk
    assert activity.schedule_label == "Tertial 2"


def test_period_clean_names_the_plan_year(plan_2017):
    """The message for a period outside the plan year says which year applies."""
    period = FollowUpPeriod(plan=plan_2017, kind="T1", date=datetime.date(2016, 4, 30))
    with pytest.raises(ValidationError) as exc:
        period.full_clean()
    assert "2017" in " ".join(exc.value.message_dict["date"])
