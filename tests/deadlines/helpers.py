"""A period with a deadline and four responsible persons, for the reminder and progress tests."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from access.models import BoardMembership
from activities.models import Activity
from deadlines.models import ReminderPreference
from followups.models import FollowUp
from responsibilities.models import Responsibility

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEADLINE = datetime.date(2018, 1, 20)


def at(day, hour=8):
    """An aware moment on 2018-01-`day` (local time)."""
    return datetime.datetime(2018, 1, day, hour, 0, tzinfo=STOCKHOLM)


@dataclass
class Scenario:
    period: object
    anna: object  # responsible for 2 activities, none written
    bertil: object  # responsible for 3 activities, 1 written
    cecilia: object  # responsible for 2 activities, both written (1 marked ready)
    dag: object  # responsible for 1 activity, not written, has opted out
    chef: object  # the approver
    activities: dict

    def write(self, number, text="Skrivet."):
        FollowUp.objects.update_or_create(
            period=self.period, activity=self.activities[number], defaults={"text": text}
        )


def make_scenario(period, django_user_model, *, reminder_days="7,1"):
    board = period.plan.board
    goal = period.plan.goals.order_by("order").first()

    def person(username, first, role="editor"):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.se", password="x", first_name=first
        )
        BoardMembership.objects.create(user=user, board=board, role=role)
        return user

    anna, bertil, cecilia, dag = (
        person("anna", "Anna"),
        person("bertil", "Bertil"),
        person("cecilia", "Cecilia"),
        person("dag", "Dag"),
    )
    chef = person("chef", "Chefen", role="approver")
    ReminderPreference.objects.create(user=dag, opt_out=True)
    owners = {
        "91.1": anna,
        "91.2": anna,
        "91.3": bertil,
        "91.4": bertil,
        "91.5": bertil,
        "91.6": cecilia,
        "91.7": cecilia,
        "91.8": dag,
    }
    activities = {}
    for number, user in owners.items():
        activity = Activity.objects.create(goal=goal, number=number, text=f"Aktivitet {number}")
        Responsibility.objects.create(user=user, activity=activity)
        activities[number] = activity
    period.deadline = DEADLINE
    period.reminder_days = reminder_days
    period.save()
    scenario = Scenario(period, anna, bertil, cecilia, dag, chef, activities)
    scenario.write("91.3")
    scenario.write("91.6")
    scenario.write("91.7")
    FollowUp.objects.filter(period=period, activity=activities["91.7"]).update(
        ready_at=at(10), ready_by=cecilia
    )
    return scenario
