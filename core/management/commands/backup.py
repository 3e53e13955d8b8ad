from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files into a new folder, with a manifest of counts and hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a new or empty folder")

    def handle(self, *args, destination: Path, **options):
        try:
            manifest = backup(destination)
        except BackupError as exc:
            raise CommandError(f"Sao lưu không thành công / Backup failed: {exc}") from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Đã sao lưu / Backed up: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files → {destination}"
        )
        if manifest["missing_files"]:
            self.stderr.write(
                f"Thiếu tệp / Missing files: {len(manifest['missing_files'])} rows point to a file that is "
                f"not on disk, e.g. {manifest['missing_files'][0]} (listed in the manifest)"
            )
