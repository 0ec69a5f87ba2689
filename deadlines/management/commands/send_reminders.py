"""Send the reminder e-mails that are due: now, on the job queue, or every N seconds."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from deadlines import services
from deadlines.tasks import send_due_reminders


def _moment(text):
    """ "2018-01-13" or "2018-01-13T08:00" (local time) → an aware datetime."""
    value = parse_datetime(text)
    if value is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"--now: not a date or a timestamp: {text!r}")
        value = timezone.datetime(day.year, day.month, day.day, 8, 0)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class Command(BaseCommand):
    help = (
        "Send the deadline reminders and approver summaries that are due (each at most once "
        "per person). --enqueue puts the job on the job queue instead; --every N repeats "
        "that every N seconds (scripts/run and scripts/serve start it beside the worker)."
    )
    #: Replaced in tests: nobody waits.
    sleep = staticmethod(time.sleep)

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Act as if it were this date or time (testing, demo).")
        parser.add_argument("--enqueue", action="store_true", help="Run it as a background job.")
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every this many seconds (with --enqueue)."
        )
        parser.add_argument("--times", type=int, default=0, help="Stop after this many rounds.")

    def handle(self, *args, now=None, enqueue=False, every=0, times=0, **options):
        moment = _moment(now) if now else None
        if every and not enqueue:
            raise CommandError("--every needs --enqueue: the job worker sends the e-mails.")
        if every < 0:
            raise CommandError("--every must be positive.")
        rounds = 0
        while True:
            if enqueue:
                result = send_due_reminders.enqueue(now=moment.isoformat() if moment else None)
                if options["verbosity"] > 1:
                    self.stdout.write(f"Queued reminder job {result.id}")
            else:
                sent = services.reminders_send_due(now=moment)
                self.stdout.write(f"Sent {len(sent)} reminder e-mail(s).")
                for record in sent:
                    self.stdout.write(f"  {record.get_kind_display()}: {record.email}")
            rounds += 1
            if not every or (times and rounds >= times):
                return
            self.sleep(every)
