"""The open work of a benchmark run: a round whose provincial councils are in session with their ballot
open. Dossiers get there through the real services (intake, the procedure's transitions, the council
services), exactly as demo.simulation drives a round; only the reference objects (users, councils,
memberships) are created directly, by the simulation's own helpers."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AdministrativeUnit, User
from councils.models import Council, Membership, Session
from councils.services import session_agenda_add, session_attendance_record
from demo import simulation as sim
from dossiers.models import Craft, Dossier
from workflows.services import council_ballot_open, council_decision_issue


@dataclass
class OpenSession:
    session: Session
    secretary: User
    voters: list[Membership]
    agenda: list[Dossier]


@dataclass
class OpenRound:
    actors: sim.Actors
    sessions: list[OpenSession]  # one per province, in province order


def open_round(*, sizes: list[int], seed: int) -> OpenRound:
    """One province per entry of `sizes`; in each, that many eligible dossiers on the agenda of a session
    of the province's council (11 voting members, all present) whose secret ballot is open."""
    rng = random.Random(seed)  # noqa: S311  (reproducible synthetic data, not security)
    round_ = sim._new_round()
    actors = sim._actors(round_, len(sizes))
    for council in Council.objects.filter(round=round_).order_by("pk"):
        council_decision_issue(council=council, by=actors.clerk)
    crafts = list(Craft.objects.order_by("code"))
    serial = 0
    sessions = []
    for (province_id, officer), size in zip(actors.officers.items(), sizes, strict=True):
        commune = AdministrativeUnit.objects.filter(parent_id=province_id).order_by("code").first()
        agenda: list[Dossier] = []
        while len(agenda) < size:
            serial += 1
            d = sim._receive(rng, round_, officer, actors.departments[province_id], commune, crafts, serial)
            d = sim._step(d, "submit", officer)
            d = sim._step(d, "admit", officer)
            try:
                agenda.append(sim._step(d, "send_to_provincial_council", officer))
            except ValidationError:
                sim._step(d, "reject", officer, reason="Chưa đáp ứng tiêu chuẩn")
        council = actors.provincial_councils[province_id]
        secretary = council.memberships.get(role=Membership.Role.SECRETARY).user
        voters = list(
            council.memberships.filter(role__in=Membership.VOTING_ROLES).select_related("user").order_by("pk")
        )
        session = Session.objects.create(council=council, held_on=timezone.localdate(), place="Phòng họp")
        session_agenda_add(session=session, dossiers=agenda, by=secretary)
        session_attendance_record(session=session, present=voters, by=secretary)
        session = council_ballot_open(session=session, by=secretary)
        sessions.append(OpenSession(session, secretary, voters, agenda))
    return OpenRound(actors, sessions)
