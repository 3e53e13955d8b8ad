from notifications.selectors import unread_count


def notifications(request):
    """The unread count in the navigation of every page (lazily: only pages that show it query it)."""
    user = getattr(request, "user", None)
    return {"unread_notifications": lambda: unread_count(user)}
