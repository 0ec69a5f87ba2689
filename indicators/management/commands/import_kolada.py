"""Import indicator values from a Kolada API response (a file or a URL), with a preview first."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.formats import ImportFileError
from goals.models import Board
from imports.kolada import fetch, read_kolada
from indicators.resources import KoladaValueResource


class Command(BaseCommand):
    help = (
        "Import values from a Kolada v2 data response (file path or http(s) URL) into the "
        "indicators that carry the KPI id. Shows the preview; writes only with --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Path to a JSON file, or an http(s) URL.")
        parser.add_argument(
            "--user",
            required=True,
            help="Username the import is made as (permissions and change history).",
        )
        parser.add_argument("--board", help="Only this board (id or exact name).")
        parser.add_argument(
            "--commit", action="store_true", help="Write the values (otherwise preview only)."
        )

    def handle(self, *args, source, user, board=None, commit=False, **options):
        try:
            account = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Användaren {user} finns inte.") from exc
        chosen = None
        if board:
            lookup = {"pk": int(board)} if board.isdigit() else {"name": board}
            chosen = Board.objects.filter(**lookup).first()
            if chosen is None:
                raise CommandError(f"Nämnden {board} finns inte.")
        try:
            if source.startswith(("http://", "https://")):
                data = fetch(source)
            else:
                with open(source, "rb") as handle:
                    data = handle.read()
            table = read_kolada(data)
        except (ImportFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc

        resource = KoladaValueResource(user=account, board=chosen)
        result = resource.import_data(
            table.as_dataset(),
            dry_run=not commit,
            user=account,
            progress=lambda done, total: self.stdout.write(f"  skrivet {done} av {total}"),
        )
        self.stdout.write(
            f"{len(result.new_rows)} nya, {len(result.changed_rows)} ändrade, "
            f"{result.unchanged_count} oförändrade värden."
        )
        for row in result.changed_rows + result.new_rows:
            changes = "; ".join(f"{c}: {b or '–'} → {a or '–'}" for c, b, a in row.changes)
            self.stdout.write(f"  {row.row_label}: {row.label}: {changes}")
        for note in result.notes:
            self.stdout.write(note)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError("Inget sparades.")
        if commit:
            self.stdout.write(self.style.SUCCESS("Sparat."))
        else:
            self.stdout.write("Förhandsgranskning; kör med --commit för att spara.")
