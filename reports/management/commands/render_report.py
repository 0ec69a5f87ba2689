"""Write a report to a file: `manage.py render_report --board 2 --year 2017 --kind plan …`.

Kinds: plan, year-end (this app) and those other apps register in reports/kinds.py
(action-plan, quality-report).
"""

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from goals.models import Board, FollowUpPeriod, Plan
from reports import selectors, services
from reports.kinds import OTHER_KINDS


class Command(BaseCommand):
    help = (
        "Skriver en verksamhetsplan, verksamhetsberättelse, åtgärdsplan eller"
        " kvalitetsberättelse till en PDF- eller HTML-fil."
    )

    def add_arguments(self, parser):
        parser.add_argument("--board", required=True, help="Nämndens id eller namn.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--kind",
            choices=["plan", "year-end", *OTHER_KINDS],
            default="plan",
        )
        parser.add_argument(
            "--until-date",
            type=date.fromisoformat,
            help="Verksamhetsplan: ta med uppföljningar till och med detta datum (ÅÅÅÅ-MM-DD).",
        )
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument("--output", required=True, help="Filen som skrivs; - för stdout.")

    def handle(self, *args, **options):
        board = self._board(options["board"])
        if options["kind"] in OTHER_KINDS:
            try:
                target = "file" if options["format"] == "html" else "pdf"
                html = OTHER_KINDS[options["kind"]](
                    board=board, year=options["year"], target=target
                )
            except LookupError as exc:
                raise CommandError(str(exc)) from None
            return self._write(html, options)
        try:
            plan = selectors.plan_get(board_id=board.pk, year=options["year"])
        except Plan.DoesNotExist:
            message = f"{board} har ingen verksamhetsplan för {options['year']}."
            raise CommandError(message) from None
        if options["kind"] == "plan":
            periods = selectors.plan_periods_get(plan=plan, until=options["until_date"])
            report = selectors.plan_report_get(plan=plan, periods=periods)
        else:
            try:
                period = selectors.year_end_period_get(plan=plan)
            except FollowUpPeriod.DoesNotExist:
                raise CommandError("Planen har ingen bokslutsuppföljning (tertial 3).") from None
            report = selectors.year_end_report_get(plan=plan, period=period)

        target = "file" if options["format"] == "html" else "pdf"
        self._write(services.render_html(report, target=target), options)

    def _write(self, html, options):
        if options["format"] == "html":
            content = html.encode("utf-8")
        else:
            try:
                content = services.render_pdf(html)
            except services.ReportRenderError as exc:
                raise CommandError(str(exc)) from exc
        if options["output"] == "-":
            sys.stdout.buffer.write(content)
            return
        path = Path(options["output"])
        path.write_bytes(content)
        self.stderr.write(f"{path}: {len(content)} byte")

    def _board(self, value):
        boards = Board.objects.all()
        board = (
            boards.filter(pk=int(value)).first()
            if value.isdigit()
            else boards.filter(name__iexact=value).first()
        )
        if board is None:
            raise CommandError(f"Nämnden {value!r} finns inte.")
        return board
