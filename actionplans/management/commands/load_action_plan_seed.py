from django.core.management.base import BaseCommand

from actionplans.seed import action_plan_seed_load


class Command(BaseCommand):
    help = "Load the action plan seed (Åtgärdsplan 2020); run load_seed first; safe to repeat."

    def handle(self, *args, **options):
        plan = action_plan_seed_load()
        self.stdout.write(self.style.SUCCESS(f"Åtgärdsplan inläst: {plan} (id {plan.pk})."))
