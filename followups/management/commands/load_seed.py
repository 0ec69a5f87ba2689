from django.core.management.base import BaseCommand

from followups.seed import seed_load


class Command(BaseCommand):
    help = "Load the seed documents (plan 2017, year-end report 2019); safe to repeat."

    def handle(self, *args, **options):
        stats = seed_load()
        for label in sorted(set(stats.created) | set(stats.updated) | set(stats.unchanged)):
            self.stdout.write(
                f"{label}: {stats.created[label]} created, {stats.updated[label]} changed, "
                f"{stats.unchanged[label]} unchanged"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Seed loaded: {stats.changes} rows created or changed.")
        )
