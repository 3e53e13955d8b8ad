from datetime import timedelta

from django.core.management.base import BaseCommand

from dossiers.services.attachments import attachment_orphan_files_delete


class Command(BaseCommand):
    help = "Delete stored attachment files that no attachment row points to (left by rolled-back uploads)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, older_than_minutes: int, **options):
        deleted = attachment_orphan_files_delete(older_than=timedelta(minutes=older_than_minutes))
        self.stdout.write(f"{len(deleted)} orphan file(s) deleted")
