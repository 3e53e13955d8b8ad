from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.storage import orphan_files


class Command(BaseCommand):
    help = (
        "List the files under MEDIA_ROOT that no row points to (and the .part files of writes that never "
        "finished), older than a grace period; with --delete, remove them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24.0,
            help="grace period: younger files may belong to a transaction still open (default 24)",
        )
        parser.add_argument("--delete", action="store_true", help="remove the files listed")

    def handle(self, *args, older_than_hours: float, delete: bool, **options):
        names = orphan_files(older_than=timedelta(hours=older_than_hours))
        root = Path(settings.MEDIA_ROOT)
        for name in names:
            self.stdout.write(name)
            if delete:
                path = root / name
                path.unlink(missing_ok=True)
        verb = "Đã xóa / Deleted" if delete else "Tệp không còn dùng / Orphan files"
        self.stdout.write(f"{verb}: {len(names)}")
