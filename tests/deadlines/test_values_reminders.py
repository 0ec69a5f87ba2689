"""Reminders of missing indicator values before a period's deadline for values: to the
indicators' responsible persons, by the injected clock, at most once per person and reminder;
the progress page counts the values missing per person."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from deadlines import services
from deadlines.choices import ReminderKind
from deadlines.models import ReminderSent
from deadlines.selectors import values_missing_keys
from deadlines.tasks import send_due_reminders
from indicators.models import Indicator, IndicatorValue
from responsibilities.models import Responsibility

from .helpers import at, make_scenario
from .test_progress import PROGRESS_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_site_url")]

VALUES_DEADLINE = datetime.date(2018, 1, 15)
SITE = "https://malfolj.example.se"


@pytest.fixture
def _site_url(settings):
    settings.SITE_URL = SITE


def _indicator(goal, name, user=None, order=0):
    indicator = Indicator.objects.create(
        board=goal.plan.board, goal=goal, kind="goal", name=name, order=order
    )
    if user is not None:
        Responsibility.objects.create(user=user, indicator=indicator)
    return indicator


@pytest.fixture
def scenario(period_2017_12, django_user_model):
    """Anna: Väntetid (missing) and Nöjdhet (has its 2017 value); Bertil: Sjukfrånvaro (only a
    tertial value: still missing for the year-end); Dag (opted out): Personalomsättning."""
    scenario = make_scenario(period_2017_12, django_user_model)
    period = scenario.period
    period.values_deadline = VALUES_DEADLINE
    period.save()
    goal = period.plan.goals.order_by("order").first()
    scenario.waiting = _indicator(goal, "Väntetid i dagar", scenario.anna, 901)
    scenario.satisfied = _indicator(goal, "Nöjdhet hemtjänst", scenario.anna, 902)
    scenario.sick = _indicator(goal, "Sjukfrånvaro", scenario.bertil, 903)
    scenario.turnover = _indicator(goal, "Personalomsättning", scenario.dag, 904)
    IndicatorValue.objects.create(indicator=scenario.satisfied, year=2017, value=82)
    IndicatorValue.objects.create(indicator=scenario.sick, year=2017, tertial="T2", value=6)
    return scenario


def run(day, hour=8):
    """Run the schedule at that moment; {recipient: e-mail} of the values reminders sent."""
    before = len(mail.outbox)
    records = services.reminders_send_due(now=at(day, hour))
    sent = mail.outbox[before:]
    assert len(records) == len(sent)
    values = [m for m in sent if "indikatorvärdena" in m.subject]
    assert len({m.to[0] for m in values}) == len(values), "one e-mail per person"
    return {m.to[0]: m for m in values}


def test_values_reminders_over_the_days_before_the_values_deadline(scenario):
    """7 days before 2018-01-15: Anna (Väntetid) and Bertil (Sjukfrånvaro); not Dag (opted
    out). Nothing twice, also when the text reminders go out; 1 day before only who still
    misses a value; nothing on or after the day itself."""
    assert run(7) == {}  # 8 days before
    sent = run(8)
    assert set(sent) == {"anna@example.se", "bertil@example.se"}
    anna = sent["anna@example.se"]
    assert anna.subject == (
        "Påminnelse: indikatorvärdena för Bokslut (tertial 3) 2017-12-31 "
        "ska vara inlagda om 7 dagar"
    )
    body = anna.body
    assert "Hej Anna," in body
    assert "Du är ansvarig för en indikator i" in body
    assert "som ännu saknar värde för helåret 2017. Sista dag för värdena är 2018-01-15." in body
    assert "- Väntetid i dagar" in body
    assert f"{SITE}/admin/indicators/indicator/{scenario.waiting.pk}/change/" in body
    assert "Nöjdhet" not in body and "Sjukfrånvaro" not in body
    assert "Lägg in värdena under ”Indikatorvärden”" in body
    assert f"{SITE}/uppfoljning/paminnelser/" in body
    assert f"{SITE}/uppfoljning/{scenario.period.pk}/framsteg/" in body
    assert "Sjukfrånvaro" in sent["bertil@example.se"].body

    assert run(8, 18) == {}  # the same day again
    assert run(10) == {}
    IndicatorValue.objects.create(indicator=scenario.sick, year=2017, text_value="Ej mätbart")
    assert run(13) == {}  # the texts' 7-day reminder day: no second values reminder
    sent = run(14)
    assert set(sent) == {"anna@example.se"}
    assert sent["anna@example.se"].subject.endswith("ska vara inlagda i morgon")
    assert run(14, 20) == {} and run(15) == {} and run(16) == {}

    records = ReminderSent.objects.filter(kind=ReminderKind.VALUES_BEFORE_DEADLINE)
    assert sorted(records.values_list("user__username", "days_before", "row_count")) == [
        ("anna", 1, 1),
        ("anna", 7, 1),
        ("bertil", 7, 1),
    ]
    # The text reminders are their own: Anna and Bertil got the 7-day one on the 13th too.
    texts = ReminderSent.objects.filter(kind=ReminderKind.BEFORE_DEADLINE, days_before=7)
    assert set(texts.values_list("user__username", flat=True)) == {"anna", "bertil"}


def test_the_job_sends_them(scenario):
    """The same job as the text reminders (ImmediateBackend in tests)."""
    result = send_due_reminders.enqueue(now=at(8).isoformat())
    assert result.return_value["sent"] == 2
    assert {m.to[0] for m in mail.outbox} == {"anna@example.se", "bertil@example.se"}
    assert all("indikatorvärdena" in m.subject for m in mail.outbox)


def test_a_values_reminder_recorded_by_another_run_is_not_sent_again(scenario):
    """The record (unique per period, person, kind and day) is what holds "once": a run that
    finds Anna's recorded by another one sends her nothing, and Bertil his."""
    ReminderSent.objects.create(
        period=scenario.period,
        user=scenario.anna,
        kind=ReminderKind.VALUES_BEFORE_DEADLINE,
        days_before=7,
        email="anna@example.se",
    )
    assert set(run(8)) == {"bertil@example.se"}


