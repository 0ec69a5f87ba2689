from django.core.management.base import BaseCommand

from deadlines.demo import DEADLINE, demo_responsibilities_load


class Command(BaseCommand):
    help = (
        "Demo: give the seed's open 2017-12-31 period a deadline and make the board office's "
        "demo persons responsible for its goals (idempotent)."
    )

    def handle(self, *args, **options):
        period = demo_responsibilities_load()
        if period is None:
            self.stdout.write("The seed's 2017 plan is not loaded; nothing to do.")
            return
        self.stdout.write(
            f"Period {period} (id {period.pk}): deadline {period.deadline}, responsibilities set. "
            f"Try: manage.py send_reminders --now {DEADLINE.replace(day=DEADLINE.day - 7)}"
        )
