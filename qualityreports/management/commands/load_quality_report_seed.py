from django.core.management.base import BaseCommand

from qualityreports.seed import quality_report_seed_load


class Command(BaseCommand):
    help = "Load the quality report seed (Kvalitetsberättelse 2022); run load_seed first."

    def handle(self, *args, **options):
        report = quality_report_seed_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Kvalitetsberättelse inläst: {report} (id {report.pk}),"
                f" {report.sections.count()} avsnitt."
            )
        )
