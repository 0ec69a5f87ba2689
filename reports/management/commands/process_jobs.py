"""Run every pending background job (editions, PDFs) and exit: for scripts and CI."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run every pending background job (editions, PDF previews), then exit."

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == "django_tasks_db.DatabaseBackend":
            call_command("db_worker", batch=True, verbosity=options["verbosity"])
        elif backend == "django_tasks_rq.RQBackend":
            call_command("rqworker", "default", burst=True, job_class="django_tasks_rq.backend.Job")
        elif backend.endswith("ImmediateBackend"):
            return  # jobs ran when they were enqueued
        else:
            raise CommandError(f"Unknown job backend {backend}")
