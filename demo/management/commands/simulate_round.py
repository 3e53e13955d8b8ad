import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.simulation import simulate_round


class Command(BaseCommand):
    help = "Simulate a whole round with synthetic dossiers, through the real services, and report figures."

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=3)
        parser.add_argument("--dossiers-per-province", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Write synthetic data although DEBUG is off (benchmark databases only).",
        )

    def handle(self, *args, provinces, dossiers_per_province, seed, as_json, allow_without_debug, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "simulate_round writes synthetic data; run it with DEBUG on or --allow-without-debug "
                "on a database made for it."
            )
        if not 1 <= provinces <= 34 or not 1 <= provinces * dossiers_per_province < 10_000:
            raise CommandError(
                "--provinces must be 1 to 34, and provinces x dossiers per province 1 to 9,999."
            )
        report = simulate_round(provinces=provinces, dossiers_per_province=dossiers_per_province, seed=seed)
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, sort_keys=True))
        else:
            for key, value in report.items():
                self.stdout.write(f"{key}: {value}")
