import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from followups.workflow import period_transition
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod


class Command(BaseCommand):
    help = (
        "Create (or reset) the local demo administrator and print its login; publish the "
        "seed's 2017-08-31 and 2019-12-31 periods so the public reader has content, leaving "
        "2017-12-31 open for the workbench. DEBUG only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, username, url, **options):
        if not settings.DEBUG:
            raise CommandError("demo_login is for local runs only (DEBUG=1).")
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        for period in FollowUpPeriod.objects.filter(
            date__in=["2017-08-31", "2019-12-31"], status=PeriodStatus.OPEN
        ):
            for step in ("submit", "approve", "publish"):
                period_transition(period=period, transition=step, user=user)
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo-inloggning (skapas på nytt vid varje start):\n"
                f"  Adress:       {url}admin/ (publik läsare: {url})\n"
                f"  Användarnamn: {username}\n"
                f"  Lösenord:     {password}\n"
            )
        )
