import json
import os
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from dossiers.models import Artisan
from workflows.services.personal_data import may_export_personal_data, personal_data_export


class Command(BaseCommand):
    help = (
        "Write everything held about one artisan (a data-subject request, Law 91/2025) as JSON, with the "
        "CCCD and ethnicity decrypted. The export is logged as a sensitive read."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--cccd", help="the artisan's CCCD number (spaces ignored)")
        who.add_argument("--artisan", type=int, help="the artisan's id")
        parser.add_argument("--out", type=Path, required=True, help="a new file (never overwritten)")
        parser.add_argument(
            "--by", required=True, help="user name of the official handling the request (logged)"
        )

    def handle(self, *args, cccd, artisan, out: Path, by: str, **options):
        try:
            user = User.objects.get(username=by, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Không có người dùng / No active user {by!r}") from None
        artisans = Artisan.objects.with_cccd(cccd) if cccd else Artisan.objects.filter(pk=artisan)
        subject = artisans.first()
        # One answer for an unknown artisan and for one outside the user's scope: the command must not
        # tell whether a CCCD number is held by the system.
        not_found = "Không tìm thấy nghệ nhân trong phạm vi của bạn / No such artisan within your scope"
        if subject is None or not may_export_personal_data(user, subject):
            raise CommandError(not_found)
        try:
            data = personal_data_export(artisan=subject, by=user)
        except PermissionDenied:
            raise CommandError(not_found) from None
        try:  # a new file, readable by its owner only
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{out} đã tồn tại / already exists") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
        self.stdout.write(f"Đã xuất / Exported: artisan {subject.pk} → {out}")
