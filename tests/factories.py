"""Small builders for test data beyond the seed documents."""

from decimal import Decimal

from activities.models import Activity
from followups.models import FollowUp
from indicators.models import Indicator, IndicatorValue


def add_activities(plan, count, *, with_follow_ups=True):
    """Add `count` activities (numbered 90.1, 90.2, …) spread over the plan's goals."""
    goals = list(plan.goals.all())
    periods = list(plan.periods.all())
    created = []
    for i in range(1, count + 1):
        activity = Activity.objects.create(
            goal=goals[i % len(goals)], number=f"90.{i}", text=f"Extra aktivitet {i}", schedule="T3"
        )
        created.append(activity)
        if with_follow_ups:
            FollowUp.objects.bulk_create(
                FollowUp(period=p, activity=activity, text=f"Uppföljning {i} {p.date}")
                for p in periods
            )
    return created


def add_indicators(plan, count, *, years=3, breakdowns=("T", "K", "M")):
    """Add `count` goal indicators to the plan's goals, each with a value per year and gender."""
    goals = list(plan.goals.all())
    created = []
    for i in range(1, count + 1):
        indicator = Indicator.objects.create(
            board_id=plan.board_id,
            goal=goals[i % len(goals)],
            kind="goal",
            name=f"Extra indikator {i}",
            unit="%",
            target_comparator=">=",
            target_value=Decimal(50),
            direction="higher",
            source=f"Källa extra {i}",
            order=1000 + i,
        )
        created.append(indicator)
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                year=plan.year - offset,
                gender=gender,
                value=Decimal(40 + (i + offset) % 20),
            )
            for offset in range(years)
            for gender in breakdowns
        )
    return created


def add_joint_assignments(plan, period, count):
    """Add `count` pairs of assignments to the plan's goals (numbered 80, 81, … within the
    goal), each pair followed up jointly at `period` ("80–81", status done), and as many
    assignments of a goal with a follow-up of their own. The period is opened for the
    writing and its status put back."""
    from activities.models import Assignment
    from followups.models import FollowUpCoverage
    from goals.choices import PeriodStatus
    from goals.models import FollowUpPeriod

    status = FollowUpPeriod.objects.get(pk=period.pk).status
    FollowUpPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.OPEN)
    goals = list(plan.goals.order_by("pk"))
    for i in range(count):
        goal = goals[i % len(goals)]
        base = 80 + 3 * (i // len(goals))
        first, second, alone = (
            Assignment.objects.create(
                plan=plan, goal=goal, number=str(base + n), text=f"Extra måluppdrag {i}.{n}"
            )
            for n in range(3)
        )
        joint = FollowUp.objects.create(
            period=period, assignment=first, text=f"Gemensam text {i}", status="done"
        )
        FollowUpCoverage.objects.create(follow_up=joint, assignment=second)
        FollowUp.objects.create(period=period, assignment=alone, text=f"Egen text {i}")
    FollowUpPeriod.objects.filter(pk=period.pk).update(status=status)


def build_plan_document(*, year=2031, scale=1):
    """A plan of the shape an office writes (issue 13): 4 goals with introductions, 12
    numbered indicators, 7 assignments numbered per goal (continuing the indicator numbers),
    13 follow-up rows at the interim period of which 3 cover two items, each with a forecast,
    a goal without assignments and an area without a goal (activity 9.1).

    `scale` > 1 adds that many times the goals (same shape) to a second board's plan, for
    query counts at two sizes. Returns (plan, period, expected) where `expected` lists the
    follow-up rows (label, text, forecast) in document order.
    """
    from datetime import date

    from activities.models import Assignment
    from followups.models import FollowUpCoverage
    from goals.models import (
        ActivityArea,
        Board,
        FollowUpPeriod,
        Goal,
        GoalIndicatorItem,
        MunicipalGoal,
        Municipality,
        Plan,
    )

    municipality, _ = Municipality.objects.get_or_create(name="Provkommun")
    board = Board.objects.create(municipality=municipality, name=f"Provnämnden {year} x{scale}")
    plan = Plan.objects.create(board=board, year=year, title=f"Verksamhetsplan {year}")
    period = FollowUpPeriod.objects.create(plan=plan, kind="T2", date=date(year, 8, 31))
    municipal = [
        MunicipalGoal.objects.create(
            municipality=municipality,
            title=f"Kommunmål {letter} {year} x{scale}",
            valid_from=year,
            order=n,
        )
        for n, letter in enumerate("ABC", start=1)
    ]
    # indicators per goal, assignments per goal, follow-up rows: (numbers covered, kind)
    shape = [
        (3, 2, [(("goal",), None), ((1, 2), "i"), ((3,), "i"), ((4, 5), "a")]),
        (3, 2, [(("goal",), None), ((1,), "i"), ((2, 3), "i"), ((4,), "a")]),
        (4, 3, [((1,), "i"), ((2,), "i"), ((3,), "i"), ((5,), "a")]),
        (2, 0, [((1,), "i")]),
    ]
    expected = []
    row_no = 0
    goal_no = 0
    for copy in range(scale):
        areas = [
            ActivityArea.objects.create(
                board=board, name=f"Område {n} kopia {copy}", order=10 * copy + n
            )
            for n in (1, 2, 3)
        ]
        for index, (n_items, n_assignments, rows) in enumerate(shape):
            goal_no += 1
            goal = Goal.objects.create(
                plan=plan,
                area=areas[index // 2],
                order=goal_no,
                text=f"Nämndmål nummer {goal_no} ska nås",
                intro=(
                    f"Inledning till mål {goal_no}.\n\n## Rubrik mål {goal_no}\n\n"
                    f"Stycke två mål {goal_no}."
                ),
            )
            for order, municipal_goal in enumerate(reversed(municipal), start=1):
                goal.municipal_goal_links.create(municipal_goal=municipal_goal, order=order)
            items = {
                n: GoalIndicatorItem.objects.create(
                    goal=goal, number=str(n), order=n, text=f"Indikator {n} av mål {goal_no} gäller"
                )
                for n in range(1, n_items + 1)
            }
            assignments = {
                n: Assignment.objects.create(
                    plan=plan, goal=goal, number=str(n), text=f"Uppdrag {n} av mål {goal_no} gäller"
                )
                for n in range(n_items + 1, n_items + 1 + n_assignments)
            }
            for numbers, kind in rows:
                row_no += 1
                text = f"Rad {row_no:02d} text"
                forecast = f"Rad {row_no:02d} prognos"
                if kind is None:
                    follow_up = FollowUp.objects.create(
                        period=period, goal=goal, text=text, forecast=forecast
                    )
                    expected.append(("Mål", text, forecast))
                    continue
                subjects = items if kind == "i" else assignments
                field = "indicator_item" if kind == "i" else "assignment"
                follow_up = FollowUp.objects.create(
                    period=period, text=text, forecast=forecast, **{field: subjects[numbers[0]]}
                )
                for number in numbers[1:]:
                    FollowUpCoverage.objects.create(
                        follow_up=follow_up, **{field: subjects[number]}
                    )
                label = f"{numbers[0]}\u2013{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])
                expected.append((label, text, forecast))
        Activity.objects.create(
            plan=plan, area=areas[2], number=f"9.{copy + 1}", text=f"Aktivitet utan mål {copy}"
        )
    return plan, period, expected
