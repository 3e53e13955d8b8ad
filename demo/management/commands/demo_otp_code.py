"""Print the current second-factor code of a demo user (`make run` only: DEBUG on), so that the demo
can be tried without an authenticator app. The secrets of the demo users are fixed and published
(seed_demo), which is why this refuses to run with DEBUG off."""

from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_otp_code chỉ dùng cho máy thử nghiệm (DEBUG bật) / demo_otp_code is for local demos "
                "only (DEBUG on)."
            )
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(
                f"{username}: không có thiết bị xác thực / has no confirmed TOTP device (run seed_demo)."
            )
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
        if options["verbosity"] > 1:
            self.stdout.write(f"secret (base32): {b32encode(device.bin_key).decode()}")
