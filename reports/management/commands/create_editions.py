"""Enqueue the editions of published periods that have none (published before editions
existed, or a lost job); `process_jobs` or a worker then makes them."""

from django.core.management.base import BaseCommand

from reports.editions import editions_missing
from reports.tasks import editions_create_task


class Command(BaseCommand):
    help = "Enqueue the editions of published periods that have none."

    def handle(self, *args, **options):
        missing = editions_missing()
        for publication_id in missing:
            editions_create_task.enqueue(publication_id=publication_id)
        self.stdout.write(f"{len(missing)} publicering(ar) utan utgåva köade.")
