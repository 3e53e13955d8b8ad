"""Writes on accounts that other rooms call: finding or creating the account of a person appointed to a
council (invited by e-mail when new)."""

from django.contrib.auth.models import Group
from django.db import transaction

from core.text import to_nfc

from .models import Agency, User
from .roles import Role


@transaction.atomic
def member_account_for(
    *, full_name: str, email: str, role: Role, agency: Agency | None, by
) -> tuple[User, bool]:
    """The account of a person appointed to a council: an existing account with this e-mail address is
    linked (and given the role if it lacks it); otherwise a new account is created with no usable
    password, to be activated through an invitation. Returns (user, created)."""
    email = (email or "").strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).order_by("pk").first()
    created = user is None
    if created:
        base = email.split("@")[0][:120] or "nguoidung"
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}{n}"
        user = User(username=username, email=email, full_name=to_nfc(full_name.strip()), agency=agency)
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=role.value))
    return user, created
