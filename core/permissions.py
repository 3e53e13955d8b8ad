"""The answer of every permission check: allowed or not, and why (shown to the user when refused)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def allow() -> Decision:
    return Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, str(reason))


def require(decision: Decision) -> None:
    """Raise PermissionDenied with the decision's reason unless it allows."""
    from django.core.exceptions import PermissionDenied

    if not decision:
        raise PermissionDenied(decision.reason)
