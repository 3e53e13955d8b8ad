"""A small world with two provinces (01 and 31), each with its officer, dossiers, a provincial council
with a session and a dossier on its agenda (and a member's request to withdraw their declared conflict
of interest on it, for the secretary to decide), an attachment, a generated declaration, a notification per
user and, in province 01, a posted nominee with a public comment; plus the national roles.

Who may see each object is written here from the rules of the procedure (docs/architecture.md §10 and
docs/security.md), not read from the code under test: the matrix compares the two."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from councils.conflicts import conflict_withdrawal_request
from councils.models import Council, PublicComment, Session
from councils.services import conflict_declare, session_agenda_add
from documents.kinds import Kind
from documents.models import GeneratedDocument
from documents.services import document_generate
from dossiers.models import Artisan, Dossier, DossierState
from dossiers.services.attachments import attachment_add
from notifications.models import EventRecord, Notification
from tests import factories as f
from tests.councils.conftest import make_council, make_session
from tests.dossiers.test_attachments import PDF_BYTES
from tests.workflows.conftest import complete_eligible_dossier, set_state
from workflows import services as wf
from workflows.models import AuditEntry

NATIONAL = {"clerk", "leader"}
USER_KEYS = (
    "anonymous",
    "norole",
    "officer_A",
    "member_A",
    "secretary_A",
    "officer_B",
    "member_B",
    "secretary_B",
    "clerk",
    "leader",
    "admin",
)


@dataclass
class Obj:
    kind: str  # dossier, session, council, attachment, document, notification, comment
    key: object  # the URL argument: a pk or a uid
    marker: str  # text that only those who may see the object may find in a page
    visible: frozenset[str]
    extra: dict = field(default_factory=dict)


@dataclass
class World:
    users: dict
    objects: dict[str, list[Obj]]
    secrets: list[str]  # CCCD numbers and ethnicities: in no page but the officer's reveal page

    def of(self, kind: str) -> list[Obj]:
        return self.objects.get(kind, [])


def _name(dossier: Dossier, full_name: str) -> str:
    Artisan.objects.filter(pk=dossier.artisan_id).update(full_name=full_name)
    return full_name


def _province_side(code: str, side: str, users: dict, objects: dict, secrets: list, ethnicity: str):
    dossier, officer = complete_eligible_dossier(code)
    users[f"officer_{side}"] = officer
    name = _name(dossier, f"Phạm Thị Ưng Dụng {side}")
    Artisan.objects.filter(pk=dossier.artisan_id).update(ethnicity=ethnicity)
    dossier.refresh_from_db()
    secrets += [dossier.artisan.cccd, ethnicity]
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    receivers = frozenset({f"officer_{side}"} | NATIONAL)
    objects["dossier"].append(Obj("dossier", dossier.pk, name, receivers))

    declaration = GeneratedDocument.objects.get(dossier=dossier, kind=Kind.FORM_02)
    document_generate(document_id=declaration.pk)
    objects["document"].append(
        Obj("document", declaration.uid, name, frozenset({f"officer_{side}", "clerk"}))
    )
    upload = SimpleUploadedFile("Bản khai.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = attachment_add(dossier=dossier, kind="certified_copy", uploaded_file=upload, by=officer)
    objects["attachment"].append(Obj("attachment", attachment.pk, name, receivers))

    council, voters, secretary = make_council(3, code=code)
    users[f"member_{side}"] = voters[0].user
    users[f"secretary_{side}"] = secretary.user
    session, (agenda,) = make_session(council, dossiers=1, code=code)
    agenda_name = _name(agenda, f"Lê Văn Hội Đồng {side}")
    Session.objects.filter(pk=session.pk).update(place=f"Nhà văn hóa phường Đông Ba {side}")
    session.refresh_from_db()
    session_agenda_add(session=session, dossiers=[agenda], by=secretary.user)
    councillors = frozenset({f"member_{side}", f"secretary_{side}"})
    objects["dossier"].append(Obj("dossier", agenda.pk, agenda_name, receivers | councillors))
    objects["session"].append(
        Obj("session", session.pk, session.place, councillors, extra={"agenda": agenda.pk})
    )
    objects["council"].append(Obj("council", council.pk, council.name, councillors))
    # the pages recording a council and its members: the officers of its province
    objects["managed_council"].append(
        Obj("managed_council", council.pk, council.name, frozenset({f"officer_{side}"}))
    )
    # a member asked to withdraw the conflict they declared: only the council's secretary decides it
    conflict_declare(
        session=session, dossier=agenda, by=voters[1].user, status="declared", relation="teacher"
    )
    withdrawal = conflict_withdrawal_request(
        session=session, dossier=agenda, by=voters[1].user, reason=f"Khai nhầm {side}"
    )
    objects["withdrawal"].append(
        Obj("withdrawal", withdrawal.pk, withdrawal.reason, frozenset({f"secretary_{side}"}))
    )
    secrets.append(agenda.artisan.cccd)
    return dossier


def build_world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    users: dict = {"anonymous": None, "norole": f.user()}
    objects: dict[str, list[Obj]] = {
        k: [] for k in ("dossier", "session", "council", "managed_council", "attachment", "withdrawal")
    }
    objects.update({"document": [], "notification": [], "comment": []})
    secrets: list[str] = []
    _province_side("01", "A", users, objects, secrets, ethnicity="Xơ Đăng")
    _province_side("31", "B", users, objects, secrets, ethnicity="Hà Nhì")
    users["clerk"] = f.user("ministry_clerk", f.ministry())
    users["leader"] = f.user("ministry_leader", f.ministry())
    users["admin"] = f.user("system_administrator", f.ministry())
    # accounts and agencies: only the administrators' pages show them
    objects["user"] = [Obj("user", users["officer_B"].pk, "", frozenset({"admin"}))]
    objects["agency"] = [Obj("agency", users["officer_B"].agency_id, "", frozenset({"admin"}))]
    # an invitation link that is no invitation: the same page for everyone
    objects["invitation"] = [Obj("invitation", "khong-phai-loi-moi", "", frozenset(USER_KEYS))]

    # A nominee on the posted provincial list: everyone may read its public entry.
    posted = set_state(f.dossier("01"), DossierState.PROVINCIAL_POSTED)
    posted_name = _name(posted, "Trần Thị Công Khai")
    secrets.append(posted.artisan.cccd)
    objects["dossier"].append(
        Obj("dossier", posted.pk, posted_name, frozenset({"officer_A"} | NATIONAL), extra={"posted": True})
    )
    comment = PublicComment.objects.create(
        dossier=posted,
        full_name="Người Góp Ý Bí Mật",
        phone="0912345678",
        address="Số 1 phố Huế",
        text="Góp ý về nghệ nhân",
        posted_state=posted.state,
    )
    # the comments are handled by the ministry and by the officers of the nominee's province
    objects["comment"].append(
        Obj("comment", comment.pk, comment.full_name, frozenset({"officer_A"} | NATIONAL))
    )

    # the round, whose pages are the Ministry's, and one of its rules, changed by a leader or an administrator
    round = f.round_()
    objects["round"] = [Obj("round", round.number, round.name, frozenset({"clerk", "leader", "admin"}))]
    objects["rule"] = [Obj("rule", "nnut.min_trainees", "", frozenset({"leader", "admin"}))]

    # An artisan in the public registry of conferred titles (an earlier round): everyone may read it, and
    # its page shows none of the artisan's identification data.
    from datetime import date

    from dossiers.services.conferrals import conferral_import

    honoured = f.artisan("31", full_name="Lò Văn Vinh Danh", ethnicity="Thái")
    secrets.append(honoured.cccd)
    conferral = conferral_import(
        by=users["clerk"],
        artisan=honoured,
        title="excellent",
        round_number=5,
        decision_number="1/QĐ-CTN",
        decision_date=date(2022, 8, 30),
        province=honoured.province,
    )
    objects["registry"] = [Obj("registry", conferral.public_id, conferral.full_name, frozenset(USER_KEYS))]

    for key, user in users.items():
        if user is None:
            continue
        event = EventRecord.objects.create(type=EventRecord._meta.get_field("type").choices[0][0])
        notification = Notification.objects.create(event=event, recipient=user)
        objects["notification"].append(Obj("notification", notification.pk, "", frozenset({key})))
    return World(users=users, objects=objects, secrets=secrets)


def fingerprint() -> tuple:
    """What a refused request must leave unchanged: the state of every dossier and session, who has
    read which notification, the comments' status, and the number of rows that record actions."""

    def rows(model: type[models.Model], *fields: str) -> tuple:
        return tuple(model.objects.order_by("pk").values_list("pk", *fields))

    return (
        rows(Dossier, "state", "artisan__full_name"),
        rows(Session, "status"),
        rows(Council, "name"),
        rows(Notification, "read_at"),
        rows(PublicComment, "status"),
        AuditEntry.objects.count(),
        GeneratedDocument.objects.count(),
        Artisan.objects.count(),
        *(m.objects.count() for m in _counted_models()),
    )


def _counted_models():
    from councils.models import AdvisoryNote, Ballot, BallotParticipation, ConflictDeclaration
    from dossiers.models import Attachment, SensitiveDataAccess

    return (Ballot, BallotParticipation, ConflictDeclaration, AdvisoryNote, Attachment, SensitiveDataAccess)


def pdf_upload() -> io.BytesIO:
    handle = io.BytesIO(PDF_BYTES)
    handle.name = "tep.pdf"
    return handle
