"""Demo data for a local try-out: one user per role, a few provinces' departments, round 6.

Idempotent: running it again updates the same rows (and resets the demo password) instead of adding
new ones. It refuses to run with DEBUG off unless told --allow-without-debug, so that a production
database never gets users with a published password.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.auth import two_factor_required
from accounts.models import AdministrativeUnit, Agency, User
from accounts.roles import Role
from demo.files import pdf_bytes
from demo.seed_councils import seed_councils
from demo.seed_stages import seed_stages
from dossiers.consent import CONSENT_VERSION
from dossiers.models import Artisan, Craft, Round, RoundMilestone
from dossiers.rulebook.selectors import rulebook_latest
from dossiers.services.attachments import attachment_add
from dossiers.services.intake import (
    AwardInput,
    PeriodInput,
    PriorTitleInput,
    TraineeInput,
    WorkInput,
    dossier_receive,
    dossier_update_evidence,
)
from workflows.services import dossier_transition
from workflows.tasks import fire_timers


def demo_otp_key(username: str) -> str:
    """The fixed TOTP secret of a demo user (hex, as django-otp stores it): the bytes of
    "demo-otp-<username>", padded to 20. Published here, hence for demonstrations only."""
    return f"demo-otp-{username}".encode().ljust(20, b"-")[:40].hex()


DEMO_PROVINCE_CODES = ("01", "31", "48")  # Hà Nội, Hải Phòng, Đà Nẵng (2025 codes)

# username, full name, role, agency key
DEMO_USERS = (
    ("canbo.hanoi", "Nguyễn Thị Lan", Role.PROVINCIAL_OFFICER, "01"),
    ("uyvien.hanoi", "Trần Văn Minh", Role.COUNCIL_MEMBER, "01"),
    ("thuky.hanoi", "Lê Thu Hà", Role.COUNCIL_SECRETARY, "secretariat-01"),
    ("uyvien.bo", "Vũ Thị Hồng", Role.COUNCIL_MEMBER, "moit"),
    ("thuky.bo", "Đặng Văn Long", Role.COUNCIL_SECRETARY, "moit"),
    ("chuyenvien.bct", "Phạm Quốc Huy", Role.MINISTRY_CLERK, "moit"),
    ("lanhdao.bct", "Hoàng Đức Thắng", Role.MINISTRY_LEADER, "moit"),
    ("quantri", "Đỗ Mai Anh", Role.SYSTEM_ADMINISTRATOR, "moit"),
)


def _prized_work(n: int, year: int) -> WorkInput:
    award = AwardInput(
        competition="Hội thi sản phẩm thủ công mỹ nghệ",
        organiser="Bộ Công Thương",
        level="second",
        scope="national",
        awarded_on=date(year, 10, 15),
        organiser_is_competent=True,
    )
    return WorkInput(
        name=f"Tác phẩm số {n}", completed_on=date(year, 6, 1), made_after_title=year > 2016, awards=(award,)
    )


DEMO_DOSSIERS = (
    {
        "full_name": "Nguyễn Văn Bình",
        "gender": "male",
        "born": date(1962, 4, 3),
        "cccd": "001062000101",
        "craft": "son-mai",
        "title": "excellent",
        "evidence": {
            "periods": [PeriodInput(date(1985, 1, 1), date(2025, 6, 30), "Làng nghề sơn mài Hạ Thái")],
            "works": [_prized_work(n, 2000 + n) for n in range(1, 11)],
            "trainees": [
                TraineeInput(130, date(1995, 1, 1), date(2024, 12, 31), "Lớp truyền nghề tại xưởng")
            ],
        },
    },
    {
        "full_name": "Trần Thị Mai",
        "gender": "female",
        "born": date(1958, 9, 12),
        "cccd": "001158000202",
        "craft": "gom-su",
        "title": "peoples",
        "evidence": {
            "periods": [PeriodInput(date(1978, 1, 1), date(2025, 6, 30), "Bát Tràng")],
            "works": [_prized_work(n, 2017 + n) for n in range(1, 3)],
            "trainees": [TraineeInput(140, date(1990, 1, 1), date(2024, 12, 31), "Các lớp dạy nghề gốm")],
            "prior_titles": [PriorTitleInput("excellent", "handicraft", "1529/QĐ-CTN", date(2016, 8, 1))],
        },
    },
)


# Round 6's milestones as the demo shows them; the provincial dates follow practice (Đà Nẵng took
# dossiers 15-30/09/2025, Hải Phòng posted its results on 26/12/2025); the later ones are illustrative.
DEMO_MILESTONES = (
    ("applicant", "Nộp hồ sơ tại Sở Công Thương", date(2025, 9, 30)),
    ("provincial", "Hội đồng cấp tỉnh gửi hồ sơ về Bộ Công Thương", date(2025, 12, 31)),
    ("ministerial", "Hội đồng cấp Bộ trình Hội đồng cấp Nhà nước", date(2026, 4, 1)),
    ("state", "Hội đồng cấp Nhà nước hoàn thành xét chọn", date(2026, 6, 1)),
)


def _short(province_name: str) -> str:
    return province_name.removeprefix("Thành phố ")


def _parent_name(province: AdministrativeUnit) -> str:
    kind = "THÀNH PHỐ" if province.division_type == "thành phố trung ương" else "TỈNH"
    return f"UBND {kind} {_short(province.name).upper()}"


class Command(BaseCommand):
    help = "Create or refresh the demo users (one per role), departments and round 6."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even though DEBUG is off (never on a production database).",
        )

    @transaction.atomic
    def handle(self, *args, allow_without_debug: bool = False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "seed_demo chỉ dùng cho máy thử nghiệm (DEBUG bật) / seed_demo is for local demos only "
                "(DEBUG on); pass --allow-without-debug to override."
            )
        agencies = self._agencies()
        password = settings.DEMO_PASSWORD
        for username, full_name, role, agency_key in DEMO_USERS:
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "full_name": full_name,
                    "agency": agencies[agency_key],
                    "email": f"{username}@demo.invalid",
                    "is_staff": role == Role.SYSTEM_ADMINISTRATOR,
                    "is_superuser": role == Role.SYSTEM_ADMINISTRATOR,
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role.value)])
            if two_factor_required(user):
                TOTPDevice.objects.update_or_create(
                    user=user, name="demo", defaults={"key": demo_otp_key(username), "confirmed": True}
                )
        round_6, _created = Round.objects.update_or_create(
            number=6,
            defaults={
                "name": "Xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” "
                "trong lĩnh vực nghề thủ công mỹ nghệ lần thứ 6",
                "rulebook": rulebook_latest(),
                "plan_decision_number": "355/QĐ-BCT",
                "plan_decision_date": date(2025, 2, 10),
            },
        )
        for level, description, due in DEMO_MILESTONES:
            RoundMilestone.objects.update_or_create(
                round=round_6, level=level, description=description, defaults={"due_on": due}
            )
        councils = seed_councils(round_=round_6)
        self._dossiers(round_6)
        seed_stages(round_=round_6, councils=councils)
        # The deadlines already past escalate now, as the worker's beat would within minutes.
        fire_timers()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Users (password: {password}):"))
        for username, full_name, role, _agency in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.value:<22} {full_name}")
        self.stdout.write(
            "Two-step verification: the code of a demo user is printed by "
            "`python manage.py demo_otp_code USERNAME` (or add the secret it shows to an authenticator app)."
        )

    def _dossiers(self, round_6: Round) -> None:
        """Two dossiers in Hà Nội, received through the same services an officer uses (once)."""
        officer = User.objects.get(username="canbo.hanoi")
        hanoi = officer.agency.province
        commune = AdministrativeUnit.objects.filter(parent=hanoi).order_by("code").first()
        for spec in DEMO_DOSSIERS:
            if Artisan.objects.with_cccd(spec["cccd"]).exists():
                continue
            dossier, _warnings = dossier_receive(
                by=officer,
                artisan={
                    "full_name": spec["full_name"],
                    "gender": spec["gender"],
                    "date_of_birth": spec["born"],
                    "ethnicity": "Kinh",
                    "cccd": spec["cccd"],
                    "province": hanoi,
                    "commune": commune,
                    "craft": Craft.objects.get(code=spec["craft"]),
                    "consent_version": CONSENT_VERSION,  # demo artisans: consent as if given at intake
                },
                dossier={
                    "round": round_6,
                    "title": spec["title"],
                    "receiving_agency": officer.agency,
                    "channel": "in_person",
                    "received_on": date(2025, 9, 22),
                },
            )
            dossier_update_evidence(dossier=dossier, by=officer, **spec["evidence"])
            # The Excellent Artisan nomination is complete (the officer can admit it); the People's Artisan
            # one lacks its attachments and trainees (the officer returns it for supplement).
            for kind in ("declaration", "certified_copy") if spec["title"] == "excellent" else ():
                content = pdf_bytes(f"{kind} {spec['cccd']}")
                attachment_add(
                    dossier=dossier,
                    kind=kind,
                    by=officer,
                    uploaded_file=SimpleUploadedFile(f"{kind}.pdf", content, content_type="application/pdf"),
                )
            dossier_transition(name="submit", dossier=dossier, by=officer, request_id="seed_demo")

    def _agencies(self) -> dict[str, Agency]:
        provinces = {
            p.code: p
            for p in AdministrativeUnit.objects.filter(
                level=AdministrativeUnit.Level.PROVINCE, valid_to__isnull=True, code__in=DEMO_PROVINCE_CODES
            )
        }
        missing = set(DEMO_PROVINCE_CODES) - set(provinces)
        if missing:
            raise CommandError(
                f"Administrative units missing ({', '.join(sorted(missing))}): run migrate first."
            )
        agencies: dict[str, Agency] = {}
        for code in DEMO_PROVINCE_CODES:
            province = provinces[code]
            agencies[code], _ = Agency.objects.update_or_create(
                kind=Agency.Kind.PROVINCIAL_DEPARTMENT,
                name=f"Sở Công Thương {_short(province.name)}",
                defaults={"short_name": "SCT", "parent_name": _parent_name(province), "province": province},
            )
        hanoi = provinces["01"]
        agencies["secretariat-01"], _ = Agency.objects.update_or_create(
            kind=Agency.Kind.COUNCIL_SECRETARIAT,
            name=f"Tổ Thư ký Hội đồng xét tặng cấp tỉnh {_short(hanoi.name)}",
            defaults={"short_name": "HĐXT", "parent_name": _parent_name(hanoi), "province": hanoi},
        )
        agencies["moit"], _ = Agency.objects.update_or_create(
            kind=Agency.Kind.MINISTRY_UNIT,
            name="Bộ Công Thương",
            defaults={"short_name": "BCT", "parent_name": ""},
        )
        return agencies
