"""Reminder e-mails: due by the injected clock, each sent at most once per person and reminder."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from deadlines import services
from deadlines.choices import ReminderKind
from deadlines.models import ReminderSent
from deadlines.selectors import progress_get
from deadlines.tasks import send_due_reminders

from .helpers import at, make_scenario

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_site_url")]


@pytest.fixture
def _site_url(settings):
    settings.SITE_URL = "https://malfolj.example.se"


@pytest.fixture
def scenario(period_2017_12, django_user_model):
    # Responsible persons elsewhere in the seed would also be reminded; the seed has none.
    return make_scenario(period_2017_12, django_user_model)


def run(day, hour=8):
    """Run the schedule at that moment; return {recipient: subject} of the e-mails it sent."""
    before = len(mail.outbox)
    services.reminders_send_due(now=at(day, hour))
    sent = mail.outbox[before:]
    assert len({m.to[0] for m in sent}) == len(sent), "one e-mail per person"
    return {m.to[0]: m for m in sent}


def test_schedule_over_the_weeks_before_and_after_the_deadline(scenario):
    """7 days before: Anna and Bertil (missing rows); not Cecilia (all written) nor Dag (opted
    out). Nothing twice. 1 day before: only who still misses rows. After the deadline: the
    approver's summary, once, listing Dag too."""
    assert run(12) == {}  # 8 days before: nothing due yet

    sent = run(13)
    assert set(sent) == {"anna@example.se", "bertil@example.se"}
    anna = sent["anna@example.se"]
    assert anna.subject == (
        "Påminnelse: uppföljningarna för Bokslut (tertial 3) 2017-12-31 ska vara klara om 7 dagar"
    )
    assert "Hej Anna," in anna.body
    assert "2 uppföljningar" in anna.body and "2018-01-20" in anna.body
    assert "Aktivitet 91.1: Aktivitet 91.1" in anna.body
    assert "Aktivitet 91.3" not in anna.body
    workbench = f"https://malfolj.example.se/uppfoljning/{scenario.period.pk}/"
    assert f"{workbench}?mina=1#activity-{scenario.activities['91.1'].pk}" in anna.body
    assert "https://malfolj.example.se/uppfoljning/paminnelser/" in anna.body
    bertil = sent["bertil@example.se"].body
    assert "2 uppföljningar" in bertil and "91.4" in bertil and "91.5" in bertil
    assert "91.3" not in bertil

    assert run(13, 18) == {}  # the same day again
    assert run(15) == {}  # between the reminders

    scenario.write("91.4")
    scenario.write("91.5")
    sent = run(19)
    assert set(sent) == {"anna@example.se"}
    assert sent["anna@example.se"].subject.endswith("ska vara klara i morgon")
    assert run(19, 20) == {}
    assert run(20) == {}  # the deadline itself: the 1-day reminder was sent

    sent = run(21)
    assert set(sent) == {"chef@example.se"}
    summary = sent["chef@example.se"]
    assert (
        summary.subject
        == "Sammanställning: uppföljningarna för Bokslut (tertial 3) 2017-12-31 efter sista dagen"
    )
    assert "- Anna: 2" in summary.body
    assert "- Dag: 1 (har stängt av påminnelser)" in summary.body
    assert "Bertil" in summary.body  # among the reminders sent
    assert f"https://malfolj.example.se/uppfoljning/{scenario.period.pk}/framsteg/" in summary.body
    assert run(22) == {}
    assert run(28) == {}

    history = ReminderSent.objects.filter(period=scenario.period).order_by("pk")
    assert [(r.user.username, r.kind, r.days_before) for r in history] == [
        ("anna", ReminderKind.BEFORE_DEADLINE, 7),
        ("bertil", ReminderKind.BEFORE_DEADLINE, 7),
        ("anna", ReminderKind.BEFORE_DEADLINE, 1),
        ("chef", ReminderKind.SUMMARY, 0),
    ]
    # The summary counts every missing row of the period, the seed's unassigned ones too.
    missing = progress_get(period=scenario.period).total.missing
    assert missing > 3
    assert [r.row_count for r in history] == [2, 2, 2, missing]


def test_a_late_first_run_sends_one_reminder_not_two(scenario):
    """A job that did not run on the 7-day mark sends only the nearest reminder (1 day)."""
    sent = run(19)
    assert set(sent) == {"anna@example.se", "bertil@example.se"}
    assert set(
        ReminderSent.objects.filter(period=scenario.period).values_list("days_before", flat=True)
    ) == {1}


def test_closed_or_undated_periods_send_nothing(scenario):
    """A submitted period, or one without a deadline, reminds nobody."""
    scenario.period.status = "submitted"
    scenario.period.save()
    assert run(13) == {} and run(21) == {}
    scenario.period.status = "open"
    scenario.period.deadline = None
    scenario.period.save()
    assert run(13) == {} and run(21) == {}


def test_empty_reminder_days_mean_no_reminders_but_a_summary(period_2017_12, django_user_model):
    make_scenario(period_2017_12, django_user_model, reminder_days="")
    assert run(13) == {} and run(19) == {}
    assert set(run(21)) == {"chef@example.se"}


def test_double_run_sends_once(scenario):
    """Two runs at the same moment (e.g. two servers' timers): each e-mail goes out once."""
    first = services.reminders_send_due(now=at(13))
    second = services.reminders_send_due(now=at(13))
    assert len(first) == 2 and second == []
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.se", "bertil@example.se"]


def test_failed_send_is_not_recorded_and_retried(scenario, monkeypatch):
    """When the mail server refuses, the record is rolled back: the next run sends it."""
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def refuse(self, messages):
        if messages[0].to == ["anna@example.se"]:
            raise ConnectionRefusedError("mail server down")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert set(run(13)) == {"bertil@example.se"}
    assert not ReminderSent.objects.filter(user=scenario.anna).exists()
    monkeypatch.setattr(EmailBackend, "send_messages", real)
    assert set(run(13, 9)) == {"anna@example.se"}


def test_task_and_command_run_the_schedule(scenario):
    """The job `send_due_reminders` (ImmediateBackend in tests) and `manage.py send_reminders`
    send what is due at the given moment."""
    result = send_due_reminders.enqueue(now=at(13).isoformat())
    assert result.return_value["sent"] == 2
    call_command("send_reminders", now="2018-01-19")
    assert [m.to[0] for m in mail.outbox] == [
        "anna@example.se",
        "bertil@example.se",
        "anna@example.se",
        "bertil@example.se",
    ]


def test_command_repeats_on_the_job_queue_without_waiting(scenario, monkeypatch):
    """`send_reminders --enqueue --every N` queues the job each round (the worker runs it);
    the pause between rounds is the command's own sleep, replaced here."""
    from deadlines.management.commands.send_reminders import Command

    pauses = []
    monkeypatch.setattr(Command, "sleep", staticmethod(pauses.append))
    call_command("send_reminders", enqueue=True, every=3600, times=3, now="2018-01-13")
    assert pauses == [3600, 3600]
    assert len(mail.outbox) == 2  # three rounds, each e-mail once


@override_settings(LANGUAGE_CODE="sv")
def test_print_one_reminder(scenario, capsys):
    """The command prints what it sent (the console backend prints the e-mail itself)."""
    call_command("send_reminders", now="2018-01-13")
    out = capsys.readouterr().out
    assert "Sent 2 reminder e-mail(s)." in out
