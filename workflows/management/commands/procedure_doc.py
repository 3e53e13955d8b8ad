from django.core.management.base import BaseCommand

from workflows.procedure_doc import procedure_markdown


class Command(BaseCommand):
    help = "Print docs/procedure.md (states, steps and diagram) from the step declarations."
    requires_system_checks = []

    def handle(self, *args, **options):
        self.stdout.write(procedure_markdown(), ending="\n")
