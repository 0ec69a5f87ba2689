from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from access.tokens import token_create
from goals.models import Board


class Command(BaseCommand):
    help = "Create an API token for a user, scoped to boards; prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the token acts for.")
        parser.add_argument("--name", required=True, help="The client's name, e.g. 'Power BI'.")
        parser.add_argument("--board", type=int, action="append", required=True, help="Board id.")
        parser.add_argument("--write", action="store_true", help="Allow writes.")
        parser.add_argument("--days", type=int, default=365, help="Days until it expires.")

    def handle(self, *args, user, name, board, write, days, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"Användaren {user!r} finns inte.")
        if days < 1:
            raise CommandError(
                f"--days måste vara minst 1 (var {days}): en token utan livslängd ges inte ut."
            )
        boards = list(Board.objects.filter(pk__in=board))
        if len(boards) != len(set(board)):
            raise CommandError("En eller flera nämnder finns inte.")
        _scope, secret = token_create(
            user=account, name=name, boards=boards, can_write=write, days=days
        )
        self.stdout.write(f"Authorization: Token {secret}")
