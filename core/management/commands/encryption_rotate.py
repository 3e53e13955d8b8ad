from django.core.management.base import BaseCommand

from core.crypto import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt the personal data at rest under the first key of FIELD_ENCRYPTION_KEYS and recompute the "
        "blind indexes under BLIND_INDEX_KEY. Run after putting a new key first; then the old key can go."
    )

    def handle(self, *args, **options):
        done = rotate_all()
        for label, count in done.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"Đã mã hóa lại / Re-encrypted: {sum(done.values())} rows")
