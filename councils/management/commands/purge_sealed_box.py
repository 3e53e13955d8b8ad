from django.core.management.base import BaseCommand, CommandError

from councils.services import purge_sealed_box_storage


class Command(BaseCommand):
    help = (
        "Rewrite the sealed ballot box's two tables so that no dead copy of a closed session's sealed "
        "ballots or key stays in their files. Connects as the tables' owner (DATABASE_MIGRATE_URL, when "
        "set), who alone may VACUUM FULL them while other ballots are open: run it from cron, every few "
        "minutes, on a server where ballots overlap."
    )

    def handle(self, *args, **options):
        if not purge_sealed_box_storage():
            raise CommandError(
                "Chưa dọn xong hòm phiếu niêm phong / Sealed box not purged yet "
                "(see the log; try again later)"
            )
        self.stdout.write("Đã dọn hòm phiếu niêm phong / Sealed ballot box purged")
