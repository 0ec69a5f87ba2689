import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) the local demo administrator and print its login. DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_login is for local runs only (DEBUG=1).")
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo-inloggning (skapas på nytt vid varje start):\n"
                f"  Adress:       http://127.0.0.1:8000/admin/\n"
                f"  Användarnamn: {username}\n"
                f"  Lösenord:     {password}\n"
            )
        )
