from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured, empty database and MEDIA_ROOT, then check every table's row "
        "count and every file's hash against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a folder written by `manage.py backup`")

    def handle(self, *args, source: Path, **options):
        try:
            result = restore(source)
        except BackupError as exc:
            raise CommandError(f"Khôi phục không thành công / Restore failed: {exc}") from None
        if not result.ok:
            raise CommandError(
                "Khôi phục chưa đầy đủ / Restore incomplete: " + "; ".join(result.mismatches[:10])
            )
        self.stdout.write(
            f"Đã khôi phục và kiểm tra / Restored and verified: {len(result.tables)} tables, "
            f"{sum(result.tables.values())} rows, {result.files} files"
        )