def test_no_values_reminder_without_a_values_deadline_or_when_all_are_given(scenario):
    period = scenario.period
    period.values_deadline = None
    period.save()
    assert run(8) == {} and run(14) == {}
    period.values_deadline = VALUES_DEADLINE
    period.save()
    for indicator in (scenario.waiting, scenario.sick):
        IndicatorValue.objects.create(indicator=indicator, year=2017, gender="K", value=1)
    assert run(14) == {}  # Dag's is missing, but he has opted out


def test_missing_values_follow_the_period_tertial(period_2017_08, scenario):
    """A T2 period asks for T2 values of its year; the year-end for the whole year's."""
    ids = [scenario.waiting.pk, scenario.sick.pk]
    assert values_missing_keys(period=scenario.period, indicator_ids=ids) == set(ids)
    assert values_missing_keys(period=period_2017_08, indicator_ids=ids) == {scenario.waiting.pk}


def _progress_url(period):
    return reverse("deadlines:progress", args=[period.pk])


@pytest.mark.parametrize("extra", [0, 30])
def test_progress_shows_values_missing_per_person(
    client, scenario, django_assert_num_queries, extra
):
    """Values missing per person (Anna 1, Bertil 1, Dag 1) and in all; as many queries with
    30 more indicators, half with a value."""
    goal = scenario.waiting.goal
    for n in range(extra):
        indicator = _indicator(goal, f"Extra {n}", scenario.anna, 1000 + n)
        if n % 2:
            IndicatorValue.objects.create(indicator=indicator, year=2017, value=n)
    client.force_login(scenario.chef)
    client.get(_progress_url(scenario.period))  # warm the session
    with django_assert_num_queries(PROGRESS_QUERIES):
        response = client.get(_progress_url(scenario.period))
    progress = response.context["progress"]
    missing = {p.user.username: p.values_missing for p in progress.people}
    assert missing["anna"] == 1 + extra // 2
    assert (missing["bertil"], missing["dag"], missing["cecilia"]) == (1, 1, 0)
    html = response.content.decode()
    assert "Indikatorvärden saknas" in html
    assert "Väntetid i dagar" in html  # named in the count's title
    assert progress.values_missing >= 3 + extra // 2
