from django.core.management.base import BaseCommand, CommandError

from core.db_roles import AppRoleError, append_only_tables, grant_app_role


class Command(BaseCommand):
    help = (
        "Give the application's database role (DATABASE_URL's user) exactly its privileges: read and write "
        "the ordinary tables, only read and insert the append-only ones, nothing else. Connects as the owner "
        "(DATABASE_MIGRATE_URL). `migrate` already does this at its end; run it after changing roles by hand."
    )

    def handle(self, *args, **options):
        try:
            role = grant_app_role()
        except AppRoleError as exc:
            raise CommandError(f"Không cấp được quyền / Grant failed: {exc}") from None
        if role is None:
            self.stdout.write(
                "Không có vai trò riêng cho ứng dụng / No separate application role: nothing to grant."
            )
            return
        self.stdout.write(f"Đã cấp quyền / Granted: {role} (append-only: {', '.join(append_only_tables())})")
