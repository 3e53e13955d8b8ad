"""Writes on accounts: the account of a person appointed to a council (other rooms call it), invitations
(a one-time link to set a password and enrol the second factor), and what the administrators' pages do
with agencies and users. Every administrative act is recorded with core.services.action_record."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.permissions import require
from core.services import action_record
from core.text import to_nfc

from .auth import end_all_sessions
from .models import Agency, Invitation, User
from .permissions import can_administer_accounts
from .roles import Role, roles_of

logger = logging.getLogger(__name__)

# The one answer for an unknown, used, voided or expired invitation (no oracle on which it was).
INVITATION_INVALID = gettext_lazy(
    "This invitation link is not valid: it has expired, was already used or was replaced by a newer one. "
    "Ask the system administrator to send a new invitation."
)


# --- invitations -----------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256. The token has 256 random bits, so the hash needs no salt
    and cannot be turned back into a usable link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])


def _send_invitation_email(user_id: int, token: str, expires_at) -> None:
    """After commit: the e-mail with the link, in the user's language. A failure is logged (never the
    token) and the administrator can send the invitation again."""
    user = User.objects.get(pk=user_id)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            "accounts/email/invitation.txt",
            {
                "user": user,
                "link": invitation_link(token),
                "expires_at": expires_at,
                "days": settings.ACCOUNT_INVITATION_DAYS,
            },
        ).strip()
    subject, _sep, body = text.partition("\n")
    try:
        EmailMultiAlternatives(subject=" ".join(subject.split()), body=body.strip(), to=[user.email]).send()
    except Exception as exc:  # the account exists; the invitation can be sent again from its page
        logger.warning("invitation e-mail to user %s not sent: %s", user_id, type(exc).__name__)


def _invite(*, user: User, by) -> Invitation:
    """A new invitation for `user` (earlier unused ones voided), e-mailed after commit. The caller has
    checked permission and runs in a transaction."""
    if not user.is_active:
        raise ValidationError(_("The account is deactivated: activate it before inviting."))
    if not user.email:
        raise ValidationError(_("The account has no e-mail address to send the invitation to."))
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=token_hash(token),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        expires_at=now + timedelta(days=settings.ACCOUNT_INVITATION_DAYS),
    )
    action_record(
        action="invitation_sent",
        obj=user,
        summary=_("Invitation sent to %(email)s") % {"email": user.email},
        by=by,
        data={"invitation": invitation.pk, "expires_at": invitation.expires_at.isoformat()},
    )
    expires_at = invitation.expires_at
    transaction.on_commit(lambda: _send_invitation_email(user.pk, token, expires_at), robust=True)
    return invitation


@transaction.atomic
def invitation_send(*, user: User, by) -> Invitation:
    """Send (again) an invitation to set a password and enrol the second factor: a new one-time link,
    valid ACCOUNT_INVITATION_DAYS days; earlier unused invitations of the user stop working.
    For system administrators (the administrators' pages)."""
    require(can_administer_accounts(by))
    user = User.objects.select_for_update().get(pk=user.pk)
    return _invite(user=user, by=by)


def invitation_valid(token: str) -> Invitation | None:
    """The invitation of this token if it can still be used (unused, not replaced, not expired, the
    account active); None otherwise, whichever the reason."""
    if not token or len(token) > 128:
        return None
    return (
        Invitation.objects.select_related("user")
        .filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            voided_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Use an invitation: the password is checked by the site's validators and set; the invitation is
    used once (its row locked, and marked used only if still unused). Raises ValidationError with the one
    message of an invalid link, or with the validators' messages under "password"."""
    invitation = invitation_valid(token)
    if invitation is None:
        raise ValidationError(INVITATION_INVALID, code="invitation_invalid")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:  # another request used it first
        raise ValidationError(INVITATION_INVALID, code="invitation_invalid")
    user.set_password(password)
    user.save(update_fields=["password"])
    action_record(
        action="invitation_used",
        obj=user,
        summary=_("Invitation used: password set"),
        by=user,
        data={"invitation": invitation.pk},
    )
    return user


# --- accounts of council members (called by the councils' pages) -----------------------------------------


def _free_username(email: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0], flags=re.ASCII)[:120] or "nguoidung"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    return username


@transaction.atomic
def member_account_for(
    *, full_name: str, email: str, role: Role, agency: Agency | None, by
) -> tuple[User, bool]:
    """The account of a person appointed to a council: an existing account with this e-mail address is
    linked (and given the role if it lacks it); otherwise a new account is created with no usable
    password and an invitation is e-mailed to it (the caller's service checked permission). Returns
    (user, created)."""
    email = (email or "").strip().lower()
    if not email:  # an empty address would match every account without one
        raise ValidationError({"email": _("Enter the e-mail address the invitation is sent to.")})
    user = User.objects.select_for_update().filter(email__iexact=email).order_by("pk").first()
    created = user is None
    if created:
        user = User(
            username=_free_username(email), email=email, full_name=to_nfc(full_name.strip()), agency=agency
        )
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=role.value))
    if created:
        _invite(user=user, by=by)
    return user, created


