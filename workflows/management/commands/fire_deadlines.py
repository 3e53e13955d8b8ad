from django.core.management.base import BaseCommand

from workflows.flows import escalate_due_tasks


class Command(BaseCommand):
    help = "Escalate the tasks whose deadline has passed (beat does it every five minutes), each once."

    def handle(self, *args, **options):
        self.stdout.write(f"{escalate_due_tasks()} deadline(s) fired")
