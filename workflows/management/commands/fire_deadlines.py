from django.core.management.base import BaseCommand
from viewflow.workflow.timers import fire_due_timers


class Command(BaseCommand):
    help = "Fire the deadlines that have passed (beat does it every five minutes): each escalates its task."

    def handle(self, *args, **options):
        self.stdout.write(f"{fire_due_timers()} deadline(s) fired")