# --- the administrators' pages: agencies ----------------------------------------------------------------

AGENCY_FIELDS = ("kind", "name", "short_name", "parent_name", "address", "province", "is_active")


def _agency_clean(agency: Agency) -> None:
    agency.name = to_nfc(agency.name or "")
    agency.parent_name = to_nfc(agency.parent_name or "")
    agency.address = to_nfc(agency.address or "")
    agency.short_name = (agency.short_name or "").strip()
    if agency.kind == Agency.Kind.PROVINCIAL_DEPARTMENT and agency.province_id is None:
        raise ValidationError({"province": _("A provincial department needs its province.")})
    if agency.kind != Agency.Kind.PROVINCIAL_DEPARTMENT:
        agency.province = None
    agency.full_clean()


def _changes(before: dict, after: dict) -> dict:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


def _agency_state(agency: Agency) -> dict:
    return {k: (agency.province_id if k == "province" else getattr(agency, k)) for k in AGENCY_FIELDS}


@transaction.atomic
def agency_create(*, by, **fields) -> Agency:
    require(can_administer_accounts(by))
    agency = Agency(**{k: v for k, v in fields.items() if k in AGENCY_FIELDS})
    _agency_clean(agency)
    agency.save()
    action_record(
        action="agency_created",
        obj=agency,
        summary=_("Agency created: %(name)s") % {"name": agency.name},
        by=by,
        data=_agency_state(agency),
    )
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, by, **fields) -> Agency:
    require(can_administer_accounts(by))
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = _agency_state(agency)
    for name, value in fields.items():
        if name in AGENCY_FIELDS:
            setattr(agency, name, value)
    _agency_clean(agency)
    agency.save()
    changes = _changes(before, _agency_state(agency))
    if changes:
        action_record(
            action="agency_changed",
            obj=agency,
            summary=_("Agency changed: %(name)s") % {"name": agency.name},
            by=by,
            data=changes,
        )
    return agency


# --- the administrators' pages: users -------------------------------------------------------------------


def _role_groups(roles) -> list[Group]:
    names = [Role(r).value for r in roles]
    return list(Group.objects.filter(name__in=names))


def _check_email_free(email: str, *, exclude_pk: int | None = None) -> None:
    others = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"email": _("Another account already has this e-mail address.")})


@transaction.atomic
def user_create(*, full_name: str, email: str, roles, agency: Agency | None, by) -> User:
    """A new account with the given roles and agency, no usable password, and an invitation e-mailed."""
    require(can_administer_accounts(by))
    email = (email or "").strip().lower()
    full_name = to_nfc(full_name or "")
    errors = {}
    if not full_name:
        errors["full_name"] = [_("Enter the person's full name.")]
    if not email:
        errors["email"] = [_("Enter the e-mail address the invitation is sent to.")]
    if not roles:
        errors["roles"] = [_("Choose at least one role.")]
    if errors:
        raise ValidationError(errors)
    _check_email_free(email)
    user = User(username=_free_username(email), email=email, full_name=full_name, agency=agency)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(_role_groups(roles))
    action_record(
        action="user_created",
        obj=user,
        summary=_("Account created: %(name)s") % {"name": user.display_name},
        by=by,
        data={"roles": sorted(Role(r).value for r in roles), "agency": agency.pk if agency else None},
    )
    _invite(user=user, by=by)
    return user


@transaction.atomic
def user_update(
    *, user: User, by, full_name: str, email: str, roles, agency: Agency | None, is_active: bool
) -> User:
    """Change an account's name, e-mail, roles, agency and whether it is active. An administrator can
    neither remove their own administrator role nor deactivate themselves."""
    require(can_administer_accounts(by))
    user = User.objects.select_for_update().get(pk=user.pk)
    roles = {Role(r) for r in roles}
    email = (email or "").strip().lower()
    full_name = to_nfc(full_name or "")
    if user.pk == by.pk:
        if Role.SYSTEM_ADMINISTRATOR not in roles:
            raise ValidationError(
                {"roles": _("You cannot remove your own administrator role; ask another administrator.")}
            )
        if not is_active:
            raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    if not full_name:
        raise ValidationError({"full_name": _("Enter the person's full name.")})
    if not email:
        raise ValidationError({"email": _("Enter the e-mail address the invitation is sent to.")})
    _check_email_free(email, exclude_pk=user.pk)
    before = {
        "full_name": user.full_name,
        "email": user.email,
        "agency": user.agency_id,
        "is_active": user.is_active,
        "roles": sorted(r.value for r in roles_of(user)),
    }
    user.full_name, user.email, user.agency, user.is_active = full_name, email, agency, is_active
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.remove(
        *Group.objects.filter(name__in=[r.value for r in Role]).exclude(name__in=[r.value for r in roles])
    )
    user.groups.add(*_role_groups(roles))
    user._roles_cache = None
    after = {
        "full_name": user.full_name,
        "email": user.email,
        "agency": user.agency_id,
        "is_active": user.is_active,
        "roles": sorted(r.value for r in roles),
    }
    changes = _changes(before, after)
    if changes:
        action_record(
            action="user_changed",
            obj=user,
            summary=_("Account changed: %(name)s") % {"name": user.display_name},
            by=by,
            data=changes,
        )
    return user


@transaction.atomic
def user_second_factor_reset(*, user: User, by, reason: str = "") -> int:
    """Remove every authenticator app of the account (a lost phone): at the next sign-in the user enrols
    a new one. Their sessions end. Returns how many devices were removed."""
    require(can_administer_accounts(by))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot reset your own second factor; ask another administrator."))
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    end_all_sessions(user)
    action_record(
        action="second_factor_reset",
        obj=user,
        summary=_("Second factor reset: %(name)s") % {"name": user.display_name},
        by=by,
        reason=reason,
        data={"devices_removed": removed},
    )
    return removed


SAVED_FILTERS_PER_PAGE = 20  # a list of bookmarks, not a store


@transaction.atomic
def saved_filter_save(*, user, page: str, name: str, query: str):
    """Save (or replace, by its name) a user's named search of a list page. `query` is the page's query
    string of filters, already checked by the page's filter form."""
    from .models import SavedFilter

    name = to_nfc((name or "").strip())
    if not name:
        raise ValidationError({"name": [_("Give the filter a name.")]}, code="name")
    if len(name) > 80:
        raise ValidationError({"name": [_("The name is at most 80 characters.")]}, code="name")
    if not query:
        raise ValidationError(_("Choose a search or a filter first: there is nothing to save."), code="empty")
    mine = SavedFilter.objects.select_for_update().filter(user=user, page=page)
    if not mine.filter(name=name).exists() and mine.count() >= SAVED_FILTERS_PER_PAGE:
        raise ValidationError(
            _("You have %(n)d saved filters on this page already; delete one first.")
            % {"n": SAVED_FILTERS_PER_PAGE},
            code="too_many",
        )
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, page=page, name=name, defaults={"query": query[:1000]}
    )
    return saved


def saved_filter_delete(*, user, pk: int) -> bool:
    """Delete one of the user's own saved filters (another user's id deletes nothing)."""
    from .models import SavedFilter

    deleted, _rows = SavedFilter.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)
